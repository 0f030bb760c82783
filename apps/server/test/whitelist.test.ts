import { computeUsccCheckChar } from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardCriteria } from '../src/modules/whitelist';
import { rows as dbRows } from '../src/platform/db';
import { buildEnterprise, buildUser, createTestApp, login, type TestApp } from './app';

let t: TestApp;
let provinceIndustry: string; // 省工信厅: authors industry criteria
let jinshuiIndustry: string; // 金水区工信局: reviews county-tier industry applications
let erqiIndustry: string; // 二七区工信局: another county
let jinshuiCommerce: string; // 金水区商务局: another sector
let cityCommand: string; // 郑州市指挥部办公室
let ent: string; // enterprise user of `mine`
let otherEnt: string; // enterprise user of `theirs`
let mine: { id: string };
let theirs: { id: string };

function uscc(seq: number, region = '410105') {
  const first17 = `91${region}${String(seq).padStart(9, '0')}`;
  return first17 + computeUsccCheckChar(first17);
}

const GOOD_ANSWERS = {
  closedLoopMode: 'bubble',
  dormitoryBeds: 100,
  canteen: true,
  taskForce: true,
  taskForceLeader: '王副总经理',
  stockpileDays: 21,
  observationRooms: 2,
  samplingArrangement: 'local_network',
  emergencyPlan: true,
} as const;

/** Sessions expire when a test moves the clock on by days: sign in again, once, and keep the new cookie. */
const accounts = new Map<string, { username: string; password: string; cookie: string }>();
async function as(who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const account = accounts.get(who)!;
  const send = () =>
    t.app.inject({
      method,
      url,
      headers: { cookie: account.cookie },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const res = await send();
  if (res.statusCode !== 401) return res;
  account.cookie = await login(t.app, account.username, account.password);
  return send();
}

async function publishStandard(sector: 'industry' | 'commerce') {
  const draft = await as(provinceIndustry, 'POST', '/api/v1/whitelist/criteria', standardCriteria(sector));
  expect(draft.statusCode).toBe(201);
  const published = await as(
    provinceIndustry,
    'POST',
    `/api/v1/whitelist/criteria/${draft.json().id}/publish`,
  );
  expect(published.statusCode).toBe(200);
  return published.json();
}

beforeAll(async () => {
  t = await createTestApp();
  const user = async (spec: Parameters<typeof buildUser>[1]) => {
    const u = await buildUser(t.db, spec);
    accounts.set(u.username, { ...u, cookie: await login(t.app, u.username, u.password) });
    return u.username;
  };
  provinceIndustry = await user({
    role: 'sector_department',
    kind: 'sector_department',
    regionCode: '410000',
    tier: 'province',
    sectors: ['industry', 'commerce'],
  });
  jinshuiIndustry = await user({
    role: 'sector_department',
    kind: 'sector_department',
    regionCode: '410105',
    tier: 'county',
    sectors: ['industry'],
  });
  erqiIndustry = await user({
    role: 'sector_department',
    kind: 'sector_department',
    regionCode: '410103',
    tier: 'county',
    sectors: ['industry'],
  });
  jinshuiCommerce = await user({
    role: 'sector_department',
    kind: 'sector_department',
    regionCode: '410105',
    tier: 'county',
    sectors: ['commerce'],
  });
  cityCommand = await user({ role: 'command_office', regionCode: '410100', tier: 'city' });
  mine = await buildEnterprise(t.db, {
    uscc: uscc(1),
    name: '金水食品有限公司',
    regionCode: '410105',
    sectors: ['industry'],
    headcount: 120,
    annualValueFen: 3_000_000_000, // 3,000 万元: county tier
  });
  theirs = await buildEnterprise(t.db, {
    uscc: uscc(2),
    name: '金水机械有限公司',
    regionCode: '410105',
    sectors: ['industry'],
    headcount: 80,
    annualValueFen: 1_000_000_000,
  });
  ent = await user({
    role: 'enterprise',
    kind: 'enterprise',
    regionCode: '410105',
    tier: 'enterprise',
    enterpriseId: mine.id,
  });
  otherEnt = await user({
    role: 'enterprise',
    kind: 'enterprise',
    regionCode: '410105',
    tier: 'enterprise',
    enterpriseId: theirs.id,
  });
});
afterAll(async () => t.close());

describe('criteria: draft → published, public', () => {
  it('refuses to publish criteria whose tests fail, and says which', async () => {
    const body = standardCriteria('industry');
    const broken = {
      ...body,
      tests: [{ ...body.tests[0]!, expect: { status: 'ineligible' as const } }],
    };
    const draft = await as(provinceIndustry, 'POST', '/api/v1/whitelist/criteria', broken);
    expect(draft.statusCode).toBe(201);
    expect(draft.json()).toMatchObject({ status: 'draft', version: 1 });
    const res = await as(provinceIndustry, 'POST', `/api/v1/whitelist/criteria/${draft.json().id}/publish`);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('WHITELIST_CRITERIA_NOT_PUBLISHABLE');
    expect(res.json().errors.map((e: { code: string }) => e.code)).toContain('TEST_FAILED');
  });

  it('refuses a rule over an unknown fact', async () => {
    const body = standardCriteria('industry');
    const draft = await as(provinceIndustry, 'POST', '/api/v1/whitelist/criteria', {
      ...body,
      rule: { all: [{ id: 'x', fact: 'noSuchFact', op: 'isTrue' }] },
    });
    const res = await as(provinceIndustry, 'POST', `/api/v1/whitelist/criteria/${draft.json().id}/publish`);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { code: string }) => e.code)).toContain('UNKNOWN_FACT');
  });

  it('a county department may not author criteria', async () => {
    const res = await as(jinshuiIndustry, 'POST', '/api/v1/whitelist/criteria', standardCriteria('industry'));
    expect(res.statusCode).toBe(403);
  });

  it('publishes valid criteria; the public sees the published version without signing in', async () => {
    const before = await t.app.inject({
      method: 'GET',
      url: '/api/v1/public/whitelist/criteria?sector=industry',
    });
    expect(before.statusCode).toBe(200);
    expect(before.json().criteria).toBeNull();
    const published = await publishStandard('industry');
    expect(published).toMatchObject({ status: 'published', version: 3 });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/public/whitelist/criteria?sector=industry',
    });
    expect(res.json().criteria).toMatchObject({ id: published.id, version: 3 });
    expect(res.json().criteria.lines).toContain('已设立疫情防控专班：是');
    expect(res.json().criteria.managementText).toContain('熔断');
    const again = await as(provinceIndustry, 'POST', `/api/v1/whitelist/criteria/${published.id}/publish`);
    expect(again.statusCode).toBe(409);
  });
});

