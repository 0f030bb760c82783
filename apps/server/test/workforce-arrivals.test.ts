import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackArrivals } from '../src/modules/workforce';
import { buildEnterprise, createTestApp, type TestApp } from './app';
import {
  addEmployee,
  buildLabToken,
  employeeBody,
  enterpriseSession,
  idNumber,
  officialSession,
  postResults,
  whitelist,
} from './workforce-fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let t: TestApp;
let NOW: Date;
let mine: { id: string; regionCode: string };
let theirs: { id: string; regionCode: string };
let own: string;
let other: string;
let provinceEpidemic: string;
let jinshui: string;
let erqi: string;
let lab: string;

const at = (offsetHours: number) => new Date(NOW.getTime() + offsetHours * HOUR).toISOString();
/** A Shanghai business date `days` from now. */
const day = (days: number) => new Date(NOW.getTime() + days * DAY + 8 * HOUR).toISOString().slice(0, 10);
const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const post = (cookie: string, url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, payload });

function importRiskAreas(cookie: string, csv: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/workforce/risk-areas/import',
    headers: { cookie, 'content-type': 'text/csv', 'x-file-name': encodeURIComponent('风险地区.csv') },
    payload: Buffer.from(csv, 'utf8'),
  });
}

/** A green-code visitor with a negative test taken 20 h before arriving an hour ago. */
function arrival(seq: number, change: Record<string, unknown> = {}) {
  return {
    personKind: 'visitor',
    name: `来访${seq}`,
    idNumber: idNumber(seq, '310115'),
    phone: `139${String(seq).padStart(8, '0')}`,
    originCountyCode: '310115',
    preRegistered: true,
    arrivedAt: at(-1),
    healthCode: 'green',
    itineraryCode: 'normal',
    negativeTestSampledAt: at(-21),
    ...change,
  };
}

const track = () => trackArrivals({ db: t.db, now: () => t.clock.now });

beforeAll(async () => {
  t = await createTestApp();
  NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  t.clock.now = NOW;
  mine = await buildEnterprise(t.db, { regionCode: '410105' });
  theirs = await buildEnterprise(t.db, { regionCode: '410103' });
  own = await enterpriseSession(t, mine);
  other = await enterpriseSession(t, theirs);
  provinceEpidemic = await officialSession(t, 'epidemic_office', '410000', 'province');
  jinshui = await officialSession(t, 'local_government', '410105', 'county');
  erqi = await officialSession(t, 'local_government', '410103', 'county');
  lab = await buildLabToken(t, '410100', 'city');
  // 浦东新区 high risk until 5 days ago (lifted); 深圳市 (a whole city) medium risk from 2 days ago, in force.
  const res = await importRiskAreas(
    provinceEpidemic,
    `地区代码,风险等级,起始日期,解除日期,发布来源\n310115,高风险,${day(-10)},${day(-5)},国务院客户端公告\n440300,中风险,${day(-2)},,国务院客户端公告\n`,
  );
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toEqual({ rows: 2, inserted: 2, updated: 0 });
});
afterAll(() => t.close());

describe('risk-area table', () => {
  it('is imported by the provincial epidemic office only, and a re-import updates by (code, level, from)', async () => {
    expect((await importRiskAreas(own, '地区代码,风险等级,起始日期,解除日期,发布来源\n')).statusCode).toBe(
      403,
    );
    expect(
      (await importRiskAreas(jinshui, '地区代码,风险等级,起始日期,解除日期,发布来源\n')).statusCode,
    ).toBe(403);
    const again = await importRiskAreas(
      provinceEpidemic,
      `地区代码,风险等级,起始日期,解除日期,发布来源\n310115,高风险,${day(-10)},${day(-5)},更正后的公告\n`,
    );
    expect(again.json()).toEqual({ rows: 1, inserted: 0, updated: 1 });
    const list = (await get(own, `/api/v1/workforce/risk-areas?onDate=${day(0)}`)).json();
    expect(list.items.map((a: { code: string }) => a.code)).toEqual(['440300']);
  });

  it('refuses the whole file with row numbers when a row is bad (unknown level, end before start)', async () => {
    const header = '地区代码,风险等级,起始日期,解除日期,发布来源\n';
    for (const bad of [
      `120101,中风险,${day(-1)},,公告\n110105,很高,${day(-1)},,公告\n`,
      `120101,中风险,${day(-1)},,公告\n110105,中风险,${day(-1)},${day(-3)},公告\n`,
    ]) {
      const res = await importRiskAreas(provinceEpidemic, header + bad);
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe('IMPORT_ROWS_INVALID');
      expect(res.json().errors.map((e: { row: number }) => e.row)).toEqual([3]);
    }
    expect((await get(provinceEpidemic, '/api/v1/workforce/risk-areas')).json().items).toHaveLength(2);
  });
});

