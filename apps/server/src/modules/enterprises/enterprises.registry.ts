import { createHash, randomInt } from 'node:crypto';
import type { CreateEnterpriseBody, Sector } from '@sibao/contracts';
import { and, desc, eq, gt, isNull, type SQL, sql } from 'drizzle-orm';
import { type Actor, regionCondition } from '../../platform/access';
import { type AuditContext, writeAudit } from '../../platform/audit';
import type { PiiCipher } from '../../platform/crypto';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { checkPasswordPolicy, hashPassword, orgUnits, users } from '../iam';
import { loadHenanDivisions } from '../regions';
import { findEnterpriseByUscc, getEnterprise } from './enterprises.queries';
import {
  activationCodes,
  enterpriseLiaisons,
  enterpriseLinks,
  enterpriseRegistrations,
  enterprises,
} from './enterprises.tables';

let counties: Set<string> | undefined;
function isCounty(code: string): boolean {
  counties ??= new Set(
    loadHenanDivisions()
      .regions.filter((r) => r.level === 'county' || r.level === 'zone')
      .map((r) => r.code),
  );
  return counties.has(code);
}

function outOfScope(path: string, code: string): AppError {
  return new AppError('FORBIDDEN', { errors: [{ path, code, message: 'outside your region or sectors' }] });
}

/** The enterprise fields an official may register must lie in the official's region (and sectors). */
function checkRegistrable(actor: Actor, body: CreateEnterpriseBody): void {
  if (!isCounty(body.regionCode)) {
    throw new AppError('ENTERPRISE_REGION_NOT_COUNTY', {
      errors: [{ path: 'body.regionCode', code: 'ENTERPRISE_REGION_NOT_COUNTY', message: 'county code' }],
    });
  }
  if (!body.regionCode.startsWith(actor.regionPrefix))
    throw outOfScope('body.regionCode', 'REGION_OUT_OF_SCOPE');
  if (actor.role === 'sector_department' && !body.sectors.some((s) => actor.sectors.includes(s)))
    throw outOfScope('body.sectors', 'SECTOR_OUT_OF_SCOPE');
}

function enterpriseRow(body: CreateEnterpriseBody): typeof enterprises.$inferInsert {
  return {
    id: newId(),
    kind: body.kind,
    uscc: body.uscc,
    name: body.name,
    sectors: [...new Set(body.sectors)],
    regionCode: body.regionCode,
    address: body.address,
    headcount: body.headcount,
    annualValueFen: body.annualValueFen,
    cityOperations: body.cityOperations || body.sectors.includes('city_operations'),
  };
}

async function assertUsccFree(db: Db, uscc: string): Promise<void> {
  if (await findEnterpriseByUscc(db, uscc)) {
    throw new AppError('ENTERPRISE_USCC_EXISTS', {
      errors: [{ path: 'body.uscc', code: 'ENTERPRISE_USCC_EXISTS', message: 'already registered' }],
    });
  }
}

/**
 * Registers one enterprise (an official, within the official's region and sectors). The USCC is validated by
 * the body schema and must be new: ENTERPRISE_USCC_EXISTS otherwise (also when two requests race: the unique
 * index decides).
 */
export async function createEnterprise(
  db: Db,
  actor: Actor,
  body: CreateEnterpriseBody,
  context: AuditContext,
) {
  checkRegistrable(actor, body);
  return db.transaction(async (tx) => {
    await assertUsccFree(tx, body.uscc);
    const row = enterpriseRow(body);
    const [created] = await tx.insert(enterprises).values(row).onConflictDoNothing().returning();
    if (!created) throw new AppError('ENTERPRISE_USCC_EXISTS');
    await writeAudit(tx, context, {
      action: 'enterprises.created',
      objectType: 'enterprise',
      objectId: created.id,
      summary: {
        uscc: created.uscc,
        name: created.name,
        sectors: created.sectors,
        region: created.regionCode,
      },
    });
    return created;
  });
}

