import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishParameterVersion } from '../src/modules/parameters';
import { raiseOverdueAlerts } from '../src/modules/workforce';
import { buildEnterprise, createTestApp, type TestApp } from './app';
import {
  buildLabToken,
  employeeBody,
  enterpriseSession,
  idNumber,
  officialSession,
  postResults,
} from './workforce-fixtures';

/**
 * "Due soon" (issue 5): active staff not overdue whose next PCR test falls due within `workforce.dueSoonHours`
 * (12 h, a platform default) — counted per enterprise on the compliance view, its totals and export, and listed
 * by the roster's `dueSoon` filter in due order. Built from real rows with an injected clock: people due in
 * 2 h, in 30 h, overdue and flagged by the sweep, past due but not yet flagged, and one who left.
 */

const HOUR = 3_600_000;
let t: TestApp;
/** Today in Asia/Shanghai, and instants on it. */
let TODAY: string;
const sh = (time: string) => new Date(`${TODAY}T${time}:00+08:00`);
/** The instant the tests look at: 11:00, after the daily report deadline (10:00), so today's report is judged. */
let NOW: Date;
const hoursFromNow = (h: number) => new Date(NOW.getTime() + h * HOUR).toISOString();

type Ent = { id: string; regionCode: string; name: string };
let a: Ent; // 金水区: due in 2 h, due in 30 h, flagged overdue, past due unflagged, one who left (due in 2 h)
let b: Ent; // 金水区: due in 6 h and in 3 h (added in that order), zero report on time
let c: Ent; // 二七区: due in 1 h
const ids: Record<string, string> = {};

const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

let seq = 700;
/** A regular (48 h) employee whose latest negative was sampled `testedHoursAgo` before NOW. */
async function person(cookie: string, ent: Ent, key: string, testedHoursAgo: number) {
  seq++;
  const body = employeeBody(seq, {
    idNumber: idNumber(seq, ent.regionCode),
    startedOn: new Date(NOW.getTime() - 10 * 24 * HOUR).toISOString().slice(0, 10),
  });
  const added = await t.app.inject({
    method: 'POST',
    url: '/api/v1/workforce/employees',
    headers: { cookie },
    payload: body,
  });
  expect(added.statusCode, added.body).toBe(201);
  ids[key] = added.json().id;
  const res = await postResults(t, lab, [
    {
      labSampleId: `DUE-${seq}`,
      idNumber: body.idNumber,
      sampledAt: hoursFromNow(-testedHoursAgo),
      result: 'negative',
      method: 'single',
      tubeId: `T-${seq}`,
    },
  ]);
  expect(res.json()).toMatchObject({ accepted: 1 });
  return body;
}

let lab: string;
let ownA: string;
let ownB: string;
let jinshui: string;
let erqi: string;
let city: string;

interface Row {
  enterpriseId: string;
  employees: number;
  testedOnTime: number;
  overdue: number;
  dueSoon: number;
  standing: string;
}

