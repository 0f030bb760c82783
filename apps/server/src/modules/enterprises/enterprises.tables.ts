import { SECTORS } from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
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

/** 链式保障: an upstream (supplier) or downstream (customer) enterprise of `enterprise_id`. */
export const enterpriseLinks = pgTable(
  'enterprise_links',
  {
    id: uuid('id').primaryKey(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    linkedEnterpriseId: uuid('linked_enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    direction: text('direction', { enum: ['upstream', 'downstream'] }).notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('enterprise_links_uq').on(t.enterpriseId, t.linkedEnterpriseId, t.direction),
    index('enterprise_links_linked_idx').on(t.linkedEnterpriseId),
  ],
);

/** 包保干部: the cadre responsible for an enterprise (方案 九(二)); the phone is encrypted, with a keyed hash. */
export const enterpriseLiaisons = pgTable('enterprise_liaisons', {
  enterpriseId: uuid('enterprise_id')
    .primaryKey()
    .references(() => enterprises.id),
  name: text('name').notNull(),
  phoneEncrypted: text('phone_encrypted').notNull(),
  phoneHash: text('phone_hash').notNull(),
  orgUnitName: text('org_unit_name'),
  assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Activation codes a county issues so an enterprise claims its account; only the SHA-256 is kept. */
export const activationCodes = pgTable(
  'enterprise_activation_codes',
  {
    id: uuid('id').primaryKey(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    codeHash: text('code_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('enterprise_activation_codes_enterprise_idx').on(t.enterpriseId)],
);

/** An enterprise that registered itself and waits for its county to confirm it (then it is created). */
export const enterpriseRegistrations = pgTable(
  'enterprise_registrations',
  {
    id: uuid('id').primaryKey(),
    status: text('status', { enum: ['pending', 'confirmed', 'rejected'] }).notNull(),
    uscc: text('uscc').notNull(),
    regionCode: text('region_code').notNull(),
    /** The enterprise as registered (CreateEnterpriseBody). */
    enterprise: jsonb('enterprise').notNull(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
    reason: text('reason'),
    enterpriseId: uuid('enterprise_id'),
  },
  (t) => [
    index('enterprise_registrations_region_idx').on(sql`${t.regionCode} text_pattern_ops`),
    uniqueIndex('enterprise_registrations_pending_uq').on(t.uscc).where(sql`status = 'pending'`),
  ],
);
