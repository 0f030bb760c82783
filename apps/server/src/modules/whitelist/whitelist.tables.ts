import { SECTORS } from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
// Foreign keys only: the table object, not the module's API (which would make the two modules import each other).
import { enterprises } from '../enterprises/enterprises.tables';

const SERVICE_TIERS = ['province', 'city', 'county'] as const;

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

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

/**
 * 遴选标准 and 管理办法 of one sector, versioned: a draft is edited, then published (its rule validates and
 * its tests pass); publishing retires the version published before. The published version is public.
 */
export const whitelistCriteria = pgTable(
  'whitelist_criteria',
  {
    id: uuid('id').primaryKey(),
    sector: text('sector', { enum: SECTORS }).notNull(),
    version: integer('version').notNull(),
    status: text('status', { enum: ['draft', 'published', 'retired'] }).notNull(),
    title: text('title').notNull(),
    rule: jsonb('rule').notNull(),
    tests: jsonb('tests').notNull(),
    tierTable: jsonb('tier_table').notNull(),
    managementText: text('management_text').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: text('published_by'),
  },
  (t) => [
    uniqueIndex('whitelist_criteria_version_uq').on(t.sector, t.version),
    uniqueIndex('whitelist_criteria_published_uq').on(t.sector).where(sql`status = 'published'`),
  ],
);

/** An enterprise's application for one sector's whitelist, with the criteria result at submission. */
export const whitelistApplications = pgTable(
  'whitelist_applications',
  {
    id: uuid('id').primaryKey(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    sector: text('sector', { enum: SECTORS }).notNull(),
    /** The enterprise's county, copied for the row scope (distribution key). */
    regionCode: text('region_code').notNull(),
    status: text('status', { enum: ['submitted', 'returned', 'approved', 'rejected'] }).notNull(),
    criteriaId: uuid('criteria_id')
      .notNull()
      .references(() => whitelistCriteria.id),
    answers: jsonb('answers').notNull(),
    /**
     * Attachment metadata the client declared at submission (name, type, size, hash). The files themselves
     * are uploaded afterwards and stored in `whitelist_application_files`.
     */
    attachments: jsonb('attachments').notNull(),
    /** CriteriaResult: status, per-criterion reasons, explanation, suggested tier. */
    result: jsonb('result').notNull(),
    criteriaStatus: text('criteria_status', { enum: ['eligible', 'ineligible', 'undetermined'] }).notNull(),
    reviewTier: text('review_tier', { enum: SERVICE_TIERS }).notNull(),
    cityOperations: boolean('city_operations').notNull(),
    linkedToListed: boolean('linked_to_listed').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    /** Review deadline; moved on by the time spent returned to the enterprise (the clock pauses). */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
    entryId: uuid('entry_id'),
  },
  (t) => [
    index('whitelist_applications_region_idx').on(sql`${t.regionCode} text_pattern_ops`),
    index('whitelist_applications_enterprise_idx').on(t.enterpriseId, t.sector),
    index('whitelist_applications_queue_idx').on(t.status, t.sector, t.dueAt),
    uniqueIndex('whitelist_applications_open_uq')
      .on(t.enterpriseId, t.sector)
      .where(sql`status in ('submitted', 'returned')`),
  ],
);

/**
 * The materials of an application (承诺书, 闭环方案 …), stored in the database: the type is sniffed from
 * the content, never taken from the client. Added and deleted while the application is open (submitted or
 * returned); once decided they are part of the record. Documents of the enterprise, not personal data:
 * retention does not purge them.
 */
export const whitelistApplicationFiles = pgTable(
  'whitelist_application_files',
  {
    id: uuid('id').primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => whitelistApplications.id),
    filename: text('filename').notNull(),
    mediaType: text('media_type').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('whitelist_application_files_application_idx').on(t.applicationId, t.createdAt)],
);

export const whitelistBatches = pgTable(
  'whitelist_batches',
  {
    id: uuid('id').primaryKey(),
    sector: text('sector', { enum: SECTORS }).notNull(),
    /** The publishing department's region: numbering is per sector and region. */
    regionCode: text('region_code').notNull(),
    number: integer('number').notNull(),
    label: text('label').notNull(),
    title: text('title'),
    entryCount: integer('entry_count').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    publishedBy: text('published_by').notNull(),
  },
  (t) => [
    uniqueIndex('whitelist_batches_number_uq').on(t.sector, t.regionCode, t.number),
    index('whitelist_batches_region_idx').on(sql`${t.regionCode} text_pattern_ops`),
  ],
);

/** 白名单条目: one enterprise on one sector's whitelist. Removed entries stay (with the date) for the public. */
export const whitelistEntries = pgTable(
  'whitelist_entries',
  {
    id: uuid('id').primaryKey(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    sector: text('sector', { enum: SECTORS }).notNull(),
    regionCode: text('region_code').notNull(),
    applicationId: uuid('application_id'),
    status: text('status', { enum: ['active', 'suspended', 'removed'] }).notNull(),
    serviceTier: text('service_tier', { enum: SERVICE_TIERS }).notNull(),
    since: timestamp('since', { withTimezone: true }).notNull(),
    reason: text('reason'),
    removalKind: text('removal_kind', { enum: ['circuit_breaker'] }),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    /** The batch that first published it; null until a batch is published. */
    batchId: uuid('batch_id').references(() => whitelistBatches.id),
  },
  (t) => [
    index('whitelist_entries_region_idx').on(sql`${t.regionCode} text_pattern_ops`),
    index('whitelist_entries_sector_idx').on(t.sector, t.status),
    index('whitelist_entries_batch_idx').on(t.batchId),
    uniqueIndex('whitelist_entries_current_uq').on(t.enterpriseId, t.sector).where(sql`status <> 'removed'`),
  ],
);

/** Every change of an entry: the history table (the audit log has the same, chained). */
export const whitelistEntryEvents = pgTable(
  'whitelist_entry_events',
  {
    id: uuid('id').primaryKey(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => whitelistEntries.id),
    action: text('action', {
      enum: ['admitted', 'suspended', 'reinstated', 'removed', 'tier_changed'],
    }).notNull(),
    fromStatus: text('from_status', { enum: ['active', 'suspended', 'removed'] }),
    toStatus: text('to_status', { enum: ['active', 'suspended', 'removed'] }).notNull(),
    reason: text('reason'),
    kind: text('kind', { enum: ['circuit_breaker'] }),
    evidence: jsonb('evidence'),
    /** Tier changes only: the service tier before and after. */
    fromTier: text('from_tier', { enum: SERVICE_TIERS }),
    toTier: text('to_tier', { enum: SERVICE_TIERS }),
    actorName: text('actor_name'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('whitelist_entry_events_entry_idx').on(t.entryId, t.at)],
);

/** 抽查 (方案 四(三)): what was checked, found and decided, and the rectification deadline. */
export const whitelistSpotChecks = pgTable(
  'whitelist_spot_checks',
  {
    id: uuid('id').primaryKey(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => whitelistEntries.id),
    enterpriseId: uuid('enterprise_id').notNull(),
    sector: text('sector', { enum: SECTORS }).notNull(),
    regionCode: text('region_code').notNull(),
    checkedOn: date('checked_on').notNull(),
    items: jsonb('items').notNull(),
    findings: text('findings').notNull(),
    result: text('result', { enum: ['passed', 'failed'] }).notNull(),
    rectificationDue: date('rectification_due'),
    rectifiedAt: timestamp('rectified_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('whitelist_spot_checks_region_idx').on(sql`${t.regionCode} text_pattern_ops`),
    index('whitelist_spot_checks_entry_idx').on(t.entryId),
  ],
);
