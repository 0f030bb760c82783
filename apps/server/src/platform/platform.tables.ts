import {
  bigint,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/** Head of the audit hash chain, so appending does not scan the log. */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

/** Progress of long work (imports, exports, matching) that the web shows as a progress bar. */
export const jobProgress = pgTable(
  'job_progress',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] }).notNull(),
    total: integer('total'),
    done: integer('done').notNull().default(0),
    message: text('message'),
    result: jsonb('result'),
    ownerUserId: uuid('owner_user_id'),
    orgUnitId: uuid('org_unit_id'),
    regionCode: text('region_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_progress_owner_idx').on(t.ownerUserId)],
);

/**
 * Idempotency keys of ingest and import requests: a resent request with the same key answers the first
 * answer and writes nothing; the same key with a different body is a conflict.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    response: jsonb('response').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/**
 * Uploaded files waiting for a background import. Short-lived: deleted when the import finishes and purged
 * after a day in any case (they may hold personal data).
 */
export const uploads = pgTable('uploads', {
  id: uuid('id').primaryKey(),
  kind: text('kind').notNull(),
  filename: text('filename').notNull(),
  sha256: text('sha256').notNull(),
  content: bytea('content').notNull(),
  ownerUserId: uuid('owner_user_id'),
  orgUnitId: uuid('org_unit_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
