import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnterprise, createTestApp, type TestApp } from './app';
import {
  addEmployee,
  buildLabToken,
  employeeBody,
  enterpriseSession,
  idNumber,
  officialSession,
  postResults,
  waitForJob,
} from './workforce-fixtures';

/**
 * An enterprise uploads its own employees' test results (Excel/CSV): all or nothing with row-numbered errors,
 * samples already stored count as duplicates, only its own roster, the lab by its registered name.
 */

const HOUR = 3_600_000;
let t: TestApp;
let own: string;
let other: string;
let jinshui: string;
let lab: string; // API token of the lab registered as 检测机构410100
const LAB = '检测机构410100';
const HEADER = '身份证号,姓名,采样时间,检测结果,检测方式,检测机构,样本编号\n';

/** Beijing wall-clock text of an instant `h` hours from the clock: `2022-06-02 08:00`. */
const beijing = (h: number) =>
  new Date(t.clock.now.getTime() + h * HOUR + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
const iso = (h: number) => new Date(t.clock.now.getTime() + h * HOUR).toISOString();

function upload(cookie: string, body: Buffer, filename: string, key = randomUUID()) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/workforce/test-results/import',
    headers: {
      cookie,
      'content-type': 'application/octet-stream',
      'idempotency-key': key,
      'x-file-name': encodeURIComponent(filename),
    },
    payload: body,
  });
}
const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const employee = async (id: string) => (await get(own, `/api/v1/workforce/employees/${id}`)).json();
const stored = async (prefix: string) =>
  (
    await t.database.query<{ n: number }>(
      'select count(*)::int as n from pcr_tests where lab_sample_id like $1',
      [`${prefix}%`],
    )
  )[0]!.n;

beforeAll(async () => {
  t = await createTestApp({}, { jobs: true });
  t.clock.now = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  const mine = await buildEnterprise(t.db, { regionCode: '410105' });
  const theirs = await buildEnterprise(t.db, { regionCode: '410105' });
  own = await enterpriseSession(t, mine);
  other = await enterpriseSession(t, theirs);
  jinshui = await officialSession(t, 'local_government', '410105', 'county');
  lab = await buildLabToken(t, '410100', 'city');
  for (const seq of [1, 2, 3]) await addEmployee(t, own, employeeBody(seq));
  await addEmployee(t, other, employeeBody(50));
});
afterAll(() => t.close());

