import type { ArrivalStateSchema } from '@sibao/contracts';
import { and, asc, desc, eq, gt, lt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, enterpriseCondition, regionCondition } from '../../platform/access';
import { type Db, rows } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { enterprises } from '../enterprises';
import { whitelistEntries } from '../whitelist';
import type { RiskArea } from './workforce.arrivals';
import { NEW_ID_SQL } from './workforce.queries';
import { alerts, arrivals, drugPurchases, employees, riskAreas } from './workforce.tables';

/**
 * SQL of the risk-area table, arrivals, drug purchases and the provincial report. Row scope as in
 * workforce.queries.ts: an enterprise user its enterprise, officials their region subtree (and sectors).
 */

const arrivalScope = (actor: Actor) =>
  enterpriseCondition(actor, {
    enterpriseId: arrivals.enterpriseId,
    regionCode: arrivals.regionCode,
    sectors: enterprises.sectors,
  });

// ---------------------------------------------------------------------------------------------------------
// Risk areas

/**
 * Inserts risk-area rows, or updates the end date and source of an entry already known by its natural key
 * (code, level, from). Returns how many were new.
 */
export async function upsertRiskAreas(db: Db, values: Array<typeof riskAreas.$inferInsert>) {
  let inserted = 0;
  for (let i = 0; i < values.length; i += 500) {
    const done = await db
      .insert(riskAreas)
      .values(values.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [riskAreas.code, riskAreas.level, riskAreas.fromDate],
        set: {
          toDate: sql`excluded.to_date`,
          source: sql`excluded.source`,
          importedAt: sql`excluded.imported_at`,
          importedBy: sql`excluded.imported_by`,
        },
      })
      .returning({ fresh: sql<boolean>`xmax = 0` });
    inserted += done.filter((r) => r.fresh).length;
  }
  return inserted;
}

/** The entries that may cover a county: its own code, its city's (`410100`) and its province's (`410000`). */
export async function findRiskAreasCovering(db: Db, countyCode: string): Promise<RiskArea[]> {
  const codes = [countyCode, `${countyCode.slice(0, 4)}00`, `${countyCode.slice(0, 2)}0000`];
  const found = await db
    .select()
    .from(riskAreas)
    .where(sql`${riskAreas.code} = any(${sql.param(codes)}::text[])`);
  return found.map((r) => ({ code: r.code, level: r.level, from: r.fromDate, to: r.toDate }));
}

/** The table, newest first; `onDate` keeps the entries in force that day. */
export async function findRiskAreas(db: Db, filter: { onDate?: string | undefined; limit: number }) {
  const where = filter.onDate
    ? sql`${riskAreas.fromDate} <= ${filter.onDate}::date and (${riskAreas.toDate} is null or ${riskAreas.toDate} > ${filter.onDate}::date)`
    : undefined;
  return db
    .select()
    .from(riskAreas)
    .where(where)
    .orderBy(desc(riskAreas.fromDate), asc(riskAreas.code))
    .limit(filter.limit);
}

// ---------------------------------------------------------------------------------------------------------
// Arrivals

/** Whether the enterprise has an active whitelist entry (its staff are 赋码保护, 指南 三(二)). */
export async function isWhitelisted(db: Db, enterpriseId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: whitelistEntries.id })
    .from(whitelistEntries)
    .where(and(eq(whitelistEntries.enterpriseId, enterpriseId), eq(whitelistEntries.status, 'active')))
    .limit(1);
  return Boolean(row);
}

export async function insertArrival(db: Db, row: typeof arrivals.$inferInsert) {
  const [inserted] = await db.insert(arrivals).values(row).returning();
  return inserted!;
}

export async function updateArrivalRow(db: Db, id: string, set: Partial<typeof arrivals.$inferInsert>) {
  const [row] = await db.update(arrivals).set(set).where(eq(arrivals.id, id)).returning();
  return row!;
}

/** An arrival the actor may see; anyone else's answers ARRIVAL_NOT_FOUND like a missing one. */
export async function getArrival(db: Db, actor: Actor, id: string, lock = false) {
  const q = db
    .select({ arrival: arrivals })
    .from(arrivals)
    .innerJoin(enterprises, eq(enterprises.id, arrivals.enterpriseId))
    .where(and(eq(arrivals.id, id), arrivalScope(actor)));
  const [row] = lock ? await q.for('update', { of: arrivals }) : await q;
  if (!row) throw new AppError('ARRIVAL_NOT_FOUND');
  return row.arrival;
}

export interface ArrivalFilter {
  enterpriseId?: string | undefined;
  state?: z.infer<typeof ArrivalStateSchema> | undefined;
  action?: (typeof arrivals.$inferSelect)['action'] | undefined;
  /** Only arrivals not pre-registered whose registration is still to be completed. */
  unregistered?: boolean | undefined;
}