/** Adds an upstream/downstream link (链式保障); both enterprises must be visible to the actor. */
export async function addEnterpriseLink(
  db: Db,
  actor: Actor,
  enterpriseId: string,
  input: { linkedEnterpriseId: string; direction: 'upstream' | 'downstream'; note: string | null },
  context: AuditContext,
) {
  if (enterpriseId === input.linkedEnterpriseId) throw new AppError('ENTERPRISE_LINK_SELF');
  return db.transaction(async (tx) => {
    const own = await getEnterprise(tx, actor, enterpriseId);
    // The other side may be anywhere in the province (a supplier in another city): only its existence matters.
    const [other] = await tx.select().from(enterprises).where(eq(enterprises.id, input.linkedEnterpriseId));
    if (!other) throw new AppError('NOT_FOUND', { detail: 'linked enterprise' });
    const id = newId();
    const [link] = await tx
      .insert(enterpriseLinks)
      .values({
        id,
        enterpriseId: own.id,
        linkedEnterpriseId: other.id,
        direction: input.direction,
        note: input.note,
      })
      .onConflictDoNothing()
      .returning();
    if (!link) throw new AppError('ENTERPRISE_LINK_EXISTS');
    await writeAudit(tx, context, {
      action: 'enterprises.link_added',
      objectType: 'enterprise',
      objectId: own.id,
      summary: { linked: other.id, linkedName: other.name, direction: input.direction },
    });
    return { link, other };
  });
}

export async function removeEnterpriseLink(
  db: Db,
  actor: Actor,
  enterpriseId: string,
  linkId: string,
  context: AuditContext,
) {
  await db.transaction(async (tx) => {
    const own = await getEnterprise(tx, actor, enterpriseId);
    const deleted = await tx
      .delete(enterpriseLinks)
      .where(and(eq(enterpriseLinks.id, linkId), eq(enterpriseLinks.enterpriseId, own.id)))
      .returning();
    if (!deleted.length) throw new AppError('NOT_FOUND');
    await writeAudit(tx, context, {
      action: 'enterprises.link_removed',
      objectType: 'enterprise',
      objectId: own.id,
      summary: { linked: deleted[0]!.linkedEnterpriseId, direction: deleted[0]!.direction },
    });
  });
}

