import type { AlertKind, AlertState, OperatingMode, RoleCategory } from '@sibao/contracts';
import { and, asc, desc, eq, gt, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { type Actor, enterpriseCondition } from '../../platform/access';
import { type Db, insertRecordSet, rows } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { enterprises } from '../enterprises';
import { whitelistEntries } from '../whitelist';
import type { ModeChange } from './workforce.cadence';
import { columnArray } from './workforce.ingest.sql';
import {
  alerts,
  dailyReports,
  employees,
  operatingModeChanges,
  pcrUnmatchedResults,
} from './workforce.tables';

/**
 * All SQL of the workforce tables. Row scope is a SQL condition (enterprise user: its enterprise; officials:
 * region subtree and, for departments, the enterprise's sectors), so lists, counts and "not yours" (404) agree.
 */

/**
 * A UUIDv7 computed by the database (PostgreSQL 15 has no `uuidv7()`): the millisecond clock in the first
 * 48 bits of a random v4, version nibble set to 7 — the same layout as `newId()`, for set-based inserts.
 */
export const NEW_ID_SQL = sql.raw(
  `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid`,
);

/** Scope over a table with `enterprise_id` and `region_code`, joined to `enterprises` for the sectors. */
function scopeOf(actor: Actor, t: { enterpriseId: AnyPgColumn; regionCode: AnyPgColumn }) {
  return enterpriseCondition(actor, {
    enterpriseId: t.enterpriseId,
    regionCode: t.regionCode,
    sectors: enterprises.sectors,
  });
}

export const employeeScope = (actor: Actor) =>
  scopeOf(actor, { enterpriseId: employees.enterpriseId, regionCode: employees.regionCode });

// ---------------------------------------------------------------------------------------------------------
// Roster

export interface EmployeeFilter {
  enterpriseId?: string | undefined;
  status?: 'active' | 'left' | undefined;
  /** Only people whose next test is past due at `now` (flagged by the sweep or not yet). */
  overdueAt?: Date | undefined;
  /**
   * Only active people not overdue (not flagged, next test due at or after `from`) whose next test falls due
   * before `until` — "due soon" (`workforce.dueSoonHours`); the page is then in due order, soonest first.
   */
  dueSoon?: { from: Date; until: Date } | undefined;
  workUnit?: string | undefined;
}

function employeeConditions(actor: Actor, filter: EmployeeFilter): SQL[] {
  const c: SQL[] = [employeeScope(actor)];
  if (filter.enterpriseId) c.push(eq(employees.enterpriseId, filter.enterpriseId));
  if (filter.status) c.push(eq(employees.status, filter.status));
  if (filter.overdueAt) c.push(lt(employees.nextDueAt, filter.overdueAt));
  if (filter.dueSoon) {
    c.push(
      eq(employees.status, 'active'),
      eq(employees.overdue, false),
      sql`${employees.nextDueAt} >= ${filter.dueSoon.from.toISOString()}::timestamptz`,
      lt(employees.nextDueAt, filter.dueSoon.until),
    );
  }
  if (filter.workUnit) c.push(eq(employees.workUnit, filter.workUnit));
  return c;
}

/**
 * One page of the roster the actor may see (id order after `cursor`; with `dueSoon`, due order after the
 * cursor row's (next_due_at, id)), and the scoped total.
 */
export async function findEmployees(
  db: Db,
  actor: Actor,
  filter: EmployeeFilter & { limit: number; cursor?: string | undefined },
) {
  const conditions = employeeConditions(actor, filter);
  const byDue = filter.dueSoon !== undefined;
  const after = !filter.cursor
    ? undefined
    : byDue
      ? sql`(${employees.nextDueAt}, ${employees.id}) > (select c.next_due_at, c.id from employees c where c.id = ${filter.cursor}::uuid)`
      : gt(employees.id, filter.cursor);
  const page = await db
    .select({ employee: employees, enterpriseName: enterprises.name })
    .from(employees)
    .innerJoin(enterprises, eq(enterprises.id, employees.enterpriseId))
    .where(and(...conditions, after))
    .orderBy(...(byDue ? [asc(employees.nextDueAt), asc(employees.id)] : [asc(employees.id)]))
    .limit(filter.limit + 1);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(employees)
    .innerJoin(enterprises, eq(enterprises.id, employees.enterpriseId))
    .where(and(...conditions));
  const hasMore = page.length > filter.limit;
  const items = (hasMore ? page.slice(0, filter.limit) : page).map((r) => ({
    ...r.employee,
    enterpriseName: r.enterpriseName,
  }));
  return { items, total: count?.n ?? 0, nextCursor: hasMore ? items[items.length - 1]!.id : null };
}

/** An employee the actor may see; anyone else's answers NOT_FOUND like a missing one. */
export async function getEmployee(db: Db, actor: Actor, id: string, lock = false) {
  const q = db
    .select({ employee: employees })
    .from(employees)
    .innerJoin(enterprises, eq(enterprises.id, employees.enterpriseId))
    .where(and(eq(employees.id, id), employeeScope(actor)));
  const [row] = lock ? await q.for('update', { of: employees }) : await q;
  if (!row) throw new AppError('EMPLOYEE_NOT_FOUND');
  return row.employee;
}

/** The encrypted ID number or phone of an employee the actor may see (the audited reveal path). */
export function findEmployeeEncrypted(field: 'idNumberEncrypted' | 'phoneEncrypted') {
  return async (db: Db, actor: Actor, id: string): Promise<string | null> => {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const [row] = await db
      .select({ value: employees[field] })
      .from(employees)
      .innerJoin(enterprises, eq(enterprises.id, employees.enterpriseId))
      .where(and(eq(employees.id, id), employeeScope(actor)));
    return row?.value ?? null;
  };
}

/** Active roster rows holding any of these ID-number hashes, anywhere in the province: hash → enterprise. */
export async function findActiveIdHashes(db: Db, hashes: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < hashes.length; i += 5000) {
    const chunk = await db
      .select({ hash: employees.idNumberHash, enterpriseId: employees.enterpriseId })
      .from(employees)
      // One array parameter instead of thousands of placeholders: planning a 5,000-item IN list cost ~100 ms.
      .where(
        and(
          sql`${employees.idNumberHash} = any(${sql.param(hashes.slice(i, i + 5000))}::text[])`,
          eq(employees.status, 'active'),
        ),
      );
    for (const r of chunk) if (r.hash) found.set(r.hash, r.enterpriseId);
  }
  return found;
}

