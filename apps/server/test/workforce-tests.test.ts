import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseOverdueAlerts, switchOperatingMode } from '../src/modules/workforce';
import type { Actor } from '../src/platform/access';
import { buildEnterprise, createTestApp, type TestApp } from './app';
import {
  addEmployee,
  buildLabToken,
  employeeBody,
  enterpriseSession,
  idNumber,
  officialSession,
  postResults,
} from './workforce-fixtures';

const HOUR = 3_600_000;
let t: TestApp;
let NOW: Date;
let mine: { id: string; regionCode: string };
let theirs: { id: string; regionCode: string };
let own: string;
let other: string;
let jinshui: string; // 金水区 local government (liaison side, alerts.handle)
let erqi: string;
let zhengzhouLab: string; // a lab serving Zhengzhou (4101)
let luoyangLab: string; // a lab serving Luoyang (4103)

/** A start date well before the tests' instants, so due times are not held back by the start. */
const longAgo = () => new Date(NOW.getTime() - 10 * 24 * HOUR).toISOString().slice(0, 10);
const at = (offsetHours: number) => new Date(NOW.getTime() + offsetHours * HOUR).toISOString();
const row = (labSampleId: string, id: string, change: Record<string, unknown> = {}) => ({
  labSampleId,
  idNumber: id,
  sampledAt: at(-2),
  result: 'negative',
  method: 'pooled',
  tubeId: 'T-1',
  ...change,
});
const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const employee = async (cookie: string, id: string) =>
  (await get(cookie, `/api/v1/workforce/employees/${id}`)).json();
const countTests = async () =>
  (await t.database.query<{ n: number }>('select count(*)::int as n from pcr_tests'))[0]!.n +
  (await t.database.query<{ n: number }>('select count(*)::int as n from pcr_unmatched_results'))[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  t.clock.now = NOW;
  mine = await buildEnterprise(t.db, { regionCode: '410105' });
  theirs = await buildEnterprise(t.db, { regionCode: '410103' });
  own = await enterpriseSession(t, mine);
  other = await enterpriseSession(t, theirs);
  jinshui = await officialSession(t, 'local_government', '410105', 'county');
  erqi = await officialSession(t, 'local_government', '410103', 'county');
  zhengzhouLab = await buildLabToken(t, '410100', 'city');
  luoyangLab = await buildLabToken(t, '410300', 'city');
});
afterAll(() => t.close());