describe('arrival decisions at dates inside and outside the risk validity', () => {
  it('an arrival from a county whose risk was lifted gets the 24 h arrival test', async () => {
    const res = await post(own, '/api/v1/workforce/arrivals', arrival(1));
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a.decision).toMatchObject({ rule: 'two_codes', action: 'arrival_test', riskLevel: 'low' });
    expect(a.decision.dueAt).toBe(at(23));
    expect(a.decision.explain).toContain('24小时内');
    expect(a.state).toBe('test_pending');
    expect(a.idNumber).not.toBe(idNumber(1, '310115'));
    expect(a.idNumber).toMatch(/\*/);
    expect(a.name).not.toBe('来访1');
  });

  it('an arrival from the same county while it was high risk gets a red code and 7 days central quarantine', async () => {
    const res = await post(
      own,
      '/api/v1/workforce/arrivals',
      arrival(2, { arrivedAt: at(-7 * 24), negativeTestSampledAt: null }),
    );
    const a = res.json();
    expect(a.decision).toMatchObject({ rule: 'risk_area', action: 'central_quarantine', healthCode: 'red' });
    expect(a.decision.quarantineEndsAt).toBe(new Date(NOW.getTime() - 7 * DAY + 7 * DAY).toISOString());
    expect(a.state).toBe('handed_over');
  });

  it('a county of a city under medium risk is covered by the city entry', async () => {
    const a = (
      await post(own, '/api/v1/workforce/arrivals', arrival(3, { originCountyCode: '440303' }))
    ).json();
    expect(a.decision).toMatchObject({ action: 'central_quarantine', riskLevel: 'medium' });
    expect(a.decision.explain).toContain('440300');
  });

  it('returning staff of a whitelisted enterprise keep their code (赋码保护) and take the arrival test', async () => {
    const listed = await buildEnterprise(t.db, { regionCode: '410105' });
    await whitelist(t, listed);
    const cookie = await enterpriseSession(t, listed);
    const e = await addEmployee(t, cookie, employeeBody(40));
    const a = (
      await post(
        cookie,
        '/api/v1/workforce/arrivals',
        arrival(4, {
          personKind: 'returning_staff',
          employeeId: e.id,
          idNumber: idNumber(40),
          originCountyCode: '440303',
        }),
      )
    ).json();
    expect(a.decision).toMatchObject({ rule: 'protected', action: 'arrival_test', codeProtected: true });
  });

  it('refuses an arrival in the future and a roster employee of another enterprise', async () => {
    expect(
      (await post(own, '/api/v1/workforce/arrivals', arrival(5, { arrivedAt: at(2) }))).json().code,
    ).toBe('ARRIVAL_IN_FUTURE');
    const theirEmployee = await addEmployee(t, other, employeeBody(41));
    const res = await post(
      own,
      '/api/v1/workforce/arrivals',
      arrival(6, { personKind: 'returning_staff', employeeId: theirEmployee.id }),
    );
    expect(res.statusCode).toBe(404);
  });
});