/** Inserts roster rows in bulk (one jsonb parameter per 5,000 rows; see `insertRecordSet`). */
export async function insertEmployees(db: Db, values: Array<typeof employees.$inferInsert>) {
  await insertRecordSet(db, employees, values);
}

export async function updateEmployeeRow(db: Db, id: string, set: Partial<typeof employees.$inferInsert>) {
  await db.update(employees).set(set).where(eq(employees.id, id));
}

/** What the cadence maths needs of active employees, by enterprise (mode switches recompute them). */
export async function findCadencePeopleOfEnterprise(db: Db, enterpriseId: string) {
  return db
    .select({
      id: employees.id,
      roleCategory: employees.roleCategory,
      startedAt: employees.startedAt,
      lastNegativeAt: employees.lastNegativeAt,
    })
    .from(employees)
    .where(and(eq(employees.enterpriseId, enterpriseId), eq(employees.status, 'active')));
}

/** Sets next due times (and the overdue flag as of `now`) for many employees in one statement. */
export async function setDueTimes(db: Db, due: Array<{ id: string; nextDueAt: Date }>, now: Date) {
  if (due.length === 0) return;
  const json = JSON.stringify(due.map((d) => ({ id: d.id, due: d.nextDueAt.toISOString() })));
  await db.execute(sql`
    update employees e
    set next_due_at = u.due, overdue = (e.overdue and u.due < ${now.toISOString()}::timestamptz),
        updated_at = ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${json}::jsonb) as u(id uuid, due timestamptz)
    where e.id = u.id`);
}

// ---------------------------------------------------------------------------------------------------------
// Operating modes

