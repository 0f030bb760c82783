import type { ArrivalBody, FieldError } from '@sibao/contracts';
import type { ParameterStore } from '@sibao/rules';
import type { Actor } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { maskIdNumber, maskName, maskPhone } from '../../platform/crypto';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { parseImport } from '../../platform/files/files.import';
import { newId } from '../../platform/ids';
import { getEnterprise } from '../enterprises';
import { loadParameterStore, mapStoreError } from '../parameters';
import { assignArrivalCode } from './workforce.arrivals';
import {
  findRiskAreasCovering,
  getArrival,
  insertArrival,
  insertArrivalAlert,
  isWhitelisted,
  resolveArrivalAlerts,
  trackArrivalTests,
  updateArrivalRow,
  upsertRiskAreas,
} from './workforce.arrivals.queries';
import { riskAreaImport } from './workforce.import';
import { getEmployee } from './workforce.queries';
import type { WorkforceDeps } from './workforce.service';

/**
 * 入豫报备 (指南 二(三)(四)): the risk-area table, arrivals with their code-assignment decision, completing a
 * late registration, and the sweep that tracks arrival tests to done.
 */

const HOUR_MS = 3_600_000;
/** How far an arrival time may lie after the server's clock (phones' clocks drift): five minutes. */
const ARRIVAL_CLOCK_SKEW_MS = 5 * 60_000;
/** Platform default (henan-2022.parameters.ts): the deadline of the sentinel alerts raised here. */
export const SENTINEL_RESPONSE_PARAMETER = 'workforce.sentinelResponseHours';

function withParameters<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw mapStoreError(error);
  }
}

/** The deadline of a sentinel alert raised at `now`. */
export function sentinelDeadline(params: ParameterStore, now: Date): Date {
  const hours = withParameters(() => Number(params.valueAt(SENTINEL_RESPONSE_PARAMETER, now)));
  return new Date(now.getTime() + hours * HOUR_MS);
}

