import { createHash, randomBytes } from 'node:crypto';
import {
  isOfficialRole,
  type Me,
  type Permission,
  permissionsFor,
  type Role,
  type Sector,
  type Tier,
} from '@sibao/contracts';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/access';
import { type AuditContext, writeAudit } from '../../platform/audit';
import type { PiiCipher } from '../../platform/crypto';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { regions } from '../regions/regions.tables';
import { regionPrefix, tierOf } from '../regions/regions.tree';
import { checkPasswordPolicy, dummyPasswordHash, hashPassword, verifyPassword } from './iam.password';
import { apiTokens, orgUnits, sessions, users } from './iam.tables';
import { newTotpSecret, otpauthUri, verifyTotp } from './iam.totp';

export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60;
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_SECONDS = 15 * 60;
/** How often last_seen_at is written: idle timeout is measured to this precision, without a write per request. */
const TOUCH_SECONDS = 30;

export interface IamSettings {
  mfaRequiredForOfficials: boolean;
  passwordMaxAgeDays: number;
  pii: PiiCipher;
  now?: () => Date;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function nowOf(settings: IamSettings): Date {
  return settings.now ? settings.now() : new Date();
}

interface UserRow {
  user: typeof users.$inferSelect;
  org: typeof orgUnits.$inferSelect;
  regionName: string | null;
}

async function findUserWithOrg(db: Db, where: ReturnType<typeof eq>): Promise<UserRow | undefined> {
  const [row] = await db
    .select({ user: users, org: orgUnits, regionName: regions.name })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .leftJoin(regions, eq(regions.code, orgUnits.regionCode))
    .where(where);
  return row;
}

function passwordExpired(row: UserRow, settings: IamSettings): boolean {
  if (!isOfficialRole(row.user.role) || settings.passwordMaxAgeDays <= 0) return false;
  const age = nowOf(settings).getTime() - row.user.passwordChangedAt.getTime();
  return age > settings.passwordMaxAgeDays * 86_400_000;
}

function mfaRequired(role: Role, settings: IamSettings): boolean {
  return settings.mfaRequiredForOfficials && isOfficialRole(role);
}

function actorFromUser(row: UserRow, session: typeof sessions.$inferSelect, settings: IamSettings): Actor {
  const { user, org } = row;
  let pending: Actor['pending'] = null;
  if (!session.mfaVerified) pending = user.mfaEnabled ? 'mfa' : 'mfa_enrolment';
  return {
    kind: 'user',
    userId: user.id,
    tokenId: null,
    sessionId: session.id,
    username: user.username,
    role: user.role,
    orgUnitId: org.id,
    regionCode: org.regionCode,
    regionPrefix: regionPrefix(org.regionCode, tierOf(org.regionCode)),
    tier: org.tier,
    sectors: org.sectors as Sector[],
    enterpriseId: org.enterpriseId,
    permissions: new Set(permissionsFor(user.role, org.tier)),
    pending,
    passwordExpired: passwordExpired(row, settings),
  };
}

export interface LoginInput {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export type LoginOutcome = {
  status: 'ok' | 'mfa_required' | 'mfa_enrolment_required';
  sessionToken: string;
  actor: Actor;
};

/**
 * Checks a username and password. Unknown users, disabled users and wrong passwords get the same error after
 * the same argon2 work; five failures in a row lock the account for 15 minutes. On success a new session is
 * created (never reusing one: no fixation); officials with a second factor must then pass it.
 * Throws LOGIN_FAILED or ACCOUNT_LOCKED.
 */
export async function login(db: Db, settings: IamSettings, input: LoginInput): Promise<LoginOutcome> {
  const now = nowOf(settings);
  const row = await findUserWithOrg(db, sql`lower(${users.username}) = lower(${input.username})` as never);
  if (!row || row.user.disabledAt) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw new AppError('LOGIN_FAILED');
  }
  if (row.user.lockedUntil && row.user.lockedUntil > now) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw new AppError('ACCOUNT_LOCKED');
  }
  const ok = await verifyPassword(row.user.passwordHash, input.password);
  const auditActor = {
    userId: row.user.id,
    tokenId: null,
    username: row.user.username,
    orgUnitId: row.org.id,
    regionCode: row.org.regionCode,
  };
  if (!ok) {
    await db.transaction(async (tx) => {
      const failures = row.user.failedLogins + 1;
      const lock = failures >= MAX_FAILED_LOGINS;
      await tx
        .update(users)
        .set({
          failedLogins: lock ? 0 : failures,
          lockedUntil: lock ? new Date(now.getTime() + LOCKOUT_SECONDS * 1000) : null,
        })
        .where(eq(users.id, row.user.id));
      await writeAudit(
        tx,
        { actor: auditActor, requestId: input.requestId, ip: input.ip },
        {
          action: lock ? 'iam.account_locked' : 'iam.login_failed',
          objectType: 'user',
          objectId: row.user.id,
          summary: { failures },
        },
      );
    });
    throw new AppError('LOGIN_FAILED');
  }
  const token = randomBytes(32).toString('base64url');
  const needsMfa = row.user.mfaEnabled || mfaRequired(row.user.role, settings);
  const session = {
    id: newId(),
    tokenHash: sha256(token),
    userId: row.user.id,
    mfaVerified: !needsMfa,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_SECONDS * 1000),
    endedAt: null,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  };
  await db.transaction(async (tx) => {
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, row.user.id));
    await tx.insert(sessions).values(session);
    await writeAudit(
      tx,
      { actor: auditActor, requestId: input.requestId, ip: input.ip },
      {
        action: 'iam.login',
        objectType: 'session',
        objectId: session.id,
        summary: { mfaPending: needsMfa },
      },
    );
  });
  const actor = actorFromUser(row, session, settings);
  const status = !needsMfa ? 'ok' : row.user.mfaEnabled ? 'mfa_required' : 'mfa_enrolment_required';
  return { status, sessionToken: token, actor };
}

