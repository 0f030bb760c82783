import { SECTORS } from '@sibao/contracts';
import { bigint, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Official statistics: a sector's total output value (investment for key projects) per region and period,
 * the denominator of whitelist coverage (方案 二(一), 九(三)).
 */
export const sectorOutputTotals = pgTable(
  'sector_output_totals',
  {
    regionCode: text('region_code').notNull(),
    sector: text('sector', { enum: SECTORS }).notNull(),
    period: text('period').notNull(),
    totalFen: bigint('total_fen', { mode: 'number' }).notNull(),
    source: text('source').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.sector, t.period] })],
);
