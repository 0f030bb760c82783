import type { Sector } from '@sibao/contracts';
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { type Actor, enterpriseCondition } from '../../platform/access';
import { type Db, rows } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { enterprises } from '../enterprises';
import {
  sectorOutputTotals,
  whitelistApplications,
  whitelistBatches,
  whitelistCriteria,
  whitelistEntries,
  whitelistEntryEvents,
  whitelistSpotChecks,
} from './whitelist.tables';

/** `LIKE` pattern text with `\`, `%` and `_` escaped (PostgreSQL's default escape character). */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type Scoped = { enterpriseId: AnyPgColumn; regionCode: AnyPgColumn; sector: AnyPgColumn };

/** The row scope of whitelist rows: the enterprise's own, or the official's region subtree and sectors. */
export function whitelistScope(actor: Actor, t: Scoped): SQL {
  return enterpriseCondition(actor, {
    enterpriseId: t.enterpriseId,
    regionCode: t.regionCode,
    sectors: sql`array[${t.sector}]::text[]`,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Criteria

export async function findCriteria(db: Db, sector?: Sector) {
  return db
    .select()
    .from(whitelistCriteria)
    .where(sector ? eq(whitelistCriteria.sector, sector) : undefined)
    .orderBy(asc(whitelistCriteria.sector), desc(whitelistCriteria.version));
}

export async function findPublishedCriteria(db: Db, sector: Sector) {
  const [row] = await db
    .select()
    .from(whitelistCriteria)
    .where(and(eq(whitelistCriteria.sector, sector), eq(whitelistCriteria.status, 'published')));
  return row ?? null;
}

export async function getCriteriaById(db: Db, id: string, lock = false) {
  const q = db.select().from(whitelistCriteria).where(eq(whitelistCriteria.id, id));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function nextCriteriaVersion(db: Db, sector: Sector): Promise<number> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`whitelist.criteria:${sector}`}))`);
  const [row] = await db
    .select({ v: sql<number>`coalesce(max(${whitelistCriteria.version}), 0)::int`.mapWith(Number) })
    .from(whitelistCriteria)
    .where(eq(whitelistCriteria.sector, sector));
  return (row?.v ?? 0) + 1;
}

// ---------------------------------------------------------------------------------------------------------
// Applications

const applicationScope = (actor: Actor) =>
  whitelistScope(actor, {
    enterpriseId: whitelistApplications.enterpriseId,
    regionCode: whitelistApplications.regionCode,
    sector: whitelistApplications.sector,
  });

/** An application the actor may see (with its enterprise); another's answers NOT_FOUND like a missing one. */
export async function getApplication(db: Db, actor: Actor, id: string, lock = false) {
  const q = db
    .select({ application: whitelistApplications, enterprise: enterprises })
    .from(whitelistApplications)
    .innerJoin(enterprises, eq(enterprises.id, whitelistApplications.enterpriseId))
    .where(and(eq(whitelistApplications.id, id), applicationScope(actor)));
  const [row] = lock ? await q.for('update', { of: whitelistApplications }) : await q;
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** The applications among `ids` the actor may see, with their enterprises, locked in id order. */
export async function lockApplications(db: Db, actor: Actor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ application: whitelistApplications, enterprise: enterprises })
    .from(whitelistApplications)
    .innerJoin(enterprises, eq(enterprises.id, whitelistApplications.enterpriseId))
    .where(and(inArray(whitelistApplications.id, ids), applicationScope(actor)))
    .orderBy(asc(whitelistApplications.id))
    .for('update', { of: whitelistApplications });
}

export interface ApplicationFilter {
  status?: 'submitted' | 'returned' | 'approved' | 'rejected' | undefined;
  sector?: Sector | undefined;
  region?: string | undefined;
  overdue?: boolean | undefined;
}

/**
 * The review queue: city-operations enterprises and those linked to listed ones first (方案 二(一), 二(二)),
 * then by deadline. Offset pages (the order is not unique enough for a keyset cursor).
 */
export async function findApplications(
  db: Db,
  actor: Actor,
  filter: ApplicationFilter & { limit: number; offset: number },
  now: Date,
) {
  const conditions = [applicationScope(actor)];
  if (filter.status) conditions.push(eq(whitelistApplications.status, filter.status));
  if (filter.sector) conditions.push(eq(whitelistApplications.sector, filter.sector));
  if (filter.region) conditions.push(sql`${whitelistApplications.regionCode} like ${`${filter.region}%`}`);
  if (filter.overdue)
    conditions.push(
      and(eq(whitelistApplications.status, 'submitted'), lt(whitelistApplications.dueAt, now))!,
    );
  const priority = sql`(${whitelistApplications.cityOperations} or ${whitelistApplications.linkedToListed})`;
  const items = await db
    .select({ application: whitelistApplications, enterprise: enterprises })
    .from(whitelistApplications)
    .innerJoin(enterprises, eq(enterprises.id, whitelistApplications.enterpriseId))
    .where(and(...conditions))
    .orderBy(desc(priority), asc(whitelistApplications.dueAt), asc(whitelistApplications.id))
    .limit(filter.limit)
    .offset(filter.offset);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(whitelistApplications)
    .where(and(...conditions));
  return { items, total: count?.n ?? 0 };
}

export async function findOpenApplication(db: Db, enterpriseId: string, sector: Sector) {
  const [row] = await db
    .select({ id: whitelistApplications.id })
    .from(whitelistApplications)
    .where(
      and(
        eq(whitelistApplications.enterpriseId, enterpriseId),
        eq(whitelistApplications.sector, sector),
        inArray(whitelistApplications.status, ['submitted', 'returned']),
      ),
    );
  return row ?? null;
}

/** Pending applications of a sector in a region subtree, with their enterprise's value: the planner's list. */
export async function findPendingByValue(db: Db, sector: Sector, prefix: string, limit: number) {
  return db
    .select({ application: whitelistApplications, enterprise: enterprises })
    .from(whitelistApplications)
    .innerJoin(enterprises, eq(enterprises.id, whitelistApplications.enterpriseId))
    .where(
      and(
        eq(whitelistApplications.sector, sector),
        sql`${whitelistApplications.regionCode} like ${`${prefix}%`}`,
        inArray(whitelistApplications.status, ['submitted', 'returned']),
      ),
    )
    .orderBy(desc(enterprises.annualValueFen), asc(whitelistApplications.id))
    .limit(limit);
}

// ---------------------------------------------------------------------------------------------------------
// Entries

const entryScope = (actor: Actor) =>
  whitelistScope(actor, {
    enterpriseId: whitelistEntries.enterpriseId,
    regionCode: whitelistEntries.regionCode,
    sector: whitelistEntries.sector,
  });

export async function getEntry(db: Db, actor: Actor, id: string, lock = false) {
  const q = db
    .select({ entry: whitelistEntries, enterprise: enterprises, batch: whitelistBatches })
    .from(whitelistEntries)
    .innerJoin(enterprises, eq(enterprises.id, whitelistEntries.enterpriseId))
    .leftJoin(whitelistBatches, eq(whitelistBatches.id, whitelistEntries.batchId))
    .where(and(eq(whitelistEntries.id, id), entryScope(actor)));
  const [row] = lock ? await q.for('update', { of: whitelistEntries }) : await q;
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export interface EntryFilter {
  status?: 'active' | 'suspended' | 'removed' | undefined;
  sector?: Sector | undefined;
  region?: string | undefined;
  q?: string | undefined;
}

export async function findEntries(
  db: Db,
  actor: Actor,
  filter: EntryFilter & { limit: number; cursor?: string | undefined },
) {
  const conditions = [entryScope(actor)];
  if (filter.status) conditions.push(eq(whitelistEntries.status, filter.status));
  if (filter.sector) conditions.push(eq(whitelistEntries.sector, filter.sector));
  if (filter.region) conditions.push(sql`${whitelistEntries.regionCode} like ${`${filter.region}%`}`);
  if (filter.q) {
    const pattern = `%${likeEscape(filter.q)}%`;
    conditions.push(
      sql`(${enterprises.name} ilike ${pattern} or ${enterprises.uscc} = ${filter.q.toUpperCase()})`,
    );
  }
  const page = await db
    .select({ entry: whitelistEntries, enterprise: enterprises, batch: whitelistBatches })
    .from(whitelistEntries)
    .innerJoin(enterprises, eq(enterprises.id, whitelistEntries.enterpriseId))
    .leftJoin(whitelistBatches, eq(whitelistBatches.id, whitelistEntries.batchId))
    .where(and(...conditions, filter.cursor ? gt(whitelistEntries.id, filter.cursor) : undefined))
    .orderBy(asc(whitelistEntries.id))
    .limit(filter.limit + 1);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(whitelistEntries)
    .innerJoin(enterprises, eq(enterprises.id, whitelistEntries.enterpriseId))
    .where(and(...conditions));
  const hasMore = page.length > filter.limit;
  const items = hasMore ? page.slice(0, filter.limit) : page;
  return { items, total: count?.n ?? 0, nextCursor: hasMore ? items[items.length - 1]!.entry.id : null };
}

/** The enterprise's current (not removed) entry of a sector, and its latest removal. */
export async function findEntriesOf(db: Db, enterpriseId: string, sector: Sector) {
  return db
    .select()
    .from(whitelistEntries)
    .where(and(eq(whitelistEntries.enterpriseId, enterpriseId), eq(whitelistEntries.sector, sector)))
    .orderBy(desc(whitelistEntries.since));
}

/** True when any of the enterprises has an active entry (any sector): 链式保障 priority. */
export async function anyListed(db: Db, enterpriseIds: string[]): Promise<boolean> {
  if (enterpriseIds.length === 0) return false;
  const [row] = await db
    .select({ id: whitelistEntries.id })
    .from(whitelistEntries)
    .where(and(inArray(whitelistEntries.enterpriseId, enterpriseIds), eq(whitelistEntries.status, 'active')))
    .limit(1);
  return !!row;
}

export async function findEntryEvents(db: Db, entryId: string) {
  return db
    .select()
    .from(whitelistEntryEvents)
    .where(eq(whitelistEntryEvents.entryId, entryId))
    .orderBy(asc(whitelistEntryEvents.at), asc(whitelistEntryEvents.id));
}

// ---------------------------------------------------------------------------------------------------------
// Spot checks

export async function findSpotChecks(
  db: Db,
  actor: Actor,
  filter: {
    sector?: Sector | undefined;
    region?: string | undefined;
    overdue?: boolean | undefined;
    entryId?: string | undefined;
  },
  today: string,
) {
  const conditions = [
    whitelistScope(actor, {
      enterpriseId: whitelistSpotChecks.enterpriseId,
      regionCode: whitelistSpotChecks.regionCode,
      sector: whitelistSpotChecks.sector,
    }),
  ];
  if (filter.sector) conditions.push(eq(whitelistSpotChecks.sector, filter.sector));
  if (filter.region) conditions.push(sql`${whitelistSpotChecks.regionCode} like ${`${filter.region}%`}`);
  if (filter.entryId) conditions.push(eq(whitelistSpotChecks.entryId, filter.entryId));
  if (filter.overdue)
    conditions.push(
      and(
        isNotNull(whitelistSpotChecks.rectificationDue),
        isNull(whitelistSpotChecks.rectifiedAt),
        lt(whitelistSpotChecks.rectificationDue, today),
      )!,
    );
  return db
    .select({ check: whitelistSpotChecks, enterprise: enterprises })
    .from(whitelistSpotChecks)
    .innerJoin(enterprises, eq(enterprises.id, whitelistSpotChecks.enterpriseId))
    .where(and(...conditions))
    .orderBy(desc(whitelistSpotChecks.checkedOn), desc(whitelistSpotChecks.id))
    .limit(500);
}

export async function getSpotCheck(db: Db, actor: Actor, id: string) {
  const [row] = await db
    .select({ check: whitelistSpotChecks, enterprise: enterprises })
    .from(whitelistSpotChecks)
    .innerJoin(enterprises, eq(enterprises.id, whitelistSpotChecks.enterpriseId))
    .where(
      and(
        eq(whitelistSpotChecks.id, id),
        whitelistScope(actor, {
          enterpriseId: whitelistSpotChecks.enterpriseId,
          regionCode: whitelistSpotChecks.regionCode,
          sector: whitelistSpotChecks.sector,
        }),
      ),
    )
    .for('update', { of: whitelistSpotChecks });
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

// ---------------------------------------------------------------------------------------------------------
// Batches and the public list

export async function findBatches(
  db: Db,
  filter: { sector?: Sector | undefined; prefix?: string | undefined },
) {
  return db
    .select()
    .from(whitelistBatches)
    .where(
      and(
        filter.sector ? eq(whitelistBatches.sector, filter.sector) : undefined,
        filter.prefix ? sql`${whitelistBatches.regionCode} like ${`${filter.prefix}%`}` : undefined,
      ),
    )
    .orderBy(desc(whitelistBatches.publishedAt), desc(whitelistBatches.id))
    .limit(500);
}

export interface PublicFilter {
  sector?: Sector | undefined;
  prefix?: string | undefined;
  batch?: string | undefined;
  q?: string | undefined;
}

function publicConditions(filter: PublicFilter): SQL[] {
  const c: SQL[] = [isNotNull(whitelistEntries.batchId)];
  if (filter.sector) c.push(eq(whitelistEntries.sector, filter.sector));
  if (filter.prefix) c.push(sql`${whitelistEntries.regionCode} like ${`${filter.prefix}%`}`);
  if (filter.batch) c.push(eq(whitelistEntries.batchId, filter.batch));
  if (filter.q) {
    // Bound parameters and an escaped LIKE pattern: the text is data, never SQL.
    const pattern = `%${likeEscape(filter.q)}%`;
    c.push(or(sql`${enterprises.name} ilike ${pattern}`, eq(enterprises.uscc, filter.q.toUpperCase()))!);
  }
  return c;
}

/** Published entries (also removed ones, which show their removal date), in batch then name order. */
export async function findPublicEntries(
  db: Db,
  filter: PublicFilter,
  page: { limit: number; offset: number },
) {
  const conditions = publicConditions(filter);
  const items = await db
    .select({ entry: whitelistEntries, enterprise: enterprises, batch: whitelistBatches })
    .from(whitelistEntries)
    .innerJoin(enterprises, eq(enterprises.id, whitelistEntries.enterpriseId))
    .innerJoin(whitelistBatches, eq(whitelistBatches.id, whitelistEntries.batchId))
    .where(and(...conditions))
    .orderBy(asc(whitelistBatches.publishedAt), asc(enterprises.name), asc(whitelistEntries.id))
    .limit(page.limit)
    .offset(page.offset);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(whitelistEntries)
    .innerJoin(enterprises, eq(enterprises.id, whitelistEntries.enterpriseId))
    .where(and(...conditions));
  return { items, total: count?.n ?? 0 };
}

/** Active entries of a sector in a region subtree not yet published: what the next batch would publish. */
export async function findUnpublishedEntryIds(db: Db, sector: Sector, prefix: string): Promise<string[]> {
  const rows = await db
    .select({ id: whitelistEntries.id })
    .from(whitelistEntries)
    .where(
      and(
        eq(whitelistEntries.sector, sector),
        eq(whitelistEntries.status, 'active'),
        isNull(whitelistEntries.batchId),
        sql`${whitelistEntries.regionCode} like ${`${prefix}%`}`,
      ),
    );
  return rows.map((r) => r.id);
}

export async function nextBatchNumber(db: Db, sector: Sector, regionCode: string): Promise<number> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`whitelist.batch:${sector}:${regionCode}`}))`);
  const [row] = await db
    .select({ n: sql<number>`coalesce(max(${whitelistBatches.number}), 0)::int`.mapWith(Number) })
    .from(whitelistBatches)
    .where(and(eq(whitelistBatches.sector, sector), eq(whitelistBatches.regionCode, regionCode)));
  return (row?.n ?? 0) + 1;
}

