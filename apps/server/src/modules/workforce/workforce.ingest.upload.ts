import { ERROR_CATALOG, type ErrorCode, IdNumberSchema, PCR_METHODS, PCR_RESULTS } from '@sibao/contracts';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import {
  defineImport,
  type ImportRowError,
  type ImportRowValue,
  labelled,
} from '../../platform/files/files.import';
import { runUploadImport, startUploadImport } from '../../platform/files/files.job';
import { defineJob } from '../../platform/jobs';
import { orgUnits } from '../iam';
import { loadParameterStore } from '../parameters';
import { SAMPLE_CLOCK_SKEW_MS } from './workforce.ingest';
import {
  type CadenceEmployee,
  findActiveEmployeesByHash,
  findExistingSampleIds,
  lockLabIngest,
} from './workforce.queries';
import {
  importActor,
  type MatchedResult,
  recordMatchedResults,
  type WorkforceDeps,
} from './workforce.service';
import { employees } from './workforce.tables';

/**
 * 核酸检测结果 uploaded by an enterprise for its own employees (issue 5: "plus Excel upload for enterprises") —
 * results its staff got from a testing lab that does not push them through the lab API, or that the lab
 * handed over on paper. Same storage as lab pushes (`pcr_tests`, natural key lab + sample id), same compliance
 * update, same alerts.
 *
 * Semantics: the roster import's — all or nothing with row-numbered errors (the enterprise fixes the file and
 * uploads it again), since a file is one deliberate act of one enterprise, not a feed — with the labs'
 * duplicate rule: a sample the lab already pushed (or an earlier upload stored) is counted `duplicate` and
 * skipped, so the corrected file or the same file again adds nothing twice. The lab is named by its registered
 * name (an org unit of kind `lab`); its results then dedupe against its own API pushes.
 *
 * Scope: only the uploader's own active roster. An ID number that is not on it is one row error
 * (`WORKFORCE_NOT_ON_ROSTER`), whether or not the person works elsewhere — nothing leaks. The name must
 * match the roster's (a typo in an ID number must not credit a colleague).
 *
 * Source: `pcr_tests` has no source column (and this change adds no migration); the audit row
 * `workforce.test_results_uploaded` names the upload, the enterprise and every stored (lab, sample id).
 */

const LabCode = z
  .string()
  .max(64)
  .regex(/^[\x21-\x7e]+$/, 'FIELD_INVALID');

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const OFFSET_INSTANT = z.iso.datetime({ offset: true });

/** Beijing wall-clock fields → the instant, or null when they are not a real date and time. */
function beijingInstant(y: number, mo: number, d: number, h: number, mi: number, s: number): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  if (h > 23 || mi > 59 || s > 59) return null;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3_600_000);
}

/**
 * 采样时间 as the sheet holds it: a date-time cell (read as its wall-clock ISO text), `2022-06-02 08:30` or
 * `2022-06-02 08:30:00` text — Beijing time — or an ISO instant with an offset. Outputs the instant.
 */
const SampleTimeCell = z.string().transform((text, ctx) => {
  const local = LOCAL_TIME.exec(text);
  const at = local
    ? beijingInstant(
        ...(local.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number]),
      )
    : OFFSET_INSTANT.safeParse(text).success
      ? new Date(text)
      : null;
  if (!at) {
    ctx.addIssue({ code: 'custom', message: 'WORKFORCE_SAMPLE_TIME_INVALID' });
    return new Date(0);
  }
  return at;
});

