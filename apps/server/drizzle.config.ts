import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the table definitions, reviewed and committed (drizzle/).
// The audit log is partitioned and guarded by triggers, so it lives in a hand-written migration
// and its Drizzle definition (src/platform/audit.schema.ts) is outside this glob.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/modules/*/*.tables.ts', './src/platform/*.tables.ts'],
  out: './drizzle',
});
