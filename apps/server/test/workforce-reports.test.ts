import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnterprise, createTestApp, type TestApp } from './app';
import {
  addEmployee,
  employeeBody,
  enterpriseSession,
  idNumber,
  officialSession,
  whitelist,
} from './workforce-fixtures';

let t: TestApp;
let mine: { id: string; regionCode: string };
let silent: { id: string; regionCode: string };
let theirs: { id: string; regionCode: string };
let own: string;
let other: string;
let jinshui: string;
let erqi: string;
let employeeId: string;
let theirEmployeeId: string;
/** Today in Shanghai, and the instant 08:00 that morning (before the 10:00 platform-default deadline). */
let today: string;
let yesterday: string;

const file = (cookie: string, payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/v1/workforce/daily-reports', headers: { cookie }, payload });
const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

beforeAll(async () => {
  t = await createTestApp();
  today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  t.clock.now = new Date(`${today}T08:00:00+08:00`);
  yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  mine = await buildEnterprise(t.db, { regionCode: '410105' });
  silent = await buildEnterprise(t.db, { regionCode: '410105' });
  theirs = await buildEnterprise(t.db, { regionCode: '410103' });
  for (const e of [mine, silent, theirs]) await whitelist(t, e);
  own = await enterpriseSession(t, mine);
  other = await enterpriseSession(t, theirs);
  jinshui = await officialSession(t, 'local_government', '410105', 'county');
  erqi = await officialSession(t, 'local_government', '410103', 'county');
  employeeId = (await addEmployee(t, own, employeeBody(1))).id;
  theirEmployeeId = (await addEmployee(t, other, employeeBody(2, { idNumber: idNumber(2, '410103') }))).id;
});
afterAll(() => t.close());

describe('daily reports (零报告 / 日报告)', () => {
  it('a zero report before the deadline is on time; filed again, the last one wins and both are audited', async () => {
    const first = await file(own, { kind: 'zero', reportDate: today, headcountOnSite: 120 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ kind: 'zero', late: false, revision: 1, anomalyCount: 0 });
    expect(first.json().deadlineAt).toBe(new Date(`${today}T10:00:00+08:00`).toISOString());
    const second = await file(own, {
      kind: 'anomalies',
      reportDate: today,
      headcountOnSite: 119,
      anomalies: [{ employeeId, kind: 'symptoms', note: '发热37.8℃' }],
    });
    expect(second.json()).toMatchObject({
      id: first.json().id,
      kind: 'anomalies',
      revision: 2,
      anomalyCount: 1,
    });
    const list = (await get(own, `/api/v1/workforce/daily-reports?date=${today}`)).json();
    expect(list.items).toEqual([expect.objectContaining({ kind: 'anomalies', headcountOnSite: 119 })]);
    const audit = await t.database.query<{ summary: { revision: number; replaced: unknown } }>(
      "select summary from audit_log where action = 'workforce.daily_report_filed' and object_id = $1 order by seq",
      [first.json().id],
    );
    expect(audit.map((a) => a.summary.revision)).toEqual([1, 2]);
    expect(audit[1]!.summary.replaced).toMatchObject({ kind: 'zero', anomalyCount: 0 });
    expect(JSON.stringify(audit)).not.toContain('发热');
  });

  it('a report after the deadline is accepted and marked late', async () => {
    const res = await file(own, { kind: 'zero', reportDate: yesterday, headcountOnSite: 118 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ late: true, revision: 1 });
  });

  it('refuses a future day and an anomaly naming someone not on the roster', async () => {
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const future = await file(own, { kind: 'zero', reportDate: tomorrow, headcountOnSite: 1 });
    expect(future.statusCode).toBe(400);
    expect(future.json().code).toBe('DAILY_REPORT_FUTURE_DATE');
    const stranger = await file(own, {
      kind: 'anomalies',
      reportDate: today,
      headcountOnSite: 1,
      anomalies: [{ employeeId: theirEmployeeId, kind: 'absent', note: null }],
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().code).toBe('DAILY_REPORT_EMPLOYEE_UNKNOWN');
    expect((await file(jinshui, { kind: 'zero', reportDate: today, headcountOnSite: 1 })).statusCode).toBe(
      403,
    );
  });

  it('counts completeness and timeliness per county; “reported zero” is not “no report”', async () => {
    await file(other, { kind: 'zero', reportDate: today, headcountOnSite: 30 });
    const city = await officialSession(t, 'command_office', '410100', 'city');
    const stats = (await get(city, `/api/v1/workforce/daily-reports/stats?date=${today}`)).json();
    expect(stats.items).toEqual([
      {
        regionCode: '410103',
        expected: 1,
        reported: 1,
        onTime: 1,
        zero: 1,
        anomalies: 0,
        completeness: 1,
        timeliness: 1,
      },
      {
        regionCode: '410105',
        expected: 2,
        reported: 1,
        onTime: 1,
        zero: 0,
        anomalies: 1,
        completeness: 0.5,
        timeliness: 0.5,
      },
    ]);
    const yesterdayStats = (
      await get(jinshui, `/api/v1/workforce/daily-reports/stats?date=${yesterday}`)
    ).json();
    expect(yesterdayStats.items).toEqual([
      expect.objectContaining({ regionCode: '410105', expected: 2, reported: 1, onTime: 0, timeliness: 0 }),
    ]);
    const county = (await get(erqi, `/api/v1/workforce/daily-reports/stats?date=${today}`)).json();
    expect(county.items.map((i: { regionCode: string }) => i.regionCode)).toEqual(['410103']);
    const theirList = (await get(other, `/api/v1/workforce/daily-reports?date=${today}`)).json();
    expect(theirList.items.map((r: { enterpriseId: string }) => r.enterpriseId)).toEqual([theirs.id]);
    expect(silent.id).toBeDefined();
  });
});