beforeAll(async () => {
  t = await createTestApp();
  TODAY = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
  NOW = sh('11:00');
  // Results arrive and the overdue sweep runs at 08:00; then the clock moves on to 11:00.
  t.clock.now = sh('08:00');
  const make = async (name: string, regionCode: string) => {
    const e = await buildEnterprise(t.db, { name, regionCode });
    return { id: e.id, regionCode, name };
  };
  a = await make('即将到期机械有限公司', '410105');
  b = await make('按时报告食品有限公司', '410105');
  c = await make('二七区即将到期纺织有限公司', '410103');
  lab = await buildLabToken(t, '410100', 'city');

  const cookieA = await enterpriseSession(t, a);
  await person(cookieA, a, 'soon', 46); // due NOW + 2 h
  await person(cookieA, a, 'later', 18); // due NOW + 30 h
  await person(cookieA, a, 'flagged', 53); // due NOW − 5 h: flagged by the 08:00 sweep
  await person(cookieA, a, 'pastDue', 49); // due NOW − 1 h (10:00): after the sweep, not flagged
  const left = await person(cookieA, a, 'left', 46); // due NOW + 2 h, but leaves
  const leaving = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/workforce/employees/${ids.left}`,
    headers: { cookie: cookieA },
    payload: { ...left, status: 'left' },
  });
  expect(leaving.statusCode, leaving.body).toBe(200);

  const cookieB = await enterpriseSession(t, b);
  await person(cookieB, b, 'b6', 42); // due NOW + 6 h
  await person(cookieB, b, 'b3', 45); // due NOW + 3 h
  const report = await t.app.inject({
    method: 'POST',
    url: '/api/v1/workforce/daily-reports',
    headers: { cookie: cookieB },
    payload: { kind: 'zero', reportDate: TODAY, headcountOnSite: 2 },
  });
  expect(report.json()).toMatchObject({ late: false });

  await person(await enterpriseSession(t, c), c, 'c1', 47); // due NOW + 1 h

  expect(await raiseOverdueAlerts({ db: t.db, now: () => t.clock.now })).toEqual({ flagged: 1, raised: 1 });
  t.clock.now = NOW;
  // Sessions after the clock moved (one each: sign-in hashes a password).
  ownA = await enterpriseSession(t, a);
  ownB = await enterpriseSession(t, b);
  jinshui = await officialSession(t, 'local_government', '410105', 'county');
  erqi = await officialSession(t, 'local_government', '410103', 'county');
  city = await officialSession(t, 'local_government', '410100', 'city');
});
afterAll(() => t.close());

describe('due soon on the compliance view', () => {
  it('counts only active staff not overdue whose test falls due within 12 h, without touching the standing', async () => {
    const res = await get(jinshui, '/api/v1/workforce/compliance');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.dueSoonHours).toBe(12);
    const byId = new Map<string, Row>(body.items.map((r: Row) => [r.enterpriseId, r]));
    expect([...byId.keys()].sort()).toEqual([a.id, b.id].sort());
    // Of due-in-2 h, due-in-30 h, flagged, past due unflagged and left: only the 2 h one.
    expect(byId.get(a.id)).toMatchObject({ employees: 4, testedOnTime: 2, overdue: 2, dueSoon: 1 });
    // Everyone due soon, nobody overdue, report on time: still good.
    expect(byId.get(b.id)).toMatchObject({ employees: 2, overdue: 0, dueSoon: 2, standing: 'good' });
    expect(body.totals).toMatchObject({ enterprises: 2, employees: 6, overdue: 2, dueSoon: 3 });
    expect(body.regions).toEqual([{ ...body.totals, regionCode: '410105' }]);
    const byDueSoon = (await get(jinshui, '/api/v1/workforce/compliance?sort=dueSoon&order=desc')).json();
    expect(byDueSoon.items.map((r: Row) => r.enterpriseId)).toEqual([b.id, a.id]);
  });

  it('adds up over the counties of a city, subtotal by subtotal', async () => {
    const body = (await get(city, '/api/v1/workforce/compliance')).json();
    expect(body.totals).toMatchObject({ enterprises: 3, dueSoon: 4 });
    expect(
      body.regions.map((r: { regionCode: string; dueSoon: number }) => [r.regionCode, r.dueSoon]),
    ).toEqual([
      ['410103', 1],
      ['410105', 3],
    ]);
    const sum = (body.items as Row[]).reduce((n, r) => n + r.dueSoon, 0);
    expect(sum).toBe(body.totals.dueSoon);
    const byCity = (await get(city, '/api/v1/workforce/compliance?by=city')).json();
    expect(byCity.regions).toEqual([{ ...byCity.totals, regionCode: '410100' }]);
  });

  it('exports the column, its header naming the window, with the rows’ and totals’ numbers', async () => {
    const res = await get(jinshui, '/api/v1/workforce/compliance/export?format=csv');
    expect(res.statusCode, res.body).toBe(200);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .replaceAll('"', '')
      .trim()
      .split(/\r?\n/)
      .map((l) => l.split(','));
    const header = lines[0]!;
    const column = header.indexOf('即将到期(12小时内)');
    expect(column).toBe(header.indexOf('逾期占比') + 1);
    const cell = (first: string) => lines.find((l) => l[0] === first)?.[column];
    expect(cell(a.name)).toBe('1');
    expect(cell(b.name)).toBe('2');
    expect(cell('小计')).toBe('3');
    expect(cell('合计')).toBe('3');
  });
});

describe('the roster’s due-soon filter', () => {
  const list = async (cookie: string, query: string) => {
    const res = await get(cookie, `/api/v1/workforce/employees?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      items: Array<{ id: string; nextDueAt: string; overdue: boolean; dueSoon: boolean }>;
      total: number;
      nextCursor: string | null;
    };
  };

  it('lists exactly the enterprise’s people due soon, soonest first', async () => {
    const mine = await list(ownA, 'dueSoon=true');
    expect(mine.items.map((e) => e.id)).toEqual([ids.soon]);
    expect(mine.total).toBe(1);
    expect(mine.items[0]!.nextDueAt).toBe(hoursFromNow(2));
    const theirs = await list(ownB, 'dueSoon=true');
    expect(theirs.items.map((e) => e.id)).toEqual([ids.b3, ids.b6]);
    // The overdue filter is unchanged: the flagged and the past-due one, not the due-soon ones.
    expect((await list(ownA, 'overdue=true')).items.map((e) => e.id).sort()).toEqual(
      [ids.flagged, ids.pastDue].sort(),
    );
    expect((await list(ownA, 'overdue=true&dueSoon=true')).items).toEqual([]);
    expect((await list(ownA, 'dueSoon=false')).total).toBe(5);
    // Each person carries the same verdict (the roster's amber), whatever the filter.
    const everyone = await list(ownA, 'limit=200');
    const soonIds = everyone.items.filter((e) => e.dueSoon).map((e) => e.id);
    expect(soonIds).toEqual([ids.soon]);
    expect(everyone.items.filter((e) => e.dueSoon && e.overdue)).toEqual([]);
  });

  it('never shows another enterprise’s or another county’s people', async () => {
    expect((await list(ownA, `dueSoon=true&enterpriseId=${b.id}`)).items).toEqual([]);
    expect((await list(erqi, 'dueSoon=true')).items.map((e) => e.id)).toEqual([ids.c1]);
    const county = await list(jinshui, 'dueSoon=true');
    expect(county.items.map((e) => e.id)).toEqual([ids.soon, ids.b3, ids.b6]);
    expect((await list(jinshui, `dueSoon=true&enterpriseId=${b.id}`)).items.map((e) => e.id)).toEqual([
      ids.b3,
      ids.b6,
    ]);
  });

  it('pages through in due order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page = await list(jinshui, `dueSoon=true&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(3);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([ids.soon, ids.b3, ids.b6]);
  });

  it('refuses a bad value or an unknown filter', async () => {
    for (const query of ['dueSoon=yes', 'dueSoon=', 'dueSoonHours=24', 'due=soon']) {
      const res = await get(ownA, `/api/v1/workforce/employees?${query}`);
      expect(res.statusCode, query).toBe(400);
    }
  });
});

describe('the window is the parameter in force', () => {
  it('follows a published version of workforce.dueSoonHours', async () => {
    await publishParameterVersion(
      t.db,
      { key: 'workforce.dueSoonHours', from: TODAY, value: 4, source: { doc: '测试', section: '即将到期' } },
      { actor: null },
    );
    const body = (await get(jinshui, '/api/v1/workforce/compliance')).json();
    expect(body.dueSoonHours).toBe(4);
    expect(body.totals.dueSoon).toBe(2);
    const roster = (await get(jinshui, '/api/v1/workforce/employees?dueSoon=true')).json();
    expect(roster.items.map((e: { id: string }) => e.id)).toEqual([ids.soon, ids.b3]);
    const b6 = (await get(jinshui, `/api/v1/workforce/employees/${ids.b6}`)).json();
    expect(b6).toMatchObject({ overdue: false, dueSoon: false });
    const csv = await get(jinshui, '/api/v1/workforce/compliance/export?format=csv');
    expect(csv.body).toContain('即将到期(4小时内)');
  });
});
