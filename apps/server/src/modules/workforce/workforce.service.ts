import {
  type AlertTransitionBody,
  canTransitionAlert,
  type DailyReportBody,
  type EmployeeBody,
  type OperatingMode,
  type RowError,
  type TestResultBatchResponse,
} from '@sibao/contracts';
import type { ParameterStore } from '@sibao/rules';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { businessDate } from '../../platform/clock';
import { maskIdNumber, maskName, maskPhone, type PiiCipher } from '../../platform/crypto';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import type { ImportRowError } from '../../platform/files/files.import';
import { ImportRefused, runUploadImport, startUploadImport } from '../../platform/files/files.job';
import { once, requestHash } from '../../platform/idempotency';
import { newId } from '../../platform/ids';
import { defineJob, type JobQueue } from '../../platform/jobs';
import { findEnterprisesByIds, getEnterprise } from '../enterprises';
import { loadParameterStore, mapStoreError } from '../parameters';
import { regionPrefix, tierOf } from '../regions';
import { trackArrivals } from './workforce.arrivals.service';
import { type ModeChange, nextTestDue } from './workforce.cadence';
import { drugPurchaseImportJob, matchKeptAsidePurchases } from './workforce.feeds.service';
import { rosterImport } from './workforce.import';
import { ingestTestBatch, type ReadyTestRow } from './workforce.ingest';
import { newIds } from './workforce.ingest.sql';
import {
  applyCompliance,
  type CadenceEmployee,
  countEmployeesOfEnterprise,
  ensurePcrTestPartitions,
  findActiveEmployeesByHash,
  findActiveIdHashes,
  findCadencePeopleOfEnterprise,
  findDailyReportForUpdate,
  findExistingSampleIds,
  findModeChanges,
  flagOverdueAndRaiseAlerts,
  getAlertForUpdate,
  getEmployee,
  insertDailyReport,
  insertEmployees,
  insertModeChange,
  insertPcrTests,
  insertUnmatchedResults,
  lockLabIngest,
  type PcrTestInsert,
  raisePositiveAlerts,
  resolveOverdueAlerts,
  setDueTimes,
  updateAlertRow,
  updateDailyReport,
  updateEmployeeRow,
} from './workforce.queries';
import { raiseDailyReportReminders, resolveDailyReportReminders } from './workforce.reminders';
import { pcrUnmatchedResults } from './workforce.tables';

/** What workforce services need: the database, the personal-data cipher and the clock (tests inject it). */
export interface WorkforceDeps {
  db: Db;
  pii: PiiCipher;
  now: () => Date;
  jobs?: JobQueue | null;
}

const HOUR_MS = 3_600_000;
/**
 * How long an enterprise has to get an overdue person tested once the sentinel fires. The seed fixes no
 * number: a platform default (TODO: move into the parameter registry with the other sentinel settings).
 */
export const OVERDUE_ALERT_DEADLINE_HOURS = 24;
export const DAILY_REPORT_DEADLINE_PARAMETER = 'workforce.dailyReportDeadline';
/** 指南 三(七): a pooled positive is re-tested single-tube within this many hours — the positive alert's deadline. */
const POOLED_RETEST_PARAMETER = 'incidents.pooledRetestHours';

const SHANGHAI = '+08:00';
const shanghaiMidnight = (isoDate: string) => new Date(`${isoDate}T00:00:00${SHANGHAI}`);

async function parametersOf(db: Db): Promise<ParameterStore> {
  return loadParameterStore(db);
}

function withParameters<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw mapStoreError(error);
  }
}

