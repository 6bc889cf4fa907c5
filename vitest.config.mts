import { defineConfig } from 'vitest/config';

// Four suites, run one after another by scripts/test-all.mjs (`npm test`).
export default defineConfig({
  test: {
    env: { DBDESK_VALIDATE_OUTPUT: '1' },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-build.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          env: { DBDESK_VALIDATE_OUTPUT: '1' },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-build.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          env: { DBDESK_VALIDATE_OUTPUT: '1' },
        },
      },
      {
        test: {
          name: 'galera',
          include: ['test/galera/**/*.test.ts'],
          globalSetup: ['test/support/global-build.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          env: { DBDESK_VALIDATE_OUTPUT: '1' },
        },
      },
    ],
  },
});
