import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackArrivals } from '../src/modules/workforce';
import { judgedReportDate } from '../src/modules/workforce/workforce.compliance';
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

/**
 * The compliance view of liaison cadres and counties (GET /workforce/compliance and its export) on a hand-made
 * fixture whose numbers are known, its row scope, the enterprise name on officials' roster lists, and the
 * enterprise reporting an arrival test as done (POST /workforce/arrivals/:id/test-done).
 */

const HOUR = 3_600_000;
let t: TestApp;
/** Today in Asia/Shanghai, and instants on it. */
let TODAY: string;
const sh = (time: string) => new Date(`${TODAY}T${time}:00+08:00`);

type Ent = { id: string; regionCode: string; name: string };
let good: Ent; // 3 staff all tested, zero report on time
let poor: Ent; // 2 staff, 1 never tested; report late; an unregistered arrival
let empty: Ent; // whitelisted, no roster, no report
let lateOnly: Ent; // 1 staff tested, report late
let elsewhere: Ent; // another county (二七区): 1 staff never tested
let lab: string;
let jinshui: string;
let city: string;
let erqi: string;
let zhongyuan: string;

const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const post = (cookie: string, url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, payload });

let seq = 500;
async function staff(cookie: string, tested: boolean) {
  seq++;
  const e = await addEmployee(t, cookie, employeeBody(seq));
  if (tested) {
    const res = await postResults(t, lab, [
      {
        labSampleId: `CMP-${seq}`,
        idNumber: idNumber(seq),
        sampledAt: sh('07:00').toISOString(),
        result: 'negative',
        method: 'single',
        tubeId: `T-${seq}`,
      },
    ]);
    expect(res.json()).toMatchObject({ accepted: 1 });
  }
  return e;
}

function zeroReport(cookie: string, headcount: number) {
  return post(cookie, '/api/v1/workforce/daily-reports', {
    kind: 'zero',
    reportDate: TODAY,
    headcountOnSite: headcount,
  });
}

interface Row {
  enterpriseId: string;
  enterpriseName: string;
  employees: number;
  testedOnTime: number;
  overdue: number;
  overdueShare: number;
  report: string;
  lastReportDate: string | null;
  openAlerts: number;
  arrivalsOpen: number;
  arrivalsWeek: number;
  standing: string;
  whitelisted: boolean;
}

beforeAll(async () => {
  t = await createTestApp();
  TODAY = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
  t.clock.now = sh('08:00');
  const make = async (name: string, regionCode: string) => {
    const e = await buildEnterprise(t.db, { name, regionCode });
    return { id: e.id, regionCode, name };
  };
  good = await make('合规良好食品有限公司', '410105');
  poor = await make('逾期较多物流有限公司', '410105');
  empty = await make('尚无名册机械有限公司', '410105');
  lateOnly = await make('迟报电子有限公司', '410105');
  elsewhere = await make('二七区纺织有限公司', '410103');
  for (const e of [good, empty, lateOnly, elsewhere]) await whitelist(t, e);
  lab = await buildLabToken(t, '410100', 'city');

  const goodCookie = await enterpriseSession(t, good);
  for (let i = 0; i < 3; i++) await staff(goodCookie, true);
  expect((await zeroReport(goodCookie, 3)).json()).toMatchObject({ late: false });
  const poorCookie = await enterpriseSession(t, poor);
  await staff(poorCookie, true);
  await staff(poorCookie, false);
  await staff(await enterpriseSession(t, lateOnly), true);
  await staff(await enterpriseSession(t, elsewhere), false);

  // After the 10:00 deadline: two late reports and an arrival that was not registered in advance.
  t.clock.now = sh('11:00');
  const poorLate = await enterpriseSession(t, poor);
  expect((await zeroReport(poorLate, 2)).json()).toMatchObject({ late: true });
  expect((await zeroReport(await enterpriseSession(t, lateOnly), 1)).json()).toMatchObject({ late: true });
  const arrival = await post(poorLate, '/api/v1/workforce/arrivals', {
    personKind: 'visitor',
    name: '来访甲',
    idNumber: idNumber(1, '330106'),
    originCountyCode: '330106',
    preRegistered: false,
    arrivedAt: sh('10:00').toISOString(),
    healthCode: 'green',
    itineraryCode: 'normal',
    negativeTestSampledAt: sh('06:00').toISOString(),
  });
  expect(arrival.statusCode, arrival.body).toBe(201);

  t.clock.now = sh('14:00');
  // One session each (sign-in hashes a password: a busy machine may answer 503 to many in a row).
  jinshui = await officialSession(t, 'local_government', '410105', 'county');
  city = await officialSession(t, 'local_government', '410100', 'city');
  erqi = await officialSession(t, 'local_government', '410103', 'county');
  zhongyuan = await officialSession(t, 'local_government', '410102', 'county');
});
afterAll(() => t.close());

