import type { Sector } from '@sibao/contracts';
import { and, asc, eq, gt, inArray, or, type SQL, sql } from 'drizzle-orm';
import { type Actor, enterpriseCondition } from '../../platform/access';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { enterpriseLiaisons, enterpriseLinks, enterprises } from './enterprises.tables';

export interface EnterpriseFilter {
  q?: string | undefined;
  sector?: Sector | undefined;
  region?: string | undefined;
}

/** The row scope of enterprises for an actor (region subtree, department sectors, own enterprise). */
export function enterpriseScope(actor: Actor): SQL {
  return enterpriseCondition(actor, {
    enterpriseId: enterprises.id,
    regionCode: enterprises.regionCode,
    sectors: enterprises.sectors,
  });
}

function filterConditions(actor: Actor, filter: EnterpriseFilter): SQL[] {
  const conditions = [enterpriseScope(actor)];
  if (filter.sector) conditions.push(sql`${enterprises.sectors} @> array[${filter.sector}]::text[]`);
  if (filter.region)
    conditions.push(sql`${enterprises.regionCode} like ${`${filter.region.replace(/0+$/, '')}%`}`);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      sql`(${enterprises.name} ilike ${pattern} or ${enterprises.uscc} = ${filter.q.toUpperCase()})`,
    );
  }
  return conditions;
}

/** One page of enterprises the actor may see, in id (creation) order after `cursor`, plus the scoped total. */
export async function findEnterprises(
  db: Db,
  actor: Actor,
  filter: EnterpriseFilter & { limit: number; cursor?: string | undefined },
) {
  const conditions = filterConditions(actor, filter);
  const page = await db
    .select()
    .from(enterprises)
    .where(and(...conditions, filter.cursor ? gt(enterprises.id, filter.cursor) : undefined))
    .orderBy(asc(enterprises.id))
    .limit(filter.limit + 1);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(enterprises)
    .where(and(...conditions));
  const hasMore = page.length > filter.limit;
  const items = hasMore ? page.slice(0, filter.limit) : page;
  return { items, total: count?.n ?? 0, nextCursor: hasMore ? items[items.length - 1]!.id : null };
}

/** Every enterprise the actor may see, in batches, for exports (the same scope as the list). */
export async function* streamEnterprises(db: Db, actor: Actor, filter: EnterpriseFilter, batch = 2000) {
  const conditions = filterConditions(actor, filter);
  let cursor: string | null = null;
  for (;;) {
    const rows = await db
      .select()
      .from(enterprises)
      .where(and(...conditions, cursor ? gt(enterprises.id, cursor) : undefined))
      .orderBy(asc(enterprises.id))
      .limit(batch);
    yield* rows;
    if (rows.length < batch) return;
    cursor = rows[rows.length - 1]!.id;
  }
}

/** An enterprise the actor may see; another region's or sector's answers NOT_FOUND like a missing one. */
export async function getEnterprise(db: Db, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(enterprises)
    .where(and(eq(enterprises.id, id), enterpriseScope(actor)));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function findExistingUsccs(db: Db, usccs: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < usccs.length; i += 5000) {
    const rows = await db
      .select({ uscc: enterprises.uscc })
      .from(enterprises)
      .where(inArray(enterprises.uscc, usccs.slice(i, i + 5000)));
    for (const r of rows) found.add(r.uscc);
  }
  return found;
}

export async function insertEnterprises(db: Db, rows: Array<typeof enterprises.$inferInsert>) {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(enterprises).values(rows.slice(i, i + 1000));
}

export async function findEnterpriseByUscc(db: Db, uscc: string) {
  const [row] = await db.select().from(enterprises).where(eq(enterprises.uscc, uscc));
  return row ?? null;
}

/** Enterprises by id, unscoped (the caller has already scoped the ids). */
export async function findEnterprisesByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(enterprises).where(inArray(enterprises.id, ids));
}

/** Links of an enterprise in both directions, with the enterprise on the other side. */
export async function findLinks(db: Db, enterpriseId: string) {
  return db
    .select({ link: enterpriseLinks, other: enterprises })
    .from(enterpriseLinks)
    .innerJoin(enterprises, eq(enterprises.id, enterpriseLinks.linkedEnterpriseId))
    .where(eq(enterpriseLinks.enterpriseId, enterpriseId))
    .orderBy(asc(enterpriseLinks.createdAt));
}

/**
 * Ids of the enterprises linked to one (either side of a link): 链式保障 flags an application when one of
 * them is on the whitelist.
 */
export async function findLinkedEnterpriseIds(db: Db, enterpriseId: string): Promise<string[]> {
  const rows = await db
    .select({ a: enterpriseLinks.enterpriseId, b: enterpriseLinks.linkedEnterpriseId })
    .from(enterpriseLinks)
    .where(
      or(
        eq(enterpriseLinks.enterpriseId, enterpriseId),
        eq(enterpriseLinks.linkedEnterpriseId, enterpriseId),
      ),
    );
  return [...new Set(rows.map((r) => (r.a === enterpriseId ? r.b : r.a)))];
}

export async function findLiaison(db: Db, enterpriseId: string) {
  const [row] = await db
    .select()
    .from(enterpriseLiaisons)
    .where(eq(enterpriseLiaisons.enterpriseId, enterpriseId));
  return row ?? null;
}

export async function findLiaisons(db: Db, enterpriseIds: string[]) {
  if (enterpriseIds.length === 0) return [];
  return db.select().from(enterpriseLiaisons).where(inArray(enterpriseLiaisons.enterpriseId, enterpriseIds));
}

/**
 * The liaison's phone (encrypted) of an enterprise the actor may see, for the audited reveal path; null when
 * the enterprise is not the actor's or has no liaison.
 */
export async function findLiaisonPhoneEncrypted(
  db: Db,
  actor: Actor,
  enterpriseId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ phone: enterpriseLiaisons.phoneEncrypted })
    .from(enterpriseLiaisons)
    .innerJoin(enterprises, eq(enterprises.id, enterpriseLiaisons.enterpriseId))
    .where(and(eq(enterprises.id, enterpriseId), enterpriseScope(actor)));
  return row?.phone ?? null;
}
