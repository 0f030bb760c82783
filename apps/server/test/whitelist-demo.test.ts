import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, seedDemoProvince } from '../src/demo/demo.generate';
import { buildUser, createTestApp, login, type TestApp } from './app';

/** The demo whitelist tells a story on the coverage page: some sectors above 70 %, some below. */
let t: TestApp;
let result: DemoResult;
let cookie: string;
beforeAll(async () => {
  t = await createTestApp();
  result = await seedDemoProvince(t.db, { size: 's', seed: 7 });
  const u = await buildUser(t.db, { role: 'command_office', regionCode: '410000', tier: 'province' });
  cookie = await login(t.app, u.username, u.password);
});
afterAll(async () => t.close());

describe('demo whitelist', () => {
  it('covers some sectors above the 70 % target and leaves others below it', async () => {
    expect(result.counts.whitelistEntries).toBeGreaterThan(500);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/whitelist/coverage/breakdown?region=410000&date=2022-06-30',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    const ratios = Object.fromEntries(
      res.json().bySector.map((c: { sector: string; ratio: number }) => [c.sector, c.ratio]),
    );
    expect(ratios.industry).toBeGreaterThan(0.7);
    expect(ratios.city_operations).toBeGreaterThan(0.7);
    expect(ratios.transport).toBeLessThan(0.7);
    expect(ratios.culture_tourism).toBeLessThan(0.7);
  });

  it('has published criteria, a public list with removed entries, a review queue and spot checks', async () => {
    const criteria = await t.app.inject({
      method: 'GET',
      url: '/api/v1/public/whitelist/criteria?sector=commerce',
    });
    expect(criteria.json().criteria.version).toBe(1);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/public/whitelist?limit=1000' })).json();
    expect(list.total).toBeGreaterThan(300);
    const removed = await t.app.inject({
      method: 'GET',
      url: '/api/v1/whitelist/entries?status=removed',
      headers: { cookie },
    });
    expect(removed.json().total).toBeGreaterThan(0);
    const queue = await t.app.inject({
      method: 'GET',
      url: '/api/v1/whitelist/applications?status=submitted',
      headers: { cookie },
    });
    expect(queue.json().total).toBeGreaterThan(0);
    const checks = await t.app.inject({
      method: 'GET',
      url: '/api/v1/whitelist/spot-checks',
      headers: { cookie },
    });
    expect(checks.json().items.some((c: { result: string }) => c.result === 'failed')).toBe(true);
  });
});