const shanghaiTime = (at: Date) =>
  new Date(at.getTime() + 8 * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ');

// ---------------------------------------------------------------------------------------------------------
// Risk areas

/**
 * Imports the risk-area table from an .xlsx/CSV (in the request: a few hundred rows at most): every row
 * checked (code, level, dates, `to` after `from`), then all rows upserted by (code, level, from) with one
 * audit row — or nothing, with row-numbered errors (IMPORT_ROWS_INVALID). Throws FileError for an unusable file.
 */
export async function importRiskAreas(
  deps: WorkforceDeps,
  actor: Actor,
  file: { buffer: Buffer; filename: string },
  requestId: string,
) {
  const parsed = await parseImport(riskAreaImport, file);
  const errors: FieldError[] = parsed.errors.map((e) => ({
    path: e.field,
    code: e.code,
    message: e.message,
    row: e.row,
  }));
  for (const { rowNumber, value } of parsed.rows)
    if (value.to !== undefined && value.to <= value.from)
      errors.push({
        path: 'to',
        code: 'RISK_AREA_TO_BEFORE_FROM',
        message: '解除日期须晚于起始日期',
        row: rowNumber,
      });
  if (errors.length > 0 || !parsed.ok)
    throw new AppError('IMPORT_ROWS_INVALID', { errors: errors.slice(0, 1000) });
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const inserted = await upsertRiskAreas(
      tx,
      parsed.rows.map(({ value }) => ({
        id: newId(),
        code: value.code,
        level: value.level,
        fromDate: value.from,
        toDate: value.to ?? null,
        source: value.source,
        importedAt: now,
        importedBy: actor.username,
      })),
    );
    const result = { rows: parsed.rows.length, inserted, updated: parsed.rows.length - inserted };
    await writeAudit(
      tx,
      { actor, requestId },
      {
        action: 'workforce.risk_areas_imported',
        objectType: 'risk_area',
        objectId: null,
        summary: { ...result, sha256: parsed.source.sha256 },
      },
    );
    return result;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Arrivals

function ownEnterpriseId(actor: Actor): string {
  if (actor.role !== 'enterprise' || !actor.enterpriseId) throw new AppError('EMPLOYEE_ENTERPRISE_REQUIRED');
  return actor.enterpriseId;
}

/**
 * Records an arrival at the actor's enterprise and decides its code and action (`assignArrivalCode` over the
 * risk-area entries covering the origin county and the parameters on the arrival date). Returning staff named
 * by `employeeId` must be on this enterprise's roster; they are 赋码保护 when the enterprise is whitelisted.
 * An arrival test is `test_pending` until the tracking sweep finds a negative; control, quarantine and
 * referral are handed to the local authority at once. Not pre-registered → an `unregistered_arrival` alert.
 * The arrival, the alert and the audit row commit together. Throws ARRIVAL_IN_FUTURE, EMPLOYEE_NOT_FOUND,
 * PARAMETER_NOT_IN_FORCE (an arrival date outside the rules' validity).
 */
export async function registerArrival(
  deps: WorkforceDeps,
  actor: Actor,
  body: ArrivalBody,
  requestId: string,
) {
  const enterpriseId = ownEnterpriseId(actor);
  const now = deps.now();
  const arrivedAt = new Date(body.arrivedAt);
  if (arrivedAt.getTime() > now.getTime() + ARRIVAL_CLOCK_SKEW_MS) throw new AppError('ARRIVAL_IN_FUTURE');
  const params = await loadParameterStore(deps.db);
  return deps.db.transaction(async (tx) => {
    const enterprise = await getEnterprise(tx, actor, enterpriseId);
    if (body.employeeId) await getEmployee(tx, actor, body.employeeId);
    const whitelistedStaff =
      body.personKind === 'returning_staff' &&
      body.employeeId !== null &&
      (await isWhitelisted(tx, enterpriseId));
    const areas = await findRiskAreasCovering(tx, body.originCountyCode);
    const decision = withParameters(() =>
      assignArrivalCode(
        {
          arrivedAt,
          originCountyCode: body.originCountyCode,
          contactStatus: body.contactStatus,
          healthCode: body.healthCode,
          itineraryCode: body.itineraryCode,
          negativeTestSampledAt: body.negativeTestSampledAt ? new Date(body.negativeTestSampledAt) : null,
          whitelistedStaff,
        },
        areas,
        params,
      ),
    );
    const id = newId();
    const row = await insertArrival(tx, {
      id,
      enterpriseId,
      regionCode: enterprise.regionCode,
      personKind: body.personKind,
      employeeId: body.employeeId,
      nameEncrypted: deps.pii.encrypt(body.name),
      nameMasked: maskName(body.name),
      idNumberEncrypted: deps.pii.encrypt(body.idNumber),
      idNumberHash: deps.pii.lookupHash('id_number', body.idNumber),
      idNumberMasked: maskIdNumber(body.idNumber),
      phoneEncrypted: body.phone ? deps.pii.encrypt(body.phone) : null,
      phoneMasked: body.phone ? maskPhone(body.phone) : null,
      originCountyCode: body.originCountyCode,
      preRegistered: body.preRegistered,
      arrivedAt,
      healthCode: body.healthCode,
      itineraryCode: body.itineraryCode,
      negativeTestSampledAt: body.negativeTestSampledAt ? new Date(body.negativeTestSampledAt) : null,
      contactStatus: body.contactStatus,
      rule: decision.rule,
      action: decision.action,
      codeAssignment: decision.healthCode,
      codeProtected: decision.codeProtected,
      riskLevel: decision.riskLevel,
      dueAt: decision.dueAt,
      quarantineEndsAt: decision.endsAt,
      explain: decision.explain,
      state: decision.action === 'arrival_test' ? 'test_pending' : 'handed_over',
      createdAt: now,
      createdBy: actor.username,
      updatedAt: now,
    });
    if (!body.preRegistered) {
      await insertArrivalAlert(tx, {
        id: newId(),
        kind: 'unregistered_arrival',
        state: 'new',
        enterpriseId,
        regionCode: enterprise.regionCode,
        employeeId: null,
        arrivalId: id,
        raisedAt: now,
        deadline: sentinelDeadline(params, now),
        summary: `入豫人员 ${maskName(body.name)} 于 ${shanghaiTime(arrivedAt)} 到达,未提前报备,请督促其补充报备`,
      });
    }
    await writeAudit(
      tx,
      { actor, requestId },
      {
        action: 'workforce.arrival_registered',
        objectType: 'arrival',
        objectId: id,
        summary: {
          personKind: body.personKind,
          preRegistered: body.preRegistered,
          rule: decision.rule,
          action: decision.action,
          riskLevel: decision.riskLevel,
        },
      },
    );
    return row;
  });
}

/**
 * Completes the registration of an arrival that was not pre-registered (the person has now registered in
 * 豫事办) and resolves its `unregistered_arrival` alert, audited. Throws ARRIVAL_NOT_FOUND (not the actor's),
 * ARRIVAL_ALREADY_REGISTERED.
 */
export async function completeArrivalRegistration(
  deps: WorkforceDeps,
  actor: Actor,
  id: string,
  body: { reference: string | null },
  requestId: string,
) {
  ownEnterpriseId(actor);
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const before = await getArrival(tx, actor, id, true);
    if (before.preRegistered || before.registrationCompletedAt)
      throw new AppError('ARRIVAL_ALREADY_REGISTERED');
    const row = await updateArrivalRow(tx, id, {
      registrationCompletedAt: now,
      registrationReference: body.reference,
      updatedAt: now,
    });
    const resolved = await resolveArrivalAlerts(
      tx,
      id,
      'unregistered_arrival',
      actor.username,
      '已补充报备 registration completed',
      now,
    );
    await writeAudit(
      tx,
      { actor, requestId },
      {
        action: 'workforce.arrival_registration_completed',
        objectType: 'arrival',
        objectId: id,
        summary: { alertsResolved: resolved, withReference: body.reference !== null },
      },
    );
    return row;
  });
}

