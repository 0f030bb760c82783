import { SECTORS } from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** 企业(项目): an enterprise, key project or bonded park (DESIGN.md §2). The whitelist module extends it. */
export const enterprises = pgTable(
  'enterprises',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: ['enterprise', 'project', 'park'] }).notNull(),
    uscc: text('uscc').notNull(),
    name: text('name').notNull(),
    sectors: text('sectors', { enum: SECTORS }).array().notNull(),
    regionCode: text('region_code').notNull(),
    address: text('address'),
    headcount: integer('headcount').notNull().default(0),
    /** Annual output value (enterprises) or planned investment (projects), in fen. */
    annualValueFen: bigint('annual_value_fen', { mode: 'number' }).notNull().default(0),
    cityOperations: boolean('city_operations').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('enterprises_uscc_uq').on(t.uscc),
    // text_pattern_ops: the region scope is `region_code LIKE '4101%'`, which a default btree cannot serve under
    // a non-C collation (PostgreSQL's usual C.UTF-8 / zh_CN.UTF-8).
    index('enterprises_region_idx').on(sql`${t.regionCode} text_pattern_ops`),
    index('enterprises_sectors_idx').using('gin', t.sectors),
  ],
);
