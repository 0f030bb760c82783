import {
  ALERT_KINDS,
  ALERT_STATES,
  ARRIVAL_ACTIONS,
  ARRIVAL_PERSON_KINDS,
  ARRIVAL_STATES,
  CONTACT_STATUSES,
  DRUG_CATEGORIES,
  EMPLOYEE_STATUSES,
  HEALTH_CODES,
  ITINERARY_CODES,
  OPERATING_MODES,
  PCR_METHODS,
  PCR_RESULTS,
  RISK_LEVELS,
  ROLE_CATEGORIES,
  VACCINATION_STATUSES,
} from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { enterprises } from '../enterprises/enterprises.tables';

/**
 * Workforce tables (issue 5). Every row carries its enterprise and county (`region_code`): the row scope is
 * applied on them in SQL, and they are the distribution key should the schema spread over Citus later.
 * `pcr_tests` is month-partitioned and lives in a hand-written migration (workforce.pcr.schema.ts).
 */

/** Where a code status came from: entered by the enterprise, an import, or the provincial platform's feed. */
export const CODE_SOURCES = ['enterprise', 'import', 'provincial_platform'] as const;

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * An employee (or logistics staff member serving the enterprise) with 两码一证. Name, ID number and phone are
 * stored AES-GCM encrypted with a masked copy for lists; ID number and phone also as a keyed hash for exact
 * lookup (lab results are matched on `id_number_hash`). The compliance columns are maintained as tests arrive
 * and by the overdue sweep — never recomputed from the test history on a read.
 */
export const employees = pgTable(
  'employees',
  {
    id: uuid('id').primaryKey(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    regionCode: text('region_code').notNull(),
    /** Null once anonymised by retention (a person who left long ago). */
    nameEncrypted: text('name_encrypted'),
    nameMasked: text('name_masked').notNull(),
    idNumberEncrypted: text('id_number_encrypted'),
    idNumberHash: text('id_number_hash'),
    idNumberMasked: text('id_number_masked').notNull(),
    phoneEncrypted: text('phone_encrypted'),
    phoneHash: text('phone_hash'),
    phoneMasked: text('phone_masked').notNull(),
    roleCategory: text('role_category', { enum: ROLE_CATEGORIES }).notNull(),
    workUnit: text('work_unit'),
    shift: text('shift'),
    dorm: text('dorm'),
    status: text('status', { enum: EMPLOYEE_STATUSES }).notNull(),
    /** First day on site (Shanghai midnight) or when added: the due time of someone never tested. */
    startedAt: at('started_at').notNull(),
    leftAt: at('left_at'),
    healthCode: text('health_code', { enum: HEALTH_CODES }).notNull(),
    healthCodeAt: at('health_code_at').notNull(),
    healthCodeSource: text('health_code_source', { enum: CODE_SOURCES }).notNull(),
    itineraryCode: text('itinerary_code', { enum: ITINERARY_CODES }).notNull(),
    itineraryCodeAt: at('itinerary_code_at').notNull(),
    itineraryCodeSource: text('itinerary_code_source', { enum: CODE_SOURCES }).notNull(),
    vaccination: text('vaccination', { enum: VACCINATION_STATUSES }),
    /** Sample time of the latest negative PCR test (the 证 of 两码一证). */
    lastNegativeAt: at('last_negative_at'),
    lastTestAt: at('last_test_at'),
    lastResult: text('last_result', { enum: PCR_RESULTS }),
    nextDueAt: at('next_due_at').notNull(),
    /** Set by the overdue sweep (which raises the alert), cleared when a negative test arrives. */
    overdue: boolean('overdue').notNull().default(false),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // One active roster row per person in the province: a lab result must match one employee.
    uniqueIndex('employees_active_id_number_uq').on(t.idNumberHash).where(sql`status = 'active'`),
    index('employees_enterprise_idx').on(t.enterpriseId, t.id),
    index('employees_region_idx').on(sql`${t.regionCode} text_pattern_ops`),
    // The overdue sweep: active, not yet flagged, ordered by due time.
    index('employees_due_idx').on(t.nextDueAt).where(sql`status = 'active' and not overdue`),
  ],
);

/**
 * The enterprise's operating mode over time (平急转换: normal ↔ closed loop, 方案 一(三)2). The cadence maths
 * reads the whole history (workforce.cadence.ts `modeAt`); the operations module will switch it for a county.
 */
export const operatingModeChanges = pgTable(
  'operating_mode_changes',
  {
    id: uuid('id').primaryKey(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    regionCode: text('region_code').notNull(),
    mode: text('mode', { enum: OPERATING_MODES }).notNull(),
    at: at('at').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('operating_mode_changes_enterprise_idx').on(t.enterpriseId, t.at)],
);

/**
 * Lab results whose ID number is on no active roster: kept aside (never dropped) with the ID number
 * encrypted and hashed, and moved into `pcr_tests` when the person is added to a roster in the lab's region.
 * The lab and its region are the row's keys (no enterprise is known yet).
 */
export const pcrUnmatchedResults = pgTable(
  'pcr_unmatched_results',
  {
    id: uuid('id').primaryKey(),
    labOrgUnitId: uuid('lab_org_unit_id').notNull(),
    labRegionCode: text('lab_region_code').notNull(),
    labSampleId: text('lab_sample_id').notNull(),
    idNumberEncrypted: text('id_number_encrypted').notNull(),
    idNumberHash: text('id_number_hash').notNull(),
    sampledAt: at('sampled_at').notNull(),
    result: text('result', { enum: PCR_RESULTS }).notNull(),
    method: text('method', { enum: PCR_METHODS }).notNull(),
    tubeId: text('tube_id').notNull(),
    retestOfLabSampleId: text('retest_of_lab_sample_id'),
    receivedAt: at('received_at').notNull(),
    matchedAt: at('matched_at'),
    matchedEmployeeId: uuid('matched_employee_id'),
  },
  (t) => [
    uniqueIndex('pcr_unmatched_natural_uq').on(t.labOrgUnitId, t.labSampleId),
    index('pcr_unmatched_hash_idx').on(t.idNumberHash).where(sql`matched_at is null`),
    index('pcr_unmatched_region_idx').on(sql`${t.labRegionCode} text_pattern_ops`),
  ],
);

/** 电子哨 sentinel alerts: new → acknowledged → resolved / dismissed (reason), with a deadline. */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: ALERT_KINDS }).notNull(),
    state: text('state', { enum: ALERT_STATES }).notNull(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    regionCode: text('region_code').notNull(),
    employeeId: uuid('employee_id').references(() => employees.id),
    arrivalId: uuid('arrival_id'),
    raisedAt: at('raised_at').notNull(),
    deadline: at('deadline').notNull(),
    acknowledgedAt: at('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    closedAt: at('closed_at'),
    /** Who resolved or dismissed it; `system` when a negative test resolved it. */
    closedBy: text('closed_by'),
    dismissReason: text('dismiss_reason'),
    note: text('note'),
    /** Chinese, without personal data beyond the masked name. */
    summary: text('summary').notNull(),
  },
  (t) => [
    // At most one open alert of a kind per person: the sweep can run twice without doubling alerts.
    uniqueIndex('alerts_open_uq')
      .on(t.employeeId, t.kind)
      .where(sql`state in ('new', 'acknowledged') and employee_id is not null`),
    // Likewise at most one open alert of a kind per arrival (unregistered, test missed).
    uniqueIndex('alerts_open_arrival_uq')
      .on(t.arrivalId, t.kind)
      .where(sql`state in ('new', 'acknowledged') and arrival_id is not null`),
    index('alerts_region_idx').on(sql`${t.regionCode} text_pattern_ops`, t.state),
    index('alerts_enterprise_idx').on(t.enterpriseId, t.state),
  ],
);

