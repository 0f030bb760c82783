import {
  type DrugPurchaseBatchResponse,
  type DrugPurchaseRow,
  DrugPurchaseRowSchema,
  type ProvincialReportRow,
  type RowError,
} from '@sibao/contracts';
import type { ParameterStore } from '@sibao/rules';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { PiiCipher } from '../../platform/crypto';
import type { Db } from '../../platform/db';
import type { ImportRowError } from '../../platform/files/files.import';
import { runUploadImport, startUploadImport } from '../../platform/files/files.job';
import { once, requestHash } from '../../platform/idempotency';
import { newId } from '../../platform/ids';
import { defineJob } from '../../platform/jobs';
import { orgUnits } from '../iam';
import { loadParameterStore } from '../parameters';
import { regionPrefix, tierOf } from '../regions';
import {
  findExistingDrugRecordIds,
  findProvincialReportPage,
  insertDrugPurchases,
  raiseDrugPurchaseAlerts,
} from './workforce.arrivals.queries';
import { sentinelDeadline } from './workforce.arrivals.service';
import { drugPurchaseImport } from './workforce.import';
import { rowErrorsOf } from './workforce.ingest';
import { type CadenceEmployee, findActiveEmployeesByHash } from './workforce.queries';
import type { WorkforceDeps } from './workforce.service';
import { drugPurchases } from './workforce.tables';

/**
 * Two feeds of the sentinel and the provincial platform: pharmacy purchases of 四类药品 (指南 二(五)) matched
 * to staff, and the 赋码保护 list of whitelisted staff (指南 三(二), docs/provincial-report.md).
 */

const CLOCK_SKEW_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;
const CATEGORY_ZH = { fever: '退热', cough: '止咳', antiviral: '抗病毒', antibiotic: '抗生素' } as const;

/** What storing and auditing a batch needs of who sent it: the API token's actor or the job's copy of it. */
type FeedActor = Pick<Actor, 'userId' | 'tokenId' | 'username' | 'orgUnitId' | 'regionCode' | 'regionPrefix'>;

type ReadyPurchase = Omit<DrugPurchaseRow, 'purchasedAt'> & { row: number; purchasedAt: Date };