describe('the compliance table of a county', () => {
  it('counts each enterprise right from the maintained compliance columns', async () => {
    const res = await get(jinshui, '/api/v1/workforce/compliance');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.reportDate).toBe(TODAY);
    const byId = new Map<string, Row>(body.items.map((r: Row) => [r.enterpriseId, r]));
    expect([...byId.keys()].sort()).toEqual([good.id, poor.id, empty.id, lateOnly.id].sort());
    expect(byId.get(good.id)).toMatchObject({
      enterpriseName: good.name,
      whitelisted: true,
      employees: 3,
      testedOnTime: 3,
      overdue: 0,
      overdueShare: 0,
      dueSoon: 0,
      report: 'zero',
      lastReportDate: TODAY,
      openAlerts: 0,
      arrivalsOpen: 0,
      standing: 'good',
    });
    expect(byId.get(poor.id)).toMatchObject({
      whitelisted: false,
      employees: 2,
      testedOnTime: 1,
      overdue: 1,
      overdueShare: 0.5,
      report: 'late',
      openAlerts: 1,
      arrivalsOpen: 1,
      arrivalsWeek: 1,
      standing: 'poor',
    });
    expect(byId.get(empty.id)).toMatchObject({
      employees: 0,
      overdue: 0,
      report: 'missing',
      lastReportDate: null,
      standing: 'poor',
    });
    expect(byId.get(lateOnly.id)).toMatchObject({
      employees: 1,
      overdue: 0,
      report: 'late',
      standing: 'attention',
    });
    expect(body.totals).toMatchObject({
      regionCode: '410105',
      enterprises: 4,
      employees: 6,
      testedOnTime: 5,
      overdue: 1,
      reportsMissing: 1,
      reportsLate: 2,
      openAlerts: 1,
      arrivalsOpen: 1,
      poor: 2,
    });
    expect(body.totals.overdueShare).toBeCloseTo(1 / 6);
    expect(body.regions).toEqual([{ ...body.totals, regionCode: '410105' }]);
    // Worst first by default; ties by name.
    expect(body.items.map((r: Row) => r.standing)).toEqual(['poor', 'poor', 'attention', 'good']);
  });

  it('sorts, filters by standing and cuts at the limit without changing the totals', async () => {
    const byEmployees = (
      await get(jinshui, '/api/v1/workforce/compliance?sort=employees&order=asc&limit=2')
    ).json();
    expect(byEmployees.items.map((r: Row) => r.employees)).toEqual([0, 1]);
    expect(byEmployees.total).toBe(4);
    expect(byEmployees.totals.enterprises).toBe(4);
    const poorOnly = (await get(jinshui, '/api/v1/workforce/compliance?standing=poor')).json();
    expect(poorOnly.items.map((r: Row) => r.enterpriseId).sort()).toEqual([poor.id, empty.id].sort());
    expect(poorOnly.totals.enterprises).toBe(2);
    expect((await get(jinshui, '/api/v1/workforce/compliance?sort=bogus')).statusCode).toBe(400);
  });

  it('a city sees both counties with subtotals by county or by city', async () => {
    const body = (await get(city, '/api/v1/workforce/compliance')).json();
    expect(body.totals).toMatchObject({ enterprises: 5, employees: 7, overdue: 2 });
    expect(body.regions.map((r: { regionCode: string }) => r.regionCode)).toEqual(['410103', '410105']);
    expect(body.regions[0]).toMatchObject({ enterprises: 1, employees: 1, overdue: 1, reportsMissing: 1 });
    const byCity = (await get(city, '/api/v1/workforce/compliance?by=city')).json();
    expect(byCity.regions).toEqual([{ ...byCity.totals, regionCode: '410100' }]);
    const narrowed = (await get(city, '/api/v1/workforce/compliance?region=410103')).json();
    expect(narrowed.items.map((r: Row) => r.enterpriseId)).toEqual([elsewhere.id]);
  });
});

