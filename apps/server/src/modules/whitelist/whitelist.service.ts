import {
  type APPLICATION_STATUSES,
  type CriteriaBody,
  type CriteriaResult,
  type RuleCond,
  SECTOR_LABELS,
  type Sector,
  type ServiceTier,
  type TierTable,
  type WhitelistAnswers,
} from '@sibao/contracts';
import { and, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../platform/access';
import { type AuditContext, writeAudit } from '../../platform/audit';
import { businessDate } from '../../platform/clock';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { findLinkedEnterpriseIds, getEnterprise } from '../enterprises';
import { loadParameterStore } from '../parameters';
import { findRegion, regionPrefix, tierOf } from '../regions';
import { applicationFacts, evaluateCriteria, publishIssues } from './whitelist.criteria';
import {
  anyListed,
  findEntriesOf,
  findOpenApplication,
  findPublishedCriteria,
  findUnpublishedEntryIds,
  getApplication,
  getCriteriaById,
  getEntry,
  getSpotCheck,
  lockApplications,
  nextBatchNumber,
  nextCriteriaVersion,
} from './whitelist.queries';
import {
  whitelistApplications,
  whitelistBatches,
  whitelistCriteria,
  whitelistEntries,
  whitelistEntryEvents,
  whitelistSpotChecks,
} from './whitelist.tables';

const DAY_MS = 86_400_000;
type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** The SQL prefix of a region's subtree (`410000` → `41`, `410100` → `4101`, a county → itself). */
export function prefixOf(code: string): string {
  const tier = tierOf(code);
  return regionPrefix(code, tier);
}

/** A region filter must lie inside the actor's region: outside it answers NOT_FOUND, like a missing one. */
export function scopedPrefix(actor: Pick<Actor, 'regionPrefix'>, region: string | undefined): string {
  if (!region) return actor.regionPrefix;
  let prefix: string;
  try {
    prefix = prefixOf(region);
  } catch {
    throw new AppError('REGION_NOT_FOUND');
  }
  if (prefix.startsWith(actor.regionPrefix)) return prefix;
  if (actor.regionPrefix.startsWith(prefix)) return actor.regionPrefix;
  throw new AppError('NOT_FOUND');
}

async function numberParam(db: Db, key: string, date: string): Promise<number> {
  const store = await loadParameterStore(db);
  return Number(store.valueAt(key, date));
}

function actorName(actor: Actor) {
  return actor.username;
}

// ---------------------------------------------------------------------------------------------------------
// Criteria

/** Only a province-tier department of the sector authors its criteria (指南 一; 方案 二(二) 各行业主管部门). */
function assertCriteriaAuthor(actor: Actor, sector: Sector): void {
  if (actor.role !== 'sector_department' || actor.tier !== 'province' || !actor.sectors.includes(sector))
    throw new AppError('FORBIDDEN', {
      detail: 'criteria are authored by the provincial department of the sector',
    });
}

/** Saves a new draft version of a sector's criteria. */
export async function createCriteriaDraft(db: Db, actor: Actor, body: CriteriaBody, context: AuditContext) {
  assertCriteriaAuthor(actor, body.sector);
  return db.transaction(async (tx) => {
    const version = await nextCriteriaVersion(tx, body.sector);
    const [row] = await tx
      .insert(whitelistCriteria)
      .values({
        id: newId(),
        sector: body.sector,
        version,
        status: 'draft',
        title: body.title,
        rule: body.rule,
        tests: body.tests,
        tierTable: body.tierTable,
        managementText: body.managementText,
        createdBy: actorName(actor),
      })
      .returning();
    await writeAudit(tx, context, {
      action: 'whitelist.criteria_drafted',
      objectType: 'whitelist_criteria',
      objectId: row!.id,
      summary: { sector: body.sector, version, title: body.title },
    });
    return row!;
  });
}

export async function updateCriteriaDraft(
  db: Db,
  actor: Actor,
  id: string,
  body: Omit<CriteriaBody, 'sector'>,
  context: AuditContext,
) {
  return db.transaction(async (tx) => {
    const current = await getCriteriaById(tx, id, true);
    assertCriteriaAuthor(actor, current.sector);
    if (current.status !== 'draft') throw new AppError('WHITELIST_CRITERIA_NOT_DRAFT');
    const [row] = await tx
      .update(whitelistCriteria)
      .set({
        title: body.title,
        rule: body.rule,
        tests: body.tests,
        tierTable: body.tierTable,
        managementText: body.managementText,
      })
      .where(eq(whitelistCriteria.id, id))
      .returning();
    await writeAudit(tx, context, {
      action: 'whitelist.criteria_updated',
      objectType: 'whitelist_criteria',
      objectId: id,
      summary: { sector: current.sector, version: current.version, title: body.title },
    });
    return row!;
  });
}

/**
 * Publishes a draft: its rule and tier table must validate and its tests pass (else
 * WHITELIST_CRITERIA_NOT_PUBLISHABLE with every problem). The version published before is retired.
 */
export async function publishCriteria(db: Db, actor: Actor, id: string, now: Date, context: AuditContext) {
  const params = await loadParameterStore(db);
  return db.transaction(async (tx) => {
    const current = await getCriteriaById(tx, id, true);
    assertCriteriaAuthor(actor, current.sector);
    if (current.status !== 'draft') throw new AppError('WHITELIST_CRITERIA_NOT_DRAFT');
    const issues = publishIssues(
      {
        rule: current.rule as RuleCond,
        tests: current.tests as CriteriaBody['tests'],
        tierTable: current.tierTable as TierTable,
      },
      params,
    );
    if (issues.length) throw new AppError('WHITELIST_CRITERIA_NOT_PUBLISHABLE', { errors: issues });
    await tx
      .update(whitelistCriteria)
      .set({ status: 'retired' })
      .where(and(eq(whitelistCriteria.sector, current.sector), eq(whitelistCriteria.status, 'published')));
    const [row] = await tx
      .update(whitelistCriteria)
      .set({ status: 'published', publishedAt: now, publishedBy: actorName(actor) })
      .where(eq(whitelistCriteria.id, id))
      .returning();
    await writeAudit(tx, context, {
      action: 'whitelist.criteria_published',
      objectType: 'whitelist_criteria',
      objectId: id,
      summary: { sector: current.sector, version: current.version, title: current.title },
    });
    return row!;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Applications

async function evaluateFor(
  tx: Db,
  enterprise: {
    id: string;
    kind: string;
    headcount: number;
    annualValueFen: number;
    cityOperations: boolean;
  },
  sector: Sector,
  answers: WhitelistAnswers,
  today: string,
) {
  const criteria = await findPublishedCriteria(tx, sector);
  if (!criteria) throw new AppError('WHITELIST_NO_CRITERIA');
  const linkedToListed = await anyListed(tx, await findLinkedEnterpriseIds(tx, enterprise.id));
  const params = await loadParameterStore(tx);
  const result = evaluateCriteria(
    {
      id: criteria.id,
      version: criteria.version,
      rule: criteria.rule as RuleCond,
      tierTable: criteria.tierTable as TierTable,
    },
    applicationFacts(enterprise, answers, linkedToListed),
    today,
    params,
  );
  const reviewTier: ServiceTier = result.suggestedTier ?? (criteria.tierTable as TierTable).otherwise;
  return { criteria, result, linkedToListed, reviewTier };
}

/**
 * Re-application rules: not while listed (active or suspended) or while an application is open; after a
 * 熔断 removal only once `whitelist.reapplyAfterCircuitBreakerDays` have passed. After a rejection or an
 * ordinary removal an enterprise may apply again at once (达标即入).
 */
async function assertMayApply(tx: Db, enterpriseId: string, sector: Sector, now: Date) {
  const entries = await findEntriesOf(tx, enterpriseId, sector);
  if (entries.some((e) => e.status !== 'removed')) throw new AppError('WHITELIST_ALREADY_LISTED');
  if (await findOpenApplication(tx, enterpriseId, sector))
    throw new AppError('WHITELIST_APPLICATION_PENDING');
  const breaker = entries.find((e) => e.removalKind === 'circuit_breaker' && e.removedAt);
  if (breaker) {
    const days = await numberParam(tx, 'whitelist.reapplyAfterCircuitBreakerDays', businessDate(now));
    if (now.getTime() < breaker.removedAt!.getTime() + days * DAY_MS)
      throw new AppError('WHITELIST_REAPPLY_TOO_SOON', {
        detail: `after ${new Date(breaker.removedAt!.getTime() + days * DAY_MS).toISOString()}`,
      });
  }
}

/**
 * An enterprise applies for a sector's whitelist: the published criteria are evaluated at once (达标即入)
 * and the application is routed to the sector department at the tier the decision table assigns, with a
 * review deadline `whitelist.reviewDays` days away. City-operations and linked enterprises are flagged.
 */
export async function submitApplication(
  db: Db,
  actor: Actor,
  input: {
    enterpriseId?: string | undefined;
    sector: Sector;
    answers: WhitelistAnswers;
    attachments: unknown[];
  },
  now: Date,
  context: AuditContext,
) {
  const enterpriseId = input.enterpriseId ?? actor.enterpriseId;
  if (!enterpriseId) throw new AppError('NOT_FOUND', { detail: 'enterprise' });
  return db.transaction(async (tx) => {
    const enterprise = await getEnterprise(tx, actor, enterpriseId);
    if (!enterprise.sectors.includes(input.sector)) {
      throw new AppError('WHITELIST_SECTOR_MISMATCH', {
        errors: [
          {
            path: 'body.sector',
            code: 'WHITELIST_SECTOR_MISMATCH',
            message: 'not a sector of the enterprise',
          },
        ],
      });
    }
    await assertMayApply(tx, enterprise.id, input.sector, now);
    const today = businessDate(now);
    const { criteria, result, linkedToListed, reviewTier } = await evaluateFor(
      tx,
      enterprise,
      input.sector,
      input.answers,
      today,
    );
    const reviewDays = await numberParam(tx, 'whitelist.reviewDays', today);
    const [row] = await tx
      .insert(whitelistApplications)
      .values({
        id: newId(),
        enterpriseId: enterprise.id,
        sector: input.sector,
        regionCode: enterprise.regionCode,
        status: 'submitted',
        criteriaId: criteria.id,
        answers: input.answers,
        attachments: input.attachments,
        result,
        criteriaStatus: result.status,
        reviewTier,
        cityOperations: enterprise.cityOperations,
        linkedToListed,
        submittedAt: now,
        dueAt: new Date(now.getTime() + reviewDays * DAY_MS),
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('WHITELIST_APPLICATION_PENDING');
    await writeAudit(tx, context, {
      action: 'whitelist.application_submitted',
      objectType: 'whitelist_application',
      objectId: row.id,
      summary: { enterprise: enterprise.name, sector: input.sector, criteria: result.status, reviewTier },
    });
    return row;
  });
}

/** After a return, the enterprise answers again: re-evaluated, and the review clock runs on from where it stopped. */
export async function resubmitApplication(
  db: Db,
  actor: Actor,
  id: string,
  input: { answers: WhitelistAnswers; attachments: unknown[] },
  now: Date,
  context: AuditContext,
) {
  return db.transaction(async (tx) => {
    const { application, enterprise } = await getApplication(tx, actor, id, true);
    if (actor.role !== 'enterprise') throw new AppError('FORBIDDEN');
    if (application.status !== 'returned') throw new AppError('WHITELIST_APPLICATION_DECIDED');
    const { criteria, result, linkedToListed, reviewTier } = await evaluateFor(
      tx,
      enterprise,
      application.sector,
      input.answers,
      businessDate(now),
    );
    const paused = now.getTime() - (application.pausedAt ?? now).getTime();
    const [row] = await tx
      .update(whitelistApplications)
      .set({
        status: 'submitted',
        criteriaId: criteria.id,
        answers: input.answers,
        attachments: input.attachments,
        result,
        criteriaStatus: result.status,
        reviewTier,
        linkedToListed,
        dueAt: new Date(application.dueAt.getTime() + paused),
        pausedAt: null,
      })
      .where(eq(whitelistApplications.id, id))
      .returning();
    await writeAudit(tx, context, {
      action: 'whitelist.application_resubmitted',
      objectType: 'whitelist_application',
      objectId: id,
      summary: { criteria: result.status, pausedMs: paused },
    });
    return row!;
  });
}

/** May this actor review this application: the sector department of its sector, in its region, at its tier. */
export function canReview(
  actor: Actor,
  application: { sector: Sector; reviewTier: ServiceTier; regionCode: string },
) {
  return (
    actor.role === 'sector_department' &&
    actor.permissions.has('whitelist.review') &&
    actor.sectors.includes(application.sector) &&
    actor.tier === application.reviewTier &&
    application.regionCode.startsWith(actor.regionPrefix)
  );
}

/**
 * Reviews an application: approve (creates the entry, with its tier and history), reject (reason) or return
 * for more (reason; the review clock pauses). Another sector's or region's application answers NOT_FOUND; a
 * decided one WHITELIST_APPLICATION_DECIDED (approving twice).
 */
export async function reviewApplication(
  db: Db,
  actor: Actor,
  id: string,
  input: {
    decision: 'approve' | 'reject' | 'return';
    reason?: string | undefined;
    serviceTier?: ServiceTier | undefined;
  },
  now: Date,
  context: AuditContext,
) {
  return db.transaction(async (tx) => {
    const { application, enterprise } = await getApplication(tx, actor, id, true);
    if (actor.role !== 'sector_department') throw new AppError('NOT_FOUND');
    if (application.status !== 'submitted') throw new AppError('WHITELIST_APPLICATION_DECIDED');
    if (!canReview(actor, application))
      throw new AppError('FORBIDDEN', { detail: `reviewed by the ${application.reviewTier} department` });
    return decide(tx, actor, { application, enterprise }, input, now, context);
  });
}

type ReviewInput = {
  decision: 'approve' | 'reject' | 'return';
  reason?: string | undefined;
  serviceTier?: ServiceTier | undefined;
};

/** One decision on a locked, reviewable application, in the caller's transaction (with its audit row). */
async function decide(
  tx: Db,
  actor: Actor,
  { application, enterprise }: Awaited<ReturnType<typeof getApplication>>,
  input: ReviewInput,
  now: Date,
  context: AuditContext,
) {
  const id = application.id;
  const result = application.result as CriteriaResult;
  if (input.decision === 'return') {
    const [row] = await tx
      .update(whitelistApplications)
      .set({ status: 'returned', pausedAt: now, decisionReason: input.reason ?? null })
      .where(eq(whitelistApplications.id, id))
      .returning();
    await writeAudit(tx, context, {
      action: 'whitelist.application_returned',
      objectType: 'whitelist_application',
      objectId: id,
      summary: { reason: input.reason },
    });
    return row!;
  }
  if (input.decision === 'reject') {
    const [row] = await tx
      .update(whitelistApplications)
      .set({
        status: 'rejected',
        decidedAt: now,
        decidedBy: actorName(actor),
        decisionReason: input.reason ?? null,
      })
      .where(eq(whitelistApplications.id, id))
      .returning();
    await writeAudit(tx, context, {
      action: 'whitelist.application_rejected',
      objectType: 'whitelist_application',
      objectId: id,
      summary: { enterprise: enterprise.name, reason: input.reason },
    });
    return row!;
  }
  const serviceTier = input.serviceTier ?? result.suggestedTier ?? application.reviewTier;
  const entryId = newId();
  const reason = `符合遴选标准第${result.criteriaVersion}版，经审核纳入白名单${input.reason ? `：${input.reason}` : ''}`;
  const [entry] = await tx
    .insert(whitelistEntries)
    .values({
      id: entryId,
      enterpriseId: enterprise.id,
      sector: application.sector,
      regionCode: application.regionCode,
      applicationId: application.id,
      status: 'active',
      serviceTier,
      since: now,
      reason,
    })
    .onConflictDoNothing()
    .returning();
  if (!entry) throw new AppError('WHITELIST_ALREADY_LISTED');
  await tx.insert(whitelistEntryEvents).values({
    id: newId(),
    entryId,
    action: 'admitted',
    fromStatus: null,
    toStatus: 'active',
    reason,
    actorName: actorName(actor),
    at: now,
  });
  const [row] = await tx
    .update(whitelistApplications)
    .set({
      status: 'approved',
      decidedAt: now,
      decidedBy: actorName(actor),
      decisionReason: input.reason ?? null,
      entryId,
    })
    .where(eq(whitelistApplications.id, id))
    .returning();
  await writeAudit(tx, context, {
    action: 'whitelist.application_approved',
    objectType: 'whitelist_application',
    objectId: id,
    summary: { enterprise: enterprise.name, sector: application.sector, entryId, serviceTier },
  });
  return row!;
}

/**
 * One decision over many applications, in one transaction and all or nothing: every id must be an
 * application the caller may review now (in its region and sectors, at its tier, still submitted). If any
 * is not, or one approval finds the enterprise already listed, nothing is decided and
 * WHITELIST_REVIEW_BATCH_REFUSED lists each failing id (`errors[].message` is the id, `code` why).
 */
export async function reviewBatch(
  db: Db,
  actor: Actor,
  input: ReviewInput & { ids: string[] },
  now: Date,
  context: AuditContext,
) {
  if (actor.role !== 'sector_department') throw new AppError('NOT_FOUND');
  return db.transaction(async (tx) => {
    const found = new Map((await lockApplications(tx, actor, input.ids)).map((r) => [r.application.id, r]));
    const failures: Array<{ path: string; code: string; message: string }> = [];
    const fail = (index: number, code: string) =>
      failures.push({ path: `body.ids.${index}`, code, message: input.ids[index]! });
    input.ids.forEach((id, index) => {
      const row = found.get(id);
      if (!row) fail(index, 'NOT_FOUND');
      else if (row.application.status !== 'submitted') fail(index, 'WHITELIST_APPLICATION_DECIDED');
      else if (!canReview(actor, row.application)) fail(index, 'FORBIDDEN');
    });
    if (failures.length) throw new AppError('WHITELIST_REVIEW_BATCH_REFUSED', { errors: failures });
    const items: Array<{ id: string; status: ApplicationStatus; entryId: string | null }> = [];
    for (const [index, id] of input.ids.entries()) {
      try {
        const row = await decide(tx, actor, found.get(id)!, input, now, context);
        items.push({ id, status: row.status, entryId: row.entryId });
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        fail(index, error.code);
      }
    }
    if (failures.length) throw new AppError('WHITELIST_REVIEW_BATCH_REFUSED', { errors: failures });
    return { decision: input.decision, items };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Entries

const TIER_RANK = { county: 1, city: 2, province: 3 } as const;
function tierRank(tier: string): number {
  return TIER_RANK[tier as ServiceTier] ?? 0;
}

/** May this department change the entry's service tier: it manages the entry at its tier or above. */
export function canChangeTier(actor: Actor, entry: { serviceTier: ServiceTier; status: string }) {
  return (
    canManageEntry(actor) && entry.status !== 'removed' && tierRank(actor.tier) >= tierRank(entry.serviceTier)
  );
}

/**
 * 分级保障 changed: the sector department at the entry's current tier or above (within its region: another
 * region's entry answers NOT_FOUND) moves it to another tier, not above its own, with a reason. History row
 * (with the tiers before and after) and audit row in one transaction.
 */
export async function changeTier(
  db: Db,
  actor: Actor,
  id: string,
  input: { serviceTier: ServiceTier; reason: string },
  now: Date,
  context: AuditContext,
) {
  return db.transaction(async (tx) => {
    const { entry, enterprise } = await getEntry(tx, actor, id, true);
    if (!canManageEntry(actor)) throw new AppError('NOT_FOUND');
    if (entry.status === 'removed') throw new AppError('WHITELIST_ENTRY_STATE');
    if (tierRank(actor.tier) < tierRank(entry.serviceTier))
      throw new AppError('FORBIDDEN', { detail: `served at the ${entry.serviceTier} tier` });
    if (tierRank(actor.tier) < tierRank(input.serviceTier))
      throw new AppError('FORBIDDEN', { detail: `a ${actor.tier} department cannot assign a higher tier` });
    if (input.serviceTier === entry.serviceTier)
      throw new AppError('WHITELIST_ENTRY_STATE', {
        detail: `already served at the ${entry.serviceTier} tier`,
      });
    const [row] = await tx
      .update(whitelistEntries)
      .set({ serviceTier: input.serviceTier })
      .where(eq(whitelistEntries.id, id))
      .returning();
    await tx.insert(whitelistEntryEvents).values({
      id: newId(),
      entryId: id,
      action: 'tier_changed',
      fromStatus: entry.status,
      toStatus: entry.status,
      reason: input.reason,
      fromTier: entry.serviceTier,
      toTier: input.serviceTier,
      actorName: actorName(actor),
      at: now,
    });
    await writeAudit(tx, context, {
      action: 'whitelist.entry_tier_changed',
      objectType: 'whitelist_entry',
      objectId: id,
      summary: {
        enterprise: enterprise.name,
        sector: entry.sector,
        before: entry.serviceTier,
        after: input.serviceTier,
        reason: input.reason,
      },
    });
    return row!;
  });
}

const TRANSITIONS = {
  suspend: { from: ['active'], to: 'suspended', event: 'suspended' },
  reinstate: { from: ['suspended'], to: 'active', event: 'reinstated' },
  remove: { from: ['active', 'suspended'], to: 'removed', event: 'removed' },
} as const;
export type EntryAction = keyof typeof TRANSITIONS;

/** Only the sector's department (in the entry's region) changes an entry. */
export function canManageEntry(actor: Actor) {
  return actor.role === 'sector_department' && actor.permissions.has('whitelist.review');
}

/**
 * Suspends, reinstates or removes an entry with a reason (熔断 `circuit_breaker` only on removal, with
 * evidence), writing the history row and the audit row in one transaction.
 */
export async function changeEntry(
  db: Db,
  actor: Actor,
  id: string,
  action: EntryAction,
  input: { reason: string; kind?: 'circuit_breaker' | undefined; evidence?: string[] | undefined },
  now: Date,
  context: AuditContext,
) {
  if (input.kind && action !== 'remove') {
    throw new AppError('VALIDATION_FAILED', {
      errors: [
        { path: 'body.kind', code: 'CIRCUIT_BREAKER_IS_A_REMOVAL', message: '熔断 removes the entry' },
      ],
    });
  }
  return db.transaction(async (tx) => {
    const { entry, enterprise } = await getEntry(tx, actor, id, true);
    if (!canManageEntry(actor)) throw new AppError('NOT_FOUND');
    const t = TRANSITIONS[action];
    if (!(t.from as readonly string[]).includes(entry.status)) throw new AppError('WHITELIST_ENTRY_STATE');
    const [row] = await tx
      .update(whitelistEntries)
      .set({
        status: t.to,
        reason: input.reason,
        ...(action === 'remove' ? { removedAt: now, removalKind: input.kind ?? null } : {}),
      })
      .where(eq(whitelistEntries.id, id))
      .returning();
    await tx.insert(whitelistEntryEvents).values({
      id: newId(),
      entryId: id,
      action: t.event,
      fromStatus: entry.status,
      toStatus: t.to,
      reason: input.reason,
      kind: input.kind ?? null,
      evidence: input.evidence ?? null,
      actorName: actorName(actor),
      at: now,
    });
    await writeAudit(tx, context, {
      action: `whitelist.entry_${t.event}`,
      objectType: 'whitelist_entry',
      objectId: id,
      summary: {
        enterprise: enterprise.name,
        sector: entry.sector,
        before: entry.status,
        after: t.to,
        reason: input.reason,
        ...(input.kind ? { kind: input.kind, evidence: input.evidence } : {}),
      },
    });
    return row!;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Spot checks

/** Records a spot check (方案 四(三)); a failed one may suspend the entry in the same transaction. */
export async function recordSpotCheck(
  db: Db,
  actor: Actor,
  entryId: string,
  input: {
    checkedOn: string;
    items: Array<{ item: string; ok: boolean; note?: string | undefined }>;
    findings: string;
    result: 'passed' | 'failed';
    rectificationDue?: string | undefined;
    suspend: boolean;
  },
  now: Date,
  context: AuditContext,
) {
  return db.transaction(async (tx) => {
    const { entry, enterprise } = await getEntry(tx, actor, entryId, true);
    if (!canManageEntry(actor)) throw new AppError('NOT_FOUND');
    if (entry.status === 'removed') throw new AppError('WHITELIST_ENTRY_STATE');
    const [check] = await tx
      .insert(whitelistSpotChecks)
      .values({
        id: newId(),
        entryId,
        enterpriseId: enterprise.id,
        sector: entry.sector,
        regionCode: entry.regionCode,
        checkedOn: input.checkedOn,
        items: input.items,
        findings: input.findings,
        result: input.result,
        rectificationDue: input.rectificationDue ?? null,
        createdBy: actorName(actor),
      })
      .returning();
    await writeAudit(tx, context, {
      action: 'whitelist.spot_check_recorded',
      objectType: 'whitelist_entry',
      objectId: entryId,
      summary: {
        checkId: check!.id,
        result: input.result,
        checkedOn: input.checkedOn,
        suspend: input.suspend,
      },
    });
    if (input.suspend && entry.status === 'active') {
      const reason = `抽查未通过(${input.checkedOn})：${input.findings || '见抽查记录'}`;
      await tx
        .update(whitelistEntries)
        .set({ status: 'suspended', reason })
        .where(eq(whitelistEntries.id, entryId));
      await tx.insert(whitelistEntryEvents).values({
        id: newId(),
        entryId,
        action: 'suspended',
        fromStatus: 'active',
        toStatus: 'suspended',
        reason,
        actorName: actorName(actor),
        at: now,
      });
      await writeAudit(tx, context, {
        action: 'whitelist.entry_suspended',
        objectType: 'whitelist_entry',
        objectId: entryId,
        summary: { enterprise: enterprise.name, reason, spotCheck: check!.id },
      });
    }
    return { check: check!, enterprise };
  });
}

export async function markRectified(db: Db, actor: Actor, id: string, now: Date, context: AuditContext) {
  return db.transaction(async (tx) => {
    const { check, enterprise } = await getSpotCheck(tx, actor, id);
    if (!canManageEntry(actor)) throw new AppError('NOT_FOUND');
    if (check.rectifiedAt || check.result === 'passed') throw new AppError('SPOT_CHECK_RECTIFIED');
    const [row] = await tx
      .update(whitelistSpotChecks)
      .set({ rectifiedAt: now })
      .where(eq(whitelistSpotChecks.id, id))
      .returning();
    await writeAudit(tx, context, {
      action: 'whitelist.spot_check_rectified',
      objectType: 'whitelist_entry',
      objectId: check.entryId,
      summary: { checkId: id },
    });
    return { check: row!, enterprise };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Batches

/**
 * Publishes the next numbered batch of a sector for the department's region: every active entry of the
 * sector in the region not yet published. An empty batch is refused (WHITELIST_BATCH_EMPTY).
 */
export async function publishBatch(
  db: Db,
  actor: Actor,
  input: { sector: Sector; title?: string | undefined },
  now: Date,
  context: AuditContext,
) {
  if (actor.role !== 'sector_department' || !actor.sectors.includes(input.sector))
    throw new AppError('FORBIDDEN', { detail: 'a batch is published by the department of its sector' });
  return db.transaction(async (tx) => {
    const number = await nextBatchNumber(tx, input.sector, actor.regionCode);
    const ids = await findUnpublishedEntryIds(tx, input.sector, actor.regionPrefix);
    if (ids.length === 0) throw new AppError('WHITELIST_BATCH_EMPTY');
    const region = await findRegion(tx, actor.regionCode);
    const label = `${region?.name ?? actor.regionCode}${SECTOR_LABELS[input.sector].zh}白名单第${number}批`;
    const [batch] = await tx
      .insert(whitelistBatches)
      .values({
        id: newId(),
        sector: input.sector,
        regionCode: actor.regionCode,
        number,
        label,
        title: input.title ?? null,
        entryCount: ids.length,
        publishedAt: now,
        publishedBy: actorName(actor),
      })
      .returning();
    for (let i = 0; i < ids.length; i += 1000)
      await tx
        .update(whitelistEntries)
        .set({ batchId: batch!.id })
        .where(inArray(whitelistEntries.id, ids.slice(i, i + 1000)));
    await writeAudit(tx, context, {
      action: 'whitelist.batch_published',
      objectType: 'whitelist_batch',
      objectId: batch!.id,
      summary: { label, sector: input.sector, region: actor.regionCode, entries: ids.length },
    });
    return batch!;
  });
}
