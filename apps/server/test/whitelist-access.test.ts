import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnterprise, buildUser, createTestApp, login, type TestApp } from './app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('coverage, planner and statistics are officials’ views', () => {
  it('refuses them to an enterprise user, who would otherwise see other enterprises’ pending applications', async () => {
    const own = await buildEnterprise(t.db, { regionCode: '410105' });
    const staff = await buildUser(t.db, {
      role: 'enterprise',
      kind: 'enterprise',
      tier: 'enterprise',
      regionCode: '410105',
      enterpriseId: own.id,
    });
    const cookie = await login(t.app, staff.username, staff.password);
    for (const url of [
      '/api/v1/whitelist/coverage?sector=industry&region=410105',
      '/api/v1/whitelist/coverage/planner?sector=industry&region=410105',
      '/api/v1/whitelist/coverage/breakdown?region=410105',
      '/api/v1/whitelist/statistics',
    ]) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(res.statusCode, url).toBe(403);
    }
  });

  it('serves them to the county command office', async () => {
    const office = await buildUser(t.db, { role: 'command_office', regionCode: '410105', tier: 'county' });
    const cookie = await login(t.app, office.username, office.password);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/whitelist/coverage/planner?sector=industry&region=410105',
      headers: { cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});
