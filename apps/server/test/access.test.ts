import { PERMISSIONS } from '@sibao/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestApp, login, type TestApp } from './app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('route access declarations', () => {
  it('every registered route declares its permission and its row scope', () => {
    expect(t.routes.length).toBeGreaterThan(10);
    const missing = t.routes.filter((r) => !r.access).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    const known = new Set<string>([...PERMISSIONS, 'public', 'authenticated']);
    const unknown = t.routes.filter((r) => r.access && !known.has(r.access.permission)).map((r) => r.url);
    expect(unknown).toEqual([]);
  });

  it('only reference, sign-in, documentation, the published whitelist and enterprise sign-up routes are public', () => {
    const publicApi = t.routes
      .filter((r) => r.access?.permission === 'public' && r.url.startsWith('/api/v1/'))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(publicApi).toEqual([
      'GET /api/v1/health',
      'GET /api/v1/public/whitelist',
      'GET /api/v1/public/whitelist/batches',
      'GET /api/v1/public/whitelist/criteria',
      'GET /api/v1/public/whitelist/export',
      'GET /api/v1/public/whitelist/regions',
      'POST /api/v1/auth/login',
      'POST /api/v1/public/enterprises/claim',
      'POST /api/v1/public/enterprises/registrations',
    ]);
  });

  it('a route without a declaration is refused at request time, not served', async () => {
    const { buildApp } = await import('../src/app');
    const { testConfig } = await import('./app');
    const built = await buildApp({ config: testConfig(), database: t.database, logger: false });
    built.app.get('/api/v1/undeclared', async () => ({ secret: true }));
    await built.app.ready();
    const res = await built.app.inject({ method: 'GET', url: '/api/v1/undeclared' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    expect(built.routes.find((r) => r.url === '/api/v1/undeclared')?.access).toBeUndefined();
    await built.app.close();
  });

  it('a protected route without a session answers 401 problem+json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/regions' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED', message: { zh: '请先登录' } });
  });

  it('a signed-in actor without the permission gets 403', async () => {
    const lab = await buildUser(t.db, { role: 'lab', kind: 'lab', regionCode: '410100', tier: 'city' });
    const cookie = await login(t.app, lab.username, lab.password);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/parameters', headers: { cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
  });
});
