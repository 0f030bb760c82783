import { randomUUID } from 'node:crypto';
import { computeUsccCheckChar } from '@sibao/contracts';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnterprise, buildUser, createTestApp, login, type TestApp } from './app';
import { workbookWithSheet, zeroBomb } from './files-fixtures';

let t: TestApp;
let county: string; // 金水区 industry department
let city: string; // Zhengzhou command office
let other: string; // 二七区 command office
let ent: string; // enterprise user
let mine: { id: string };
let theirs: { id: string };

function uscc(seq: number, region = '410105') {
  const first17 = `91${region}${String(seq).padStart(9, '0')}`;
  return first17 + computeUsccCheckChar(first17);
}

beforeAll(async () => {
  t = await createTestApp({}, { jobs: true });
  mine = await buildEnterprise(t.db, {
    uscc: uscc(1),
    name: '=HYPERLINK("http://evil.example","点我")',
    regionCode: '410105',
    sectors: ['industry'],
  });
  theirs = await buildEnterprise(t.db, {
    uscc: uscc(2, '410103'),
    name: '二七商贸有限公司',
    regionCode: '410103',
    sectors: ['commerce'],
  });
  await buildEnterprise(t.db, {
    uscc: uscc(3),
    name: '金水商贸有限公司',
    regionCode: '410105',
    sectors: ['commerce'],
  });
  const dept = await buildUser(t.db, {
    role: 'sector_department',
    kind: 'sector_department',
    regionCode: '410105',
    tier: 'county',
    sectors: ['industry'],
  });
  county = await login(t.app, dept.username, dept.password);
  const zz = await buildUser(t.db, { role: 'command_office', regionCode: '410100', tier: 'city' });
  city = await login(t.app, zz.username, zz.password);
  const eq = await buildUser(t.db, { role: 'command_office', regionCode: '410103', tier: 'county' });
  other = await login(t.app, eq.username, eq.password);
  const e = await buildUser(t.db, {
    role: 'enterprise',
    kind: 'enterprise',
    regionCode: '410105',
    tier: 'enterprise',
    enterpriseId: mine.id,
  });
  ent = await login(t.app, e.username, e.password);
});
afterAll(async () => t.close());

const list = async (cookie: string) =>
  (
    (await t.app.inject({ method: 'GET', url: '/api/v1/enterprises?limit=200', headers: { cookie } })).json()
      .items as Array<{ id: string; name: string }>
  ).map((e) => e.id);