/** The encrypted, hashed and masked columns of a person's name, ID number and phone. */
export function personColumns(pii: PiiCipher, p: { name: string; idNumber: string; phone: string }) {
  return {
    nameEncrypted: pii.encrypt(p.name),
    nameMasked: maskName(p.name),
    idNumberEncrypted: pii.encrypt(p.idNumber),
    idNumberHash: pii.lookupHash('id_number', p.idNumber),
    idNumberMasked: maskIdNumber(p.idNumber),
    phoneEncrypted: pii.encrypt(p.phone),
    phoneHash: pii.lookupHash('phone', p.phone),
    phoneMasked: maskPhone(p.phone),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Roster: one by one

/** The enterprise an enterprise user keeps the roster of (officials do not keep rosters). */
function ownEnterpriseId(actor: Actor): string {
  if (actor.role !== 'enterprise' || !actor.enterpriseId) throw new AppError('EMPLOYEE_ENTERPRISE_REQUIRED');
  return actor.enterpriseId;
}

/**
 * Adds one employee to the actor's enterprise: name, ID number and phone encrypted (ID number and phone
 * hashed for lookup), due for a test from their start (workforce.cadence.ts), and any lab results kept aside
 * for their ID number matched now. Throws EMPLOYEE_ID_NUMBER_EXISTS when the person is on an active roster
 * (this one or another enterprise's: a lab result must match one person).
 */
export async function addEmployee(deps: WorkforceDeps, actor: Actor, body: EmployeeBody, requestId: string) {
  const enterpriseId = ownEnterpriseId(actor);
  const now = deps.now();
  const params = await parametersOf(deps.db);
  return deps.db.transaction(async (tx) => {
    const enterprise = await getEnterprise(tx, actor, enterpriseId);
    const person = personColumns(deps.pii, body);
    if ((await findActiveIdHashes(tx, [person.idNumberHash])).size > 0)
      throw new AppError('EMPLOYEE_ID_NUMBER_EXISTS');
    const startedAt = body.startedOn ? shanghaiMidnight(body.startedOn) : now;
    const id = newId();
    await insertEmployees(tx, [
      {
        id,
        enterpriseId,
        regionCode: enterprise.regionCode,
        ...person,
        roleCategory: body.roleCategory,
        workUnit: body.workUnit,
        shift: body.shift,
        dorm: body.dorm,
        status: body.status,
        startedAt,
        leftAt: body.status === 'left' ? now : null,
        healthCode: body.healthCode,
        healthCodeAt: now,
        healthCodeSource: 'enterprise',
        itineraryCode: body.itineraryCode,
        itineraryCodeAt: now,
        itineraryCodeSource: 'enterprise',
        vaccination: body.vaccination ?? null,
        nextDueAt: startedAt,
        createdAt: now,
        updatedAt: now,
      },
    ]);
    const matched = await matchKeptAsideResults(tx, params, [person.idNumberHash], now);
    const purchases = await matchKeptAsidePurchases(tx, params, [person.idNumberHash], now);
    await writeAudit(
      tx,
      { actor, requestId },
      {
        action: 'workforce.employee_added',
        objectType: 'employee',
        objectId: id,
        summary: {
          enterpriseId,
          roleCategory: body.roleCategory,
          status: body.status,
          matchedResults: matched,
          matchedPurchases: purchases.matched,
        },
      },
    );
    return getEmployee(tx, actor, id);
  });
}

/**
 * Replaces one employee's roster data (the actor's enterprise only; anyone else's is EMPLOYEE_NOT_FOUND).
 * A changed role recomputes the due time; a changed code stamps its time and source; `left` ends the
 * person's compliance tracking (the sweep skips them).
 */
export async function updateEmployee(
  deps: WorkforceDeps,
  actor: Actor,
  id: string,
  body: EmployeeBody,
  requestId: string,
) {
  ownEnterpriseId(actor);
  const now = deps.now();
  const params = await parametersOf(deps.db);
  return deps.db.transaction(async (tx) => {
    const before = await getEmployee(tx, actor, id, true);
    const person = personColumns(deps.pii, body);
    if (
      person.idNumberHash !== before.idNumberHash ||
      (before.status === 'left' && body.status === 'active')
    ) {
      const holders = await findActiveIdHashes(tx, [person.idNumberHash]);
      if (holders.size > 0 && !(before.status === 'active' && person.idNumberHash === before.idNumberHash))
        throw new AppError('EMPLOYEE_ID_NUMBER_EXISTS');
    }
    const startedAt = body.startedOn ? shanghaiMidnight(body.startedOn) : before.startedAt;
    const modes = await findModeChanges(tx, [before.enterpriseId]);
    const due = withParameters(() =>
      nextTestDue(
        { roleCategory: body.roleCategory, startedAt, lastNegativeAt: before.lastNegativeAt },
        modes.get(before.enterpriseId) ?? [],
        params,
      ),
    );
    const changed = (Object.keys(body) as Array<keyof EmployeeBody>).filter((k) => {
      if (k === 'name' || k === 'idNumber' || k === 'phone') return false;
      if (k === 'startedOn') return startedAt.getTime() !== before.startedAt.getTime();
      return (body[k] ?? null) !== ((before as Record<string, unknown>)[k] ?? null);
    });
    if (person.idNumberHash !== before.idNumberHash) changed.push('idNumber');
    if (person.phoneHash !== before.phoneHash) changed.push('phone');
    await updateEmployeeRow(tx, id, {
      ...person,
      roleCategory: body.roleCategory,
      workUnit: body.workUnit,
      shift: body.shift,
      dorm: body.dorm,
      status: body.status,
      startedAt,
      leftAt: body.status === 'left' ? (before.leftAt ?? now) : null,
      ...(body.healthCode !== before.healthCode
        ? { healthCode: body.healthCode, healthCodeAt: now, healthCodeSource: 'enterprise' as const }
        : {}),
      ...(body.itineraryCode !== before.itineraryCode
        ? {
            itineraryCode: body.itineraryCode,
            itineraryCodeAt: now,
            itineraryCodeSource: 'enterprise' as const,
          }
        : {}),
      vaccination: body.vaccination ?? before.vaccination,
      nextDueAt: due.dueAt,
      overdue: before.overdue && due.dueAt.getTime() < now.getTime(),
      updatedAt: now,
    });
    await writeAudit(
      tx,
      { actor, requestId },
      {
        action: 'workforce.employee_updated',
        objectType: 'employee',
        objectId: id,
        // Field names only: the values are personal data.
        summary: { changed, status: body.status, roleCategory: body.roleCategory },
      },
    );
    return getEmployee(tx, actor, id);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Roster: Excel/CSV import (a job with progress, all or nothing)

const ImportActorSchema = z.object({
  userId: z.string().nullable(),
  tokenId: z.string().nullable(),
  username: z.string(),
  orgUnitId: z.string(),
  regionCode: z.string(),
  enterpriseId: z.uuid(),
});
const RosterImportJobSchema = z.object({
  uploadId: z.uuid(),
  progressId: z.uuid(),
  actor: ImportActorSchema,
});
type RosterImportJob = z.infer<typeof RosterImportJobSchema>;

/** The importer as an enterprise's import jobs carry it (JSON: the job may run after the session ended). */
export function importActor(actor: Actor, enterpriseId: string) {
  return {
    userId: actor.userId,
    tokenId: actor.tokenId,
    username: actor.username,
    orgUnitId: actor.orgUnitId,
    regionCode: actor.regionCode,
    enterpriseId,
  };
}

/**
 * Refuses an unusable file at once (size, not a spreadsheet, zip bomb), then stores it, a progress row and the
 * import job in one transaction under the client's idempotency key (a resent upload answers the same progress
 * id and queues nothing).
 */
export async function startRosterImport(
  deps: WorkforceDeps,
  actor: Actor,
  file: { buffer: Buffer; filename: string },
  idempotencyKey: string,
  requestId: string,
): Promise<{ progressId: string; replayed: boolean }> {
  const enterpriseId = ownEnterpriseId(actor);
  return startUploadImport(
    deps.db,
    deps.jobs,
    { actor, file, idempotencyKey, requestId },
    {
      kind: 'workforce.import-roster',
      job: importRosterJobDefinition,
      payload: (ids) => ({ ...ids, actor: importActor(actor, enterpriseId) }),
      audit: { action: 'workforce.roster_import_started' },
    },
  );
}

/**
 * The roster import (a job): parse and validate every row (ID numbers unique within the file), refuse ID
 * numbers already on an active roster (this enterprise's or another's — which one is not said), then insert
 * every row, match kept-aside lab results, write the audit row and mark the progress succeeded in ONE
 * transaction — or nothing, with row-numbered errors. Formula-looking names are stored as text; exports
 * neutralise them.
 */
export async function runRosterImport(deps: WorkforceDeps, job: RosterImportJob): Promise<void> {
  const { db } = deps;
  const hashes = new Map<number, string>();
  await runUploadImport(db, job, {
    definition: rosterImport,
    async check(rows) {
      const errors: ImportRowError[] = [];
      for (const { rowNumber, value } of rows)
        hashes.set(rowNumber, deps.pii.lookupHash('id_number', value.idNumber));
      const holders = await findActiveIdHashes(db, [...hashes.values()]);
      for (const { rowNumber } of rows) {
        const holder = holders.get(hashes.get(rowNumber)!);
        if (!holder) continue;
        const own = holder === job.actor.enterpriseId;
        errors.push({
          row: rowNumber,
          column: '身份证号',
          field: 'idNumber',
          code: own ? 'EMPLOYEE_ALREADY_ON_ROSTER' : 'EMPLOYEE_ON_OTHER_ROSTER',
          message: own
            ? '该员工已在本企业名册中 already on your roster'
            : '该身份证号已在其他企业在岗名册中 already on another enterprise’s active roster',
        });
      }
      const [enterprise] = await findEnterprisesByIds(db, [job.actor.enterpriseId]);
      if (!enterprise) throw new ImportRefused('NOT_FOUND');
      return errors;
    },
    async commit(tx, rows, upload) {
      const now = deps.now();
      const params = await parametersOf(tx);
      const [enterprise] = await findEnterprisesByIds(tx, [job.actor.enterpriseId]);
      if (!enterprise) throw new ImportRefused('NOT_FOUND');
      await insertEmployees(
        tx,
        rows.map(({ value }) => {
          const startedAt = value.startedOn ? shanghaiMidnight(value.startedOn) : now;
          return {
            id: newId(),
            enterpriseId: job.actor.enterpriseId,
            regionCode: enterprise.regionCode,
            ...personColumns(deps.pii, value),
            roleCategory: value.roleCategory ?? 'regular',
            workUnit: value.workUnit ?? null,
            shift: value.shift ?? null,
            dorm: value.dorm ?? null,
            status: 'active' as const,
            startedAt,
            healthCode: value.healthCode ?? 'green',
            healthCodeAt: now,
            healthCodeSource: 'import' as const,
            itineraryCode: value.itineraryCode ?? 'normal',
            itineraryCodeAt: now,
            itineraryCodeSource: 'import' as const,
            vaccination: value.vaccination ?? null,
            nextDueAt: startedAt,
            createdAt: now,
            updatedAt: now,
          };
        }),
      );
      const matched = await matchKeptAsideResults(tx, params, [...hashes.values()], now);
      const purchases = await matchKeptAsidePurchases(tx, params, [...hashes.values()], now);
      await writeAudit(
        tx,
        { actor: job.actor },
        {
          action: 'workforce.roster_imported',
          objectType: 'upload',
          objectId: upload.id,
          summary: {
            enterpriseId: job.actor.enterpriseId,
            sha256: upload.sha256,
            rows: rows.length,
            matchedResults: matched,
            matchedPurchases: purchases.matched,
          },
        },
      );
      return { imported: rows.length, matchedResults: matched };
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Lab results

export interface MatchedResult {
  employee: CadenceEmployee;
  row: Pick<
    ReadyTestRow,
    'labSampleId' | 'sampledAt' | 'result' | 'method' | 'tubeId' | 'retestOfLabSampleId'
  >;
  labOrgUnitId: string;
}

/**
 * Writes matched results and their effect, set-based: the `pcr_tests` rows (one statement per 5,000), each
 * employee's latest negative and next due time (one UPDATE), the resolution of their open overdue alerts and a
 * `positive_result` alert for a positive. Returns how many overdue alerts were resolved.
 */
export async function recordMatchedResults(
  tx: Db,
  params: ParameterStore,
  matched: MatchedResult[],
  now: Date,
): Promise<{ resolved: number; positives: number }> {
  if (matched.length === 0) return { resolved: 0, positives: 0 };
  const receivedAt = now.toISOString();
  const ids = newIds(matched.length);
  await insertPcrTests(
    tx,
    matched.map(
      (m, i): PcrTestInsert => ({
        id: ids[i]!,
        sampledAt: m.row.sampledAt.toISOString(),
        enterpriseId: m.employee.enterpriseId,
        regionCode: m.employee.regionCode,
        employeeId: m.employee.id,
        labOrgUnitId: m.labOrgUnitId,
        labSampleId: m.row.labSampleId,
        tubeId: m.row.tubeId,
        method: m.row.method,
        result: m.row.result,
        retestOfLabSampleId: m.row.retestOfLabSampleId,
        receivedAt,
      }),
    ),
  );
  // Per employee: the latest negative and the latest result of this batch.
  const byEmployee = new Map<
    string,
    { employee: CadenceEmployee; neg: Date | null; last: Date; result: string }
  >();
  for (const m of matched) {
    const cur = byEmployee.get(m.employee.id) ?? {
      employee: m.employee,
      neg: null,
      last: m.row.sampledAt,
      result: m.row.result,
    };
    if (m.row.result === 'negative' && (!cur.neg || m.row.sampledAt > cur.neg)) cur.neg = m.row.sampledAt;
    if (m.row.sampledAt >= cur.last) {
      cur.last = m.row.sampledAt;
      cur.result = m.row.result;
    }
    byEmployee.set(m.employee.id, cur);
  }
  const modes = await findModeChanges(tx, [
    ...new Set([...byEmployee.values()].map((e) => e.employee.enterpriseId)),
  ]);
  const updates = withParameters(() =>
    [...byEmployee.values()].map((e) => {
      const newer = e.neg && (!e.employee.lastNegativeAt || e.neg > e.employee.lastNegativeAt);
      return {
        id: e.employee.id,
        lastNegativeAt: e.neg,
        nextDueAt: newer
          ? nextTestDue(
              {
                roleCategory: e.employee.roleCategory,
                startedAt: e.employee.startedAt,
                lastNegativeAt: e.neg,
              },
              modes.get(e.employee.enterpriseId) ?? [],
              params,
            ).dueAt
          : null,
        lastTestAt: e.last,
        lastResult: e.result,
      };
    }),
  );
  const cleared = await applyCompliance(tx, updates, now);
  const resolved = await resolveOverdueAlerts(tx, cleared, now);
  // Employees with a positive result in this batch (a set, not a scan of the batch per employee).
  const positiveIds = new Set(matched.filter((m) => m.row.result === 'positive').map((m) => m.employee.id));
  const positives = [...byEmployee.values()].filter((e) => positiveIds.has(e.employee.id));
  const retestHours = withParameters(() => Number(params.valueAt(POOLED_RETEST_PARAMETER, now)));
  await raisePositiveAlerts(
    tx,
    positives.map((p) => ({
      employeeId: p.employee.id,
      enterpriseId: p.employee.enterpriseId,
      regionCode: p.employee.regionCode,
    })),
    now,
    new Date(now.getTime() + retestHours * HOUR_MS),
  );
  return { resolved, positives: positives.length };
}

/** The SQL LIKE prefix of a region code's subtree ('410100' → '4101'). */
function prefixOf(code: string): string {
  const tier = tierOf(code);
  return regionPrefix(code, tier === 'province' ? 'province' : tier === 'city' ? 'city' : 'county');
}

/**
 * Moves lab results kept aside for these ID-number hashes into `pcr_tests` once the person is on an active
 * roster in the lab's region (the lab's scope still applies), and updates their compliance. Returns how many
 * results were matched.
 */
async function matchKeptAsideResults(tx: Db, params: ParameterStore, hashes: string[], now: Date) {
  if (hashes.length === 0) return 0;
  const waiting = [];
  for (let i = 0; i < hashes.length; i += 5000) {
    waiting.push(
      ...(await tx
        .select()
        .from(pcrUnmatchedResults)
        .where(
          and(
            inArray(pcrUnmatchedResults.idNumberHash, hashes.slice(i, i + 5000)),
            isNull(pcrUnmatchedResults.matchedAt),
          ),
        )
        .for('update')),
    );
  }
  if (waiting.length === 0) return 0;
  const people = await findActiveEmployeesByHash(tx, [...new Set(waiting.map((w) => w.idNumberHash))]);
  const matched: MatchedResult[] = [];
  const ids: Array<{ id: string; employeeId: string }> = [];
  for (const w of waiting) {
    const employee = people.get(w.idNumberHash);
    // The lab's region scope applies to results kept aside as it does at ingest.
    if (!employee) continue;
    if (!employee.regionCode.startsWith(prefixOf(w.labRegionCode))) continue;
    matched.push({ employee, row: w, labOrgUnitId: w.labOrgUnitId });
    ids.push({ id: w.id, employeeId: employee.id });
  }
  await recordMatchedResults(tx, params, matched, now);
  for (const { id, employeeId } of ids)
    await tx
      .update(pcrUnmatchedResults)
      .set({ matchedAt: now, matchedEmployeeId: employeeId })
      .where(eq(pcrUnmatchedResults.id, id));
  return matched.length;
}

/**
 * A lab's batch of results (`POST /workforce/test-results`), once per idempotency key: rows are checked one
 * by one (workforce.ingest.ts), a sample the lab sent before is a duplicate, a person on a roster outside the
 * lab's region is rejected (`WORKFORCE_OUT_OF_SCOPE`, nothing more said), an ID number on no roster is kept
 * aside as unmatched. The rows, every matched employee's compliance, resolved overdue alerts, positive alerts
 * and the audit row commit in one transaction — a failure leaves nothing. A resent key answers the first answer.
 */
export async function ingestTestResults(
  deps: WorkforceDeps,
  actor: Actor,
  body: unknown[],
  idempotencyKey: string,
  requestId: string,
): Promise<TestResultBatchResponse> {
  if (actor.kind !== 'token' || actor.role !== 'lab') throw new AppError('WORKFORCE_LAB_UNKNOWN');
  const now = deps.now();
  const hash = requestHash(JSON.stringify(body));
  const params = await parametersOf(deps.db);
  const { response, replayed } = await deps.db.transaction((tx) =>
    once(tx, `${actor.orgUnitId}:workforce.test-results`, idempotencyKey, hash, async () => {
      const batch = ingestTestBatch(body, { now });
      const errors: RowError[] = [...batch.errors];
      let duplicate = batch.duplicate;
      let rejected = batch.rejected;
      await lockLabIngest(tx, actor.orgUnitId);
      const seen = await findExistingSampleIds(
        tx,
        actor.orgUnitId,
        batch.rows.map((r) => r.labSampleId),
      );
      const fresh: ReadyTestRow[] = [];
      for (const r of batch.rows) {
        if (seen.has(r.labSampleId)) {
          errors.push({ row: r.row, field: 'labSampleId', code: 'WORKFORCE_DUPLICATE_ROW' });
          duplicate++;
        } else fresh.push(r);
      }
      // One keyed hash per distinct ID number (a batch often holds a person more than once).
      const hashOf = new Map<string, string>();
      for (const r of fresh)
        if (!hashOf.has(r.idNumber)) hashOf.set(r.idNumber, deps.pii.lookupHash('id_number', r.idNumber));
      const people = await findActiveEmployeesByHash(tx, [...hashOf.values()]);
      const matched: MatchedResult[] = [];
      const unmatched: Array<typeof pcrUnmatchedResults.$inferInsert> = [];
      for (const r of fresh) {
        const idHash = hashOf.get(r.idNumber)!;
        const employee = people.get(idHash);
        if (!employee) {
          unmatched.push({
            id: newId(),
            labOrgUnitId: actor.orgUnitId,
            labRegionCode: actor.regionCode,
            labSampleId: r.labSampleId,
            idNumberEncrypted: deps.pii.encrypt(r.idNumber),
            idNumberHash: idHash,
            sampledAt: r.sampledAt,
            result: r.result,
            method: r.method,
            tubeId: r.tubeId,
            retestOfLabSampleId: r.retestOfLabSampleId,
            receivedAt: now,
          });
        } else if (!employee.regionCode.startsWith(actor.regionPrefix)) {
          errors.push({ row: r.row, field: 'idNumber', code: 'WORKFORCE_OUT_OF_SCOPE' });
          rejected++;
        } else {
          matched.push({ employee, row: r, labOrgUnitId: actor.orgUnitId });
        }
      }
      const { resolved, positives } = await recordMatchedResults(tx, params, matched, now);
      await insertUnmatchedResults(tx, unmatched);
      errors.sort((a, b) => a.row - b.row);
      const answer: TestResultBatchResponse = {
        received: batch.received,
        accepted: matched.length + unmatched.length,
        duplicate,
        rejected,
        unmatched: unmatched.length,
        errors,
        replayed: false,
      };
      await writeAudit(
        tx,
        { actor, requestId },
        {
          action: 'workforce.test_results_ingested',
          objectType: 'lab_batch',
          objectId: null,
          summary: {
            received: answer.received,
            accepted: answer.accepted,
            duplicate,
            rejected,
            unmatched: unmatched.length,
            alertsResolved: resolved,
            positives,
          },
        },
      );
      return answer;
    }),
  );
  return { ...response, replayed };
}

// ---------------------------------------------------------------------------------------------------------
// Operating mode and the overdue sweep

/**
 * Records a switch of an enterprise's operating mode from `at` on (平急转换) and recomputes every active
 * employee's due time under the new history (one UPDATE). The operations module's county emergency calls this
 * per enterprise; the actor must see the enterprise.
 */
export async function switchOperatingMode(
  deps: WorkforceDeps,
  actor: Actor,
  input: { enterpriseId: string; mode: OperatingMode; at: Date },
  requestId: string | null = null,
) {
  const params = await parametersOf(deps.db);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const enterprise = await getEnterprise(tx, actor, input.enterpriseId);
    await insertModeChange(tx, {
      id: newId(),
      enterpriseId: enterprise.id,
      regionCode: enterprise.regionCode,
      mode: input.mode,
      at: input.at,
      createdBy: actor.username,
    });
    const modes: ModeChange[] = (await findModeChanges(tx, [enterprise.id])).get(enterprise.id) ?? [];
    const people = await findCadencePeopleOfEnterprise(tx, enterprise.id);
    const due = withParameters(() =>
      people.map((p) => ({ id: p.id, nextDueAt: nextTestDue(p, modes, params).dueAt })),
    );
    await setDueTimes(tx, due, now);
    await writeAudit(
      tx,
      { actor, requestId },
      {
        action: 'workforce.operating_mode_switched',
        objectType: 'enterprise',
        objectId: enterprise.id,
        summary: { mode: input.mode, at: input.at.toISOString(), employees: people.length },
      },
    );
  });
}

/**
 * The sentinel sweep (电子哨, 指南 二(五)): flags newly overdue staff and raises one `overdue_test` alert each,
 * set-based, with one audit row when anything was raised. Returns the counts.
 */
export async function raiseOverdueAlerts(deps: Pick<WorkforceDeps, 'db' | 'now'>) {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const result = await flagOverdueAndRaiseAlerts(
      tx,
      now,
      new Date(now.getTime() + OVERDUE_ALERT_DEADLINE_HOURS * HOUR_MS),
    );
    if (result.flagged > 0)
      await writeAudit(
        tx,
        { actor: null },
        {
          action: 'workforce.overdue_alerts_raised',
          objectType: 'alert',
          summary: { ...result, at: now.toISOString() },
        },
      );
    return result;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Alerts

/** Moves an alert the actor may see along new → acknowledged → resolved / dismissed (reason), audited. */
export async function transitionAlert(
  deps: WorkforceDeps,
  actor: Actor,
  id: string,
  body: AlertTransitionBody,
  requestId: string,
) {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const alert = await getAlertForUpdate(tx, actor, id);
    if (!canTransitionAlert(alert.state, body.to)) throw new AppError('ALERT_TRANSITION_INVALID');
    const set =
      body.to === 'acknowledged'
        ? { state: body.to, acknowledgedAt: now, acknowledgedBy: actor.username }
        : body.to === 'resolved'
          ? { state: body.to, closedAt: now, closedBy: actor.username, note: body.note }
          : { state: body.to, closedAt: now, closedBy: actor.username, dismissReason: body.reason };
    const updated = await updateAlertRow(tx, id, set);
    await writeAudit(
      tx,
      { actor, requestId },
      {
        action: `workforce.alert_${body.to}`,
        objectType: 'alert',
        objectId: id,
        summary: { kind: alert.kind, from: alert.state, to: body.to },
      },
    );
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Daily reports

/** The deadline of a business day's report: the parameter's time of day (Asia/Shanghai) on that day. */
export function dailyReportDeadline(params: ParameterStore, reportDate: string): Date {
  const value = withParameters(() => params.valueAt(DAILY_REPORT_DEADLINE_PARAMETER, reportDate));
  if (typeof value !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(value))
    throw new AppError('INTERNAL', { detail: `${DAILY_REPORT_DEADLINE_PARAMETER} is not HH:MM` });
  return new Date(`${reportDate}T${value}:00${SHANGHAI}`);
}

/**
 * Files the enterprise's 零报告 / 日报告 for a business day. A report after the day's deadline is accepted and
 * marked late; filing again replaces it (last wins, the revision counts up, and each filing is audited with
 * what it replaced — kinds and counts, never who was ill). A future day, or an anomaly naming someone not on
 * the roster, is refused.
 */
export async function fileDailyReport(
  deps: WorkforceDeps,
  actor: Actor,
  body: DailyReportBody,
  requestId: string,
) {
  const enterpriseId = ownEnterpriseId(actor);
  const now = deps.now();
  if (body.reportDate > businessDate(now)) throw new AppError('DAILY_REPORT_FUTURE_DATE');
  const params = await parametersOf(deps.db);
  const deadlineAt = dailyReportDeadline(params, body.reportDate);
  const anomalies = body.kind === 'anomalies' ? body.anomalies : [];
  return deps.db.transaction(async (tx) => {
    const enterprise = await getEnterprise(tx, actor, enterpriseId);
    const ids = [...new Set(anomalies.map((a) => a.employeeId))];
    if ((await countEmployeesOfEnterprise(tx, enterpriseId, ids)) !== ids.length)
      throw new AppError('DAILY_REPORT_EMPLOYEE_UNKNOWN');
    const late = now.getTime() > deadlineAt.getTime();
    const fields = {
      kind: body.kind,
      headcountOnSite: body.headcountOnSite,
      anomalies: body.kind === 'anomalies' ? anomalies : null,
      anomalyCount: anomalies.length,
      filedAt: now,
      filedBy: actor.username,
      deadlineAt,
      late,
    };
    const before = await findDailyReportForUpdate(tx, enterpriseId, body.reportDate);
    const report = before
      ? await updateDailyReport(tx, before.id, { ...fields, revision: before.revision + 1 })
      : await insertDailyReport(tx, {
          id: newId(),
          enterpriseId,
          regionCode: enterprise.regionCode,
          reportDate: body.reportDate,
          ...fields,
        });
    // The day's reminder (workforce.reminders.ts), if one was raised, is done with.
    await resolveDailyReportReminders(tx, enterpriseId, body.reportDate, now);
    await writeAudit(
      tx,
      { actor, requestId },
      {
        action: 'workforce.daily_report_filed',
        objectType: 'daily_report',
        objectId: report.id,
        summary: {
          reportDate: body.reportDate,
          kind: body.kind,
          anomalyCount: anomalies.length,
          headcountOnSite: body.headcountOnSite,
          late,
          revision: report.revision,
          replaced: before
            ? {
                kind: before.kind,
                anomalyCount: before.anomalyCount,
                headcountOnSite: before.headcountOnSite,
                late: before.late,
              }
            : null,
        },
      },
    );
    return report;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Jobs

const empty = z.object({}).strict();

const rosterImportJobBase = {
  name: 'workforce.import-roster',
  schema: RosterImportJobSchema,
  expireInSeconds: 15 * 60,
  retry: { limit: 3, delaySeconds: 5, backoff: true },
};

/**
 * What `startRosterImport` enqueues: the job's name and payload schema. The handler that runs it is the one
 * `workforceJobs` registers (it needs the cipher and the clock); this object is never run.
 */
const importRosterJobDefinition = defineJob({
  ...rosterImportJobBase,
  handler: () => Promise.reject(new Error('registered through workforceJobs')),
});

/**
 * The module's jobs, bound to the cipher and clock they need: the roster and drug-purchase file imports, the
 * overdue sweep, the arrival-test tracking and the daily-report reminders (every 10 minutes, Beijing time) and
 * the monthly `pcr_tests` partitions ahead of time (daily).
 */
export function workforceJobs(deps: { pii: PiiCipher; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    importRoster: defineJob({
      ...rosterImportJobBase,
      handler: (data, { db }) => runRosterImport({ db, pii: deps.pii, now }, data),
    }),
    raiseOverdueAlerts: defineJob({
      name: 'workforce.raise-overdue-alerts',
      schema: empty,
      cron: '*/10 * * * *',
      retry: { limit: 1, delaySeconds: 30, backoff: false },
      handler: async (_data, { db, log }) => {
        const result = await raiseOverdueAlerts({ db, now });
        if (result.flagged > 0) log.info(result, 'overdue alerts raised');
      },
    }),
    trackArrivals: defineJob({
      name: 'workforce.track-arrivals',
      schema: empty,
      cron: '*/10 * * * *',
      retry: { limit: 1, delaySeconds: 30, backoff: false },
      handler: async (_data, { db, log }) => {
        const result = await trackArrivals({ db, now });
        if (result.tested + result.missed > 0) log.info(result, 'arrivals tracked');
      },
    }),
    importDrugPurchases: drugPurchaseImportJob({ pii: deps.pii, now }),
    remindDailyReports: defineJob({
      name: 'workforce.remind-daily-reports',
      schema: empty,
      // Every 10 minutes; it acts only in the window before the day's deadline (both are parameters).
      cron: '*/10 * * * *',
      retry: { limit: 1, delaySeconds: 30, backoff: false },
      handler: async (_data, { db, log }) => {
        const result = await raiseDailyReportReminders({ db, now });
        if (result.raised + result.resolved > 0) log.info(result, 'daily report reminders');
      },
    }),
    ensurePcrPartitions: defineJob({
      name: 'workforce.ensure-pcr-partitions',
      schema: empty,
      cron: '15 0 * * *',
      handler: async (_data, { db }) => ensurePcrTestPartitions(db, now()),
    }),
  };
}