describe('enterprise upload of test results', () => {
  it('stores a clean CSV all at once, updates compliance and marks the source in the audit row', async () => {
    const e1 = (await get(own, '/api/v1/workforce/employees'))
      .json()
      .items.find(
        (e: { idNumber: string; name: string }) =>
          e.name.startsWith('员') && e.idNumber.endsWith(idNumber(1).slice(-4)),
      );
    const csv =
      HEADER +
      `${idNumber(1)},员工1,${beijing(-3)},阴性,混检,${LAB},U-1\n` +
      `${idNumber(2)},员工2,${beijing(-4)},阳性,单采,${LAB},U-2\n`;
    const res = await upload(own, Buffer.from(csv), 'results.csv');
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(t, own, res.json().progressId);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ rows: 2, accepted: 2, duplicate: 0 });
    expect(await stored('U-')).toBe(2);
    const after = await employee(e1.id);
    expect(after.lastNegativeAt).toBe(iso(-3));
    expect(after.nextDueAt).toBe(iso(-3 + 48));
    const positives = await t.database.query<{ n: number }>(
      "select count(*)::int as n from alerts where kind = 'positive_result'",
    );
    expect(positives[0]!.n).toBe(1);
    const [audit] = await t.database.query<{ summary: Record<string, unknown> }>(
      "select summary from audit_log where action = 'workforce.test_results_uploaded'",
    );
    expect(audit!.summary).toMatchObject({ source: 'enterprise_upload', accepted: 2 });
    expect(JSON.stringify(audit!.summary)).toContain('U-2');
    expect(JSON.stringify(audit!.summary)).not.toContain(idNumber(2));
  });

  it('refuses the whole file with row-numbered errors, and says the same for another enterprise’s employee as for nobody', async () => {
    const csv =
      HEADER +
      `${idNumber(3)},员工3,${beijing(-2)},阴性,混检,${LAB},V-1\n` + // row 2: fine
      `${idNumber(50)},员工50,${beijing(-2)},阴性,混检,${LAB},V-2\n` + // row 3: another enterprise's
      `${idNumber(99)},员工99,${beijing(-2)},阴性,混检,${LAB},V-3\n` + // row 4: on no roster
      `${idNumber(3)},李四,${beijing(-2)},阴性,混检,${LAB},V-4\n` + // row 5: name differs
      `${idNumber(3)},员工3,${beijing(+2)},阴性,混检,${LAB},V-5\n` + // row 6: in the future
      `${idNumber(3)},员工3,${beijing(-2)},阴性,混检,无名检测所,V-6\n` + // row 7: unknown lab
      `${idNumber(3)},员工3,${beijing(-2)},弱阳,十混一,${LAB},V-7\n` + // row 8: result, method
      `${idNumber(3)},员工3,2022-02-30 08:00,阴性,混检,${LAB},V-8\n` + // row 9: no such day
      `${idNumber(3)},员工3,${beijing(-1)},阴性,混检,${LAB},V-1\n`; // row 10: sample id again
    const job = await waitForJob(t, own, (await upload(own, Buffer.from(csv), 'bad.csv')).json().progressId);
    expect(job.status).toBe('failed');
    const errors = job.result.errors as Array<{ row: number; field: string; code: string; message: string }>;
    const codes = errors.map((e) => [e.row, e.field, e.code]);
    expect(codes).toEqual(
      expect.arrayContaining([
        [8, 'result', 'WORKFORCE_RESULT_UNKNOWN'],
        [8, 'method', 'WORKFORCE_METHOD_UNKNOWN'],
        [9, 'sampledAt', 'WORKFORCE_SAMPLE_TIME_INVALID'],
      ]),
    );
    // Cell errors come first (the file is refused before the roster is looked at); then the roster checks.
    const fixed = csv.replace('弱阳,十混一', '阴性,混检').replace('2022-02-30 08:00', beijing(-2));
    const second = await waitForJob(
      t,
      own,
      (await upload(own, Buffer.from(fixed), 'bad2.csv')).json().progressId,
    );
    expect(second.status).toBe('failed');
    const found = (second.result.errors as typeof errors).map((e) => [e.row, e.field, e.code]);
    expect(found).toEqual([
      [3, 'idNumber', 'WORKFORCE_NOT_ON_ROSTER'],
      [4, 'idNumber', 'WORKFORCE_NOT_ON_ROSTER'],
      [5, 'name', 'WORKFORCE_NAME_MISMATCH'],
      [6, 'sampledAt', 'WORKFORCE_SAMPLE_TIME_FUTURE'],
      [7, 'labName', 'WORKFORCE_LAB_NAME_UNKNOWN'],
      [10, 'labSampleId', 'duplicate'],
    ]);
    const [elsewhere, nobody] = (second.result.errors as typeof errors).slice(0, 2);
    expect(elsewhere!.message).toBe(nobody!.message);
    expect(JSON.stringify(second.result)).not.toContain(idNumber(50));
    expect(await stored('V-')).toBe(0);
  });

  it('counts a sample the lab already pushed as a duplicate, and the same file again adds nothing', async () => {
    const pushed = await postResults(t, lab, [
      {
        labSampleId: 'W-1',
        idNumber: idNumber(3),
        sampledAt: iso(-6),
        result: 'negative',
        method: 'pooled',
        tubeId: 'W-1',
      },
    ]);
    expect(pushed.json()).toMatchObject({ accepted: 1 });
    const csv =
      HEADER +
      `${idNumber(3)},员工3,${beijing(-6)},阴性,混检,${LAB},W-1\n` +
      `${idNumber(3)},员工3,${beijing(-1)},阴性,混检,${LAB},W-2\n`;
    const first = await waitForJob(t, own, (await upload(own, Buffer.from(csv), 'w.csv')).json().progressId);
    expect(first.result).toMatchObject({ accepted: 1, duplicate: 1 });
    const again = await waitForJob(t, own, (await upload(own, Buffer.from(csv), 'w.csv')).json().progressId);
    expect(again.result).toMatchObject({ accepted: 0, duplicate: 2 });
    expect(await stored('W-')).toBe(2);
  });

  it('reads an .xlsx with a date-time cell (Beijing wall clock)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('核酸检测结果');
    ws.addRow(['身份证号', '姓名', '采样时间', '检测结果', '检测方式', '检测机构', '样本编号', '管号']);
    // exceljs keeps a Date's UTC fields as the sheet's wall clock: 08:30 Beijing is written as 08:30Z.
    const wall = new Date(`${beijing(-5).replace(' ', 'T')}:00Z`);
    ws.addRow([idNumber(2), '员工2', wall, '阴性', '单采', LAB, 'X-1', 'TUBE-9']);
    ws.getCell('C2').numFmt = 'yyyy-mm-dd hh:mm';
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const job = await waitForJob(t, own, (await upload(own, buffer, '结果.xlsx')).json().progressId);
    expect(job.status).toBe('succeeded');
    const [test] = await t.database.query<{ sampled_at: Date | string; tube_id: string; method: string }>(
      "select sampled_at, tube_id, method from pcr_tests where lab_sample_id = 'X-1'",
    );
    expect(new Date(test!.sampled_at).toISOString()).toBe(iso(-5));
    expect(test).toMatchObject({ tube_id: 'TUBE-9', method: 'single' });
  });

  it('offers a template to enterprises; officials and labs cannot upload', async () => {
    const tpl = await get(own, '/api/v1/workforce/test-results/import/template');
    expect(tpl.statusCode).toBe(200);
    expect(tpl.headers['content-type']).toContain('spreadsheetml');
    expect((await upload(jinshui, Buffer.from(HEADER), 'x.csv')).statusCode).toBe(403);
    const byLab = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workforce/test-results/import',
      headers: {
        authorization: `Bearer ${lab}`,
        'content-type': 'application/octet-stream',
        'idempotency-key': randomUUID(),
        'x-file-name': 'x.csv',
      },
      payload: Buffer.from(HEADER),
    });
    expect(byLab.statusCode).toBe(403);
  });
});
