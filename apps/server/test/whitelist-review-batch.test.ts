import { computeUsccCheckChar, MAX_REVIEW_BATCH } from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardCriteria } from '../src/modules/whitelist';
import { rows as dbRows } from '../src/platform/db';
import { newId } from '../src/platform/ids';
import { buildEnterprise, buildUser, createTestApp, login, type TestApp } from './app';

let t: TestApp;
const cookies = new Map<string, string>();
/** Applications of 金水区 (county review) a, b, c; 二七区 erqi; a big 金水 enterprise reviewed by the city. */
const apps: Record<'a' | 'b' | 'c' | 'erqi' | 'big', string> = { a: '', b: '', c: '', erqi: '', big: '' };

function uscc(seq: number, region: string) {
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

async function as(who: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { cookie: cookies.get(who)! },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

beforeAll(async () => {
  t = await createTestApp();
  const user = async (name: string, spec: Parameters<typeof buildUser>[1]) => {
    const u = await buildUser(t.db, spec);
    cookies.set(name, await login(t.app, u.username, u.password));
  };
  const department = (regionCode: string, tier: 'province' | 'city' | 'county', sector = 'industry') => ({
    role: 'sector_department' as const,
    kind: 'sector_department' as const,
    regionCode,
    tier,
    sectors: [sector] as ['industry'],
  });
  await user('province', department('410000', 'province'));
  await user('zhengzhou', department('410100', 'city'));
  await user('jinshui', department('410105', 'county'));
  await user('erqi', department('410103', 'county'));
  await user('jinshuiCommerce', department('410105', 'county', 'commerce'));
  const draft = await as('province', 'POST', '/api/v1/whitelist/criteria', standardCriteria('industry'));
  await as('province', 'POST', `/api/v1/whitelist/criteria/${draft.json().id}/publish`);
  const specs: Array<[keyof typeof apps, string, number]> = [
    ['a', '410105', 3_000_000_000],
    ['b', '410105', 2_000_000_000],
    ['c', '410105', 1_000_000_000],
    ['erqi', '410103', 1_000_000_000],
    ['big', '410105', 60_000_000_000], // 6 亿元: the city department reviews it
  ];
  for (const [n, [key, regionCode, annualValueFen]] of specs.entries()) {
    const e = await buildEnterprise(t.db, {
      uscc: uscc(n + 21, regionCode),
      name: `批量审核企业${key}`,
      regionCode,
      sectors: ['industry'],
      annualValueFen,
    });
    await user(`ent-${key}`, {
      role: 'enterprise',
      kind: 'enterprise',
      regionCode,
      tier: 'enterprise',
      enterpriseId: e.id,
    });
    const res = await as(`ent-${key}`, 'POST', '/api/v1/whitelist/applications', {
      sector: 'industry',
      answers: GOOD_ANSWERS,
    });
    expect(res.statusCode).toBe(201);
    apps[key] = res.json().id;
  }
});
afterAll(async () => t.close());

const status = async (id: string) =>
  (await as('zhengzhou', 'GET', `/api/v1/whitelist/applications/${id}`)).json().status;

describe('bulk review: one transaction, all or nothing', () => {
  it('refuses the whole batch when any id is not reviewable, naming each with its code', async () => {
    const missing = newId();
    const res = await as('jinshui', 'POST', '/api/v1/whitelist/applications/review-batch', {
      ids: [apps.a, apps.erqi, apps.big, missing, apps.b],
      decision: 'approve',
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('WHITELIST_REVIEW_BATCH_REFUSED');
    expect(res.json().errors).toEqual([
      { path: 'body.ids.1', code: 'NOT_FOUND', message: apps.erqi },
      { path: 'body.ids.2', code: 'FORBIDDEN', message: apps.big },
      { path: 'body.ids.3', code: 'NOT_FOUND', message: missing },
    ]);
    expect(await status(apps.a)).toBe('submitted');
    expect(await status(apps.b)).toBe('submitted');
  });

  it('another sector’s department finds none of them', async () => {
    const res = await as('jinshuiCommerce', 'POST', '/api/v1/whitelist/applications/review-batch', {
      ids: [apps.a],
      decision: 'approve',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([{ path: 'body.ids.0', code: 'NOT_FOUND', message: apps.a }]);
  });

  it('validates the body: a reason for reject and return, at most 200 ids, no duplicates', async () => {
    const url = '/api/v1/whitelist/applications/review-batch';
    const noReason = await as('jinshui', 'POST', url, { ids: [apps.a], decision: 'reject' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].code).toBe('REASON_REQUIRED');
    const tooMany = await as('jinshui', 'POST', url, {
      ids: Array.from({ length: MAX_REVIEW_BATCH + 1 }, () => newId()),
      decision: 'approve',
    });
    expect(tooMany.statusCode).toBe(400);
    const twice = await as('jinshui', 'POST', url, { ids: [apps.a, apps.a], decision: 'approve' });
    expect(twice.statusCode).toBe(400);
    const empty = await as('jinshui', 'POST', url, { ids: [], decision: 'approve' });
    expect(empty.statusCode).toBe(400);
  });

  it('approves every application of the batch, each with its entry and audit row', async () => {
    const res = await as('jinshui', 'POST', '/api/v1/whitelist/applications/review-batch', {
      ids: [apps.a, apps.b],
      decision: 'approve',
      reason: '材料齐全',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().decision).toBe('approve');
    expect(res.json().items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
      [apps.a, 'approved'],
      [apps.b, 'approved'],
    ]);
    for (const item of res.json().items) {
      const entry = await as('jinshui', 'GET', `/api/v1/whitelist/entries/${item.entryId}`);
      expect(entry.json()).toMatchObject({ status: 'active', serviceTier: 'county' });
    }
    const audit = await dbRows<{ object_id: string }>(
      t.db,
      sql`select object_id from audit_log where action = 'whitelist.application_approved' order by seq`,
    );
    expect(audit.map((r) => r.object_id)).toEqual([apps.a, apps.b]);
  });

  it('an already decided application in the batch refuses it all', async () => {
    const res = await as('jinshui', 'POST', '/api/v1/whitelist/applications/review-batch', {
      ids: [apps.c, apps.a],
      decision: 'reject',
      reason: '重复提交',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([
      { path: 'body.ids.1', code: 'WHITELIST_APPLICATION_DECIDED', message: apps.a },
    ]);
    expect(await status(apps.c)).toBe('submitted');
  });

  it('returns a batch for more, with the reason', async () => {
    const res = await as('jinshui', 'POST', '/api/v1/whitelist/applications/review-batch', {
      ids: [apps.c],
      decision: 'return',
      reason: '请补充物资清单',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([{ id: apps.c, status: 'returned', entryId: null }]);
  });
});

describe('service tier change', () => {
  let entryId: string;
  const url = () => `/api/v1/whitelist/entries/${entryId}/tier`;

  beforeAll(async () => {
    entryId = (await as('jinshui', 'GET', `/api/v1/whitelist/applications/${apps.a}`)).json().entryId;
  });

  it('needs a reason (400 problem) and a known tier', async () => {
    const res = await as('zhengzhou', 'POST', url(), { serviceTier: 'city' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain('body.reason');
    const bad = await as('zhengzhou', 'POST', url(), { serviceTier: 'village', reason: '调整' });
    expect(bad.statusCode).toBe(400);
  });

  it('another county’s or another sector’s department gets 404', async () => {
    for (const who of ['erqi', 'jinshuiCommerce']) {
      const res = await as(who, 'POST', url(), { serviceTier: 'county', reason: '调整保障层级' });
      expect(res.statusCode, who).toBe(404);
    }
  });

  it('a county department may not raise an entry above its own tier', async () => {
    const res = await as('jinshui', 'POST', url(), { serviceTier: 'city', reason: '调整保障层级' });
    expect(res.statusCode).toBe(403);
  });

  it('the city department moves it to the city tier; the history shows both tiers and the reason', async () => {
    const before = (await as('zhengzhou', 'GET', `/api/v1/whitelist/entries/${entryId}`)).json();
    expect(before.actions).toContain('change_tier');
    const res = await as('zhengzhou', 'POST', url(), {
      serviceTier: 'city',
      reason: '企业为全市重点产业链链主企业，改由市级保障',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ serviceTier: 'city', status: 'active' });
    const entry = (await as('zhengzhou', 'GET', `/api/v1/whitelist/entries/${entryId}`)).json();
    expect(entry.history.at(-1)).toMatchObject({
      action: 'tier_changed',
      fromStatus: 'active',
      toStatus: 'active',
      fromTier: 'county',
      toTier: 'city',
      reason: '企业为全市重点产业链链主企业，改由市级保障',
    });
    const audit = await dbRows<{ summary: Record<string, unknown> }>(
      t.db,
      sql`select summary from audit_log where action = 'whitelist.entry_tier_changed'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toMatchObject({ before: 'county', after: 'city' });
  });

  it('now served by the city, the county department may not change it back', async () => {
    const entry = (await as('jinshui', 'GET', `/api/v1/whitelist/entries/${entryId}`)).json();
    expect(entry.actions).not.toContain('change_tier');
    const res = await as('jinshui', 'POST', url(), { serviceTier: 'county', reason: '调回县级' });
    expect(res.statusCode).toBe(403);
    const same = await as('zhengzhou', 'POST', url(), { serviceTier: 'city', reason: '无变化' });
    expect(same.statusCode).toBe(409);
    expect(same.json().code).toBe('WHITELIST_ENTRY_STATE');
    const back = await as('province', 'POST', url(), { serviceTier: 'county', reason: '回归属地保障' });
    expect(back.statusCode).toBe(200);
    expect(back.json().serviceTier).toBe('county');
  });
});

describe('public region tree', () => {
  it('lists the cities and their counties without signing in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/public/whitelist/regions' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{
      code: string;
      name: string;
      children: Array<{ code: string }>;
    }>;
    expect(items).toHaveLength(18);
    const zhengzhou = items.find((c) => c.code === '410100')!;
    expect(zhengzhou.name).toBe('郑州市');
    expect(zhengzhou.children.map((c) => c.code)).toContain('410105');
    expect(items.find((c) => c.code === '419001')?.children).toEqual([]);
  });
});
