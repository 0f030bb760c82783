import type {
  ComplianceQuery,
  ComplianceRow,
  ComplianceSort,
  ComplianceStanding,
  ComplianceTotals,
  ReportStanding,
} from '@sibao/contracts';
import type { ParameterStore } from '@sibao/rules';
import { sql } from 'drizzle-orm';
import { type Actor, enterpriseCondition } from '../../platform/access';
import { businessDate } from '../../platform/clock';
import { type Db, rows } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { enterprises } from '../enterprises';
import { loadParameterStore, mapStoreError } from '../parameters';
import { dailyReportDeadline } from './workforce.service';

/**
 * Compliance of the enterprises in an official's scope (liaison cadres, counties, cities): per enterprise, its
 * active staff and how many are tested on time or overdue, its daily report, open alerts and open arrival
 * actions, with totals by county or city. Read from the maintained compliance columns of `employees`
 * (`next_due_at`, `overdue`) — never from the test history — in one statement: a GROUP BY over the employees
 * in scope joined to the enterprises, their report of the judged day and grouped alerts and arrivals.
 *
 * "Due soon" (issue 5: see who is about to fall due, instead of a reminder per person): active staff not
 * overdue — not flagged and next test not yet past due — whose next test falls due before now +
 * `workforce.dueSoonHours`. Shown, never alerted; it does not change the standing.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const DUE_SOON_PARAMETER = 'workforce.dueSoonHours';

/** The "due soon" window in hours in force at `now` (`workforce.dueSoonHours`). */
export function dueSoonHoursAt(params: ParameterStore, now: Date): number {
  let hours: number;
  try {
    hours = Number(params.valueAt(DUE_SOON_PARAMETER, now));
  } catch (error) {
    throw mapStoreError(error);
  }
  if (!Number.isFinite(hours) || hours < 0)
    throw new AppError('INTERNAL', { detail: `${DUE_SOON_PARAMETER} is not a number of hours` });
  return hours;
}

/** A share of overdue staff at or above this makes an enterprise `poor`. */
export const POOR_OVERDUE_SHARE = 0.1;

