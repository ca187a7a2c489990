import os from 'node:os';
import { defineConfig } from 'vitest/config';
import { testRunsRoot } from './test/setup/test-runs-folder.ts';
import { E2E_TEST_FILES } from './test/e2e-test-files.ts';
import { LongestFirstSequencer } from './test/setup/longest-first-sequencer.ts';

const ALL_TEST_FILES = ['src/**/*.test.ts', 'fixtures/**/*.test.ts', 'harness/**/*.test.ts', 'test/**/*.test.ts'];

export default defineConfig({
  test: {
    // No include here: each project names its files (a project that extends this config would add to a list set here).
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
    // The longest files first, with or without vitest's cache of the last run's durations (a fresh clone has none).
    sequence: { sequencer: LongestFirstSequencer },
    // Under CI, also a JUnit file for the CI system's test report; the default reporter stays for the log.
    reporters: process.env.CI ? ['default', ['junit', { outputFile: 'runs/junit/vitest.xml', suiteName: 'oauth-state-repro npm test' }]] : ['default'],
    // `npm test` runs both; `npm run test:unit` the first alone, for the inner loop (pure functions and in-process tests, no child process).
    projects: [
      { extends: true, test: { name: 'unit', include: ALL_TEST_FILES, exclude: [...E2E_TEST_FILES, '**/node_modules/**'], setupFiles: ['./test/setup/no-child-process.ts'] } },
      { extends: true, test: { name: 'e2e', include: [...E2E_TEST_FILES] } },
    ],
  },
});
