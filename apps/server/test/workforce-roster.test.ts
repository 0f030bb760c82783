import { randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFORCE_RETENTION } from '../src/modules/workforce';
import { purgeExpired } from '../src/platform/retention';
import { buildEnterprise, createTestApp, type TestApp } from './app';
import {
  addEmployee,
  employeeBody,
  enterpriseSession,
  idNumber,
  officialSession,
  phone,
  waitForJob,
} from './workforce-fixtures';

let t: TestApp;
let mine: { id: string; regionCode: string };
let theirs: { id: string; regionCode: string };
let own: string; // enterprise user of `mine` (金水区 410105)
let other: string; // enterprise user of `theirs` (二七区 410103)
let jinshui: string; // 金水区 local government
let erqi: string; // 二七区 local government
let epidemic: string; // 金水区 epidemic office (pii.reveal)

beforeAll(async () => {
  t = await createTestApp({}, { jobs: true });
  mine = await buildEnterprise(t.db, { regionCode: '410105', name: '金水制造有限公司' });
  theirs = await buildEnterprise(t.db, { regionCode: '410103', name: '二七物流有限公司' });
  own = await enterpriseSession(t, mine);
  other = await enterpriseSession(t, theirs);
  jinshui = await officialSession(t, 'local_government', '410105', 'county');
  erqi = await officialSession(t, 'local_government', '410103', 'county');
  epidemic = await officialSession(t, 'epidemic_office', '410105', 'county');
});
afterAll(() => t.close());

const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

describe('roster: one employee at a time', () => {
  it('stores name, ID number and phone encrypted and answers only masked values', async () => {
    const body = employeeBody(1, { name: '张三丰', roleCategory: 'mobile', workUnit: '一车间' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workforce/employees',
      headers: { cookie: own },
      payload: body,
    });
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({
      name: '张**',
      idNumber: `4101**********${idNumber(1).slice(-4)}`,
      phone: `138****${phone(1).slice(-4)}`,
      roleCategory: 'mobile',
      workUnit: '一车间',
      status: 'active',
      lastNegativeAt: null,
      overdue: false,
    });
    expect(res.body).not.toContain(idNumber(1));
    expect(res.body).not.toContain(phone(1));
    expect(res.body).not.toContain('张三丰');
    const [stored] = await t.database.query<Record<string, unknown>>(
      'select * from employees where id = $1',
      [e.id],
    );
    expect(JSON.stringify(stored)).not.toContain(idNumber(1));
    expect(JSON.stringify(stored)).not.toContain(phone(1));
    expect(JSON.stringify(stored)).not.toContain('张三丰');
    const audit = await t.database.query<{ summary: unknown }>(
      "select summary from audit_log where action like 'workforce.%'",
    );
    expect(JSON.stringify(audit)).not.toContain(idNumber(1));
  });

  it('refuses a person who is already on an active roster, here or at another enterprise', async () => {
    await addEmployee(t, own, employeeBody(2));
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workforce/employees',
      headers: { cookie: other },
      payload: employeeBody(2, { name: '李四' }),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('EMPLOYEE_ID_NUMBER_EXISTS');
    expect(again.body).not.toContain(mine.id);
  });

  it('edits an employee: a person who left is no longer due', async () => {
    const e = await addEmployee(t, own, employeeBody(3));
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/workforce/employees/${e.id}`,
      headers: { cookie: own },
      payload: employeeBody(3, { status: 'left', healthCode: 'yellow' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'left',
      healthCode: 'yellow',
      nextDueAt: null,
      overdue: false,
    });
  });

  it('refuses an invalid ID number with its code', async () => {
    const bad = `${idNumber(4).slice(0, 17)}${idNumber(4).endsWith('0') ? '1' : '0'}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workforce/employees',
      headers: { cookie: own },
      payload: employeeBody(4, { idNumber: bad }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('ID_NUMBER_CHECK_DIGIT');
    expect(res.body).not.toContain(bad);
  });
});

describe('roster: who sees whom', () => {
  let theirEmployee: string;
  beforeAll(async () => {
    theirEmployee = (await addEmployee(t, other, employeeBody(10, { idNumber: idNumber(10, '410103') }))).id;
  });

  it('an enterprise cannot read another enterprise’s roster (404, as if missing)', async () => {
    const res = await get(own, `/api/v1/workforce/employees/${theirEmployee}`);
    expect(res.statusCode).toBe(404);
    const missing = await get(own, `/api/v1/workforce/employees/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(res.json().code).toBe(missing.json().code);
    const list = await get(own, `/api/v1/workforce/employees?enterpriseId=${theirs.id}`);
    expect(list.json()).toMatchObject({ items: [], total: 0 });
    const update = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/workforce/employees/${theirEmployee}`,
      headers: { cookie: own },
      payload: employeeBody(10, { idNumber: idNumber(10, '410103') }),
    });
    expect(update.statusCode).toBe(404);
  });

  it('a county official sees the county’s rosters and not another county’s', async () => {
    const list = (await get(jinshui, '/api/v1/workforce/employees?limit=200')).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((e: { enterpriseId: string }) => e.enterpriseId === mine.id)).toBe(true);
    expect((await get(erqi, `/api/v1/workforce/employees/${theirEmployee}`)).statusCode).toBe(200);
    expect((await get(jinshui, `/api/v1/workforce/employees/${theirEmployee}`)).statusCode).toBe(404);
  });

  it('reveals a full ID number only through the audited path, within scope', async () => {
    const e = await addEmployee(t, own, employeeBody(11));
    const reveal = (cookie: string, id: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/pii/reveal',
        headers: { cookie },
        payload: { objectType: 'employee', objectId: id, field: 'idNumber', reason: '流调核实身份' },
      });
    const res = await reveal(epidemic, e.id);
    expect(res.statusCode).toBe(200);
    expect(res.json().value).toBe(idNumber(11));
    expect((await reveal(epidemic, theirEmployee)).statusCode).toBe(404);
    expect((await reveal(own, e.id)).statusCode).toBe(403);
    const audit = await t.database.query<{ n: number }>(
      "select count(*)::int as n from audit_log where action = 'pii.revealed' and object_id = $1",
      [e.id],
    );
    expect(audit[0]!.n).toBe(1);
  });
});