/** The alert's text: the category and Beijing time of the purchase, no personal data. */
function purchaseSummary(category: keyof typeof CATEGORY_ZH, purchasedAt: Date): string {
  const at = new Date(purchasedAt.getTime() + 8 * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ');
  return `员工购买${CATEGORY_ZH[category]}类药品(${at}),请及时了解其健康状况并安排核酸检测`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Checks API rows one by one: shape, purchase time not in the future, record id once per batch. */
function checkPurchaseRows(body: unknown[], now: Date) {
  const ready: ReadyPurchase[] = [];
  const errors: RowError[] = [];
  const seen = new Set<string>();
  let duplicate = 0;
  let rejected = 0;
  body.forEach((raw, row) => {
    if (!isPlainObject(raw)) {
      errors.push({ row, field: '', code: 'WORKFORCE_ROW_NOT_OBJECT' });
      rejected++;
      return;
    }
    const parsed = DrugPurchaseRowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(...rowErrorsOf(row, raw, issue));
      rejected++;
      return;
    }
    const purchasedAt = new Date(parsed.data.purchasedAt);
    if (purchasedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      errors.push({ row, field: 'purchasedAt', code: 'WORKFORCE_PURCHASE_TIME_FUTURE' });
      rejected++;
      return;
    }
    if (seen.has(parsed.data.recordId)) {
      errors.push({ row, field: 'recordId', code: 'WORKFORCE_DUPLICATE_ROW' });
      duplicate++;
      return;
    }
    seen.add(parsed.data.recordId);
    ready.push({ ...parsed.data, row, purchasedAt });
  });
  return { ready, errors, duplicate, rejected };
}

/**
 * Stores checked purchase rows of one feed and raises the alerts, in the caller's transaction: a record the
 * feed sent before is a duplicate; an ID number on an active roster in the feed's region is matched (a
 * `drug_purchase` alert, one open per employee), outside it rejected (`WORKFORCE_OUT_OF_SCOPE`); on no roster it
 * is kept aside without enterprise (deleted by the retention rule after a few days).
 */
async function storePurchases(
  tx: Db,
  deps: Pick<WorkforceDeps, 'pii'>,
  actor: FeedActor,
  checked: ReturnType<typeof checkPurchaseRows>,
  received: number,
  now: Date,
  deadline: Date,
): Promise<DrugPurchaseBatchResponse> {
  const errors = [...checked.errors];
  let { duplicate, rejected } = checked;
  const seen = await findExistingDrugRecordIds(
    tx,
    actor.orgUnitId,
    checked.ready.map((r) => r.recordId),
  );
  const fresh = checked.ready.filter((r) => {
    if (!seen.has(r.recordId)) return true;
    errors.push({ row: r.row, field: 'recordId', code: 'WORKFORCE_DUPLICATE_ROW' });
    duplicate++;
    return false;
  });
  const hashOf = new Map(fresh.map((r) => [r.row, deps.pii.lookupHash('id_number', r.idNumber)]));
  const people = await findActiveEmployeesByHash(tx, [...new Set(hashOf.values())]);
  const values: Array<typeof drugPurchases.$inferInsert> = [];
  const hits = new Map<
    string,
    { employeeId: string; enterpriseId: string; regionCode: string; summary: string }
  >();
  let matched = 0;
  for (const r of fresh) {
    const hash = hashOf.get(r.row)!;
    const employee = people.get(hash);
    if (employee && !employee.regionCode.startsWith(actor.regionPrefix)) {
      errors.push({ row: r.row, field: 'idNumber', code: 'WORKFORCE_OUT_OF_SCOPE' });
      rejected++;
      continue;
    }
    values.push({
      id: newId(),
      feedOrgUnitId: actor.orgUnitId,
      recordId: r.recordId,
      idNumberEncrypted: deps.pii.encrypt(r.idNumber),
      idNumberHash: hash,
      purchasedAt: r.purchasedAt,
      category: r.category,
      pharmacy: r.pharmacy,
      receivedAt: now,
      employeeId: employee?.id ?? null,
      enterpriseId: employee?.enterpriseId ?? null,
      regionCode: employee?.regionCode ?? null,
    });
    if (!employee) continue;
    matched++;
    if (!hits.has(employee.id))
      hits.set(employee.id, {
        employeeId: employee.id,
        enterpriseId: employee.enterpriseId,
        regionCode: employee.regionCode,
        summary: purchaseSummary(r.category, r.purchasedAt),
      });
  }
  await insertDrugPurchases(tx, values);
  const alertsRaised = await raiseDrugPurchaseAlerts(tx, [...hits.values()], now, deadline);
  errors.sort((a, b) => a.row - b.row);
  return {
    received,
    accepted: values.length,
    duplicate,
    rejected,
    matched,
    unmatched: values.length - matched,
    alertsRaised,
    errors,
    replayed: false,
  };
}

/**
 * The pharmacy feed (`POST /workforce/drug-purchases`), once per idempotency key: rows checked one by one,
 * stored, matched and alerted with one audit row in one transaction. A resent key answers the first answer.
 */
export async function ingestDrugPurchases(
  deps: WorkforceDeps,
  actor: Actor,
  body: unknown[],
  idempotencyKey: string,
  requestId: string,
): Promise<DrugPurchaseBatchResponse> {
  const now = deps.now();
  const params = await loadParameterStore(deps.db);
  const deadline = sentinelDeadline(params, now);
  const { response, replayed } = await deps.db.transaction((tx) =>
    once(
      tx,
      `${actor.orgUnitId}:workforce.drug-purchases`,
      idempotencyKey,
      requestHash(JSON.stringify(body)),
      async () => {
        const answer = await storePurchases(
          tx,
          deps,
          actor,
          checkPurchaseRows(body, now),
          body.length,
          now,
          deadline,
        );
        await auditPurchases(tx, actor, requestId, answer, 'api');
        return answer;
      },
    ),
  );
  return { ...response, replayed };
}

// ---------------------------------------------------------------------------------------------------------
// The same feed as a file (a job with progress, all or nothing)

/** Who started a file import, as the job payload carries it (ids and scope, no personal data). */
const FeedActorSchema = z.object({
  userId: z.string().nullable(),
  tokenId: z.string().nullable(),
  username: z.string(),
  orgUnitId: z.uuid(),
  regionCode: z.string(),
  regionPrefix: z.string(),
});
const DrugPurchaseImportJobSchema = z.object({
  uploadId: z.uuid(),
  progressId: z.uuid(),
  requestId: z.string(),
  actor: FeedActorSchema,
});
type DrugPurchaseImportJob = z.infer<typeof DrugPurchaseImportJobSchema>;

const drugPurchaseImportJobBase = {
  name: 'workforce.import-drug-purchases',
  schema: DrugPurchaseImportJobSchema,
  expireInSeconds: 15 * 60,
  retry: { limit: 3, delaySeconds: 5, backoff: true },
};

/** What `startDrugPurchaseImport` enqueues; the handler that runs it is `drugPurchaseImportJob`'s. */
const drugPurchaseImportEnqueued = defineJob({
  ...drugPurchaseImportJobBase,
  handler: () => Promise.reject(new Error('registered through workforceJobs')),
});

/** The import job bound to the cipher and clock (registered by `workforceJobs`). */
export function drugPurchaseImportJob(deps: { pii: PiiCipher; now: () => Date }) {
  return defineJob({
    ...drugPurchaseImportJobBase,
    handler: (data, { db }) => runDrugPurchaseImport({ db, pii: deps.pii, now: deps.now }, data),
  });
}

/**
 * The same feed as an .xlsx/CSV upload by an epidemic-office user (up to 10,000 rows — seconds of parsing,
 * encrypting and inserting, so a job as the roster import is): refuses an unusable file at once, then stores
 * it, a progress row and the job in one transaction under the client's idempotency key (a resent upload answers
 * the same progress id). The job's result is the API's batch answer.
 */
export async function startDrugPurchaseImport(
  deps: WorkforceDeps,
  actor: Actor,
  file: { buffer: Buffer; filename: string },
  idempotencyKey: string,
  requestId: string,
): Promise<{ progressId: string; replayed: boolean }> {
  return startUploadImport(
    deps.db,
    deps.jobs,
    { actor, file, idempotencyKey, requestId },
    {
      kind: 'workforce.import-drug-purchases',
      job: drugPurchaseImportEnqueued,
      payload: (ids) => ({
        ...ids,
        requestId,
        actor: {
          userId: actor.userId,
          tokenId: actor.tokenId,
          username: actor.username,
          orgUnitId: actor.orgUnitId,
          regionCode: actor.regionCode,
          regionPrefix: actor.regionPrefix,
        },
      }),
      audit: { action: 'workforce.drug_purchase_import_started' },
    },
  );
}

/**
 * The file import (a job): every row parsed and checked (record ids unique within the file, purchase time not
 * in the future), then stored, matched and alerted with the audit row and the progress "succeeded" in ONE
 * transaction — or nothing, with row-numbered errors. Rows the feed sent before count as duplicates, as in
 * the API.
 */
async function runDrugPurchaseImport(deps: WorkforceDeps, job: DrugPurchaseImportJob): Promise<void> {
  await runUploadImport(deps.db, job, {
    definition: drugPurchaseImport,
    async check(rows) {
      const now = deps.now();
      const errors: ImportRowError[] = [];
      for (const { rowNumber, value } of rows)
        if (value.purchasedAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
          errors.push({
            row: rowNumber,
            column: '购药时间',
            field: 'purchasedAt',
            code: 'WORKFORCE_PURCHASE_TIME_FUTURE',
            message: '购药时间晚于当前时间 purchase time is in the future',
          });
      return errors;
    },
    async commit(tx, rows) {
      const now = deps.now();
      const deadline = sentinelDeadline(await loadParameterStore(tx), now);
      const checked = {
        ready: rows.map(({ rowNumber, value }) => ({ ...value, row: rowNumber })),
        errors: [],
        duplicate: 0,
        rejected: 0,
      };
      const answer = await storePurchases(tx, deps, job.actor, checked, rows.length, now, deadline);
      await auditPurchases(tx, job.actor, job.requestId, answer, 'file');
      return answer as unknown as Record<string, unknown>;
    },
  });
}

async function auditPurchases(
  tx: Db,
  actor: FeedActor,
  requestId: string,
  answer: DrugPurchaseBatchResponse,
  via: 'api' | 'file',
) {
  await writeAudit(
    tx,
    { actor, requestId },
    {
      action: 'workforce.drug_purchases_ingested',
      objectType: 'drug_purchase_batch',
      objectId: null,
      summary: {
        via,
        received: answer.received,
        accepted: answer.accepted,
        duplicate: answer.duplicate,
        rejected: answer.rejected,
        matched: answer.matched,
        unmatched: answer.unmatched,
        alertsRaised: answer.alertsRaised,
      },
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Purchases kept aside, matched when the person joins a roster

/**
 * Matches the purchases kept aside for these ID-number hashes (no active employee when they arrived) to the
 * people now on an active roster — as the kept-aside lab results are (workforce.service.ts) — in the caller's
 * transaction, when the employee is in the feed's region (its scope still applies). Each matched row gets its
 * employee, enterprise and county (and so the matched-row retention); each newly matched employee one
 * `drug_purchase` alert (at most one open each), naming the latest purchase. Set-based: one read per 5,000
 * hashes, one UPDATE, one INSERT. Returns how many purchases were matched and alerts raised.
 */
export async function matchKeptAsidePurchases(
  tx: Db,
  params: ParameterStore,
  hashes: string[],
  now: Date,
): Promise<{ matched: number; alertsRaised: number }> {
  if (hashes.length === 0) return { matched: 0, alertsRaised: 0 };
  const waiting: Array<{
    id: string;
    hash: string;
    purchasedAt: Date;
    category: keyof typeof CATEGORY_ZH;
    feedRegion: string;
  }> = [];
  for (let i = 0; i < hashes.length; i += 5000)
    waiting.push(
      ...(await tx
        .select({
          id: drugPurchases.id,
          hash: drugPurchases.idNumberHash,
          purchasedAt: drugPurchases.purchasedAt,
          category: drugPurchases.category,
          feedRegion: orgUnits.regionCode,
        })
        .from(drugPurchases)
        .innerJoin(orgUnits, eq(orgUnits.id, drugPurchases.feedOrgUnitId))
        .where(
          and(
            isNull(drugPurchases.employeeId),
            sql`${drugPurchases.idNumberHash} = any(${sql.param(hashes.slice(i, i + 5000))}::text[])`,
          ),
        )
        .for('update', { of: drugPurchases })),
    );
  if (waiting.length === 0) return { matched: 0, alertsRaised: 0 };
  const people = await findActiveEmployeesByHash(tx, [...new Set(waiting.map((w) => w.hash))]);
  const matched: Array<{ id: string; employeeId: string; enterpriseId: string; regionCode: string }> = [];
  const latest = new Map<
    string,
    { employee: CadenceEmployee; purchasedAt: Date; category: keyof typeof CATEGORY_ZH }
  >();
  for (const w of waiting) {
    const employee = people.get(w.hash);
    if (!employee?.regionCode.startsWith(prefixOf(w.feedRegion))) continue;
    matched.push({
      id: w.id,
      employeeId: employee.id,
      enterpriseId: employee.enterpriseId,
      regionCode: employee.regionCode,
    });
    const seen = latest.get(employee.id);
    if (!seen || w.purchasedAt > seen.purchasedAt)
      latest.set(employee.id, { employee, purchasedAt: w.purchasedAt, category: w.category });
  }
  if (matched.length === 0) return { matched: 0, alertsRaised: 0 };
  await tx.execute(sql`
    update drug_purchases d
    set employee_id = m."employeeId", enterprise_id = m."enterpriseId", region_code = m."regionCode"
    from jsonb_to_recordset(${JSON.stringify(matched)}::jsonb)
      as m("id" uuid, "employeeId" uuid, "enterpriseId" uuid, "regionCode" text)
    where d.id = m."id"`);
  const alertsRaised = await raiseDrugPurchaseAlerts(
    tx,
    [...latest.values()].map((l) => ({
      employeeId: l.employee.id,
      enterpriseId: l.employee.enterpriseId,
      regionCode: l.employee.regionCode,
      summary: purchaseSummary(l.category, l.purchasedAt),
    })),
    now,
    sentinelDeadline(params, now),
  );
  return { matched: matched.length, alertsRaised };
}

/** The SQL LIKE prefix of a feed's region subtree ('410100' → '4101'), as its token's scope. */
function prefixOf(code: string): string {
  const tier = tierOf(code);
  return regionPrefix(code, tier === 'province' ? 'province' : tier === 'city' ? 'city' : 'county');
}

// ---------------------------------------------------------------------------------------------------------
// Provincial report (赋码保护)

/**
 * One page of the 赋码保护 list for the provincial epidemic platform: active staff of whitelisted enterprises
 * in the actor's region, with their full name and ID number (the platform finds the person's code by them —
 * a masked value would defeat the purpose) and their enterprise; nothing else. Every page read is audited
 * with its size (never the people).
 */
export async function provincialReportPage(
  deps: WorkforceDeps,
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
  requestId: string,
  via: 'api' | 'xlsx' | 'csv',
): Promise<{ items: ProvincialReportRow[]; nextCursor: string | null }> {
  return deps.db.transaction(async (tx) => {
    const found = await findProvincialReportPage(tx, actor, page);
    const items = found.items.map((r) => ({
      idNumber: deps.pii.decrypt(r.idNumberEncrypted!),
      name: deps.pii.decrypt(r.nameEncrypted!),
      enterpriseUscc: r.enterpriseUscc,
      enterpriseName: r.enterpriseName,
      regionCode: r.regionCode,
    }));
    await writeAudit(
      tx,
      { actor, requestId },
      {
        action: 'workforce.provincial_report_read',
        objectType: 'provincial_report',
        objectId: null,
        summary: { via, rows: items.length, cursor: page.cursor ?? null, region: actor.regionCode },
      },
    );
    return { items, nextCursor: found.nextCursor };
  });
}
