import { type Coverage, SECTORS, type Sector } from '@sibao/contracts';
import { type ParameterStore, toIsoDate } from '@sibao/rules';
import type { Actor } from '../../platform/access';
import { businessDate } from '../../platform/clock';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { loadParameterStore, mapStoreError } from '../parameters';
import { loadHenanDivisions } from '../regions';
import { findPendingByValue, sectorTotalAt, whitelistedValueAt } from './whitelist.queries';
import { prefixOf, scopedPrefix } from './whitelist.service';

/**
 * 覆盖率 (方案 二(一), 九(三)): the output value (investment for projects) of the enterprises listed in a
 * sector ÷ the sector's official total, for a region subtree on a date. Pure arithmetic here; the sums are SQL.
 */
export function coverageRatio(whitelistedFen: number, totalFen: number | null): number | null {
  if (totalFen === null || totalFen <= 0) return null;
  return whitelistedFen / totalFen;
}

/** The end of a business day (Asia/Shanghai): entries admitted before it count on that day. */
export function endOfBusinessDay(date: string): Date {
  return new Date(new Date(`${date}T00:00:00+08:00`).getTime() + 86_400_000);
}

function targets(store: ParameterStore, date: string) {
  try {
    return {
      target: Number(store.valueAt('whitelist.coverageTarget', date)),
      deadline: String(store.valueAt('whitelist.coverageDeadline', date)),
    };
  } catch (error) {
    throw mapStoreError(error);
  }
}

/** Coverage of one sector in one region subtree on one date; `no_statistics` (ratio null) without a total. */
export async function coverageOf(
  db: Db,
  input: { sector: Sector; region: string; prefix: string; date: string },
  store: ParameterStore,
): Promise<Coverage> {
  const { target, deadline } = targets(store, input.date);
  const listed = await whitelistedValueAt(db, input.sector, input.prefix, endOfBusinessDay(input.date));
  const total = await sectorTotalAt(db, input.sector, input.region, input.prefix, input.date);
  const totalValue = total && total.total > 0 ? total.total : null;
  const ratio = coverageRatio(listed.value, totalValue);
  return {
    sector: input.sector,
    region: input.region,
    date: input.date,
    status: ratio === null ? 'no_statistics' : 'ok',
    whitelistedValue: listed.value,
    totalValue,
    ratio,
    target,
    deadline,
    // 方案: 覆盖率超过70% — exceeded, not reached.
    meetsTarget: ratio === null ? null : ratio > target,
    period: totalValue === null ? null : (total?.period ?? null),
    source: totalValue === null ? null : (total?.source ?? null),
    entries: listed.entries,
  };
}

function regionOf(actor: Actor, region: string) {
  const prefix = scopedPrefix(actor, region);
  // A region above the actor's own narrows to the actor's region.
  const code = prefix === actor.regionPrefix && prefixOf(region) !== prefix ? actor.regionCode : region;
  return { code, prefix };
}

export async function getCoverage(
  db: Db,
  actor: Actor,
  query: { sector: Sector; region: string; date?: string | undefined },
  now: Date,
) {
  const date = query.date ?? businessDate(now);
  const { code, prefix } = regionOf(actor, query.region);
  return coverageOf(db, { sector: query.sector, region: code, prefix, date }, await loadParameterStore(db));
}

/** The child regions of a region: the cities of the province, the counties of a city, none of a county. */
function childRegions(code: string) {
  const regions = loadHenanDivisions().regions;
  return regions.filter((r) => r.parentCode === code);
}

/** Coverage by sector for a region, and by child region for one sector (bar chart and region table). */
export async function getCoverageBreakdown(
  db: Db,
  actor: Actor,
  query: { region: string; date?: string | undefined; sector?: Sector | undefined },
  now: Date,
) {
  const date = query.date ?? businessDate(now);
  const { code, prefix } = regionOf(actor, query.region);
  const store = await loadParameterStore(db);
  const { target, deadline } = targets(store, date);
  const bySector: Coverage[] = [];
  for (const sector of SECTORS)
    bySector.push(await coverageOf(db, { sector, region: code, prefix, date }, store));
  const byRegion = [];
  if (query.sector) {
    for (const child of childRegions(code)) {
      const c = await coverageOf(
        db,
        { sector: query.sector, region: child.code, prefix: prefixOf(child.code), date },
        store,
      );
      byRegion.push({ ...c, regionName: child.name });
    }
  }
  return { region: code, date, target, deadline, bySector, byRegion };
}

const STEP_DAYS = { day: 1, week: 7, month: 30 } as const;

/** Coverage over time: one point per step from `from` to `to` (at most 120 points), and always `to`. */
export async function getCoverageTrend(
  db: Db,
  actor: Actor,
  query: { sector: Sector; region: string; from: string; to: string; step: 'day' | 'week' | 'month' },
) {
  if (query.from > query.to) {
    throw new AppError('VALIDATION_FAILED', {
      errors: [{ path: 'querystring.from', code: 'FROM_AFTER_TO', message: 'from must not be after to' }],
    });
  }
  const { code, prefix } = regionOf(actor, query.region);
  const store = await loadParameterStore(db);
  const { target, deadline } = targets(store, query.to);
  const dates: string[] = [];
  for (let d = new Date(`${query.from}T00:00:00Z`); toIsoDate(d) < query.to && dates.length < 119; ) {
    dates.push(toIsoDate(d));
    d = new Date(d.getTime() + STEP_DAYS[query.step] * 86_400_000);
  }
  dates.push(query.to);
  const points = [];
  for (const date of dates) {
    const c = await coverageOf(db, { sector: query.sector, region: code, prefix, date }, store);
    points.push({ date, ratio: c.ratio, whitelistedValue: c.whitelistedValue, totalValue: c.totalValue });
  }
  return { sector: query.sector, region: code, target, deadline, points };
}

/**
 * The planner: pending applications of a sector in a region by how much each would add to coverage (its
 * enterprise's value ÷ the total), largest first, with the coverage reached if all above it were admitted.
 */
export async function getPlanner(
  db: Db,
  actor: Actor,
  query: { sector: Sector; region: string; limit: number },
  now: Date,
) {
  const coverage = await getCoverage(db, actor, { sector: query.sector, region: query.region }, now);
  const { prefix } = regionOf(actor, query.region);
  const rows = await findPendingByValue(db, query.sector, prefix, query.limit);
  let cumulative = coverage.whitelistedValue;
  const items = rows.map(({ application, enterprise }) => {
    cumulative += enterprise.annualValueFen;
    return {
      applicationId: application.id,
      enterpriseId: enterprise.id,
      name: enterprise.name,
      regionCode: enterprise.regionCode,
      status: application.status,
      criteriaStatus: application.criteriaStatus,
      valueFen: enterprise.annualValueFen,
      addsRatio: coverageRatio(enterprise.annualValueFen, coverage.totalValue),
      cumulativeRatio: coverageRatio(cumulative, coverage.totalValue),
    };
  });
  return { coverage, items };
}