const HEADER = '姓名,身份证号,手机号码,岗位类别,工作单元,班组,宿舍,到岗日期,健康码,行程码\n';

async function upload(cookie: string, body: Buffer, filename: string, key = randomUUID()) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/workforce/employees/import',
    headers: {
      cookie,
      'content-type': 'text/csv',
      'idempotency-key': key,
      'x-file-name': encodeURIComponent(filename),
    },
    payload: body,
  });
}

const count = async (enterpriseId: string) =>
  (
    await t.database.query<{ n: number }>(
      'select count(*)::int as n from employees where enterprise_id = $1',
      [enterpriseId],
    )
  )[0]!.n;

describe('roster import: all or nothing, with progress', () => {
  it('imports a GB18030 CSV and keeps formula-looking names as inert text', async () => {
    const csv = `${HEADER}王五,${idNumber(101)},${phone(101)},流动,装配车间,甲班,3号楼,2022-06-01,绿码,正常\n=HYPERLINK("http://x.example"),${idNumber(102)},${phone(102)},常规,,,,,,\n`;
    const res = await upload(own, iconv.encode(csv, 'gb18030'), '员工名册.csv');
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(t, own, res.json().progressId);
    expect(job).toMatchObject({ status: 'succeeded', result: { imported: 2 } });
    const list = (await get(own, '/api/v1/workforce/employees?workUnit=装配车间')).json();
    expect(list.items).toEqual([
      expect.objectContaining({ name: '王*', roleCategory: 'mobile', shift: '甲班', dorm: '3号楼' }),
    ]);
    const [row] = await t.database.query<{ name_encrypted: string; name_masked: string }>(
      'select name_encrypted, name_masked from employees where id_number_masked = $1',
      [`4101**********${idNumber(102).slice(-4)}`],
    );
    expect(t.ctx.pii.decrypt(row!.name_encrypted)).toBe('=HYPERLINK("http://x.example")');
  });

  it('imports nothing when an ID number repeats within the file, naming the rows', async () => {
    const before = await count(mine.id);
    const csv = `${HEADER}甲,${idNumber(201)},${phone(201)},,,,,,,\n乙,${idNumber(202)},${phone(202)},,,,,,,\n丙,${idNumber(201)},${phone(203)},,,,,,,\n`;
    const job = await waitForJob(t, own, (await upload(own, Buffer.from(csv), 'dup.csv')).json().progressId);
    expect(job.status).toBe('failed');
    expect(job.result.errors).toEqual([
      expect.objectContaining({ row: 4, field: 'idNumber', code: 'duplicate' }),
    ]);
    expect(await count(mine.id)).toBe(before);
    expect(JSON.stringify(job)).not.toContain(idNumber(201));
  });

  it('imports nothing when a person is on another enterprise’s active roster', async () => {
    const before = await count(mine.id);
    const csv = `${HEADER}丁,${idNumber(301)},${phone(301)},,,,,,,\n戊,${idNumber(10, '410103')},${phone(302)},,,,,,,\n`;
    const job = await waitForJob(
      t,
      own,
      (await upload(own, Buffer.from(csv), 'cross.csv')).json().progressId,
    );
    expect(job.status).toBe('failed');
    expect(job.result.errors).toEqual([
      expect.objectContaining({ row: 3, field: 'idNumber', code: 'EMPLOYEE_ON_OTHER_ROSTER' }),
    ]);
    expect(job.result.errors[0].message).not.toContain(theirs.id);
    expect(await count(mine.id)).toBe(before);
  });

  it('answers a resent upload with the same progress id and imports once', async () => {
    const key = randomUUID();
    const csv = Buffer.from(`${HEADER}己,${idNumber(401)},${phone(401)},,,,,,,\n`);
    const first = await upload(own, csv, 'once.csv', key);
    const second = await upload(own, csv, 'once.csv', key);
    expect(second.json()).toEqual({ progressId: first.json().progressId, replayed: true });
    expect((await waitForJob(t, own, first.json().progressId)).status).toBe('succeeded');
  });

  it('offers a template and refuses officials, who keep no roster', async () => {
    const tpl = await get(own, '/api/v1/workforce/employees/import/template');
    expect(tpl.statusCode).toBe(200);
    const res = await upload(jinshui, Buffer.from(HEADER), 'x.csv');
    expect(res.statusCode).toBe(403);
  });
});

