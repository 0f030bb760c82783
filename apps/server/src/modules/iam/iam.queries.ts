import { and, eq, sql } from 'drizzle-orm';
import { type Actor, regionCondition } from '../../platform/access';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { apiTokens, orgUnits, users } from './iam.tables';

/** Users of org units in the actor's region subtree, optionally filtered by a name fragment. */
export async function findUsersInScope(
  db: Db,
  actor: Actor,
  query: { q?: string | undefined; limit: number },
  now: Date,
) {
  const conditions = [regionCondition(actor, orgUnits.regionCode)];
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(${users.username} ilike ${pattern} or ${users.displayName} ilike ${pattern})`);
  }
  const list = await db
    .select({ user: users, org: orgUnits })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(and(...conditions))
    .orderBy(orgUnits.regionCode, users.username)
    .limit(query.limit);
  return list.map(({ user, org }) => ({
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    orgUnit: { id: org.id, name: org.name, regionCode: org.regionCode, tier: org.tier },
    locked: !!user.lockedUntil && user.lockedUntil > now,
    disabled: !!user.disabledAt,
    mfaEnabled: user.mfaEnabled,
  }));
}

/** A user in the actor's region subtree; one outside it answers NOT_FOUND, exactly like a missing one. */
export async function getUserInScope(db: Db, actor: Actor, userId: string) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(and(eq(users.id, userId), regionCondition(actor, orgUnits.regionCode)));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function orgUnitInScope(db: Db, actor: Actor, orgUnitId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(eq(orgUnits.id, orgUnitId), regionCondition(actor, orgUnits.regionCode)));
  return !!row;
}

export async function tokenInScope(db: Db, actor: Actor, tokenId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .innerJoin(orgUnits, eq(orgUnits.id, apiTokens.orgUnitId))
    .where(and(eq(apiTokens.id, tokenId), regionCondition(actor, orgUnits.regionCode)));
  return !!row;
}