describe('unregistered arrivals', () => {
  it('raise an alert that completing the registration resolves', async () => {
    const a = (await post(own, '/api/v1/workforce/arrivals', arrival(7, { preRegistered: false }))).json();
    const alerts = (await get(own, '/api/v1/workforce/alerts?kind=unregistered_arrival&open=true')).json();
    const alert = alerts.items.find((x: { arrivalId: string }) => x.arrivalId === a.id);
    expect(alert).toMatchObject({ state: 'new', deadline: new Date(NOW.getTime() + DAY).toISOString() });
    expect(alert.summary).not.toContain('来访7');
    expect((await get(jinshui, '/api/v1/workforce/arrivals?unregistered=true')).json().items[0].id).toBe(
      a.id,
    );

    const done = await post(own, `/api/v1/workforce/arrivals/${a.id}/registration`, { reference: 'YSB-1' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().registrationCompletedAt).toBe(NOW.toISOString());
    const after = (await get(own, `/api/v1/workforce/alerts?kind=unregistered_arrival`)).json();
    expect(after.items.find((x: { arrivalId: string }) => x.arrivalId === a.id).state).toBe('resolved');
    expect((await post(own, `/api/v1/workforce/arrivals/${a.id}/registration`, {})).json().code).toBe(
      'ARRIVAL_ALREADY_REGISTERED',
    );
    const audit = await t.database.query<{ n: number }>(
      `select count(*)::int as n from audit_log where object_id = $1`,
      [a.id],
    );
    expect(audit[0]!.n).toBe(2);
  });
});

describe('access', () => {
  it('another enterprise and another county get 404; the county sees its own', async () => {
    const a = (await post(own, '/api/v1/workforce/arrivals', arrival(8))).json();
    expect((await get(other, `/api/v1/workforce/arrivals/${a.id}`)).statusCode).toBe(404);
    expect((await get(erqi, `/api/v1/workforce/arrivals/${a.id}`)).statusCode).toBe(404);
    expect((await get(jinshui, `/api/v1/workforce/arrivals/${a.id}`)).statusCode).toBe(200);
    expect((await post(other, `/api/v1/workforce/arrivals/${a.id}/registration`, {})).statusCode).toBe(404);
    expect((await get(other, '/api/v1/workforce/arrivals')).json().total).toBe(0);
    expect((await get(erqi, '/api/v1/workforce/arrivals')).json().total).toBe(0);
    expect((await post(jinshui, '/api/v1/workforce/arrivals', arrival(9))).statusCode).toBe(403);
  });
});

describe('arrival test tracking', () => {
  it('a negative sampled after arrival satisfies the test; none by the deadline raises arrival_test_missed', async () => {
    const tested = (await post(own, '/api/v1/workforce/arrivals', arrival(20))).json();
    const waiting = (await post(own, '/api/v1/workforce/arrivals', arrival(21))).json();
    // The visitor is on no roster: the lab's result is kept aside, and still satisfies the arrival test.
    const before = await postResults(t, lab, [
      {
        labSampleId: 'ARR-0',
        idNumber: idNumber(21, '310115'),
        sampledAt: at(-3), // before arrival: does not count
        result: 'negative',
        method: 'single',
        tubeId: 'T-0',
      },
      {
        labSampleId: 'ARR-1',
        idNumber: idNumber(20, '310115'),
        sampledAt: at(-0.5),
        result: 'negative',
        method: 'single',
        tubeId: 'T-1',
      },
    ]);
    expect(before.json()).toMatchObject({ accepted: 2, unmatched: 2 });
    expect(await track()).toMatchObject({ tested: 1, missed: 0 });
    const done = (await get(own, `/api/v1/workforce/arrivals/${tested.id}`)).json();
    expect(done).toMatchObject({ state: 'tested', testSampledAt: at(-0.5) });

    const pending = (await get(jinshui, '/api/v1/workforce/arrivals?state=test_pending')).json().total;
    expect(pending).toBeGreaterThan(1);
    t.clock.advance(24 * HOUR);
    own = await enterpriseSession(t, mine); // the earlier session went idle
    expect(await track()).toMatchObject({ tested: 0, missed: pending, raised: pending });
    expect(await track()).toMatchObject({ missed: 0, raised: 0 });
    expect((await get(own, `/api/v1/workforce/arrivals/${waiting.id}`)).json().state).toBe('test_missed');
    const missedAlerts = async () =>
      (await get(own, '/api/v1/workforce/alerts?kind=arrival_test_missed&limit=200')).json().items;
    const alert = (await missedAlerts()).find((x: { arrivalId: string }) => x.arrivalId === waiting.id);
    expect(alert).toMatchObject({ state: 'new' });
    expect(alert.summary).toContain('未在规定时限内');

    // A late negative still completes it and resolves the alert.
    await postResults(t, lab, [
      {
        labSampleId: 'ARR-2',
        idNumber: idNumber(21, '310115'),
        sampledAt: new Date(t.clock.now.getTime() - HOUR).toISOString(),
        result: 'negative',
        method: 'single',
        tubeId: 'T-2',
      },
    ]);
    expect(await track()).toMatchObject({ tested: 1, resolved: 1 });
    expect((await get(own, `/api/v1/workforce/arrivals/${waiting.id}`)).json().state).toBe('tested');
    const after = (await missedAlerts()).find((x: { id: string }) => x.id === alert.id);
    expect(after.state).toBe('resolved');
  });
});