describe('lab results: bad input, duplicates, resent batches', () => {
  it('answers counts and per-row errors: invalid ID, future sample time, in-batch duplicate, unknown person', async () => {
    const e = await addEmployee(t, own, employeeBody(1));
    const bad = `${idNumber(1).slice(0, 17)}${idNumber(1).endsWith('0') ? '1' : '0'}`;
    const res = await postResults(t, zhengzhouLab, [
      row('A-1', idNumber(1)),
      row('A-2', bad),
      row('A-3', idNumber(1), { sampledAt: at(+1) }),
      row('A-1', idNumber(1)),
      row('A-4', idNumber(999)),
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      received: 5,
      accepted: 2,
      duplicate: 1,
      rejected: 2,
      unmatched: 1,
      replayed: false,
      errors: [
        { row: 1, field: 'idNumber', code: 'ID_NUMBER_CHECK_DIGIT' },
        { row: 2, field: 'sampledAt', code: 'WORKFORCE_SAMPLE_TIME_FUTURE' },
        { row: 3, field: 'labSampleId', code: 'WORKFORCE_DUPLICATE_ROW' },
      ],
    });
    expect(res.body).not.toContain(idNumber(999));
    const after = await employee(own, e.id);
    expect(after.lastNegativeAt).toBe(at(-2));
    expect(after.nextDueAt).toBe(at(-2 + 48));
    expect(after.overdue).toBe(false);
  });

  it('a resent batch adds nothing and answers the first answer; a reused key with other rows is a conflict', async () => {
    await addEmployee(t, own, employeeBody(2));
    const key = randomUUID();
    const rows = [row('B-1', idNumber(2)), row('B-2', idNumber(998))];
    const first = await postResults(t, zhengzhouLab, rows, key);
    const before = await countTests();
    const again = await postResults(t, zhengzhouLab, rows, key);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    expect(await countTests()).toBe(before);
    const conflict = await postResults(t, zhengzhouLab, [row('B-3', idNumber(2))], key);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('IDEMPOTENCY_CONFLICT');
    // The same rows under a new key: every row is a duplicate of its natural key (lab + sample id).
    const resent = await postResults(t, zhengzhouLab, rows);
    expect(resent.json()).toMatchObject({ accepted: 0, duplicate: 2, rejected: 0, unmatched: 0 });
    expect(await countTests()).toBe(before);
  });

  it('a batch cut off mid-way is refused whole and stores nothing', async () => {
    const before = await countTests();
    const body = JSON.stringify([row('C-1', idNumber(2)), row('C-2', idNumber(2))]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workforce/test-results',
      headers: {
        authorization: `Bearer ${zhengzhouLab}`,
        'idempotency-key': randomUUID(),
        'content-type': 'application/json',
      },
      payload: body.slice(0, Math.floor(body.length * 0.6)),
    });
    expect(res.statusCode).toBe(400);
    expect(await countTests()).toBe(before);
  });

  it('an unknown lab (no valid token) or a signed-in enterprise cannot post results', async () => {
    expect(
      (await postResults(t, 'sbt_not-a-real-token-000000000000000000000000', [row('D-1', idNumber(2))]))
        .statusCode,
    ).toBe(401);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workforce/test-results',
      headers: { cookie: own, 'idempotency-key': randomUUID() },
      payload: [row('D-1', idNumber(2))],
    });
    expect(res.statusCode).toBe(403);
  });

  it('a lab posting for someone outside its region gets the row rejected, and learns nothing more', async () => {
    const e = await addEmployee(t, own, employeeBody(3));
    const res = await postResults(t, luoyangLab, [row('E-1', idNumber(3))]);
    expect(res.json()).toMatchObject({
      accepted: 0,
      rejected: 1,
      errors: [{ row: 0, field: 'idNumber', code: 'WORKFORCE_OUT_OF_SCOPE' }],
    });
    expect(res.body).not.toContain(mine.id);
    expect(res.body).not.toContain('410105');
    expect((await employee(own, e.id)).lastNegativeAt).toBeNull();
  });

  it('keeps results for unknown ID numbers aside and matches them when the person joins a roster', async () => {
    await postResults(t, zhengzhouLab, [row('F-1', idNumber(4), { sampledAt: at(-5) })]);
    const [aside] = await t.database.query<Record<string, unknown>>(
      "select * from pcr_unmatched_results where lab_sample_id = 'F-1'",
    );
    expect(aside).toBeDefined();
    expect(JSON.stringify(aside)).not.toContain(idNumber(4));
    const e = await addEmployee(t, own, employeeBody(4));
    const after = await employee(own, e.id);
    expect(after.lastNegativeAt).toBe(at(-5));
    const [moved] = await t.database.query<{ matched_employee_id: string }>(
      "select matched_employee_id from pcr_unmatched_results where lab_sample_id = 'F-1'",
    );
    expect(moved!.matched_employee_id).toBe(e.id);
  });

  it('an older negative arriving late does not move compliance back', async () => {
    const e = await addEmployee(t, own, employeeBody(5));
    await postResults(t, zhengzhouLab, [row('G-1', idNumber(5), { sampledAt: at(-1) })]);
    await postResults(t, zhengzhouLab, [row('G-2', idNumber(5), { sampledAt: at(-30) })]);
    expect((await employee(own, e.id)).lastNegativeAt).toBe(at(-1));
  });
});