describe('retention of workforce personal data', () => {
  it('clears the personal data of people who left after 30 days and keeps the active roster', async () => {
    const gone = await addEmployee(t, own, employeeBody(601));
    const stays = await addEmployee(t, own, employeeBody(602));
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/workforce/employees/${gone.id}`,
      headers: { cookie: own },
      payload: employeeBody(601, { status: 'left' }),
    });
    const later = new Date(t.clock.now.getTime() + 31 * 86_400_000);
    const report = await purgeExpired(t.db, WORKFORCE_RETENTION, later);
    expect(report.find((r) => r.rule === 'employees_left')?.changed).toBeGreaterThanOrEqual(1);
    const rows = await t.database.query<{ id: string; id_number_hash: string | null; name_masked: string }>(
      'select id, id_number_hash, name_masked from employees where id in ($1, $2)',
      [gone.id, stays.id],
    );
    expect(rows.find((r) => r.id === gone.id)).toMatchObject({ id_number_hash: null, name_masked: '已清除' });
    expect(rows.find((r) => r.id === stays.id)?.id_number_hash).not.toBeNull();
    // A second purge changes nothing more.
    const again = await purgeExpired(t.db, WORKFORCE_RETENTION, later);
    expect(again.find((r) => r.rule === 'employees_left')?.changed).toBe(0);
  });
});
