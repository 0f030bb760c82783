import { PCR_METHODS, PCR_RESULTS } from '@sibao/contracts';
import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * `pcr_test` results matched to a roster employee (DESIGN.md §6: ~2 M a day, ~60 M over 30 days).
 * Partitioned by month of `sampled_at` in a hand-written migration (drizzle/0004_pcr_tests.sql), so old months
 * drop as whole partitions; this file is outside drizzle.config.ts's glob for that reason, like the audit log.
 *
 * Natural key: the lab (org unit of its API token) + `lab_sample_id`. A unique index of a partitioned table must
 * contain the partition column, so the database enforces (lab, sample, sampled_at); the ingest enforces the
 * natural key itself under a per-lab advisory lock (workforce.queries.ts `lockLabIngest`).
 * No personal data here beyond the link to the employee: the ID number stays on the roster row.
 */
export const pcrTests = pgTable(
  'pcr_tests',
  {
    id: uuid('id').notNull(),
    sampledAt: timestamp('sampled_at', { withTimezone: true }).notNull(),
    enterpriseId: uuid('enterprise_id').notNull(),
    regionCode: text('region_code').notNull(),
    employeeId: uuid('employee_id').notNull(),
    labOrgUnitId: uuid('lab_org_unit_id').notNull(),
    labSampleId: text('lab_sample_id').notNull(),
    tubeId: text('tube_id').notNull(),
    method: text('method', { enum: PCR_METHODS }).notNull(),
    result: text('result', { enum: PCR_RESULTS }).notNull(),
    retestOfLabSampleId: text('retest_of_lab_sample_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.id, t.sampledAt] })],
);