/** Assigns (or replaces) the liaison cadre; the phone is stored encrypted with a keyed hash, never logged. */
export async function setLiaison(
  db: Db,
  pii: PiiCipher,
  actor: Actor,
  enterpriseId: string,
  input: { name: string; phone: string; orgUnitName: string | null },
  context: AuditContext,
) {
  return db.transaction(async (tx) => {
    const own = await getEnterprise(tx, actor, enterpriseId);
    const values = {
      enterpriseId: own.id,
      name: input.name,
      phoneEncrypted: pii.encrypt(input.phone),
      phoneHash: pii.lookupHash('phone', input.phone),
      orgUnitName: input.orgUnitName,
      assignedAt: new Date(),
    };
    const [row] = await tx
      .insert(enterpriseLiaisons)
      .values(values)
      .onConflictDoUpdate({ target: enterpriseLiaisons.enterpriseId, set: values })
      .returning();
    await writeAudit(tx, context, {
      action: 'enterprises.liaison_assigned',
      objectType: 'enterprise',
      objectId: own.id,
      summary: { liaison: input.name, orgUnit: input.orgUnitName },
    });
    return row!;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Accounts: activation codes (claim) and self-registration (confirmed by the county)

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function hashActivationCode(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');
}

/**
 * Issues an activation code for an enterprise in the actor's scope: returned once, stored only as its
 * SHA-256, valid for `validDays`. Earlier unused codes of the enterprise stop working.
 */
export async function issueActivationCode(
  db: Db,
  actor: Actor,
  enterpriseId: string,
  validDays: number,
  now: Date,
  context: AuditContext,
) {
  let raw = '';
  for (let i = 0; i < 12; i++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  const expiresAt = new Date(now.getTime() + validDays * 86_400_000);
  await db.transaction(async (tx) => {
    const own = await getEnterprise(tx, actor, enterpriseId);
    await tx
      .update(activationCodes)
      .set({ usedAt: now })
      .where(and(eq(activationCodes.enterpriseId, own.id), isNull(activationCodes.usedAt)));
    await tx.insert(activationCodes).values({
      id: newId(),
      enterpriseId: own.id,
      codeHash: hashActivationCode(code),
      expiresAt,
      createdBy: actor.username,
    });
    await writeAudit(tx, context, {
      action: 'enterprises.activation_code_issued',
      objectType: 'enterprise',
      objectId: own.id,
      summary: { expiresAt: expiresAt.toISOString() },
    });
  });
  return { code, expiresAt };
}

function assertPassword(password: string, username: string): void {
  const violations = checkPasswordPolicy(password, username);
  if (violations.length) {
    throw new AppError('PASSWORD_WEAK', {
      errors: violations.map((v) => ({
        path: 'body.password',
        code: `PASSWORD_${v.toUpperCase()}`,
        message: v,
      })),
    });
  }
}

async function assertUsernameFree(tx: Db, username: string): Promise<void> {
  const [taken] = await tx
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`);
  if (taken) throw new AppError('USERNAME_TAKEN');
}

/** The enterprise's org unit (created when missing) — in the caller's transaction. */
async function enterpriseOrgUnit(tx: Db, enterprise: typeof enterprises.$inferSelect): Promise<string> {
  const [existing] = await tx
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(eq(orgUnits.kind, 'enterprise'), eq(orgUnits.enterpriseId, enterprise.id)));
  if (existing) return existing.id;
  const id = newId();
  await tx.insert(orgUnits).values({
    id,
    kind: 'enterprise',
    name: enterprise.name,
    regionCode: enterprise.regionCode,
    tier: 'enterprise',
    sectors: enterprise.sectors as Sector[],
    enterpriseId: enterprise.id,
  });
  return id;
}

/**
 * Claims a registered enterprise's account with the activation code from its county: creates the
 * enterprise's org unit (if missing) and its first enterprise user, uses the code up — one transaction.
 * A wrong USCC, a wrong, used or expired code all answer ACTIVATION_CODE_INVALID.
 */
export async function claimEnterprise(
  db: Db,
  input: { uscc: string; code: string; username: string; displayName: string; password: string },
  now: Date,
  context: AuditContext,
) {
  assertPassword(input.password, input.username);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const enterprise = await findEnterpriseByUscc(tx, input.uscc);
    const [code] = enterprise
      ? await tx
          .select()
          .from(activationCodes)
          .where(
            and(
              eq(activationCodes.enterpriseId, enterprise.id),
              eq(activationCodes.codeHash, hashActivationCode(input.code)),
              isNull(activationCodes.usedAt),
              gt(activationCodes.expiresAt, now),
            ),
          )
          .for('update')
      : [];
    if (!enterprise || !code) throw new AppError('ACTIVATION_CODE_INVALID');
    const [claimed] = await tx
      .select({ id: users.id })
      .from(users)
      .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
      .where(and(eq(orgUnits.enterpriseId, enterprise.id), eq(users.role, 'enterprise')));
    if (claimed) throw new AppError('ENTERPRISE_ALREADY_CLAIMED');
    await assertUsernameFree(tx, input.username);
    const orgUnitId = await enterpriseOrgUnit(tx, enterprise);
    const userId = newId();
    await tx.insert(users).values({
      id: userId,
      username: input.username,
      displayName: input.displayName,
      orgUnitId,
      role: 'enterprise',
      passwordHash,
    });
    await tx.update(activationCodes).set({ usedAt: now }).where(eq(activationCodes.id, code.id));
    await writeAudit(tx, context, {
      action: 'enterprises.claimed',
      objectType: 'enterprise',
      objectId: enterprise.id,
      summary: { username: input.username, userId },
    });
    return { enterpriseId: enterprise.id, username: input.username };
  });
}

/**
 * An enterprise not in the registry registers itself; its county confirms it later. Checks USCC, region,
 * password policy and username at once so the applicant hears of problems now, not at confirmation.
 */
export async function registerEnterprise(
  db: Db,
  input: { enterprise: CreateEnterpriseBody; username: string; displayName: string; password: string },
  context: AuditContext,
) {
  if (!isCounty(input.enterprise.regionCode)) throw new AppError('ENTERPRISE_REGION_NOT_COUNTY');
  assertPassword(input.password, input.username);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await assertUsccFree(tx, input.enterprise.uscc);
    await assertUsernameFree(tx, input.username);
    const [pending] = await tx
      .select({ id: enterpriseRegistrations.id })
      .from(enterpriseRegistrations)
      .where(
        and(
          eq(enterpriseRegistrations.uscc, input.enterprise.uscc),
          eq(enterpriseRegistrations.status, 'pending'),
        ),
      );
    if (pending) throw new AppError('ENTERPRISE_USCC_EXISTS', { detail: 'a registration is pending' });
    const id = newId();
    const [row] = await tx
      .insert(enterpriseRegistrations)
      .values({
        id,
        status: 'pending',
        uscc: input.enterprise.uscc,
        regionCode: input.enterprise.regionCode,
        enterprise: input.enterprise,
        username: input.username,
        displayName: input.displayName,
        passwordHash,
      })
      .returning();
    await writeAudit(tx, context, {
      action: 'enterprises.registration_submitted',
      objectType: 'enterprise_registration',
      objectId: id,
      summary: {
        uscc: input.enterprise.uscc,
        name: input.enterprise.name,
        region: input.enterprise.regionCode,
      },
    });
    return row!;
  });
}

function registrationScope(actor: Actor): SQL {
  return regionCondition(actor, enterpriseRegistrations.regionCode);
}

export async function findRegistrations(db: Db, actor: Actor, status?: 'pending' | 'confirmed' | 'rejected') {
  return db
    .select()
    .from(enterpriseRegistrations)
    .where(and(registrationScope(actor), status ? eq(enterpriseRegistrations.status, status) : undefined))
    .orderBy(desc(enterpriseRegistrations.submittedAt))
    .limit(500);
}

/**
 * The county (any official of the region with `enterprises.manage`) confirms a registration — creating the
 * enterprise, its org unit and its user in one transaction — or rejects it with a reason.
 */
export async function decideRegistration(
  db: Db,
  actor: Actor,
  id: string,
  input: { decision: 'confirm' | 'reject'; reason?: string | undefined },
  now: Date,
  context: AuditContext,
) {
  if (input.decision === 'reject' && !input.reason) {
    throw new AppError('VALIDATION_FAILED', {
      errors: [{ path: 'body.reason', code: 'REASON_REQUIRED', message: 'a reason is required' }],
    });
  }
  return db.transaction(async (tx) => {
    const [reg] = await tx
      .select()
      .from(enterpriseRegistrations)
      .where(and(eq(enterpriseRegistrations.id, id), registrationScope(actor)))
      .for('update');
    if (!reg) throw new AppError('NOT_FOUND');
    if (reg.status !== 'pending') throw new AppError('REGISTRATION_NOT_PENDING');
    if (input.decision === 'reject') {
      const [row] = await tx
        .update(enterpriseRegistrations)
        .set({
          status: 'rejected',
          decidedAt: now,
          decidedBy: actor.username,
          reason: input.reason!,
          passwordHash: '',
        })
        .where(eq(enterpriseRegistrations.id, id))
        .returning();
      await writeAudit(tx, context, {
        action: 'enterprises.registration_rejected',
        objectType: 'enterprise_registration',
        objectId: id,
        summary: { uscc: reg.uscc, reason: input.reason },
      });
      return row!;
    }
    const body = reg.enterprise as CreateEnterpriseBody;
    checkRegistrable(actor, body);
    await assertUsccFree(tx, reg.uscc);
    await assertUsernameFree(tx, reg.username);
    const [enterprise] = await tx.insert(enterprises).values(enterpriseRow(body)).returning();
    const orgUnitId = await enterpriseOrgUnit(tx, enterprise!);
    await tx.insert(users).values({
      id: newId(),
      username: reg.username,
      displayName: reg.displayName,
      orgUnitId,
      role: 'enterprise',
      passwordHash: reg.passwordHash,
    });
    const [row] = await tx
      .update(enterpriseRegistrations)
      .set({
        status: 'confirmed',
        decidedAt: now,
        decidedBy: actor.username,
        reason: input.reason ?? null,
        enterpriseId: enterprise!.id,
        passwordHash: '',
      })
      .where(eq(enterpriseRegistrations.id, id))
      .returning();
    await writeAudit(tx, context, {
      action: 'enterprises.registration_confirmed',
      objectType: 'enterprise',
      objectId: enterprise!.id,
      summary: { uscc: reg.uscc, name: enterprise!.name, username: reg.username },
    });
    return row!;
  });
}
