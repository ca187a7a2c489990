import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'fixtures/**/*.test.ts', 'harness/**/*.test.ts', 'test/**/*.test.ts'],
    // Real network is disabled per test file (nock.disableNetConnect / msw
    // onUnhandledRequest: 'error'); loopback is allowed for the real processes.
    setupFiles: ['./test/setup/no-external-network.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Under CI, also a JUnit file for the CI system's test report; the default reporter stays for the log.
    reporters: process.env.CI ? ['default', ['junit', { outputFile: 'runs/junit/vitest.xml', suiteName: 'oauth-state-repro npm test' }]] : ['default'],
  },
});
