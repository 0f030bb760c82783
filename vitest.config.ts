import { defineConfig } from 'vitest/config';

// One suite for the whole repository. Server tests run against a real database:
// PGlite by default, PostgreSQL when TEST_DATABASE_URL is set (see apps/server/test/db.ts).
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/server/src/**/*.test.ts',
      'apps/server/test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
