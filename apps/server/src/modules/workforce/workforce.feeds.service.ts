import {
  type DrugPurchaseBatchResponse,
  type DrugPurchaseRow,
  DrugPurchaseRowSchema,
  type ProvincialReportRow,
  type RowError,
} from '@sibao/contracts';
import type { Actor } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { parseImport } from '../../platform/files/files.import';
import { once, requestHash } from '../../platform/idempotency';
import { newId } from '../../platform/ids';
import { loadParameterStore } from '../parameters';
import {
  findExistingDrugRecordIds,
  findProvincialReportPage,
  insertDrugPurchases,
  raiseDrugPurchaseAlerts,
} from './workforce.arrivals.queries';
import { sentinelDeadline } from './workforce.arrivals.service';
import { drugPurchaseImport } from './workforce.import';
import { rowErrorsOf } from './workforce.ingest';
import { findActiveEmployeesByHash } from './workforce.queries';
import type { WorkforceDeps } from './workforce.service';
import type { drugPurchases } from './workforce.tables';

/**
 * Two feeds of the sentinel and the provincial platform: pharmacy purchases of 四类药品 (指南 二(五)) matched
 * to staff, and the 赋码保护 list of whitelisted staff (指南 三(二), docs/provincial-report.md).
 */

const CLOCK_SKEW_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;
const CATEGORY_ZH = { fever: '退热', cough: '止咳', antiviral: '抗病毒', antibiotic: '抗生素' } as const;

type ReadyPurchase = Omit<DrugPurchaseRow, 'purchasedAt'> & { row: number; purchasedAt: Date };

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
  deps: WorkforceDeps,
  actor: Actor,
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
        summary: `员工购买${CATEGORY_ZH[r.category]}类药品(${new Date(r.purchasedAt.getTime() + 8 * HOUR_MS)
          .toISOString()
          .slice(0, 16)
          .replace('T', ' ')}),请及时了解其健康状况并安排核酸检测`,
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

/**
 * The same feed as an .xlsx/CSV upload by an epidemic-office user: the file must be valid as a whole
 * (IMPORT_ROWS_INVALID with row-numbered errors otherwise); rows already sent are duplicates, as in the API.
 */
export async function importDrugPurchases(
  deps: WorkforceDeps,
  actor: Actor,
  file: { buffer: Buffer; filename: string },
  requestId: string,
): Promise<DrugPurchaseBatchResponse> {
  const parsed = await parseImport(drugPurchaseImport, file);
  const now = deps.now();
  const errors = parsed.errors.map((e) => ({ path: e.field, code: e.code, message: e.message, row: e.row }));
  for (const { rowNumber, value } of parsed.rows)
    if (value.purchasedAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
      errors.push({
        path: 'purchasedAt',
        code: 'WORKFORCE_PURCHASE_TIME_FUTURE',
        message: '购药时间晚于当前时间',
        row: rowNumber,
      });
  if (errors.length > 0 || !parsed.ok)
    throw new AppError('IMPORT_ROWS_INVALID', { errors: errors.slice(0, 1000) });
  const params = await loadParameterStore(deps.db);
  const deadline = sentinelDeadline(params, now);
  const checked = {
    ready: parsed.rows.map(({ rowNumber, value }) => ({ ...value, row: rowNumber })),
    errors: [],
    duplicate: 0,
    rejected: 0,
  };
  return deps.db.transaction(async (tx) => {
    const answer = await storePurchases(tx, deps, actor, checked, parsed.totalRows, now, deadline);
    await auditPurchases(tx, actor, requestId, answer, 'file');
    return answer;
  });
}

async function auditPurchases(
  tx: Db,
  actor: Actor,
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