/** One page of the arrivals the actor may see, newest first, and the scoped total. */
export async function findArrivals(
  db: Db,
  actor: Actor,
  filter: ArrivalFilter & { limit: number; cursor?: string | undefined },
) {
  const c: SQL[] = [arrivalScope(actor)];
  if (filter.enterpriseId) c.push(eq(arrivals.enterpriseId, filter.enterpriseId));
  if (filter.state) c.push(eq(arrivals.state, filter.state));
  if (filter.action) c.push(eq(arrivals.action, filter.action));
  if (filter.unregistered)
    c.push(sql`not ${arrivals.preRegistered} and ${arrivals.registrationCompletedAt} is null`);
  const page = await db
    .select({ arrival: arrivals, enterpriseName: enterprises.name })
    .from(arrivals)
    .innerJoin(enterprises, eq(enterprises.id, arrivals.enterpriseId))
    .where(and(...c, filter.cursor ? lt(arrivals.id, filter.cursor) : undefined))
    .orderBy(desc(arrivals.id))
    .limit(filter.limit + 1);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(arrivals)
    .innerJoin(enterprises, eq(enterprises.id, arrivals.enterpriseId))
    .where(and(...c));
  const hasMore = page.length > filter.limit;
  const items = (hasMore ? page.slice(0, filter.limit) : page).map((r) => ({
    ...r.arrival,
    enterpriseName: r.enterpriseName,
  }));
  return { items, total: count?.n ?? 0, nextCursor: hasMore ? items[items.length - 1]!.id : null };
}

/** Raises one alert about an arrival (at most one open per arrival and kind). */
export async function insertArrivalAlert(db: Db, row: typeof alerts.$inferInsert) {
  await db.insert(alerts).values(row).onConflictDoNothing();
}

/** Resolves the open alerts of a kind about an arrival; returns how many. */
export async function resolveArrivalAlerts(
  db: Db,
  arrivalId: string,
  kind: 'unregistered_arrival' | 'arrival_test_missed',
  closedBy: string,
  note: string,
  now: Date,
) {
  const done = await db
    .update(alerts)
    .set({ state: 'resolved', closedAt: now, closedBy, note })
    .where(
      and(
        eq(alerts.arrivalId, arrivalId),
        eq(alerts.kind, kind),
        sql`${alerts.state} in ('new', 'acknowledged')`,
      ),
    )
    .returning({ id: alerts.id });
  return done.length;
}

/**
 * The arrival-test tracking sweep, set-based, in two statements (run them in one transaction):
 * 1. every open arrival test (pending, or missed within the last `lookbackDays`) with a negative sampled at or
 *    after arrival — on the roster (`pcr_tests` through the person's ID-number hash) or kept aside as unmatched
 *    (a visitor is on no roster) — becomes `tested`, and its `arrival_test_missed` alert is resolved;
 * 2. only then, pending tests past their deadline become `test_missed` and raise one alert each — so a result
 *    that arrived before the sweep is never counted as missed, even if it was received after the deadline.
 */