export const resultsUploadImport = defineImport({
  maxRows: 5_000,
  sheetName: { zh: '核酸检测结果', en: 'Test results' },
  columns: [
    {
      key: 'idNumber',
      header: { zh: '身份证号', en: 'ID number' },
      aliases: ['身份证号码', '公民身份号码'],
      schema: IdNumberSchema,
      required: true,
      example: '410102199003071230',
      width: 22,
      note: { zh: '本企业在岗员工的18位身份证号码', en: '18-character ID number of one of your employees' },
    },
    {
      key: 'name',
      header: { zh: '姓名', en: 'Name' },
      schema: z.string().min(1).max(50),
      required: true,
      example: '张三',
      width: 12,
      note: { zh: '须与员工名册一致', en: 'As on your roster' },
    },
    {
      key: 'sampledAt',
      header: { zh: '采样时间', en: 'Sampled at' },
      schema: SampleTimeCell,
      required: true,
      example: '2022-06-02 08:30',
      width: 18,
      note: { zh: '北京时间,格式 2022-06-02 08:30', en: 'Beijing time, YYYY-MM-DD HH:mm' },
    },
    {
      key: 'result',
      header: { zh: '检测结果', en: 'Result' },
      schema: labelled(
        PCR_RESULTS,
        { 阴性: 'negative', 阳性: 'positive', 无效: 'invalid' } as const,
        'WORKFORCE_RESULT_UNKNOWN',
      ),
      required: true,
      example: '阴性',
      note: { zh: '阴性、阳性或无效', en: 'negative, positive or invalid' },
    },
    {
      key: 'method',
      header: { zh: '检测方式', en: 'Method' },
      aliases: ['采样方式'],
      schema: labelled(
        PCR_METHODS,
        { 混检: 'pooled', 混采: 'pooled', 单采: 'single', 单检: 'single', 单管: 'single' } as const,
        'WORKFORCE_METHOD_UNKNOWN',
      ),
      required: true,
      example: '混检',
      note: { zh: '混检(多人一管)或单采(一人一管)', en: 'pooled or single' },
    },
    {
      key: 'labName',
      header: { zh: '检测机构', en: 'Lab' },
      aliases: ['检测机构名称'],
      schema: z.string().min(1).max(100),
      required: true,
      example: '郑州市第一检测实验室',
      width: 24,
      note: { zh: '平台登记的检测机构全称', en: 'The lab’s registered name' },
    },
    {
      key: 'labSampleId',
      header: { zh: '样本编号', en: 'Sample ID' },
      aliases: ['样本条码', '条码号'],
      schema: LabCode,
      required: true,
      example: 'ZZ20220602-000123',
      width: 20,
    },
    {
      key: 'tubeId',
      header: { zh: '管号', en: 'Tube ID' },
      schema: LabCode,
      width: 16,
      note: { zh: '混检的管号,默认同样本编号', en: 'The pool’s tube; default the sample ID' },
    },
  ],
});

const UploadActorSchema = z.object({
  userId: z.string().nullable(),
  tokenId: z.string().nullable(),
  username: z.string(),
  orgUnitId: z.string(),
  regionCode: z.string(),
  enterpriseId: z.uuid(),
});
const TestResultImportJobSchema = z.object({
  uploadId: z.uuid(),
  progressId: z.uuid(),
  actor: UploadActorSchema,
});
type TestResultImportJob = z.infer<typeof TestResultImportJobSchema>;

const jobBase = {
  name: 'workforce.import-test-results',
  schema: TestResultImportJobSchema,
  expireInSeconds: 15 * 60,
  retry: { limit: 3, delaySeconds: 5, backoff: true },
};
/** What `startTestResultImport` enqueues; the handler is the one `testResultImportJob` registers. */
const enqueued = defineJob({
  ...jobBase,
  handler: () => Promise.reject(new Error('registered through testResultImportJob')),
});

