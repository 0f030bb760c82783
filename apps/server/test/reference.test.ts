import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestApp, login, type TestApp } from './app';

let t: TestApp;
let cookie: string;
let adminCookie: string;
beforeAll(async () => {
  t = await createTestApp();
  const u = await buildUser(t.db, { role: 'command_office', regionCode: '410105', tier: 'county' });
  cookie = await login(t.app, u.username, u.password);
  const admin = await buildUser(t.db, { role: 'admin' });
  adminCookie = await login(t.app, admin.username, admin.password);
});
afterAll(async () => t.close());

describe('regions', () => {
  it('lists the province at the top and its 18 city-level units below, with child counts', async () => {
    const top = (await t.app.inject({ method: 'GET', url: '/api/v1/regions', headers: { cookie } })).json()
      .items;
    expect(top).toEqual([
      { code: '410000', name: '河南省', level: 'province', parentCode: null, childCount: 18 },
    ]);
    const cities = (
      await t.app.inject({ method: 'GET', url: '/api/v1/regions?parent=410000', headers: { cookie } })
    ).json().items;
    expect(cities).toHaveLength(18);
    expect(cities.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['郑州市', '洛阳市', '济源市']),
    );
  });

  it('lists Zhengzhou’s counties and the 航空港区 zone', async () => {
    const items = (
      await t.app.inject({ method: 'GET', url: '/api/v1/regions?parent=410100', headers: { cookie } })
    ).json().items;
    const names = items.map((c: { name: string }) => c.name);
    expect(names).toContain('金水区');
    expect(items.find((c: { level: string }) => c.level === 'zone')?.name).toMatch(/航空港/);
  });

  it('answers an unknown parent with REGION_NOT_FOUND and a malformed one with a field error', async () => {
    expect(
      (
        await t.app.inject({ method: 'GET', url: '/api/v1/regions?parent=419999', headers: { cookie } })
      ).json().code,
    ).toBe('REGION_NOT_FOUND');
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/regions?parent=41x', headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('querystring.parent');
  });
});

describe('parameters', () => {
  it('lists every seed parameter with its source section and the value in force', async () => {
    const items = (
      await t.app.inject({ method: 'GET', url: '/api/v1/parameters', headers: { cookie } })
    ).json().items as Array<{
      key: string;
      current: unknown;
      versions: Array<{ source: { section: string } }>;
    }>;
    expect(items.length).toBeGreaterThanOrEqual(10);
    for (const p of items) expect(p.versions[0]!.source.section).toBeTruthy();
    const cadence = items.find((p) => p.key === 'workforce.testCadenceHours');
    expect(cadence?.current).toMatchObject({ default: 48, mobile: 24 });
  });

  it('reads a value at a date inside its validity and refuses a date before it', async () => {
    const ok = await t.app.inject({
      method: 'GET',
      url: '/api/v1/parameters/workforce.testCadenceHours?asOf=2022-06-01',
      headers: { cookie },
    });
    expect(ok.json().value).toMatchObject({ default: 48 });
    const before = await t.app.inject({
      method: 'GET',
      url: '/api/v1/parameters/workforce.testCadenceHours?asOf=2022-05-24',
      headers: { cookie },
    });
    expect(before.statusCode).toBe(404);
    expect(before.json().code).toBe('PARAMETER_NOT_IN_FORCE');
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/v1/parameters/no.such',
      headers: { cookie },
    });
    expect(unknown.json().code).toBe('PARAMETER_NOT_FOUND');
  });

  it('publishes a new version from a date on, closing the one in force, with an audit row', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/parameters/workforce.testCadenceHours/versions',
      headers: { cookie: adminCookie },
      payload: {
        from: '2022-12-07',
        value: { default: 72, mobile: 48, closedLoop: 24, citySupply: 24 },
        source: { doc: '演示通知', section: '一' },
      },
    });
    expect(res.statusCode).toBe(204);
    const old = await t.app.inject({
      method: 'GET',
      url: '/api/v1/parameters/workforce.testCadenceHours?asOf=2022-12-06',
      headers: { cookie },
    });
    const next = await t.app.inject({
      method: 'GET',
      url: '/api/v1/parameters/workforce.testCadenceHours?asOf=2022-12-07',
      headers: { cookie },
    });
    expect(old.json().value.default).toBe(48);
    expect(next.json().value.default).toBe(72);
    const audit = await t.database.query<{ action: string }>(
      `select action from audit_log where object_id = 'workforce.testCadenceHours'`,
    );
    expect(audit.map((a) => a.action)).toEqual(['parameters.version_published']);
  });

  it('refuses to publish without parameters.manage', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/parameters/workforce.testCadenceHours/versions',
      headers: { cookie },
      payload: { from: '2023-01-01', value: { default: 1 }, source: { doc: 'x', section: 'y' } },
    });
    expect(res.statusCode).toBe(403);
  });
});