describe('scope', () => {
  it('another county sees none of it, even when it names the county; an enterprise sees itself only', async () => {
    const own = (await get(erqi, '/api/v1/workforce/compliance')).json();
    expect(own.items.map((r: Row) => r.enterpriseId)).toEqual([elsewhere.id]);
    const asked = (await get(erqi, '/api/v1/workforce/compliance?region=410105')).json();
    expect(asked).toMatchObject({ total: 0, items: [], regions: [] });
    expect(asked.totals).toMatchObject({ enterprises: 0, employees: 0 });
    expect((await get(zhongyuan, '/api/v1/workforce/compliance')).json().items).toEqual([]);
    const csv = await get(zhongyuan, '/api/v1/workforce/compliance/export?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain(good.name);

    const mine = (await get(await enterpriseSession(t, poor), '/api/v1/workforce/compliance')).json();
    expect(mine.items.map((r: Row) => r.enterpriseId)).toEqual([poor.id]);
    const lab = await buildLabToken(t, '410105', 'county');
    const byLab = await t.app.inject({
      method: 'GET',
      url: '/api/v1/workforce/compliance',
      headers: { authorization: `Bearer ${lab}` },
    });
    expect(byLab.statusCode).toBe(403);
  });
});

describe('export', () => {
  it('writes the same rows with subtotals and the total, in Chinese', async () => {
    const res = await get(jinshui, '/api/v1/workforce/compliance/export?format=csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain('workforce-compliance');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .replaceAll('"', '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      '企业(项目)名称,所在县(市、区)代码,白名单,在岗人数,按时检测,逾期未检,逾期占比,即将到期(12小时内),日报告,最近报告日期,待处置预警,入豫待办,合规状况',
    );
    expect(lines).toContain(`${poor.name},410105,否,2,1,1,50.0%,0,迟报,${TODAY},1,1,较差`);
    expect(lines).toContain(`${good.name},410105,是,3,3,0,0.0%,0,零报告,${TODAY},0,0,良好`);
    expect(lines.at(-1)).toBe('合计,410105,,6,5,1,16.7%,0,未报 1 / 迟报 2,,1,1,较差 2 家');
    expect(lines).toHaveLength(1 + 4 + 1 + 1);
    const xlsx = await get(jinshui, '/api/v1/workforce/compliance/export');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('the judged report day', () => {
  it('is today once the deadline has passed, else yesterday (Asia/Shanghai)', () => {
    const deadline = (date: string) => new Date(`${date}T10:00:00+08:00`);
    expect(judgedReportDate(deadline, new Date('2022-06-02T10:30:00+08:00'))).toBe('2022-06-02');
    expect(judgedReportDate(deadline, new Date('2022-06-02T09:59:00+08:00'))).toBe('2022-06-01');
    expect(judgedReportDate(deadline, new Date('2022-06-02T00:30:00+08:00'))).toBe('2022-06-01');
  });
});

describe('officials’ roster lists', () => {
  it('carry the enterprise name', async () => {
    const list = (await get(jinshui, '/api/v1/workforce/employees?limit=200')).json();
    const names = new Set(list.items.map((e: { enterpriseName: string }) => e.enterpriseName));
    expect(names).toEqual(new Set([good.name, poor.name, lateOnly.name]));
  });
});

describe('an arrival test reported done by the enterprise', () => {
  it('closes a pending or missed arrival test once, and only its own', async () => {
    const zhongmu = await buildEnterprise(t.db, { name: '中牟来访企业', regionCode: '410122' });
    const cookie = await enterpriseSession(t, zhongmu);
    const record = async (n: number, arrivedAt: Date) => {
      const res = await post(cookie, '/api/v1/workforce/arrivals', {
        personKind: 'visitor',
        name: `来访${n}`,
        idNumber: idNumber(n, '330106'),
        originCountyCode: '330106',
        preRegistered: true,
        arrivedAt: arrivedAt.toISOString(),
        healthCode: 'green',
        itineraryCode: 'normal',
        negativeTestSampledAt: new Date(arrivedAt.getTime() - 10 * HOUR).toISOString(),
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; state: string; decision: { action: string } };
    };
    const a = await record(11, sh('12:00'));
    expect(a).toMatchObject({ state: 'test_pending', decision: { action: 'arrival_test' } });
    const url = `/api/v1/workforce/arrivals/${a.id}/test-done`;

    expect((await post(cookie, url, { sampledAt: sh('11:00').toISOString() })).json().code).toBe(
      'ARRIVAL_TEST_BEFORE_ARRIVAL',
    );
    expect((await post(cookie, url, { sampledAt: sh('15:00').toISOString() })).json().code).toBe(
      'ARRIVAL_TEST_BEFORE_ARRIVAL',
    );
    const other = await enterpriseSession(t, good);
    expect((await post(other, url, { sampledAt: sh('13:00').toISOString() })).statusCode).toBe(404);
    const county = await officialSession(t, 'local_government', '410122', 'county');
    expect((await post(county, url, { sampledAt: sh('13:00').toISOString() })).statusCode).toBe(403);

    const done = await post(cookie, url, { sampledAt: sh('13:00').toISOString() });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ state: 'tested', testSampledAt: sh('13:00').toISOString() });
    expect((await post(cookie, url, { sampledAt: sh('13:30').toISOString() })).json().code).toBe(
      'ARRIVAL_TEST_NOT_OPEN',
    );
    const audit = await t.database.query<{ action: string }>(
      `select action from audit_log where object_id = $1 order by seq`,
      [a.id],
    );
    expect(audit.map((r) => r.action)).toEqual([
      'workforce.arrival_registered',
      'workforce.arrival_test_reported',
    ]);

    // Control is handed to the authority at once: there is no arrival test to report.
    const contact = await post(cookie, '/api/v1/workforce/arrivals', {
      personKind: 'visitor',
      name: '来访12',
      idNumber: idNumber(12, '330106'),
      originCountyCode: '330106',
      preRegistered: true,
      arrivedAt: sh('12:00').toISOString(),
      healthCode: 'green',
      itineraryCode: 'normal',
      contactStatus: 'close_contact',
    });
    expect(contact.json()).toMatchObject({ state: 'handed_over', decision: { action: 'control' } });
    const handed = `/api/v1/workforce/arrivals/${contact.json().id}/test-done`;
    expect((await post(cookie, handed, { sampledAt: sh('13:00').toISOString() })).json().code).toBe(
      'ARRIVAL_TEST_NOT_OPEN',
    );

    // A missed test reported late still closes, and resolves the missed-test alert.
    const b = await record(13, sh('12:00'));
    t.clock.advance(25 * HOUR);
    expect(await trackArrivals({ db: t.db, now: () => t.clock.now })).toMatchObject({
      // …and the visitor of the poor enterprise, still untested from the first day.
      missed: 2,
      raised: 2,
    });
    const later = await enterpriseSession(t, zhongmu);
    const sampledAt = new Date(t.clock.now.getTime() - HOUR).toISOString();
    const closed = await post(later, `/api/v1/workforce/arrivals/${b.id}/test-done`, { sampledAt });
    expect(closed.json()).toMatchObject({ state: 'tested', testSampledAt: sampledAt });
    const alerts = (await get(later, '/api/v1/workforce/alerts?kind=arrival_test_missed')).json().items;
    expect(alerts.find((x: { arrivalId: string }) => x.arrivalId === b.id)).toMatchObject({
      state: 'resolved',
    });
  });
});
