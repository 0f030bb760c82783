import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/modules/iam/iam.totp';
import { buildUser, createTestApp, type TestApp } from './app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ mode: 'production', apiDocs: false });
});
afterAll(async () => t.close());

const signIn = (username: string, password: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: '10.1.2.3',
  });

describe('production mode', () => {
  it('sets a Secure __Host- cookie and makes an official enrol a second factor before anything else', async () => {
    const u = await buildUser(t.db, { role: 'command_office' });
    const res = await signIn(u.username, u.password);
    expect(res.json()).toEqual({ status: 'mfa_enrolment_required' });
    const cookie = res.cookies[0]!;
    expect(cookie.name).toBe('__Host-sibao_session');
    expect(cookie.secure).toBe(true);
    expect(cookie.httpOnly).toBe(true);
    const header = `${cookie.name}=${cookie.value}`;
    const blocked = await t.app.inject({
      method: 'GET',
      url: '/api/v1/regions',
      headers: { cookie: header },
    });
    expect(blocked.statusCode).toBe(403);
    const enrol = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/enroll',
      headers: { cookie: header },
    });
    const { secret } = enrol.json();
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/confirm',
      headers: { cookie: header },
      payload: { code: totpCode(secret, t.clock.now.getTime()) },
    });
    expect(confirm.json().status).toBe('ok');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/regions', headers: { cookie: header } })).statusCode,
    ).toBe(200);
  });

  it('does not ask enterprise staff for a second factor', async () => {
    const u = await buildUser(t.db, {
      role: 'enterprise',
      kind: 'enterprise',
      tier: 'enterprise',
      regionCode: '410105',
    });
    expect((await signIn(u.username, u.password)).json().status).toBe('ok');
  });

  it('does not serve the API browser unless enabled, but keeps the OpenAPI document', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
  });
});