/**
 * 零报告 / 日报告 per enterprise per business day (指南 二(六)). Filing again replaces the report (last wins,
 * `revision` counts, each filing audited). `late` when filed after the day's deadline.
 */
export const dailyReports = pgTable(
  'daily_reports',
  {
    id: uuid('id').primaryKey(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    regionCode: text('region_code').notNull(),
    reportDate: date('report_date', { mode: 'string' }).notNull(),
    kind: text('kind', { enum: ['zero', 'anomalies'] }).notNull(),
    headcountOnSite: integer('headcount_on_site').notNull(),
    /** `[{ employeeId, kind, note }]`: health data, purged by retention (the counts stay). */
    anomalies: jsonb('anomalies').$type<Array<{ employeeId: string; kind: string; note: string | null }>>(),
    anomalyCount: integer('anomaly_count').notNull(),
    filedAt: at('filed_at').notNull(),
    filedBy: text('filed_by').notNull(),
    deadlineAt: at('deadline_at').notNull(),
    late: boolean('late').notNull(),
    revision: integer('revision').notNull().default(1),
  },
  (t) => [
    uniqueIndex('daily_reports_enterprise_day_uq').on(t.enterpriseId, t.reportDate),
    index('daily_reports_region_day_idx').on(sql`${t.regionCode} text_pattern_ops`, t.reportDate),
  ],
);

/**
 * The risk-area table (中高风险地区, 静态管理区域) the epidemic-prevention office imports: a county, a city
 * (`410100`) or a province (`410000`) at a level, in force on business days `from <= day < to`. Reference data
 * for the whole province (no row scope). The natural key (code, level, from) makes a re-import update the
 * end date and source instead of adding a row: lifting an area is importing it again with its `to`.
 */
export const riskAreas = pgTable(
  'risk_areas',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull(),
    level: text('level', { enum: RISK_LEVELS }).notNull(),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    toDate: date('to_date', { mode: 'string' }),
    source: text('source').notNull(),
    importedAt: at('imported_at').notNull(),
    importedBy: text('imported_by').notNull(),
  },
  (t) => [uniqueIndex('risk_areas_natural_uq').on(t.code, t.level, t.fromDate)],
);