describe('application → review → entry → batch → public list', () => {
  let applicationId: string;
  let entryId: string;

  it('evaluates the criteria at once and explains each in Chinese', async () => {
    const res = await as(ent, 'POST', '/api/v1/whitelist/applications', {
      sector: 'industry',
      answers: { ...GOOD_ANSWERS, stockpileDays: undefined },
      attachments: [{ name: '应急预案.pdf', contentType: 'application/pdf', bytes: 1024 }],
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    applicationId = body.id;
    expect(body.status).toBe('submitted');
    expect(body.result.status).toBe('undetermined');
    expect(body.result.missing).toEqual([{ fact: 'stockpileDays', label: '防疫物资和生活用品储备天数' }]);
    const stockpile = body.result.criteria.find((c: { id: string }) => c.id === 'stockpile');
    expect(stockpile.outcome).toBe('unknown');
    expect(body.result.criteria.find((c: { id: string }) => c.id === 'taskForce')).toMatchObject({
      outcome: 'met',
      reason: expect.stringContaining('✓'),
    });
    expect(body.result.explanation).toContain('结论：暂无法判断');
    expect(body.reviewTier).toBe('county');
    const days = (Date.parse(body.dueAt) - Date.parse(body.submittedAt)) / 86_400_000;
    expect(days).toBe(5); // whitelist.reviewDays, the platform default
  });

  it('refuses a second open application for the same sector', async () => {
    const res = await as(ent, 'POST', '/api/v1/whitelist/applications', {
      sector: 'industry',
      answers: GOOD_ANSWERS,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('WHITELIST_APPLICATION_PENDING');
  });

  it('refuses an application for a sector the enterprise is not in', async () => {
    const res = await as(otherEnt, 'POST', '/api/v1/whitelist/applications', {
      sector: 'commerce',
      answers: GOOD_ANSWERS,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('WHITELIST_SECTOR_MISMATCH');
  });

  it('another enterprise cannot read the application (404)', async () => {
    const res = await as(otherEnt, 'GET', `/api/v1/whitelist/applications/${applicationId}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });

  it('departments of another county or another sector cannot review it (404)', async () => {
    for (const cookie of [erqiIndustry, jinshuiCommerce]) {
      const res = await as(cookie, 'POST', `/api/v1/whitelist/applications/${applicationId}/review`, {
        decision: 'approve',
      });
      expect(res.statusCode).toBe(404);
    }
  });

  it('return pauses the clock; the resubmission is re-evaluated and the deadline moves by the pause', async () => {
    const before = (
      await as(jinshuiIndustry, 'GET', `/api/v1/whitelist/applications/${applicationId}`)
    ).json();
    expect(before.actions).toEqual(['approve', 'reject', 'return']);
    const noReason = await as(
      jinshuiIndustry,
      'POST',
      `/api/v1/whitelist/applications/${applicationId}/review`,
      {
        decision: 'return',
      },
    );
    expect(noReason.statusCode).toBe(400);
    const returned = await as(
      jinshuiIndustry,
      'POST',
      `/api/v1/whitelist/applications/${applicationId}/review`,
      {
        decision: 'return',
        reason: '请补充物资储备天数',
      },
    );
    expect(returned.statusCode).toBe(200);
    expect(returned.json().status).toBe('returned');
    t.clock.advance(2 * 86_400_000);
    const res = await as(ent, 'POST', `/api/v1/whitelist/applications/${applicationId}/resubmit`, {
      answers: GOOD_ANSWERS,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('submitted');
    expect(res.json().result.status).toBe('eligible');
    expect(Date.parse(res.json().dueAt) - Date.parse(before.dueAt)).toBe(2 * 86_400_000);
  });

  it('approves once, creating an active entry; approving twice is refused', async () => {
    const res = await as(jinshuiIndustry, 'POST', `/api/v1/whitelist/applications/${applicationId}/review`, {
      decision: 'approve',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('approved');
    entryId = res.json().entryId;
    expect(entryId).toBeTruthy();
    const twice = await as(
      jinshuiIndustry,
      'POST',
      `/api/v1/whitelist/applications/${applicationId}/review`,
      {
        decision: 'approve',
      },
    );
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('WHITELIST_APPLICATION_DECIDED');
    const entry = (await as(jinshuiIndustry, 'GET', `/api/v1/whitelist/entries/${entryId}`)).json();
    expect(entry).toMatchObject({ status: 'active', serviceTier: 'county', batch: null });
    expect(entry.history.map((h: { action: string }) => h.action)).toEqual(['admitted']);
  });

  it('an unpublished entry is not on the public list; a batch publishes it', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/api/v1/public/whitelist?sector=industry' });
    expect(before.json().total).toBe(0);
    const batch = await as(jinshuiIndustry, 'POST', '/api/v1/whitelist/batches', { sector: 'industry' });
    expect(batch.statusCode).toBe(201);
    expect(batch.json()).toMatchObject({ number: 1, entryCount: 1, label: '金水区工业生产白名单第1批' });
    const empty = await as(jinshuiIndustry, 'POST', '/api/v1/whitelist/batches', { sector: 'industry' });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().code).toBe('WHITELIST_BATCH_EMPTY');
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/whitelist?sector=industry&region=410100&batch=${batch.json().id}&q=${encodeURIComponent('金水食品')}`,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(1);
    expect(list.json().items[0]).toMatchObject({
      name: '金水食品有限公司',
      status: 'listed',
      removedOn: null,
      regionName: '郑州市金水区',
      batch: { label: '金水区工业生产白名单第1批' },
    });
    expect(list.json().title).toContain('工业生产');
  });

  it('a public query with injection-looking text finds nothing and harms nothing', async () => {
    for (const q of ["' or 1=1 --", '%', '_', "'; drop table whitelist_entries; --", '\\']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/public/whitelist?q=${encodeURIComponent(q)}`,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().total).toBe(0);
    }
    const all = await t.app.inject({ method: 'GET', url: '/api/v1/public/whitelist' });
    expect(all.json().total).toBe(1);
  });

  it('exports the public list to Excel without signing in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/public/whitelist/export?sector=industry' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const csv = await t.app.inject({ method: 'GET', url: '/api/v1/public/whitelist/export?format=csv' });
    expect(csv.body).toContain('金水食品有限公司');
  });

  it('suspends and reinstates with a reason; removing without a reason is refused', async () => {
    const noReason = await as(jinshuiIndustry, 'POST', `/api/v1/whitelist/entries/${entryId}/remove`, {});
    expect(noReason.statusCode).toBe(400);
    const cb = await as(jinshuiIndustry, 'POST', `/api/v1/whitelist/entries/${entryId}/remove`, {
      reason: '未落实闭环管理导致疫情输入',
      kind: 'circuit_breaker',
    });
    expect(cb.statusCode).toBe(400);
    expect(cb.json().errors[0].code).toBe('EVIDENCE_REQUIRED');
    const other = await as(erqiIndustry, 'POST', `/api/v1/whitelist/entries/${entryId}/suspend`, {
      reason: '抽查',
    });
    expect(other.statusCode).toBe(404);
    const s = await as(jinshuiIndustry, 'POST', `/api/v1/whitelist/entries/${entryId}/suspend`, {
      reason: '抽查发现物资储备不足',
    });
    expect(s.statusCode).toBe(200);
    expect(s.json().status).toBe('suspended');
    const again = await as(jinshuiIndustry, 'POST', `/api/v1/whitelist/entries/${entryId}/suspend`, {
      reason: '再次暂停',
    });
    expect(again.statusCode).toBe(409);
    const r = await as(jinshuiIndustry, 'POST', `/api/v1/whitelist/entries/${entryId}/reinstate`, {
      reason: '已整改到位',
    });
    expect(r.json().status).toBe('active');
  });

  it('records a failed spot check that suspends the entry; its overdue rectification is listed', async () => {
    const res = await as(jinshuiIndustry, 'POST', `/api/v1/whitelist/entries/${entryId}/spot-checks`, {
      checkedOn: '2022-06-10',
      items: [
        { item: '场所码全覆盖', ok: true },
        { item: '防疫物资储备', ok: false, note: '口罩不足7天' },
      ],
      findings: '物资储备不足',
      result: 'failed',
      rectificationDue: '2022-06-17',
      suspend: true,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().overdue).toBe(true); // the clock is past 2022-06-17
    const entry = (await as(jinshuiIndustry, 'GET', `/api/v1/whitelist/entries/${entryId}`)).json();
    expect(entry.status).toBe('suspended');
    const overdue = (await as(cityCommand, 'GET', '/api/v1/whitelist/spot-checks?overdue=true')).json();
    expect(overdue.items.map((c: { id: string }) => c.id)).toEqual([res.json().id]);
    const fixed = await as(
      jinshuiIndustry,
      'POST',
      `/api/v1/whitelist/spot-checks/${res.json().id}/rectified`,
    );
    expect(fixed.statusCode).toBe(200);
    expect((await as(cityCommand, 'GET', '/api/v1/whitelist/spot-checks?overdue=true')).json().items).toEqual(
      [],
    );
  });

  it('熔断 with evidence removes the entry; it stays on the public list as removed, with the date', async () => {
    const res = await as(jinshuiIndustry, 'POST', `/api/v1/whitelist/entries/${entryId}/remove`, {
      reason: '未按要求落实防控措施导致疫情输入',
      kind: 'circuit_breaker',
      evidence: ['金水区疫情防控指挥部流调报告(2022-06-20)'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'removed', removalKind: 'circuit_breaker' });
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/public/whitelist' })).json();
    expect(list.items[0]).toMatchObject({
      status: 'removed',
      removedOn: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    });
    const entry = (await as(jinshuiIndustry, 'GET', `/api/v1/whitelist/entries/${entryId}`)).json();
    expect(entry.history.map((h: { action: string }) => h.action)).toEqual([
      'admitted',
      'suspended',
      'reinstated',
      'suspended',
      'removed',
    ]);
    expect(entry.history.at(-1).evidence).toEqual(['金水区疫情防控指挥部流调报告(2022-06-20)']);
  });

  it('after 熔断 the enterprise may not re-apply until the waiting period has passed', async () => {
    const res = await as(ent, 'POST', '/api/v1/whitelist/applications', {
      sector: 'industry',
      answers: GOOD_ANSWERS,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('WHITELIST_REAPPLY_TOO_SOON');
    t.clock.advance(31 * 86_400_000);
    const later = await as(ent, 'POST', '/api/v1/whitelist/applications', {
      sector: 'industry',
      answers: GOOD_ANSWERS,
    });
    expect(later.statusCode).toBe(201);
    expect(later.json().result.status).toBe('eligible');
  });

  it('every change left an audit row', async () => {
    const rows = await dbRows<{ action: string }>(
      t.db,
      sql`select action from audit_log where action like 'whitelist.%' order by seq`,
    );
    const actions = rows.map((r) => r.action);
    for (const a of [
      'whitelist.criteria_published',
      'whitelist.application_submitted',
      'whitelist.application_returned',
      'whitelist.application_approved',
      'whitelist.batch_published',
      'whitelist.entry_suspended',
      'whitelist.entry_removed',
      'whitelist.spot_check_recorded',
    ])
      expect(actions).toContain(a);
  });
});

describe('review queue', () => {
  it('a rejection needs a reason, and the enterprise may apply again at once', async () => {
    const app = await as(otherEnt, 'POST', '/api/v1/whitelist/applications', {
      sector: 'industry',
      answers: { ...GOOD_ANSWERS, taskForce: false },
    });
    expect(app.json().result.status).toBe('ineligible');
    const rejected = await as(
      jinshuiIndustry,
      'POST',
      `/api/v1/whitelist/applications/${app.json().id}/review`,
      {
        decision: 'reject',
        reason: '未设立疫情防控专班',
      },
    );
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionReason: '未设立疫情防控专班' });
    const again = await as(otherEnt, 'POST', '/api/v1/whitelist/applications', {
      sector: 'industry',
      answers: GOOD_ANSWERS,
    });
    expect(again.statusCode).toBe(201);
  });

  it('the command office sees overdue reviews in its city', async () => {
    const none = (await as(cityCommand, 'GET', '/api/v1/whitelist/applications?overdue=true')).json();
    expect(none.total).toBe(0);
    t.clock.advance(6 * 86_400_000);
    const overdue = (await as(cityCommand, 'GET', '/api/v1/whitelist/applications?overdue=true')).json();
    expect(overdue.total).toBe(2);
    expect(overdue.items.every((a: { overdue: boolean }) => a.overdue)).toBe(true);
  });

  it('sorts city-operations and linked enterprises first', async () => {
    const water = await buildEnterprise(t.db, {
      uscc: uscc(3),
      name: '金水供水有限公司',
      regionCode: '410105',
      sectors: ['industry', 'city_operations'],
      cityOperations: true,
    });
    const u = await buildUser(t.db, {
      role: 'enterprise',
      kind: 'enterprise',
      regionCode: '410105',
      tier: 'enterprise',
      enterpriseId: water.id,
    });
    accounts.set(u.username, { ...u, cookie: await login(t.app, u.username, u.password) });
    const res = await as(u.username, 'POST', '/api/v1/whitelist/applications', {
      sector: 'industry',
      answers: GOOD_ANSWERS,
    });
    expect(res.json().priority).toEqual({ cityOperations: true, linkedToListed: false });
    const queue = (
      await as(jinshuiIndustry, 'GET', '/api/v1/whitelist/applications?status=submitted')
    ).json();
    expect(queue.items[0].id).toBe(res.json().id);
    expect(queue.total).toBe(3);
  });
});