/**
 * The enterprise reports that an arrival test was taken at `sampledAt` (a visitor tested where the results do
 * not reach the platform): a pending or missed arrival test becomes `tested`, its missed-test alert resolved,
 * audited as the enterprise's declaration. Throws ARRIVAL_NOT_FOUND (not the actor's), ARRIVAL_TEST_NOT_OPEN
 * (no arrival test, or already tested), ARRIVAL_TEST_BEFORE_ARRIVAL (sampled before arriving or in the future).
 */
export async function reportArrivalTest(
  deps: WorkforceDeps,
  actor: Actor,
  id: string,
  body: { sampledAt: string },
  requestId: string,
) {
  ownEnterpriseId(actor);
  const now = deps.now();
  const sampledAt = new Date(body.sampledAt);
  return deps.db.transaction(async (tx) => {
    const before = await getArrival(tx, actor, id, true);
    if (
      before.action !== 'arrival_test' ||
      (before.state !== 'test_pending' && before.state !== 'test_missed')
    )
      throw new AppError('ARRIVAL_TEST_NOT_OPEN');
    if (
      sampledAt.getTime() < before.arrivedAt.getTime() ||
      sampledAt.getTime() > now.getTime() + ARRIVAL_CLOCK_SKEW_MS
    )
      throw new AppError('ARRIVAL_TEST_BEFORE_ARRIVAL');
    const row = await updateArrivalRow(tx, id, { state: 'tested', testSampledAt: sampledAt, updatedAt: now });
    const resolved = await resolveArrivalAlerts(
      tx,
      id,
      'arrival_test_missed',
      actor.username,
      '企业报告已完成落地核酸检测 arrival test reported by the enterprise',
      now,
    );
    await writeAudit(
      tx,
      { actor, requestId },
      {
        action: 'workforce.arrival_test_reported',
        objectType: 'arrival',
        objectId: id,
        summary: {
          from: before.state,
          late: sampledAt.getTime() > before.dueAt.getTime(),
          alertsResolved: resolved,
        },
      },
    );
    return row;
  });
}

/**
 * The arrival-test sweep (a job, every 10 minutes): arrivals whose person has a negative sampled after
 * arrival become `tested` (their missed-test alert resolved), then those past the deadline `test_missed` with
 * an `arrival_test_missed` alert — set-based, one audit row when anything changed.
 *
 * Why a sweep and not a hook in the lab ingest: a visitor is on no roster, so their result lands among the
 * kept-aside unmatched results, not on an employee; the ingest hot path (benchmarked against COPY) stays as it
 * is; and the sweep that raises the missed alerts must look anyway. The cost is up to one sweep interval of
 * delay before an arrival shows `tested`.
 */
export async function trackArrivals(deps: { db: Db; now: () => Date }) {
  const now = deps.now();
  const params = await loadParameterStore(deps.db);
  const deadline = sentinelDeadline(params, now);
  return deps.db.transaction(async (tx) => {
    const result = await trackArrivalTests(tx, now, deadline);
    if (result.tested + result.missed > 0)
      await writeAudit(
        tx,
        { actor: null },
        {
          action: 'workforce.arrivals_tracked',
          objectType: 'arrival',
          summary: { ...result, at: now.toISOString() },
        },
      );
    return result;
  });
}