/**
 * The actor behind a session cookie, or null. Ended, idle (30 min) and expired (12 h) sessions and
 * disabled users give null at once; the session row is ended so it cannot come back.
 */
export async function authenticateSession(
  db: Db,
  settings: IamSettings,
  token: string,
): Promise<Actor | null> {
  const now = nowOf(settings);
  // One round trip on the hot path: the session with its user, org unit and region.
  const [joined] = await db
    .select({ session: sessions, user: users, org: orgUnits, regionName: regions.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .leftJoin(regions, eq(regions.code, orgUnits.regionCode))
    .where(eq(sessions.tokenHash, sha256(token)));
  if (!joined || joined.session.endedAt) return null;
  const found = joined.session;
  const idle = now.getTime() - found.lastSeenAt.getTime() > SESSION_IDLE_SECONDS * 1000;
  if (idle || found.expiresAt <= now) {
    await db.update(sessions).set({ endedAt: now }).where(eq(sessions.id, found.id));
    return null;
  }
  const row: UserRow = { user: joined.user, org: joined.org, regionName: joined.regionName };
  if (row.user.disabledAt) return null;
  if (now.getTime() - found.lastSeenAt.getTime() > TOUCH_SECONDS * 1000) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, found.id));
  }
  return actorFromUser(row, found, settings);
}

export const API_TOKEN_PREFIX = 'sbt_';

/** The actor behind an API token (`Authorization: Bearer sbt_…`), or null if unknown, expired or revoked. */
export async function authenticateToken(db: Db, settings: IamSettings, token: string): Promise<Actor | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const now = nowOf(settings);
  const [row] = await db
    .select({ token: apiTokens, org: orgUnits })
    .from(apiTokens)
    .innerJoin(orgUnits, eq(orgUnits.id, apiTokens.orgUnitId))
    .where(
      and(eq(apiTokens.tokenHash, sha256(token)), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)),
    );
  if (!row) return null;
  if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
  }
  const allowed = new Set(permissionsFor(row.token.role, row.org.tier));
  return {
    kind: 'token',
    userId: null,
    tokenId: row.token.id,
    sessionId: null,
    username: `token:${row.token.name}`,
    role: row.token.role,
    orgUnitId: row.org.id,
    regionCode: row.org.regionCode,
    regionPrefix: regionPrefix(row.org.regionCode, tierOf(row.org.regionCode)),
    tier: row.org.tier,
    sectors: row.org.sectors as Sector[],
    enterpriseId: row.org.enterpriseId,
    permissions: new Set(row.token.permissions.filter((p): p is Permission => allowed.has(p as Permission))),
    pending: null,
    passwordExpired: false,
  };
}

/** Ends one session (logout) or all of a user's sessions (disable, password change). */
export async function endSessions(
  db: Db,
  where: { sessionId?: string; userId?: string; exceptSessionId?: string },
  now = new Date(),
) {
  const conditions = [isNull(sessions.endedAt)];
  if (where.sessionId) conditions.push(eq(sessions.id, where.sessionId));
  if (where.userId) conditions.push(eq(sessions.userId, where.userId));
  if (where.exceptSessionId) conditions.push(sql`${sessions.id} <> ${where.exceptSessionId}`);
  await db
    .update(sessions)
    .set({ endedAt: now })
    .where(and(...conditions));
}