/**
 * An `arrival` (入豫报备, 指南 二(三)(四)): who arrived (encrypted, hashed, masked like the roster), from where,
 * whether pre-registered, and the code-assignment decision stored as it was made (action, deadline, Chinese
 * explanation) — a later change of the risk table or the parameters does not rewrite it.
 */
export const arrivals = pgTable(
  'arrivals',
  {
    id: uuid('id').primaryKey(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    regionCode: text('region_code').notNull(),
    personKind: text('person_kind', { enum: ARRIVAL_PERSON_KINDS }).notNull(),
    employeeId: uuid('employee_id').references(() => employees.id),
    nameEncrypted: text('name_encrypted'),
    nameMasked: text('name_masked').notNull(),
    idNumberEncrypted: text('id_number_encrypted'),
    idNumberHash: text('id_number_hash'),
    idNumberMasked: text('id_number_masked').notNull(),
    phoneEncrypted: text('phone_encrypted'),
    phoneMasked: text('phone_masked'),
    originCountyCode: text('origin_county_code').notNull(),
    preRegistered: boolean('pre_registered').notNull(),
    registrationCompletedAt: at('registration_completed_at'),
    registrationReference: text('registration_reference'),
    arrivedAt: at('arrived_at').notNull(),
    healthCode: text('health_code', { enum: HEALTH_CODES }).notNull(),
    itineraryCode: text('itinerary_code', { enum: ITINERARY_CODES }).notNull(),
    negativeTestSampledAt: at('negative_test_sampled_at'),
    contactStatus: text('contact_status', { enum: CONTACT_STATUSES }).notNull(),
    rule: text('rule', { enum: ['contact', 'protected', 'risk_area', 'two_codes', 'otherwise'] }).notNull(),
    action: text('action', { enum: ARRIVAL_ACTIONS }).notNull(),
    codeAssignment: text('code_assignment', { enum: ['assign_on_site', 'red', 'keep'] }).notNull(),
    codeProtected: boolean('code_protected').notNull(),
    riskLevel: text('risk_level', { enum: ['low', ...RISK_LEVELS] }).notNull(),
    dueAt: at('due_at').notNull(),
    quarantineEndsAt: at('quarantine_ends_at'),
    explain: text('explain').notNull(),
    state: text('state', { enum: ARRIVAL_STATES }).notNull(),
    testSampledAt: at('test_sampled_at'),
    createdAt: at('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    index('arrivals_enterprise_idx').on(t.enterpriseId, t.id),
    index('arrivals_region_idx').on(sql`${t.regionCode} text_pattern_ops`),
    // The tracking sweep: arrival tests still open.
    index('arrivals_test_open_idx').on(t.dueAt).where(sql`state in ('test_pending', 'test_missed')`),
  ],
);

/**
 * Pharmacy purchases of 四类药品 (指南 二(五)) from the epidemic office's feed. A row matched to an active
 * employee carries the enterprise, county and employee (and raised a `drug_purchase` alert); an unmatched
 * row has none of them and is deleted after a short retention (workforce.retention.ts). The ID number is
 * kept encrypted and hashed only; the natural key is the feed's org unit + its record id.
 */
export const drugPurchases = pgTable(
  'drug_purchases',
  {
    id: uuid('id').primaryKey(),
    feedOrgUnitId: uuid('feed_org_unit_id').notNull(),
    recordId: text('record_id').notNull(),
    idNumberEncrypted: text('id_number_encrypted').notNull(),
    idNumberHash: text('id_number_hash').notNull(),
    purchasedAt: at('purchased_at').notNull(),
    category: text('category', { enum: DRUG_CATEGORIES }).notNull(),
    pharmacy: text('pharmacy').notNull(),
    receivedAt: at('received_at').notNull(),
    employeeId: uuid('employee_id').references(() => employees.id),
    enterpriseId: uuid('enterprise_id').references(() => enterprises.id),
    regionCode: text('region_code'),
  },
  (t) => [
    uniqueIndex('drug_purchases_natural_uq').on(t.feedOrgUnitId, t.recordId),
    index('drug_purchases_unmatched_idx').on(t.receivedAt).where(sql`employee_id is null`),
    // Kept-aside purchases are looked up by ID-number hash whenever people join a roster.
    index('drug_purchases_unmatched_hash_idx').on(t.idNumberHash).where(sql`employee_id is null`),
    index('drug_purchases_employee_idx').on(t.employeeId),
  ],
);
