import { asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db';
import { regions } from './regions.tables';
import { loadHenanDivisions } from './regions.tree';

/**
 * Loads the shipped divisions into the regions table: inserts new codes, renames changed ones. Runs at every
 * start (cheap: ~180 rows) so a new edition of the data file reaches existing databases without a migration.
 */
export async function syncRegions(db: Db): Promise<number> {
  const { regions: list } = loadHenanDivisions();
  await db
    .insert(regions)
    .values(list.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parentCode })))
    .onConflictDoUpdate({
      target: regions.code,
      set: { name: sql`excluded.name`, level: sql`excluded.level`, parentCode: sql`excluded.parent_code` },
    });
  return list.length;
}

/** Children of a region (or the roots), each with its number of children, sorted by code. */
export async function findRegionChildren(db: Db, parentCode: string | null) {
  const child = sql`(select count(*)::int from ${regions} c where c.parent_code = ${regions.code})`;
  return db
    .select({
      code: regions.code,
      name: regions.name,
      level: regions.level,
      parentCode: regions.parentCode,
      childCount: sql<number>`${child}`.mapWith(Number),
    })
    .from(regions)
    .where(parentCode ? eq(regions.parentCode, parentCode) : isNull(regions.parentCode))
    .orderBy(asc(regions.code));
}

export async function findRegion(db: Db, code: string) {
  const [row] = await db.select().from(regions).where(eq(regions.code, code));
  return row;
}