describe('enterprise registry: row scope in SQL', () => {
  it('shows a county department only its county and its sectors', async () => {
    expect(await list(county)).toEqual([mine.id]);
  });
  it('shows a city command office every county of the city', async () => {
    expect((await list(city)).sort()).toHaveLength(3);
  });
  it('shows an enterprise user only its own enterprise', async () => {
    expect(await list(ent)).toEqual([mine.id]);
  });
  it("answers another county's enterprise with 404, exactly like a missing one", async () => {
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/api/v1/enterprises/${mine.id}`,
      headers: { cookie: other },
    });
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/v1/enterprises/${randomUUID()}`,
      headers: { cookie: other },
    });
    expect(foreign.statusCode).toBe(404);
    expect({ ...foreign.json(), requestId: 0, instance: 0 }).toEqual({
      ...missing.json(),
      requestId: 0,
      instance: 0,
    });
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/enterprises/${theirs.id}`,
          headers: { cookie: other },
        })
      ).statusCode,
    ).toBe(200);
  });
  it('exports only what the list shows, with formula-looking names made inert', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/enterprises/export?format=xlsx',
      headers: { cookie: county },
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    const cell = sheet.getRow(2).getCell(2);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.formula).toBeUndefined();
    expect(String(cell.value)).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/v1/enterprises/export?format=csv&encoding=gb18030',
      headers: { cookie: county },
    });
    const text = iconv.decode(csv.rawPayload, 'gb18030');
    expect(text).toContain('统一社会信用代码');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
  });
});

async function upload(cookie: string, body: Buffer, filename: string, key = randomUUID(), type = 'text/csv') {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/enterprises/import',
    headers: {
      cookie,
      'content-type': type,
      'idempotency-key': key,
      'x-file-name': encodeURIComponent(filename),
    },
    payload: body,
  });
}

async function waitForJob(cookie: string, id: string) {
  for (let i = 0; i < 200; i++) {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: { cookie } });
    const body = res.json();
    if (body.status === 'succeeded' || body.status === 'failed') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

const HEADER =
  '统一社会信用代码,企业(项目)名称,行业领域,所在县(市、区)代码,员工人数,年产值或计划总投资(万元)\n';

describe('enterprise import: all or nothing, idempotent, with progress', () => {
  it('imports a GB18030 CSV in the background and reports progress', async () => {
    const csv = `${HEADER}${uscc(101)},金水智能装备有限公司,工业生产,410105,320,12000.5\n${uscc(102)},金水食品有限公司,工业生产,410105,80,3000\n`;
    const res = await upload(city, iconv.encode(csv, 'gb18030'), '企业名录.csv');
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(city, res.json().progressId);
    expect(job).toMatchObject({ status: 'succeeded', result: { imported: 2 }, done: 2 });
    const rows = await t.database.query<{ name: string; annual_value_fen: number }>(
      `select name, annual_value_fen from enterprises where uscc = $1`,
      [uscc(101)],
    );
    expect(rows).toEqual([{ name: '金水智能装备有限公司', annual_value_fen: 12_000_500_000 }]);
  });

  it('imports nothing when one row is wrong, and names the row and column', async () => {
    const bad = `${uscc(202).slice(0, 17)}${uscc(202).endsWith('0') ? '1' : '0'}`;
    const csv = `${HEADER}${uscc(201)},好企业有限公司,工业生产,410105,10,1\n${bad},坏代码有限公司,工业生产,410105,10,1\n${uscc(203)},越界企业有限公司,工业生产,410103,10,1\n`;
    const res = await upload(city, Buffer.from(csv), 'bad.csv');
    const job = await waitForJob(city, res.json().progressId);
    expect(job.status).toBe('failed');
    expect(job.result.errors).toEqual([
      expect.objectContaining({ row: 3, field: 'uscc', code: 'USCC_CHECK_CHAR' }),
    ]);
    expect(await t.database.query(`select 1 from enterprises where uscc = $1`, [uscc(201)])).toEqual([]);
  });

  it('refuses rows outside the importer’s region (the county office cannot import into another county)', async () => {
    const dept = await buildUser(t.db, { role: 'command_office', regionCode: '410105', tier: 'county' });
    const cookie = await login(t.app, dept.username, dept.password);
    const csv = `${HEADER}${uscc(301)},本县企业有限公司,工业生产,410105,10,1\n${uscc(302, '410103')},外县企业有限公司,商贸流通,410103,10,1\n`;
    const job = await waitForJob(
      cookie,
      (await upload(cookie, Buffer.from(csv), 'scope.csv')).json().progressId,
    );
    expect(job.result.errors).toEqual([expect.objectContaining({ row: 3, code: 'REGION_OUT_OF_SCOPE' })]);
    expect(await t.database.query(`select 1 from enterprises where uscc = $1`, [uscc(301)])).toEqual([]);
  });

  it('answers a resent upload with the same progress id and imports once', async () => {
    const key = randomUUID();
    const csv = Buffer.from(`${HEADER}${uscc(401)},重发企业有限公司,工业生产,410105,10,1\n`);
    const first = await upload(city, csv, 'again.csv', key);
    const second = await upload(city, csv, 'again.csv', key);
    expect(second.json()).toEqual({ progressId: first.json().progressId, replayed: true });
    await waitForJob(city, first.json().progressId);
    expect(
      await t.database.query(`select count(*)::int as n from enterprises where uscc = $1`, [uscc(401)]),
    ).toEqual([{ n: 1 }]);
    const conflict = await upload(
      city,
      Buffer.from(`${HEADER}${uscc(402)},别的企业有限公司,工业生产,410105,1,1\n`),
      'again.csv',
      key,
    );
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('refuses a zip bomb and a non-spreadsheet at once, before anything is stored', async () => {
    const bomb = workbookWithSheet({ name: '', raw: { ...zeroBomb(300), method: 8 } });
    const res = await upload(
      city,
      bomb,
      'bomb.xlsx',
      randomUUID(),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('FILE_ZIP_BOMB');
    const text = await upload(
      city,
      Buffer.from('not a spreadsheet at all'),
      'notes.xlsx',
      randomUUID(),
      'application/octet-stream',
    );
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('FILE_NOT_SPREADSHEET');
    expect(await t.database.query('select count(*)::int as n from uploads')).toEqual([{ n: 0 }]);
  });

  it('refuses a file name that is not URI-encoded, naming the header, before anything is stored', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/enterprises/import',
      headers: {
        cookie: city,
        'content-type': 'text/csv',
        'idempotency-key': randomUUID(),
        'x-file-name': '%E4%B8%AD%',
      },
      payload: Buffer.from(`${HEADER}${uscc(501)},编码企业有限公司,工业生产,410105,10,1\n`),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'headers.x-file-name', code: 'BAD_ENCODING' }],
    });
    expect(await t.database.query('select count(*)::int as n from uploads')).toEqual([{ n: 0 }]);
  });

  it('gives the template with the Chinese headers', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/enterprises/import/template',
      headers: { cookie: city },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const headers = (wb.worksheets[0]!.getRow(1).values as unknown[]).filter(Boolean).map(String);
    expect(headers).toEqual(
      expect.arrayContaining(['统一社会信用代码', '企业(项目)名称', '所在县(市、区)代码']),
    );
  });

  it('does not let another user read someone’s import progress', async () => {
    const res = await upload(
      city,
      Buffer.from(`${HEADER}${uscc(501)},进度企业有限公司,工业生产,410105,1,1\n`),
      'p.csv',
    );
    const peek = await t.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${res.json().progressId}`,
      headers: { cookie: county },
    });
    expect(peek.statusCode).toBe(404);
  });
});
