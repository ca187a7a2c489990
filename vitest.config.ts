import os from 'node:os';
import { defineConfig } from 'vitest/config';
import { testRunsRoot } from './test/setup/test-runs-folder.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'fixtures/**/*.test.ts', 'harness/**/*.test.ts', 'test/**/*.test.ts'],
    // Real network is disabled per test file (nock.disableNetConnect / msw
    // onUnhandledRequest: 'error'); loopback is allowed for the real processes.
    setupFiles: ['./test/setup/no-external-network.ts', './test/setup/run-temporary-folders.ts'],
    // Run folders of tests go to runs/test, never the user's runs/ (whose `latest` they used to move or remove).
    env: { OAUTH_REPRO_RUNS_DIR: testRunsRoot() },
    globalSetup: ['./test/setup/test-runs-folder.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at once even on 2 cores (vitest's default is cores - 1, so one): most
    // of a file's time is spent waiting on the real processes it starts, not computing.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // A worker runs its files one after another in one process instead of a fresh
    // process per file: each fresh one re-imported vitest and re-transformed the
    // harness (~0.8 s of CPU per file, 97 files). Files do not share state: each
    // starts its own mock, processes and run folder and stops them in afterAll.
    // Measured 2026-12-02, quiet: 369 -> 289 s of CPU, 228 -> 184 s wall.
    isolate: false,
    // Under CI, also a JUnit file for the CI system's test report; the default reporter stays for the log.
    reporters: process.env.CI ? ['default', ['junit', { outputFile: 'runs/junit/vitest.xml', suiteName: 'oauth-state-repro npm test' }]] : ['default'],
  },
});