/** The SQL LIKE prefix of a region code: `410105` itself, `410100` → `4101`, `410000` → `41`. */
export function prefixOf(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

interface RawRow {
  enterprise_id: string;
  enterprise_name: string;
  region_code: string;
  whitelisted: boolean;
  employees: number;
  overdue: number;
  due_soon: number;
  report_kind: 'zero' | 'anomalies' | null;
  report_late: boolean | null;
  last_report_date: string | null;
  open_alerts: number;
  arrivals_open: number;
  arrivals_week: number;
}

/**
 * The enterprises in the actor's scope (and under `regionCode`'s prefix, if given) that keep a roster or hold
 * an active whitelist entry, with their compliance as of `now`. `reportDate` is the business day whose
 * report is judged.
 */
export async function findComplianceRows(
  db: Db,
  actor: Actor,
  filter: { region?: string | undefined; now: Date; reportDate: string; dueSoonHours: number },
): Promise<RawRow[]> {
  const scope = enterpriseCondition(actor, {
    enterpriseId: sql`en.id`,
    regionCode: sql`en.region_code`,
    sectors: sql`en.sectors`,
  });
  // The same prefixes narrow the grouped tables, so each reads its region index rather than the province.
  const prefixes = [actor.regionPrefix, ...(filter.region ? [prefixOf(filter.region)] : [])];
  const within = (column: string) =>
    sql.join(
      prefixes.map((p) => sql`${sql.raw(column)} like ${`${p}%`}`),
      sql` and `,
    );
  const at = filter.now.toISOString();
  const soon = new Date(filter.now.getTime() + filter.dueSoonHours * HOUR_MS).toISOString();
  const weekAgo = new Date(filter.now.getTime() - 7 * DAY_MS).toISOString();
  return rows<RawRow>(
    db,
    sql`
    with emp as (
      select e.enterprise_id, count(*)::int as employees,
        (count(*) filter (where e.overdue or e.next_due_at < ${at}::timestamptz))::int as overdue,
        (count(*) filter (where not e.overdue and e.next_due_at >= ${at}::timestamptz
          and e.next_due_at < ${soon}::timestamptz))::int as due_soon
      from employees e
      where e.status = 'active' and ${within('e.region_code')}
      group by e.enterprise_id
    ), al as (
      select a.enterprise_id, count(*)::int as open_alerts
      from alerts a
      where a.state in ('new', 'acknowledged') and ${within('a.region_code')}
      group by a.enterprise_id
    ), ar as (
      select r.enterprise_id,
        (count(*) filter (where r.state in ('test_pending', 'test_missed')
          or (not r.pre_registered and r.registration_completed_at is null)))::int as arrivals_open,
        (count(*) filter (where r.arrived_at >= ${weekAgo}::timestamptz))::int as arrivals_week
      from arrivals r
      where ${within('r.region_code')} and (r.arrived_at >= ${weekAgo}::timestamptz
        or r.state in ('test_pending', 'test_missed')
        or (not r.pre_registered and r.registration_completed_at is null))
      group by r.enterprise_id
    ), wl as (
      select distinct w.enterprise_id from whitelist_entries w
      where w.status = 'active' and ${within('w.region_code')}
    )
    select en.id as enterprise_id, en.name as enterprise_name, en.region_code,
      (wl.enterprise_id is not null) as whitelisted,
      coalesce(emp.employees, 0) as employees, coalesce(emp.overdue, 0) as overdue,
      coalesce(emp.due_soon, 0) as due_soon,
      d.kind as report_kind, d.late as report_late,
      (select max(x.report_date)::text from daily_reports x where x.enterprise_id = en.id) as last_report_date,
      coalesce(al.open_alerts, 0) as open_alerts,
      coalesce(ar.arrivals_open, 0) as arrivals_open, coalesce(ar.arrivals_week, 0) as arrivals_week
    from ${enterprises} en
    left join emp on emp.enterprise_id = en.id
    left join wl on wl.enterprise_id = en.id
    left join al on al.enterprise_id = en.id
    left join ar on ar.enterprise_id = en.id
    left join daily_reports d on d.enterprise_id = en.id and d.report_date = ${filter.reportDate}::date
    where ${scope} and ${within('en.region_code')}
      and (emp.enterprise_id is not null or wl.enterprise_id is not null)`,
  );
}

export function reportStandingOf(kind: RawRow['report_kind'], late: boolean | null): ReportStanding {
  if (kind === null) return 'missing';
  if (late) return 'late';
  return kind === 'zero' ? 'zero' : 'on_time';
}

export function standingOf(
  row: Pick<ComplianceRow, 'employees' | 'overdue' | 'report' | 'openAlerts' | 'arrivalsOpen'>,
): ComplianceStanding {
  const share = row.employees === 0 ? 0 : row.overdue / row.employees;
  if (share >= POOR_OVERDUE_SHARE || row.report === 'missing') return 'poor';
  if (row.overdue > 0 || row.report === 'late' || row.openAlerts > 0 || row.arrivalsOpen > 0)
    return 'attention';
  return 'good';
}

function toRow(raw: RawRow): ComplianceRow {
  const report = reportStandingOf(raw.report_kind, raw.report_late);
  const base = {
    enterpriseId: raw.enterprise_id,
    enterpriseName: raw.enterprise_name,
    regionCode: raw.region_code,
    whitelisted: raw.whitelisted,
    employees: Number(raw.employees),
    testedOnTime: Number(raw.employees) - Number(raw.overdue),
    overdue: Number(raw.overdue),
    overdueShare: Number(raw.employees) === 0 ? 0 : Number(raw.overdue) / Number(raw.employees),
    dueSoon: Number(raw.due_soon),
    report,
    lastReportDate: raw.last_report_date,
    openAlerts: Number(raw.open_alerts),
    arrivalsOpen: Number(raw.arrivals_open),
    arrivalsWeek: Number(raw.arrivals_week),
  };
  return { ...base, standing: standingOf(base) };
}

function emptyTotals(regionCode: string): ComplianceTotals {
  return {
    regionCode,
    enterprises: 0,
    employees: 0,
    testedOnTime: 0,
    overdue: 0,
    overdueShare: 0,
    dueSoon: 0,
    reportsMissing: 0,
    reportsLate: 0,
    openAlerts: 0,
    arrivalsOpen: 0,
    poor: 0,
  };
}

function add(totals: ComplianceTotals, row: ComplianceRow): void {
  totals.enterprises += 1;
  totals.employees += row.employees;
  totals.testedOnTime += row.testedOnTime;
  totals.overdue += row.overdue;
  totals.dueSoon += row.dueSoon;
  totals.reportsMissing += row.report === 'missing' ? 1 : 0;
  totals.reportsLate += row.report === 'late' ? 1 : 0;
  totals.openAlerts += row.openAlerts;
  totals.arrivalsOpen += row.arrivalsOpen;
  totals.poor += row.standing === 'poor' ? 1 : 0;
  totals.overdueShare = totals.employees === 0 ? 0 : totals.overdue / totals.employees;
}

const STANDING_RANK: Record<ComplianceStanding, number> = { good: 0, attention: 1, poor: 2 };

function compare(sort: ComplianceSort): (a: ComplianceRow, b: ComplianceRow) => number {
  switch (sort) {
    case 'name':
      return (a, b) => a.enterpriseName.localeCompare(b.enterpriseName, 'zh-CN');
    case 'region':
      return (a, b) => a.regionCode.localeCompare(b.regionCode);
    case 'standing':
      return (a, b) =>
        STANDING_RANK[a.standing] - STANDING_RANK[b.standing] || a.overdueShare - b.overdueShare;
    default:
      return (a, b) => a[sort] - b[sort];
  }
}

/** The business day whose report is judged at `now`: today once its deadline has passed, else yesterday. */
export function judgedReportDate(deadlineOf: (date: string) => Date, now: Date): string {
  const today = businessDate(now);
  if (now.getTime() > deadlineOf(today).getTime()) return today;
  return businessDate(new Date(now.getTime() - DAY_MS));
}

/**
 * The compliance table of the actor's scope: rows sorted and cut at `limit` (ties by name, so the order is
 * stable), subtotals by county or city, and the totals of every matching enterprise.
 */
export async function complianceTable(
  deps: { db: Db; now: () => Date },
  actor: Actor,
  query: Omit<ComplianceQuery, 'limit'> & { limit: number | null },
) {
  const now = deps.now();
  const params = await loadParameterStore(deps.db);
  const reportDate = judgedReportDate((date) => dailyReportDeadline(params, date), now);
  const dueSoonHours = dueSoonHoursAt(params, now);
  const raw = await findComplianceRows(deps.db, actor, {
    region: query.region,
    now,
    reportDate,
    dueSoonHours,
  });
  let all = raw.map(toRow);
  if (query.standing) all = all.filter((r) => r.standing === query.standing);
  const byName = compare('name');
  const primary = compare(query.sort);
  const sign = query.order === 'asc' ? 1 : -1;
  all.sort((a, b) => sign * primary(a, b) || byName(a, b));

  const totals = emptyTotals(query.region ?? actor.regionCode);
  const regions = new Map<string, ComplianceTotals>();
  for (const row of all) {
    add(totals, row);
    const key = query.by === 'city' ? `${row.regionCode.slice(0, 4)}00` : row.regionCode;
    const region = regions.get(key) ?? emptyTotals(key);
    add(region, row);
    regions.set(key, region);
  }
  return {
    asOf: now.toISOString(),
    reportDate,
    total: all.length,
    dueSoonHours,
    items: query.limit === null ? all : all.slice(0, query.limit),
    regions: [...regions.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode)),
    totals,
  };
}
