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
  },
});