describe('overdue sweep and alerts', () => {
  let late: { id: string };
  beforeAll(async () => {
    late = await addEmployee(t, own, employeeBody(20, { startedOn: longAgo() }));
    await postResults(t, zhengzhouLab, [row('H-1', idNumber(20), { sampledAt: at(-50) })]);
    await addEmployee(t, other, employeeBody(21, { idNumber: idNumber(21, '410103'), startedOn: longAgo() }));
  });

  it('raises one alert per newly overdue person, set-based, and not twice', async () => {
    const first = await raiseOverdueAlerts({ db: t.db, now: () => NOW });
    expect(first.raised).toBeGreaterThanOrEqual(2);
    expect(first.raised).toBe(first.flagged);
    expect(await raiseOverdueAlerts({ db: t.db, now: () => NOW })).toEqual({ flagged: 0, raised: 0 });
    const list = (await get(own, '/api/v1/workforce/alerts?kind=overdue_test')).json();
    const mineAlert = list.items.find((a: { employeeId: string }) => a.employeeId === late.id);
    expect(mineAlert).toMatchObject({ state: 'new', enterpriseId: mine.id, regionCode: '410105' });
    expect(mineAlert.summary).not.toContain(idNumber(20));
    expect(list.items.every((a: { enterpriseId: string }) => a.enterpriseId === mine.id)).toBe(true);
    const theirs = (await get(erqi, '/api/v1/workforce/alerts')).json();
    expect(theirs.items.some((a: { enterpriseId: string }) => a.enterpriseId === mine.id)).toBe(false);
    expect((await employee(own, late.id)).overdue).toBe(true);
  });

  it('a negative test resolves the overdue alert and clears the flag', async () => {
    await postResults(t, zhengzhouLab, [row('H-2', idNumber(20), { sampledAt: at(-1) })]);
    const alerts = (await get(own, `/api/v1/workforce/alerts?kind=overdue_test&state=resolved`)).json();
    expect(alerts.items.find((a: { employeeId: string }) => a.employeeId === late.id)).toBeDefined();
    expect((await employee(own, late.id)).overdue).toBe(false);
  });

  it('the county acknowledges and dismisses with a reason; the enterprise and other counties cannot', async () => {
    await addEmployee(t, own, employeeBody(23, { startedOn: longAgo() }));
    expect((await raiseOverdueAlerts({ db: t.db, now: () => NOW })).raised).toBe(1);
    const open = (await get(jinshui, '/api/v1/workforce/alerts?open=true')).json().items[0];
    expect(open.enterpriseId).toBe(mine.id);
    const move = (cookie: string, body: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/workforce/alerts/${open.id}/transitions`,
        headers: { cookie },
        payload: body,
      });
    expect((await move(own, { to: 'acknowledged' })).statusCode).toBe(403);
    expect((await move(erqi, { to: 'acknowledged' })).statusCode).toBe(404);
    expect((await move(jinshui, { to: 'acknowledged' })).json().state).toBe('acknowledged');
    expect((await move(jinshui, { to: 'dismissed' })).statusCode).toBe(400);
    const dismissed = await move(jinshui, { to: 'dismissed', reason: '员工已离岗,名册待更新' });
    expect(dismissed.json()).toMatchObject({ state: 'dismissed', dismissReason: '员工已离岗,名册待更新' });
    const again = await move(jinshui, { to: 'resolved' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ALERT_TRANSITION_INVALID');
  });

  it('counts alerts by region within the viewer’s scope', async () => {
    const city = await officialSession(t, 'command_office', '410100', 'city');
    const res = await get(city, '/api/v1/workforce/alerts/counts');
    expect(res.statusCode, res.body).toBe(200);
    const byCounty = res.json().items;
    expect(byCounty.map((c: { regionCode: string }) => c.regionCode)).toEqual(
      expect.arrayContaining(['410103', '410105']),
    );
    const byCity = (await get(city, '/api/v1/workforce/alerts/counts?by=city')).json().items;
    expect(byCity.every((c: { regionCode: string }) => c.regionCode === '410100')).toBe(true);
    const county = (await get(erqi, '/api/v1/workforce/alerts/counts')).json().items;
    expect(county.every((c: { regionCode: string }) => c.regionCode === '410103')).toBe(true);
  });

  it('a positive result raises a positive_result alert', async () => {
    const e = await addEmployee(t, own, employeeBody(22));
    await postResults(t, zhengzhouLab, [row('P-1', idNumber(22), { result: 'positive' })]);
    const list = (await get(own, '/api/v1/workforce/alerts?kind=positive_result')).json();
    const alert = list.items.find((a: { employeeId: string }) => a.employeeId === e.id);
    // 指南 三(七): single-tube re-test within 6 h.
    expect(new Date(alert.deadline).getTime() - new Date(alert.raisedAt).getTime()).toBe(6 * HOUR);
  });
});

describe('cadence across the switch to closed-loop (injected clock)', () => {
  // One person per case (a random pick of 400 numbers collided now and then: ID number already on a roster).
  let nextSeq = 500;
  const systemActor = (): Actor => ({
    kind: 'user',
    userId: null,
    tokenId: null,
    sessionId: null,
    username: 'county-command',
    role: 'command_office',
    orgUnitId: randomUUID(),
    regionCode: '410105',
    regionPrefix: '410105',
    tier: 'county',
    sectors: [],
    enterpriseId: null,
    permissions: new Set(),
    pending: null,
    passwordExpired: false,
  });

  it.each([
    // role, tested hours before the switch, due (hours from the switch) after it
    ['regular', 30, 0], // 30 h old: past the 24 h closed-loop window, due at the switch itself
    ['regular', 10, 14], // 10 h old: due 24 h after the test
    ['regular', 50, -2], // already due before the switch (48 h): unchanged
    ['mobile', 10, 14], // mobile was 24 h already: unchanged
  ] as const)(
    '%s staff tested %i h before the switch are due %i h after it',
    async (role, before, dueAfter) => {
      const enterprise = await buildEnterprise(t.db, { regionCode: '410105' });
      const cookie = await enterpriseSession(t, enterprise);
      const seq = nextSeq++;
      const e = await addEmployee(t, cookie, employeeBody(seq, { roleCategory: role, startedOn: longAgo() }));
      const switchAt = new Date(NOW.getTime() - HOUR);
      await postResults(t, zhengzhouLab, [
        row(`S-${seq}`, idNumber(seq), {
          sampledAt: new Date(switchAt.getTime() - before * HOUR).toISOString(),
        }),
      ]);
      await switchOperatingMode(t.ctx, systemActor(), {
        enterpriseId: enterprise.id,
        mode: 'closed_loop',
        at: switchAt,
      });
      const after = await employee(cookie, e.id);
      expect(after.nextDueAt).toBe(new Date(switchAt.getTime() + dueAfter * HOUR).toISOString());
      // Back to normal: the 48 h cadence applies again from the end of the emergency.
      await switchOperatingMode(t.ctx, systemActor(), {
        enterpriseId: enterprise.id,
        mode: 'normal',
        at: new Date(switchAt.getTime() + 0.5 * HOUR),
      });
      const normal = await employee(cookie, e.id);
      expect(new Date(normal.nextDueAt).getTime()).toBeGreaterThanOrEqual(
        new Date(after.nextDueAt).getTime(),
      );
    },
  );
});