export async function trackArrivalTests(db: Db, now: Date, alertDeadline: Date, lookbackDays = 14) {
  const at = now.toISOString();
  const since = new Date(now.getTime() - lookbackDays * 86_400_000).toISOString();
  const [first] = await rows<{ tested: number; resolved: number }>(
    db,
    sql`
    with open as (
      select a.id, a.id_number_hash, a.arrived_at from arrivals a
      where a.id_number_hash is not null
        and (a.state = 'test_pending' or (a.state = 'test_missed' and a.arrived_at > ${since}::timestamptz))
    ), found as (
      select o.id, (
        select min(x.sampled_at) from (
          select p.sampled_at from pcr_tests p join employees e on e.id = p.employee_id
          where e.id_number_hash = o.id_number_hash and p.result = 'negative' and p.sampled_at >= o.arrived_at
          union all
          select u.sampled_at from pcr_unmatched_results u
          where u.id_number_hash = o.id_number_hash and u.result = 'negative' and u.sampled_at >= o.arrived_at
        ) x) as sampled
      from open o
    ), tested as (
      update arrivals a set state = 'tested', test_sampled_at = f.sampled, updated_at = ${at}::timestamptz
      from found f where a.id = f.id and f.sampled is not null
      returning a.id
    ), resolved as (
      update alerts set state = 'resolved', closed_at = ${at}::timestamptz, closed_by = 'system',
        note = '已收到落地核酸阴性结果 arrival test result received'
      where kind = 'arrival_test_missed' and state in ('new', 'acknowledged')
        and arrival_id in (select id from tested)
      returning id
    )
    select (select count(*) from tested)::int as tested, (select count(*) from resolved)::int as resolved`,
  );
  const [second] = await rows<{ missed: number; raised: number }>(
    db,
    sql`
    with missed as (
      update arrivals set state = 'test_missed', updated_at = ${at}::timestamptz
      where state = 'test_pending' and due_at < ${at}::timestamptz
      returning id, enterprise_id, region_code, name_masked, due_at
    ), raised as (
      insert into alerts (id, kind, state, enterprise_id, region_code, arrival_id, raised_at, deadline, summary)
      select ${NEW_ID_SQL}, 'arrival_test_missed', 'new', enterprise_id, region_code, id, ${at}::timestamptz,
        ${alertDeadline.toISOString()}::timestamptz,
        '入豫人员 ' || name_masked || ' 未在规定时限内(' ||
          to_char(due_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' 前)完成落地核酸检测'
      from missed
      on conflict do nothing
      returning id
    )
    select (select count(*) from missed)::int as missed, (select count(*) from raised)::int as raised`,
  );
  return {
    tested: first?.tested ?? 0,
    resolved: first?.resolved ?? 0,
    missed: second?.missed ?? 0,
    raised: second?.raised ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Drug purchases

/** Which of these record ids the feed has already sent. */
export async function findExistingDrugRecordIds(db: Db, feedOrgUnitId: string, recordIds: string[]) {
  const found = new Set<string>();
  for (let i = 0; i < recordIds.length; i += 5000) {
    const chunk = await db
      .select({ r: drugPurchases.recordId })
      .from(drugPurchases)
      .where(
        and(
          eq(drugPurchases.feedOrgUnitId, feedOrgUnitId),
          sql`${drugPurchases.recordId} = any(${sql.param(recordIds.slice(i, i + 5000))}::text[])`,
        ),
      );
    for (const r of chunk) found.add(r.r);
  }
  return found;
}

export async function insertDrugPurchases(db: Db, values: Array<typeof drugPurchases.$inferInsert>) {
  for (let i = 0; i < values.length; i += 1000)
    await db.insert(drugPurchases).values(values.slice(i, i + 1000));
}

/**
 * Raises a `drug_purchase` alert per employee (one open alert each: a second purchase while one is open adds
 * nothing), in one statement. Returns how many were raised.
 */
export async function raiseDrugPurchaseAlerts(
  db: Db,
  hits: Array<{ employeeId: string; enterpriseId: string; regionCode: string; summary: string }>,
  now: Date,
  deadline: Date,
) {
  if (hits.length === 0) return 0;
  const raised = await rows<{ id: string }>(
    db,
    sql`
    insert into alerts (id, kind, state, enterprise_id, region_code, employee_id, raised_at, deadline, summary)
    select ${NEW_ID_SQL}, 'drug_purchase', 'new', h."enterpriseId", h."regionCode", h."employeeId",
      ${now.toISOString()}::timestamptz, ${deadline.toISOString()}::timestamptz, h."summary"
    from jsonb_to_recordset(${JSON.stringify(hits)}::jsonb)
      as h("employeeId" uuid, "enterpriseId" uuid, "regionCode" text, "summary" text)
    on conflict do nothing
    returning id`,
  );
  return raised.length;
}

// ---------------------------------------------------------------------------------------------------------
// Provincial report

/**
 * One page of the 赋码保护 list in the actor's region: active staff of enterprises with an active whitelist
 * entry, in id order after `cursor`, with exactly the columns docs/provincial-report.md lists (encrypted
 * name and ID number; the caller decrypts).
 */
export async function findProvincialReportPage(
  db: Db,
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
) {
  const found = await db
    .select({
      id: employees.id,
      nameEncrypted: employees.nameEncrypted,
      idNumberEncrypted: employees.idNumberEncrypted,
      enterpriseUscc: enterprises.uscc,
      enterpriseName: enterprises.name,
      regionCode: employees.regionCode,
    })
    .from(employees)
    .innerJoin(enterprises, eq(enterprises.id, employees.enterpriseId))
    .where(
      and(
        eq(employees.status, 'active'),
        sql`${employees.idNumberEncrypted} is not null and ${employees.nameEncrypted} is not null`,
        regionCondition(actor, employees.regionCode),
        sql`exists (select 1 from ${whitelistEntries} w where w.enterprise_id = ${employees.enterpriseId} and w.status = 'active')`,
        page.cursor ? gt(employees.id, page.cursor) : undefined,
      ),
    )
    .orderBy(asc(employees.id))
    .limit(page.limit + 1);
  const hasMore = found.length > page.limit;
  const items = hasMore ? found.slice(0, page.limit) : found;
  return { items, nextCursor: hasMore ? items[items.length - 1]!.id : null };
}