// ---------------------------------------------------------------------------------------------------------
// Coverage

/**
 * The whitelisted value of a sector in a region subtree at an instant: the enterprises with an entry listed
 * then (admitted before, not removed by then; a suspension does not take it off the list).
 */
export async function whitelistedValueAt(db: Db, sector: Sector, prefix: string, at: Date) {
  const [row] = await db
    .select({
      value: sql<number>`coalesce(sum(${enterprises.annualValueFen}), 0)::bigint`.mapWith(Number),
      entries: sql<number>`count(*)::int`.mapWith(Number),
    })
    .from(whitelistEntries)
    .innerJoin(enterprises, eq(enterprises.id, whitelistEntries.enterpriseId))
    .where(
      and(
        eq(whitelistEntries.sector, sector),
        sql`${whitelistEntries.regionCode} like ${`${prefix}%`}`,
        lt(whitelistEntries.since, at),
        or(isNull(whitelistEntries.removedAt), gt(whitelistEntries.removedAt, at)),
      ),
    );
  return { value: row?.value ?? 0, entries: row?.entries ?? 0 };
}

/**
 * The official total of a sector for a region on a date. A row for the region itself wins; otherwise each
 * region of its subtree contributes its latest period not after the date, and those are summed.
 */
export async function sectorTotalAt(
  db: Db,
  sector: Sector,
  regionCode: string,
  prefix: string,
  date: string,
) {
  for (const exact of [true, false]) {
    const where = exact ? sql`region_code = ${regionCode}` : sql`region_code like ${`${prefix}%`}`;
    const [row] = await rows<{ period: string | null; total: string | number | null; source: string | null }>(
      db,
      sql`select max(period) as period, sum(total_fen)::bigint as total, string_agg(distinct source, '；') as source
          from (select distinct on (region_code) region_code, period, total_fen, source
                from ${sectorOutputTotals}
                where sector = ${sector} and ${where} and period <= ${date}
                order by region_code, period desc) latest`,
    );
    if (row?.period) return { period: row.period, total: Number(row.total), source: row.source ?? '' };
  }
  return null;
}

export async function findSectorTotals(db: Db, filter: { sector?: Sector | undefined; prefix: string }) {
  return db
    .select()
    .from(sectorOutputTotals)
    .where(
      and(
        filter.sector ? eq(sectorOutputTotals.sector, filter.sector) : undefined,
        sql`${sectorOutputTotals.regionCode} like ${`${filter.prefix}%`}`,
      ),
    )
    .orderBy(
      asc(sectorOutputTotals.regionCode),
      asc(sectorOutputTotals.sector),
      desc(sectorOutputTotals.period),
    )
    .limit(5000);
}
