import { defineConfig } from 'vitest/config';

// One embedded database is started for the whole run (server/test/global-setup.ts);
// each worker uses its own database in it, and each test builds fresh tenants.
export default defineConfig({
  test: {
    globalSetup: ['server/test/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'web/src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['server/test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['web/tests/**/*.browser.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