/** What /auth/me answers: who the actor is, where, and what it may do. */
export async function describeActor(db: Db, settings: IamSettings, actor: Actor): Promise<Me> {
  if (!actor.userId) throw new AppError('FORBIDDEN');
  const row = await findUserWithOrg(db, eq(users.id, actor.userId));
  if (!row) throw new AppError('UNAUTHENTICATED');
  const [session] = actor.sessionId
    ? await db.select().from(sessions).where(eq(sessions.id, actor.sessionId))
    : [];
  return {
    user: {
      id: row.user.id,
      username: row.user.username,
      displayName: row.user.displayName,
      role: row.user.role,
      mfaEnabled: row.user.mfaEnabled,
      passwordExpired: actor.passwordExpired,
    },
    orgUnit: { id: row.org.id, name: row.org.name, kind: row.org.kind, enterpriseId: row.org.enterpriseId },
    region: { code: row.org.regionCode, name: row.regionName ?? row.org.regionCode },
    tier: row.org.tier as Tier,
    sectors: row.org.sectors as Sector[],
    permissions: [...actor.permissions],
    mfaRequired: mfaRequired(row.user.role, settings),
    session: {
      idleTimeoutSeconds: SESSION_IDLE_SECONDS,
      expiresAt: (session?.expiresAt ?? new Date()).toISOString(),
    },
  };
}

/** Starts TOTP enrolment: a new secret (encrypted at rest), shown once. Refused if MFA is already on. */
export async function startMfaEnrolment(db: Db, settings: IamSettings, actor: Actor) {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId!));
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (user.mfaEnabled) throw new AppError('CONFLICT', { detail: 'MFA is already enabled' });
  const secret = newTotpSecret();
  await db
    .update(users)
    .set({ mfaSecret: settings.pii.encrypt(secret) })
    .where(eq(users.id, user.id));
  return { secret, otpauthUri: otpauthUri(secret, user.username) };
}

async function acceptTotp(_tx: Db, settings: IamSettings, user: typeof users.$inferSelect, code: string) {
  if (!user.mfaSecret) throw new AppError('MFA_NOT_ENROLLED');
  const step = verifyTotp(settings.pii.decrypt(user.mfaSecret), code, nowOf(settings).getTime());
  if (step === null || (user.mfaLastStep !== null && step <= user.mfaLastStep))
    throw new AppError('MFA_INVALID');
  return step;
}

/**
 * Confirms enrolment (first code) or the second step of a login (later codes). Either way the session
 * becomes fully signed in. Each code is accepted once.
 */
export async function completeMfa(
  db: Db,
  settings: IamSettings,
  actor: Actor,
  code: string,
  context: AuditContext,
  mode: 'confirm' | 'verify',
): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, actor.userId!)).for('update');
    if (!user) throw new AppError('UNAUTHENTICATED');
    if (mode === 'verify' && !user.mfaEnabled) throw new AppError('MFA_NOT_ENROLLED');
    if (mode === 'confirm' && user.mfaEnabled)
      throw new AppError('CONFLICT', { detail: 'MFA is already enabled' });
    const step = await acceptTotp(tx, settings, user, code);
    await tx.update(users).set({ mfaEnabled: true, mfaLastStep: step }).where(eq(users.id, user.id));
    if (actor.sessionId)
      await tx.update(sessions).set({ mfaVerified: true }).where(eq(sessions.id, actor.sessionId));
    await writeAudit(tx, context, {
      action: mode === 'confirm' ? 'iam.mfa_enrolled' : 'iam.mfa_verified',
      objectType: 'user',
      objectId: user.id,
    });
  });
}

/** Changes the actor's password after checking the current one and the policy; ends the user's other sessions. */
export async function changePassword(
  db: Db,
  settings: IamSettings,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  context: AuditContext,
): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId!));
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw new AppError('PASSWORD_WRONG');
  const violations = checkPasswordPolicy(input.newPassword, user.username);
  if (input.newPassword === input.currentPassword) violations.push('common');
  if (violations.length) {
    throw new AppError('PASSWORD_WEAK', {
      errors: violations.map((v) => ({
        path: 'newPassword',
        code: `PASSWORD_${v.toUpperCase()}`,
        message: v,
      })),
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: nowOf(settings) })
      .where(eq(users.id, user.id));
    await endSessions(tx, {
      userId: user.id,
      ...(actor.sessionId ? { exceptSessionId: actor.sessionId } : {}),
    });
    await writeAudit(tx, context, { action: 'iam.password_changed', objectType: 'user', objectId: user.id });
  });
}

export async function listSessions(db: Db, settings: IamSettings, actor: Actor) {
  const now = nowOf(settings);
  const list = await db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, actor.userId!),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_SECONDS * 1000)),
      ),
    )
    .orderBy(sessions.createdAt);
  return list.map((s) => ({
    id: s.id,
    current: s.id === actor.sessionId,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
  }));
}

