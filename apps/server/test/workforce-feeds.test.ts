import { randomUUID } from 'node:crypto';
import type { Tier } from '@sibao/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/modules/iam';
import { buildEnterprise, buildOrgUnit, createTestApp, type TestApp } from './app';
import {
  addEmployee,
  employeeBody,
  enterpriseSession,
  idNumber,
  officialSession,
  phone,
  waitForJob,
  whitelist,
} from './workforce-fixtures';

const HOUR = 3_600_000;
let t: TestApp;
let NOW: Date;
let mine: { id: string; regionCode: string; uscc: string; name: string };
let own: string;
let other: string;
let zhengzhouFeed: string;
let luoyangFeed: string;

/** An epidemic-office org unit and an API token with the pharmacy feed permission. */
async function feedToken(regionCode: string, tier: Tier) {
  const office = await buildOrgUnit(t.db, {
    kind: 'epidemic_office',
    regionCode,
    tier,
    name: `防疫${regionCode}`,
  });
  const { token } = await createApiToken(
    t.db,
    {
      name: 'pharmacy-feed',
      orgUnitId: office.id,
      role: 'epidemic_office',
      permissions: ['workforce.ingest_drug_purchases'],
      expiresAt: new Date(t.clock.now.getTime() + 90 * 86_400_000),
    },
    { actor: null },
  );
  return token;
}

const purchase = (recordId: string, id: string, change: Record<string, unknown> = {}) => ({
  recordId,
  idNumber: id,
  purchasedAt: new Date(NOW.getTime() - 2 * HOUR).toISOString(),
  category: 'fever',
  pharmacy: '花园路大药房',
  ...change,
});
const postPurchases = (token: string, rows: unknown[], key: string = randomUUID()) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/workforce/drug-purchases',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
    payload: rows as object,
  });
const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

beforeAll(async () => {
  t = await createTestApp({}, { jobs: true });
  NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  t.clock.now = NOW;
  mine = (await buildEnterprise(t.db, { regionCode: '410105' })) as typeof mine;
  const theirs = await buildEnterprise(t.db, { regionCode: '410103' });
  own = await enterpriseSession(t, mine);
  other = await enterpriseSession(t, theirs);
  zhengzhouFeed = await feedToken('410100', 'city');
  luoyangFeed = await feedToken('410300', 'city');
});
afterAll(() => t.close());

