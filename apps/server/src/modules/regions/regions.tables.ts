import { index, pgTable, text } from 'drizzle-orm/pg-core';

/** GB/T 2260 divisions of Henan (plus the functional zones the seed names), loaded from henan-divisions.json. */
export const regions = pgTable(
  'regions',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: text('level', { enum: ['province', 'city', 'county', 'zone'] }).notNull(),
    parentCode: text('parent_code'),
  },
  (t) => [index('regions_parent_idx').on(t.parentCode)],
);