/** Ends one of the actor's own sessions; someone else's session answers exactly like a missing one. */
export async function endOwnSession(db: Db, actor: Actor, sessionId: string, context: AuditContext) {
  await db.transaction(async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ endedAt: new Date() })
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, actor.userId!), isNull(sessions.endedAt)))
      .returning({ id: sessions.id });
    if (ended.length === 0) throw new AppError('NOT_FOUND');
    await writeAudit(tx, context, {
      action: 'iam.session_ended',
      objectType: 'session',
      objectId: sessionId,
    });
  });
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  orgUnitId: string;
  role: Role;
  password: string;
}

/** Creates a user in an org unit after checking the password policy. Throws USERNAME_TAKEN, PASSWORD_WEAK. */
export async function createUser(db: Db, input: CreateUserInput, context: AuditContext): Promise<string> {
  const violations = checkPasswordPolicy(input.password, input.username);
  if (violations.length) {
    throw new AppError('PASSWORD_WEAK', {
      errors: violations.map((v) => ({ path: 'password', code: `PASSWORD_${v.toUpperCase()}`, message: v })),
    });
  }
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [org] = await tx.select().from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
    if (!org) throw new AppError('NOT_FOUND', { detail: 'org unit' });
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${input.username})`);
    if (taken) throw new AppError('USERNAME_TAKEN');
    const id = newId();
    await tx.insert(users).values({
      id,
      username: input.username,
      displayName: input.displayName,
      orgUnitId: org.id,
      role: input.role,
      passwordHash,
    });
    await writeAudit(tx, context, {
      action: 'iam.user_created',
      objectType: 'user',
      objectId: id,
      summary: { username: input.username, role: input.role, orgUnit: org.name },
    });
    return id;
  });
}

/** Disables a user and ends every session at once. */
export async function disableUser(db: Db, userId: string, context: AuditContext) {
  await db.transaction(async (tx) => {
    const done = await tx
      .update(users)
      .set({ disabledAt: new Date() })
      .where(eq(users.id, userId))
      .returning({ id: users.id });
    if (!done.length) throw new AppError('NOT_FOUND');
    await endSessions(tx, { userId });
    await writeAudit(tx, context, { action: 'iam.user_disabled', objectType: 'user', objectId: userId });
  });
}

/** Lifts a lockout before its 15 minutes are over. */
export async function unlockUser(db: Db, userId: string, context: AuditContext) {
  await db.transaction(async (tx) => {
    const done = await tx
      .update(users)
      .set({ lockedUntil: null, failedLogins: 0 })
      .where(eq(users.id, userId))
      .returning({ id: users.id });
    if (!done.length) throw new AppError('NOT_FOUND');
    await writeAudit(tx, context, { action: 'iam.user_unlocked', objectType: 'user', objectId: userId });
  });
}

export interface CreateTokenInput {
  name: string;
  orgUnitId: string;
  role: Role;
  permissions: Permission[];
  expiresAt: Date;
}

/**
 * Issues an API token for a machine client. The token is returned once; only its SHA-256 is stored.
 * Its permissions are capped by what its role may do at its org unit's tier.
 */
export async function createApiToken(db: Db, input: CreateTokenInput, context: AuditContext) {
  const secret = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = newId();
  await db.transaction(async (tx) => {
    const [org] = await tx.select().from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
    if (!org) throw new AppError('NOT_FOUND', { detail: 'org unit' });
    const allowed = new Set(permissionsFor(input.role, org.tier));
    const bad = input.permissions.filter((p) => !allowed.has(p));
    if (bad.length) {
      throw new AppError('VALIDATION_FAILED', {
        errors: bad.map((p) => ({ path: 'permissions', code: 'PERMISSION_NOT_ALLOWED', message: p })),
      });
    }
    await tx.insert(apiTokens).values({
      id,
      name: input.name,
      tokenHash: sha256(secret),
      orgUnitId: org.id,
      role: input.role,
      permissions: input.permissions,
      expiresAt: input.expiresAt,
    });
    await writeAudit(tx, context, {
      action: 'iam.token_created',
      objectType: 'api_token',
      objectId: id,
      summary: { name: input.name, permissions: input.permissions, expiresAt: input.expiresAt.toISOString() },
    });
  });
  return { id, token: secret };
}

export async function revokeApiToken(db: Db, tokenId: string, context: AuditContext) {
  await db.transaction(async (tx) => {
    const done = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (!done.length) throw new AppError('NOT_FOUND');
    await writeAudit(tx, context, {
      action: 'iam.token_revoked',
      objectType: 'api_token',
      objectId: tokenId,
    });
  });
}