describe('drug purchases (四类药品)', () => {
  it('a purchase by an employee raises one drug_purchase alert; an unknown ID is kept aside', async () => {
    const e = await addEmployee(t, own, employeeBody(1));
    const res = await postPurchases(zhengzhouFeed, [
      purchase('YD-1', idNumber(1)),
      purchase('YD-2', idNumber(1), { category: 'cough' }),
      purchase('YD-3', idNumber(999)),
      purchase('YD-4', idNumber(1), { purchasedAt: new Date(NOW.getTime() + 2 * HOUR).toISOString() }),
      purchase('YD-1', idNumber(1)),
      { ...purchase('YD-5', idNumber(1)), extra: 1 },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      received: 6,
      accepted: 3,
      duplicate: 1,
      rejected: 2,
      matched: 2,
      unmatched: 1,
      alertsRaised: 1,
      replayed: false,
    });
    expect(res.json().errors.map((x: { row: number; code: string }) => [x.row, x.code])).toEqual([
      [3, 'WORKFORCE_PURCHASE_TIME_FUTURE'],
      [4, 'WORKFORCE_DUPLICATE_ROW'],
      [5, 'UNKNOWN_FIELD'],
    ]);
    const alerts = (await get(own, '/api/v1/workforce/alerts?kind=drug_purchase')).json();
    expect(alerts.items).toHaveLength(1);
    expect(alerts.items[0]).toMatchObject({ employeeId: e.id, state: 'new' });
    expect(alerts.items[0].summary).toContain('退热');
    expect((await get(other, '/api/v1/workforce/alerts?kind=drug_purchase')).json().items).toHaveLength(0);

    const kept = await t.database.query<{ employee_id: string | null; id_number_encrypted: string }>(
      `select employee_id, id_number_encrypted from drug_purchases where record_id = 'YD-3'`,
    );
    expect(kept).toHaveLength(1);
    expect(kept[0]!.employee_id).toBeNull();
    expect(kept[0]!.id_number_encrypted).not.toContain(idNumber(999));
  });

  it('a resent batch adds nothing; a purchase outside the feed’s region is rejected', async () => {
    const key = randomUUID();
    await addEmployee(t, own, employeeBody(2));
    const first = await postPurchases(zhengzhouFeed, [purchase('YD-10', idNumber(2))], key);
    const again = await postPurchases(zhengzhouFeed, [purchase('YD-10', idNumber(2))], key);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    const newKey = await postPurchases(zhengzhouFeed, [purchase('YD-10', idNumber(2))]);
    expect(newKey.json()).toMatchObject({ accepted: 0, duplicate: 1 });
    const far = await postPurchases(luoyangFeed, [purchase('LY-1', idNumber(2))]);
    expect(far.json()).toMatchObject({
      accepted: 0,
      rejected: 1,
      errors: [{ code: 'WORKFORCE_OUT_OF_SCOPE' }],
    });
  });

  it('a purchase kept aside is matched when the person is added to a roster in the feed’s region', async () => {
    const res = await postPurchases(zhengzhouFeed, [
      purchase('YD-20', idNumber(20)),
      purchase('YD-21', idNumber(21), { purchasedAt: new Date(NOW.getTime() - 30 * HOUR).toISOString() }),
      purchase('YD-22', idNumber(21), { category: 'cough' }),
    ]);
    expect(res.json()).toMatchObject({ accepted: 3, matched: 0, unmatched: 3, alertsRaised: 0 });
    expect((await postPurchases(luoyangFeed, [purchase('LY-23', idNumber(23))])).json()).toMatchObject({
      unmatched: 1,
    });

    // One by one.
    const e20 = await addEmployee(t, own, employeeBody(20));
    const alerts = (await get(own, '/api/v1/workforce/alerts?kind=drug_purchase')).json().items;
    expect(alerts.filter((a: { employeeId: string }) => a.employeeId === e20.id)).toEqual([
      expect.objectContaining({ state: 'new', kind: 'drug_purchase', enterpriseId: mine.id }),
    ]);
    const [row20] = await t.database.query<{
      employee_id: string;
      enterprise_id: string;
      region_code: string;
    }>(`select employee_id, enterprise_id, region_code from drug_purchases where record_id = 'YD-20'`);
    expect(row20).toEqual({ employee_id: e20.id, enterprise_id: mine.id, region_code: '410105' });
    const [added] = await t.database.query<{ summary: { matchedPurchases: number } }>(
      `select summary from audit_log where action = 'workforce.employee_added' and object_id = $1`,
      [e20.id],
    );
    expect(added!.summary.matchedPurchases).toBe(1);

    // By import (the job): both of 21's purchases matched, one alert naming the latest; 23's purchase came
    // from the Luoyang feed and 23 works in Zhengzhou, outside its region: it stays aside.
    const csv = `姓名,身份证号,手机号码\n李四,${idNumber(21)},${phone(21)}\n赵六,${idNumber(23)},${phone(23)}\n`;
    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workforce/employees/import',
      headers: {
        cookie: own,
        'content-type': 'text/csv',
        'idempotency-key': randomUUID(),
        'x-file-name': encodeURIComponent('名册.csv'),
      },
      payload: Buffer.from(csv),
    });
    expect(upload.statusCode, upload.body).toBe(202);
    expect(await waitForJob(t, own, upload.json().progressId)).toMatchObject({
      status: 'succeeded',
      result: { imported: 2 },
    });
    const rows = await t.database.query<{ record_id: string; employee_id: string | null }>(
      `select record_id, employee_id from drug_purchases where record_id in ('YD-21', 'YD-22', 'LY-23')
       order by record_id`,
    );
    const [e21] = await t.database.query<{ id: string }>(
      `select e.id from employees e join drug_purchases d on d.employee_id = e.id where d.record_id = 'YD-22'`,
    );
    expect(rows).toEqual([
      { record_id: 'LY-23', employee_id: null },
      { record_id: 'YD-21', employee_id: e21!.id },
      { record_id: 'YD-22', employee_id: e21!.id },
    ]);
    const after = (await get(own, '/api/v1/workforce/alerts?kind=drug_purchase')).json().items;
    const of21 = after.filter((a: { employeeId: string }) => a.employeeId === e21!.id);
    expect(of21).toHaveLength(1);
    expect(of21[0].summary).toContain('止咳');
    // Nothing for 23, and nothing for another enterprise.
    expect(after).toHaveLength(alerts.length + 1);
    expect((await get(other, '/api/v1/workforce/alerts?kind=drug_purchase')).json().items).toHaveLength(0);
  });

  it('imports a purchases file as a job: all rows with the API’s answer, or none with row errors', async () => {
    const office = await officialSession(t, 'epidemic_office', '410100', 'city');
    await addEmployee(t, own, employeeBody(30));
    const beijing = (at: Date) =>
      new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
    const HEAD = '记录编号,身份证号,购药时间,药品类别,药店\n';
    const upload = (body: string, key: string = randomUUID()) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/workforce/drug-purchases/import',
        headers: {
          cookie: office,
          'content-type': 'text/csv',
          'idempotency-key': key,
          'x-file-name': encodeURIComponent('购药记录.csv'),
        },
        payload: Buffer.from(body),
      });
    const earlier = beijing(new Date(NOW.getTime() - 3 * HOUR));
    const good = `${HEAD}F-1,${idNumber(30)},${earlier},退热,花园路药房\nF-2,${idNumber(31)},${earlier},止咳,花园路药房\n`;
    const key = randomUUID();
    const res = await upload(good, key);
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(t, office, res.json().progressId);
    expect(job).toMatchObject({
      status: 'succeeded',
      result: { received: 2, accepted: 2, matched: 1, unmatched: 1, alertsRaised: 1, duplicate: 0 },
    });
    // A resent upload answers the same job and stores nothing twice.
    const again = await upload(good, key);
    expect(again.json()).toEqual({ progressId: res.json().progressId, replayed: true });
    const stored = await t.database.query<{ n: number }>(
      `select count(*)::int as n from drug_purchases where record_id in ('F-1', 'F-2')`,
    );
    expect(stored[0]!.n).toBe(2);

    // A purchase in the future spoils the whole file: nothing is stored.
    const later = beijing(new Date(NOW.getTime() + 5 * HOUR));
    const bad = await upload(
      `${HEAD}F-3,${idNumber(32)},${earlier},退热,药房\nF-4,${idNumber(33)},${later},退热,药房\n`,
    );
    expect(await waitForJob(t, office, bad.json().progressId)).toMatchObject({
      status: 'failed',
      result: { code: 'IMPORT_ROWS_INVALID', errors: [{ row: 3, code: 'WORKFORCE_PURCHASE_TIME_FUTURE' }] },
    });
    const none = await t.database.query<{ n: number }>(
      `select count(*)::int as n from drug_purchases where record_id in ('F-3', 'F-4')`,
    );
    expect(none[0]!.n).toBe(0);
    // Enterprises may not upload the feed.
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workforce/drug-purchases/import',
      headers: {
        cookie: own,
        'content-type': 'text/csv',
        'idempotency-key': randomUUID(),
        'x-file-name': 'x.csv',
      },
      payload: Buffer.from(good),
    });
    expect(refused.statusCode).toBe(403);
  });

  it('an enterprise user may not post to the pharmacy feed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workforce/drug-purchases',
      headers: { cookie: own, 'idempotency-key': randomUUID() },
      payload: [purchase('X-1', idNumber(1))],
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('provincial report (赋码保护)', () => {
  it('lists only active staff of whitelisted enterprises, with exactly the documented fields', async () => {
    const listed = (await buildEnterprise(t.db, { regionCode: '410105' })) as typeof mine;
    await whitelist(t, listed);
    const cookie = await enterpriseSession(t, listed);
    await addEmployee(t, cookie, employeeBody(50));
    await addEmployee(t, cookie, employeeBody(51, { status: 'left' }));
    const province = await officialSession(t, 'epidemic_office', '410000', 'province');
    const res = await get(province, '/api/v1/workforce/provincial-report');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    // mine (not whitelisted) contributes nobody; the one who left is not on the list.
    expect(body.items).toEqual([
      {
        idNumber: idNumber(50),
        name: '员工50',
        enterpriseUscc: listed.uscc,
        enterpriseName: listed.name,
        regionCode: '410105',
      },
    ]);
    expect(res.body).not.toContain(phone(50));

    const csv = await get(province, '/api/v1/workforce/provincial-report/export?format=csv');
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('"身份证号","姓名","统一社会信用代码","企业名称","所在县(市、区)代码"');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(idNumber(50));
    expect(csv.body).not.toContain(phone(50));
    expect(csv.body).not.toContain('green');

    const audit = await t.database.query<{ n: number }>(
      `select count(*)::int as n from audit_log where action = 'workforce.provincial_report_read'`,
    );
    expect(audit[0]!.n).toBe(2);
  });

  it('is refused to enterprises, county officials and city epidemic offices', async () => {
    const city = await officialSession(t, 'epidemic_office', '410100', 'city');
    const county = await officialSession(t, 'local_government', '410105', 'county');
    for (const cookie of [own, city, county])
      expect((await get(cookie, '/api/v1/workforce/provincial-report')).statusCode).toBe(403);
  });
});