/** Every mode change of these enterprises, oldest first, grouped by enterprise. */
export async function findModeChanges(db: Db, enterpriseIds: string[]): Promise<Map<string, ModeChange[]>> {
  const out = new Map<string, ModeChange[]>();
  if (enterpriseIds.length === 0) return out;
  const found = await db
    .select()
    .from(operatingModeChanges)
    .where(inArray(operatingModeChanges.enterpriseId, enterpriseIds))
    .orderBy(asc(operatingModeChanges.at));
  for (const r of found) {
    const list = out.get(r.enterpriseId) ?? [];
    list.push({ at: r.at, mode: r.mode as OperatingMode });
    out.set(r.enterpriseId, list);
  }
  return out;
}

export async function insertModeChange(db: Db, row: typeof operatingModeChanges.$inferInsert) {
  await db.insert(operatingModeChanges).values(row);
}

// ---------------------------------------------------------------------------------------------------------
// Test ingest

/**
 * Serialises one lab's batches (a transaction-scoped advisory lock): the natural key (lab, sample) spans the
 * month partitions, where the database can only enforce (lab, sample, sampled_at) — see workforce.pcr.schema.ts.
 */
export async function lockLabIngest(db: Db, labOrgUnitId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`workforce.ingest:${labOrgUnitId}`}))`);
}

/** Which of these sample ids the lab has already sent (matched or kept aside): one statement, any size. */
export async function findExistingSampleIds(db: Db, labOrgUnitId: string, sampleIds: string[]) {
  if (sampleIds.length === 0) return new Set<string>();
  const ids = columnArray(sampleIds);
  const found = await rows<{ s: string }>(
    db,
    sql`
    select lab_sample_id as s from pcr_tests
    where lab_org_unit_id = ${labOrgUnitId}::uuid and lab_sample_id = any(${ids})
    union all
    select lab_sample_id from pcr_unmatched_results
    where lab_org_unit_id = ${labOrgUnitId}::uuid and lab_sample_id = any(${ids})`,
  );
  return new Set(found.map((r) => r.s));
}

export interface CadenceEmployee {
  id: string;
  enterpriseId: string;
  regionCode: string;
  idNumberHash: string;
  roleCategory: RoleCategory;
  startedAt: Date;
  lastNegativeAt: Date | null;
}

/**
 * Active employees holding these ID-number hashes (at most one each: a unique index), for matching. One
 * statement with the hashes as one text parameter; instants come back as epoch milliseconds (no date parsing
 * of 10 k rows in the driver).
 */
export async function findActiveEmployeesByHash(
  db: Db,
  hashes: string[],
): Promise<Map<string, CadenceEmployee>> {
  const out = new Map<string, CadenceEmployee>();
  if (hashes.length === 0) return out;
  const found = await rows<{
    id: string;
    enterprise_id: string;
    region_code: string;
    id_number_hash: string;
    role_category: RoleCategory;
    started_ms: number | string;
    negative_ms: number | string | null;
  }>(
    db,
    sql`
    select id, enterprise_id, region_code, id_number_hash, role_category,
      floor(extract(epoch from started_at) * 1000)::float8 as started_ms,
      floor(extract(epoch from last_negative_at) * 1000)::float8 as negative_ms
    from employees
    where id_number_hash = any(${columnArray(hashes)}) and status = 'active'`,
  );
  for (const r of found)
    out.set(r.id_number_hash, {
      id: r.id,
      enterpriseId: r.enterprise_id,
      regionCode: r.region_code,
      idNumberHash: r.id_number_hash,
      roleCategory: r.role_category,
      startedAt: new Date(Number(r.started_ms)),
      lastNegativeAt: r.negative_ms === null ? null : new Date(Number(r.negative_ms)),
    });
  return out;
}

export interface PcrTestInsert {
  id: string;
  sampledAt: string;
  enterpriseId: string;
  regionCode: string;
  employeeId: string;
  labOrgUnitId: string;
  labSampleId: string;
  tubeId: string;
  method: string;
  result: string;
  retestOfLabSampleId: string | null;
  receivedAt: string;
}

/** `pcr_tests` rows as columns (see `insertPcrTestColumns`); instants as ISO strings. */
export interface PcrTestColumns {
  id: string[];
  sampledAt: string[];
  enterpriseId: string[];
  regionCode: string[];
  employeeId: string[];
  labOrgUnitId: string[];
  labSampleId: string[];
  tubeId: string[];
  method: string[];
  result: string[];
  retestOfLabSampleId: Array<string | null>;
  receivedAt: string[];
}

/**
 * Inserts matched results in one statement per 20,000 rows, each column one text parameter split by
 * `string_to_array` (workforce.ingest.sql.ts) — cheaper for the server than a JSON record set and free of
 * per-row placeholders.
 */
export async function insertPcrTestColumns(db: Db, c: PcrTestColumns) {
  const step = 20_000;
  for (let i = 0; i < c.id.length; i += step) {
    const cut = <T>(a: T[]) => (c.id.length <= step ? a : a.slice(i, i + step));
    await db.execute(sql`
      insert into pcr_tests (id, sampled_at, enterprise_id, region_code, employee_id, lab_org_unit_id,
        lab_sample_id, tube_id, method, result, retest_of_lab_sample_id, received_at)
      select r.id::uuid, r.sampled_at::timestamptz, r.enterprise_id::uuid, r.region_code, r.employee_id::uuid,
        r.lab_org_unit_id::uuid, r.lab_sample_id, r.tube_id, r.method, r.result, r.retest, r.received_at::timestamptz
      from unnest(${columnArray(cut(c.id))}, ${columnArray(cut(c.sampledAt))}, ${columnArray(cut(c.enterpriseId))},
        ${columnArray(cut(c.regionCode))}, ${columnArray(cut(c.employeeId))}, ${columnArray(cut(c.labOrgUnitId))},
        ${columnArray(cut(c.labSampleId))}, ${columnArray(cut(c.tubeId))}, ${columnArray(cut(c.method))},
        ${columnArray(cut(c.result))}, ${columnArray(cut(c.retestOfLabSampleId))}, ${columnArray(cut(c.receivedAt))})
        as r(id, sampled_at, enterprise_id, region_code, employee_id, lab_org_unit_id, lab_sample_id, tube_id,
          method, result, retest, received_at)`);
  }
}

/** Inserts matched results given as rows (see `insertPcrTestColumns`). */
export async function insertPcrTests(db: Db, values: PcrTestInsert[]) {
  if (values.length === 0) return;
  await insertPcrTestColumns(db, {
    id: values.map((v) => v.id),
    sampledAt: values.map((v) => v.sampledAt),
    enterpriseId: values.map((v) => v.enterpriseId),
    regionCode: values.map((v) => v.regionCode),
    employeeId: values.map((v) => v.employeeId),
    labOrgUnitId: values.map((v) => v.labOrgUnitId),
    labSampleId: values.map((v) => v.labSampleId),
    tubeId: values.map((v) => v.tubeId),
    method: values.map((v) => v.method),
    result: values.map((v) => v.result),
    retestOfLabSampleId: values.map((v) => v.retestOfLabSampleId),
    receivedAt: values.map((v) => v.receivedAt),
  });
}

export async function insertUnmatchedResults(db: Db, values: Array<typeof pcrUnmatchedResults.$inferInsert>) {
  for (let i = 0; i < values.length; i += 1000)
    await db.insert(pcrUnmatchedResults).values(values.slice(i, i + 1000));
}

export interface ComplianceUpdate {
  id: string;
  /** Latest negative sample of this batch, if any. */
  lastNegativeAt: Date | null;
  /** The due time if `lastNegativeAt` becomes the employee's latest negative. */
  nextDueAt: Date | null;
  lastTestAt: Date;
  lastResult: string;
}

/**
 * Applies a batch's effect on compliance in ONE statement: a newer negative moves the last negative and the
 * next due time, and clears the overdue flag when the new due time is ahead (it never sets it: flagging is the
 * sweep's, which raises the alert with it); an older one changes nothing (results may arrive out of order, and a
 * concurrent batch may have committed a newer one — the WHERE re-reads the row). Returns the ids whose
 * overdue flag was cleared, so their open `overdue_test` alerts can be resolved.
 */
export async function applyCompliance(db: Db, updates: ComplianceUpdate[], now: Date): Promise<string[]> {
  if (updates.length === 0) return [];
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const at = now.toISOString();
  const cleared = await rows<{ id: string }>(
    db,
    sql`
    with u as (
      select u.id::uuid as id, u.neg::timestamptz as neg, u.due::timestamptz as due, u.test::timestamptz as test,
        u.result
      from unnest(${columnArray(updates.map((u) => u.id))}, ${columnArray(updates.map((u) => iso(u.lastNegativeAt)))},
        ${columnArray(updates.map((u) => iso(u.nextDueAt)))}, ${columnArray(updates.map((u) => u.lastTestAt.toISOString()))},
        ${columnArray(updates.map((u) => u.lastResult))}) as u(id, neg, due, test, result)
    ), changed as (
      update employees e set
        last_negative_at = case when u.neg > coalesce(e.last_negative_at, '-infinity') then u.neg else e.last_negative_at end,
        next_due_at = case when u.neg > coalesce(e.last_negative_at, '-infinity') then u.due else e.next_due_at end,
        overdue = case when u.neg > coalesce(e.last_negative_at, '-infinity') then e.overdue and u.due < ${at}::timestamptz else e.overdue end,
        last_result = case when u.test >= coalesce(e.last_test_at, '-infinity') then u.result else e.last_result end,
        last_test_at = greatest(e.last_test_at, u.test),
        updated_at = ${at}::timestamptz
      from u
      where e.id = u.id
      returning e.id, e.overdue
    )
    select c.id from changed c
    where not c.overdue and exists (
      select 1 from alerts a where a.employee_id = c.id and a.kind = 'overdue_test' and a.state in ('new', 'acknowledged'))`,
  );
  return cleared.map((r) => r.id);
}

/** Resolves the open `overdue_test` alerts of these employees (their negative test arrived). */
export async function resolveOverdueAlerts(db: Db, employeeIds: string[], now: Date): Promise<number> {
  if (employeeIds.length === 0) return 0;
  const done = await db
    .update(alerts)
    .set({
      state: 'resolved',
      closedAt: now,
      closedBy: 'system',
      note: '已收到阴性核酸结果 negative result received',
    })
    .where(
      and(
        inArray(alerts.employeeId, employeeIds),
        eq(alerts.kind, 'overdue_test'),
        inArray(alerts.state, ['new', 'acknowledged']),
      ),
    )
    .returning({ id: alerts.id });
  return done.length;
}

/** Raises a `positive_result` alert per employee (one open alert each), in one statement. */
export async function raisePositiveAlerts(
  db: Db,
  positives: Array<{ employeeId: string; enterpriseId: string; regionCode: string }>,
  now: Date,
  deadline: Date,
): Promise<number> {
  if (positives.length === 0) return 0;
  const json = JSON.stringify(positives);
  const raised = await rows<{ id: string }>(
    db,
    sql`
    insert into alerts (id, kind, state, enterprise_id, region_code, employee_id, raised_at, deadline, summary)
    select ${NEW_ID_SQL}, 'positive_result', 'new', p."enterpriseId", p."regionCode", p."employeeId",
      ${now.toISOString()}::timestamptz, ${deadline.toISOString()}::timestamptz,
      '员工 ' || e.name_masked || ' 核酸检测结果阳性,请立即按应急处置预案处置'
    from jsonb_to_recordset(${json}::jsonb) as p("employeeId" uuid, "enterpriseId" uuid, "regionCode" text)
    join employees e on e.id = p."employeeId"
    on conflict do nothing
    returning id`,
  );
  return raised.length;
}

// ---------------------------------------------------------------------------------------------------------
// Overdue sweep and alerts

/**
 * Flags every active employee whose next test is past due at `now` and not yet flagged, and raises one
 * `overdue_test` alert for each — one statement, whatever the size. Running it twice raises nothing twice
 * (the flag and the open-alert unique index). Returns how many were flagged and how many alerts raised.
 */
export async function flagOverdueAndRaiseAlerts(db: Db, now: Date, deadline: Date) {
  const [r] = await rows<{ flagged: number; raised: number }>(
    db,
    sql`
    with newly as (
      update employees set overdue = true, updated_at = ${now.toISOString()}::timestamptz
      where status = 'active' and not overdue and next_due_at < ${now.toISOString()}::timestamptz
      returning id, enterprise_id, region_code, next_due_at, name_masked
    ), raised as (
      insert into alerts (id, kind, state, enterprise_id, region_code, employee_id, raised_at, deadline, summary)
      select ${NEW_ID_SQL}, 'overdue_test', 'new', enterprise_id, region_code, id,
        ${now.toISOString()}::timestamptz, ${deadline.toISOString()}::timestamptz,
        '员工 ' || name_masked || ' 核酸检测已超期(应于 '
          || to_char(next_due_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' 前检测)'
      from newly
      on conflict do nothing
      returning id
    )
    select (select count(*) from newly)::int as flagged, (select count(*) from raised)::int as raised`,
  );
  return { flagged: r?.flagged ?? 0, raised: r?.raised ?? 0 };
}

export const alertScope = (actor: Actor) =>
  scopeOf(actor, { enterpriseId: alerts.enterpriseId, regionCode: alerts.regionCode });

export interface AlertFilter {
  state?: AlertState | undefined;
  kind?: AlertKind | undefined;
  enterpriseId?: string | undefined;
  open?: boolean | undefined;
}

export async function findAlerts(
  db: Db,
  actor: Actor,
  filter: AlertFilter & { limit: number; cursor?: string | undefined },
) {
  const conditions: SQL[] = [alertScope(actor)];
  if (filter.state) conditions.push(eq(alerts.state, filter.state));
  if (filter.kind) conditions.push(eq(alerts.kind, filter.kind));
  if (filter.enterpriseId) conditions.push(eq(alerts.enterpriseId, filter.enterpriseId));
  if (filter.open) conditions.push(inArray(alerts.state, ['new', 'acknowledged']));
  const page = await db
    .select({ alert: alerts })
    .from(alerts)
    .innerJoin(enterprises, eq(enterprises.id, alerts.enterpriseId))
    .where(and(...conditions, filter.cursor ? lt(alerts.id, filter.cursor) : undefined))
    .orderBy(desc(alerts.id))
    .limit(filter.limit + 1);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(alerts)
    .innerJoin(enterprises, eq(enterprises.id, alerts.enterpriseId))
    .where(and(...conditions));
  const hasMore = page.length > filter.limit;
  const items = (hasMore ? page.slice(0, filter.limit) : page).map((r) => r.alert);
  return { items, total: count?.n ?? 0, nextCursor: hasMore ? items[items.length - 1]!.id : null };
}

export async function getAlertForUpdate(db: Db, actor: Actor, id: string) {
  const [row] = await db
    .select({ alert: alerts })
    .from(alerts)
    .innerJoin(enterprises, eq(enterprises.id, alerts.enterpriseId))
    .where(and(eq(alerts.id, id), alertScope(actor)))
    .for('update', { of: alerts });
  if (!row) throw new AppError('ALERT_NOT_FOUND');
  return row.alert;
}

export async function updateAlertRow(db: Db, id: string, set: Partial<typeof alerts.$inferInsert>) {
  const [row] = await db.update(alerts).set(set).where(eq(alerts.id, id)).returning();
  return row!;
}

/**
 * Alerts per region (county codes, or city codes `4101` + `00`) and kind in the actor's scope: open ones and
 * all. `prefixLength` 4 groups by city, 6 by county.
 */
export async function countAlertsByRegion(db: Db, actor: Actor, prefixLength: 4 | 6) {
  // A literal, not a parameter: the same expression must appear in SELECT and GROUP BY.
  const region = sql<string>`rpad(left(${alerts.regionCode}, ${sql.raw(String(prefixLength === 4 ? 4 : 6))}), 6, '0')`;
  return db
    .select({
      regionCode: region,
      kind: alerts.kind,
      open: sql<number>`(count(*) filter (where ${alerts.state} in ('new', 'acknowledged')))::int`.mapWith(
        Number,
      ),
      total: sql<number>`count(*)::int`.mapWith(Number),
    })
    .from(alerts)
    .innerJoin(enterprises, eq(enterprises.id, alerts.enterpriseId))
    .where(alertScope(actor))
    .groupBy(region, alerts.kind)
    .orderBy(region, alerts.kind);
}

// ---------------------------------------------------------------------------------------------------------
// Daily reports

export async function findDailyReportForUpdate(db: Db, enterpriseId: string, reportDate: string) {
  const [row] = await db
    .select()
    .from(dailyReports)
    .where(and(eq(dailyReports.enterpriseId, enterpriseId), eq(dailyReports.reportDate, reportDate)))
    .for('update');
  return row ?? null;
}

export async function insertDailyReport(db: Db, row: typeof dailyReports.$inferInsert) {
  const [inserted] = await db.insert(dailyReports).values(row).returning();
  return inserted!;
}

export async function updateDailyReport(db: Db, id: string, set: Partial<typeof dailyReports.$inferInsert>) {
  const [row] = await db.update(dailyReports).set(set).where(eq(dailyReports.id, id)).returning();
  return row!;
}

/** How many of these employee ids are on the enterprise's roster. */
export async function countEmployeesOfEnterprise(db: Db, enterpriseId: string, ids: string[]) {
  if (ids.length === 0) return 0;
  const [r] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(employees)
    .where(and(eq(employees.enterpriseId, enterpriseId), inArray(employees.id, ids)));
  return r?.n ?? 0;
}

export async function findDailyReports(db: Db, actor: Actor, reportDate: string) {
  return db
    .select({ report: dailyReports })
    .from(dailyReports)
    .innerJoin(enterprises, eq(enterprises.id, dailyReports.enterpriseId))
    .where(
      and(
        eq(dailyReports.reportDate, reportDate),
        scopeOf(actor, { enterpriseId: dailyReports.enterpriseId, regionCode: dailyReports.regionCode }),
      ),
    )
    .orderBy(asc(dailyReports.regionCode), asc(dailyReports.enterpriseId))
    .then((r) => r.map((x) => x.report));
}

/**
 * Completeness and timeliness of one business day per county in the actor's scope: expected = enterprises
 * with an active whitelist entry; "reported zero" and "reported anomalies" are counted apart from "no report".
 */
export async function dailyReportStats(db: Db, actor: Actor, reportDate: string) {
  const scope = enterpriseCondition(actor, {
    enterpriseId: enterprises.id,
    regionCode: enterprises.regionCode,
    sectors: enterprises.sectors,
  });
  return rows<{
    region_code: string;
    expected: number;
    reported: number;
    on_time: number;
    zero: number;
    anomalies: number;
  }>(
    db,
    sql`
    select ${enterprises.regionCode} as region_code,
      count(*)::int as expected,
      count(r.id)::int as reported,
      (count(r.id) filter (where not r.late))::int as on_time,
      (count(r.id) filter (where r.kind = 'zero'))::int as zero,
      (count(r.id) filter (where r.kind = 'anomalies'))::int as anomalies
    from ${enterprises}
    left join daily_reports r on r.enterprise_id = ${enterprises.id} and r.report_date = ${reportDate}::date
    where ${scope} and exists (
      select 1 from ${whitelistEntries} w where w.enterprise_id = ${enterprises.id} and w.status = 'active')
    group by ${enterprises.regionCode}
    order by ${enterprises.regionCode}`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Partitions

/** Makes sure this month's and the next two months' `pcr_tests` partitions exist before rows arrive for them. */
export async function ensurePcrTestPartitions(db: Db, now = new Date()): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
    await db.execute(sql`select pcr_tests_ensure_partition(${month.toISOString().slice(0, 10)}::date)`);
  }
}