/** The upload job, bound to the cipher and clock (register it next to `workforceJobs`). */
export function testResultImportJob(deps: Pick<WorkforceDeps, 'pii'> & { now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return defineJob({
    ...jobBase,
    handler: (data, { db }) => runTestResultImport({ db, pii: deps.pii, now }, data),
  });
}

/**
 * Refuses an unusable file at once, then stores it, a progress row and the job in one transaction under the
 * idempotency key (a resent upload answers the same progress id). Enterprise users only.
 */
export async function startTestResultImport(
  deps: WorkforceDeps,
  actor: Actor,
  file: { buffer: Buffer; filename: string },
  idempotencyKey: string,
  requestId: string,
): Promise<{ progressId: string; replayed: boolean }> {
  if (actor.role !== 'enterprise' || !actor.enterpriseId) throw new AppError('EMPLOYEE_ENTERPRISE_REQUIRED');
  const enterpriseId = actor.enterpriseId;
  return startUploadImport(
    deps.db,
    deps.jobs,
    { actor, file, idempotencyKey, requestId },
    {
      kind: 'workforce.import-test-results',
      job: enqueued,
      payload: (ids) => ({ ...ids, actor: importActor(actor, enterpriseId) }),
      audit: { action: 'workforce.test_results_upload_started' },
    },
  );
}

type UploadRow = { rowNumber: number; value: ImportRowValue<typeof resultsUploadImport.columns> };

/** A row error with the catalog's text (Chinese, then English), as the roster import words them. */
const rowError = (row: number, column: string, field: string, code: ErrorCode): ImportRowError => ({
  row,
  column,
  field,
  code,
  message: `${ERROR_CATALOG[code].zh} ${ERROR_CATALOG[code].en}`,
});

/** Registered labs by exact name; a name held by two labs (in two regions) is not resolved. */
async function labsByName(db: Db, names: string[]): Promise<Map<string, string>> {
  const found = await db
    .select({ id: orgUnits.id, name: orgUnits.name })
    .from(orgUnits)
    .where(and(eq(orgUnits.kind, 'lab'), inArray(orgUnits.name, names)));
  const out = new Map<string, string | null>();
  for (const lab of found) out.set(lab.name, out.has(lab.name) ? null : lab.id);
  return new Map([...out].filter((e): e is [string, string] => e[1] !== null));
}

const squash = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');

/**
 * Matches the rows to the enterprise's own active roster and registered labs. Returns row errors, and for
 * valid files the matched results; `now` bounds the sample time (plus the labs' clock-skew allowance).
 */
async function matchRows(
  deps: WorkforceDeps,
  db: Db,
  enterpriseId: string,
  rows: UploadRow[],
  now: Date,
): Promise<{ errors: ImportRowError[]; matched: Array<MatchedResult & { rowNumber: number }> }> {
  const errors: ImportRowError[] = [];
  const labs = await labsByName(db, [...new Set(rows.map((r) => r.value.labName))]);
  const hashOf = new Map<string, string>();
  for (const { value } of rows)
    if (!hashOf.has(value.idNumber))
      hashOf.set(value.idNumber, deps.pii.lookupHash('id_number', value.idNumber));
  const holders = await findActiveEmployeesByHash(db, [...hashOf.values()]);
  const own = new Map<string, CadenceEmployee>();
  for (const [hash, e] of holders) if (e.enterpriseId === enterpriseId) own.set(hash, e);
  const names = new Map<string, string>();
  if (own.size > 0) {
    const ids = [...own.values()].map((e) => e.id);
    for (let i = 0; i < ids.length; i += 5000)
      for (const e of await db
        .select({ id: employees.id, nameEncrypted: employees.nameEncrypted })
        .from(employees)
        .where(inArray(employees.id, ids.slice(i, i + 5000))))
        if (e.nameEncrypted) names.set(e.id, deps.pii.decrypt(e.nameEncrypted));
  }
  const latest = now.getTime() + SAMPLE_CLOCK_SKEW_MS;
  const keys = new Map<string, number>();
  const matched: Array<MatchedResult & { rowNumber: number }> = [];
  for (const { rowNumber, value } of rows) {
    const before = errors.length;
    const employee = own.get(hashOf.get(value.idNumber)!);
    if (!employee) errors.push(rowError(rowNumber, '身份证号', 'idNumber', 'WORKFORCE_NOT_ON_ROSTER'));
    else if (squash(names.get(employee.id) ?? '') !== squash(value.name))
      errors.push(rowError(rowNumber, '姓名', 'name', 'WORKFORCE_NAME_MISMATCH'));
    if (value.sampledAt.getTime() > latest)
      errors.push(rowError(rowNumber, '采样时间', 'sampledAt', 'WORKFORCE_SAMPLE_TIME_FUTURE'));
    const lab = labs.get(value.labName);
    if (!lab) errors.push(rowError(rowNumber, '检测机构', 'labName', 'WORKFORCE_LAB_NAME_UNKNOWN'));
    else {
      const key = `${lab}\u0000${value.labSampleId}`;
      const first = keys.get(key);
      if (first !== undefined)
        errors.push({
          row: rowNumber,
          column: '样本编号',
          field: 'labSampleId',
          code: 'duplicate',
          message: `与第 ${first} 行重复(同一检测机构的同一样本编号) same lab and sample ID as row ${first}`,
        });
      else keys.set(key, rowNumber);
    }
    if (errors.length > before || !employee || !lab) continue;
    matched.push({
      rowNumber,
      employee,
      labOrgUnitId: lab,
      row: {
        labSampleId: value.labSampleId,
        sampledAt: value.sampledAt,
        result: value.result,
        method: value.method,
        tubeId: value.tubeId ?? value.labSampleId,
        retestOfLabSampleId: null,
      },
    });
  }
  return { errors, matched };
}

/**
 * The upload job: parse and check every row (roster, name, lab, sample time, (lab, sample id) once in the
 * file), then — in ONE transaction with the progress row — skip samples already stored, store the rest with
 * their compliance effect and alerts, and write the audit row that marks them as uploaded by the enterprise.
 */
export async function runTestResultImport(deps: WorkforceDeps, job: TestResultImportJob): Promise<void> {
  const enterpriseId = job.actor.enterpriseId;
  await runUploadImport(deps.db, job, {
    definition: resultsUploadImport,
    async check(rows) {
      return (await matchRows(deps, deps.db, enterpriseId, rows, deps.now())).errors;
    },
    async commit(tx, rows, upload) {
      const now = deps.now();
      const { errors, matched } = await matchRows(deps, tx, enterpriseId, rows, now);
      // The roster changed between the check and now: the retried job reports the rows.
      if (errors.length > 0) throw new Error('the roster changed while the upload was checked');
      const byLab = new Map<string, typeof matched>();
      for (const m of matched) {
        const list = byLab.get(m.labOrgUnitId);
        if (list) list.push(m);
        else byLab.set(m.labOrgUnitId, [m]);
      }
      const labIds = [...byLab.keys()].sort();
      const fresh: typeof matched = [];
      for (const lab of labIds) {
        await lockLabIngest(tx, lab);
        const mine = byLab.get(lab)!;
        const seen = await findExistingSampleIds(
          tx,
          lab,
          mine.map((m) => m.row.labSampleId),
        );
        for (const m of mine) if (!seen.has(m.row.labSampleId)) fresh.push(m);
      }
      const params = await loadParameterStore(tx);
      const { resolved, positives } = await recordMatchedResults(tx, params, fresh, now);
      const stored = labIds
        .map((lab) => ({
          lab,
          samples: fresh.filter((m) => m.labOrgUnitId === lab).map((m) => m.row.labSampleId),
        }))
        .filter((l) => l.samples.length > 0);
      const summary = {
        // `imported` is what the shared import dialog reports; `duplicate` were already stored.
        imported: fresh.length,
        rows: rows.length,
        accepted: fresh.length,
        duplicate: matched.length - fresh.length,
      };
      await writeAudit(
        tx,
        { actor: job.actor },
        {
          action: 'workforce.test_results_uploaded',
          objectType: 'upload',
          objectId: upload.id,
          summary: {
            source: 'enterprise_upload',
            enterpriseId,
            sha256: upload.sha256,
            ...summary,
            alertsResolved: resolved,
            positives,
            stored,
          },
        },
      );
      return summary;
    },
  });
}
