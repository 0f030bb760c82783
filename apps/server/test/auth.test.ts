import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/modules/iam/iam.totp';
import { buildUser, createTestApp, login, type TestApp } from './app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
let nextAddress = 0;
// Each attempt comes from its own address so the per-address limit does not interfere with other checks.
const attempt = (username: string, password: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: `10.9.${Math.floor(++nextAddress / 250)}.${nextAddress % 250}`,
  });

describe('sign-in', () => {
  it('signs in, sets an HttpOnly SameSite cookie, and describes the actor', async () => {
    const u = await buildUser(t.db, { role: 'command_office', regionCode: '410100', tier: 'city' });
    const res = await attempt(u.username, u.password);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'sibao_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.me).toMatchObject({ tier: 'city', region: { code: '410100', name: '郑州市' } });
    expect(body.me.permissions).toContain('operations.approve_inspection');
    expect(body.me.permissions).not.toContain('operations.approve_shutdown');
  });

  it('gives a new session id at every sign-in', async () => {
    const u = await buildUser(t.db, { role: 'auditor' });
    const a = await login(t.app, u.username, u.password);
    const b = await login(t.app, u.username, u.password);
    expect(a).not.toBe(b);
  });

  it('answers unknown user and wrong password the same way', async () => {
    const u = await buildUser(t.db, { role: 'auditor' });
    const wrong = await attempt(u.username, 'Wrong-password-123');
    const unknown = await attempt('nobody-at-all', 'Wrong-password-123');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
  });

  it('locks the account after five wrong passwords, for 15 minutes, and an admin can unlock it', async () => {
    const u = await buildUser(t.db, { role: 'auditor' });
    for (let i = 0; i < 5; i++)
      expect((await attempt(u.username, 'Wrong-password-123')).json().code).toBe('LOGIN_FAILED');
    const locked = await attempt(u.username, u.password);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');

    const admin = await buildUser(t.db, { role: 'admin' });
    const adminCookie = await login(t.app, admin.username, admin.password);
    const unlock = await t.app.inject({
      method: 'POST',
      url: `/api/v1/iam/users/${u.id}/unlock`,
      headers: { cookie: adminCookie },
    });
    expect(unlock.statusCode).toBe(204);
    expect((await attempt(u.username, u.password)).statusCode).toBe(200);
  });

  it('lifts the lockout by itself after 15 minutes', async () => {
    const u = await buildUser(t.db, { role: 'auditor' });
    for (let i = 0; i < 5; i++) await attempt(u.username, 'Wrong-password-123');
    expect((await attempt(u.username, u.password)).statusCode).toBe(423);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await attempt(u.username, u.password)).statusCode).toBe(200);
  });

  it('limits sign-in attempts per client address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'x', password: 'y' },
        remoteAddress: '10.200.0.7',
      });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.slice(20)).toEqual([429, 429, 429, 429, 429]);
  });
});

describe('sessions end when they must', () => {
  it('ends after 30 minutes idle', async () => {
    const u = await buildUser(t.db, { role: 'auditor' });
    const cookie = await login(t.app, u.username, u.password);
    t.clock.advance(29 * 60_000);
    expect((await me(cookie)).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    const res = await me(cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_EXPIRED');
  });

  it('ends after 12 hours even when active', async () => {
    const u = await buildUser(t.db, { role: 'auditor' });
    const cookie = await login(t.app, u.username, u.password);
    let steps = 0;
    while ((await me(cookie)).statusCode === 200 && steps < 40) {
      t.clock.advance(25 * 60_000);
      steps++;
    }
    // 28 × 25 min = 11 h 40 min still signed in; 29 × 25 min = 12 h 5 min is past the absolute limit.
    expect(steps).toBe(29);
  });

  it('ends at logout', async () => {
    const u = await buildUser(t.db, { role: 'auditor' });
    const cookie = await login(t.app, u.username, u.password);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('ends at once when the user is disabled', async () => {
    const u = await buildUser(t.db, { role: 'auditor' });
    const cookie = await login(t.app, u.username, u.password);
    const admin = await buildUser(t.db, { role: 'admin' });
    const adminCookie = await login(t.app, admin.username, admin.password);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/iam/users/${u.id}/disable`,
      headers: { cookie: adminCookie },
    });
    expect(res.statusCode).toBe(204);
    expect((await me(cookie)).statusCode).toBe(401);
    expect((await attempt(u.username, u.password)).json().code).toBe('LOGIN_FAILED');
  });

  it('lists and ends the user’s own sessions; another user’s session id is not found', async () => {
    const u = await buildUser(t.db, { role: 'auditor' });
    const first = await login(t.app, u.username, u.password);
    const second = await login(t.app, u.username, u.password);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/sessions',
      headers: { cookie: second },
    });
    const items = list.json().items as Array<{ id: string; current: boolean }>;
    expect(items).toHaveLength(2);
    const other = items.find((s) => !s.current)!;
    const stranger = await buildUser(t.db, { role: 'auditor' });
    const strangerCookie = await login(t.app, stranger.username, stranger.password);
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${other.id}`,
      headers: { cookie: strangerCookie },
    });
    expect(foreign.statusCode).toBe(404);
    const end = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${other.id}`,
      headers: { cookie: second },
    });
    expect(end.statusCode).toBe(204);
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(200);
  });
});

describe('passwords', () => {
  it('refuses weak new passwords with the rules broken', async () => {
    const u = await buildUser(t.db, { role: 'auditor' });
    const cookie = await login(t.app, u.username, u.password);
    for (const weak of ['short1A!', 'alllowercaseletters', 'Password123!', `${u.username}Aa1!xyz`]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { cookie },
        payload: { currentPassword: u.password, newPassword: weak },
      });
      expect(res.statusCode, weak).toBe(400);
      expect(res.json().code).toBe('PASSWORD_WEAK');
    }
  });

  it('changes the password and ends the other sessions', async () => {
    const u = await buildUser(t.db, { role: 'auditor' });
    const a = await login(t.app, u.username, u.password);
    const b = await login(t.app, u.username, u.password);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: a },
      payload: { currentPassword: u.password, newPassword: 'Huanghe-River-2022' },
    });
    expect(res.statusCode).toBe(204);
    expect((await me(a)).statusCode).toBe(200);
    expect((await me(b)).statusCode).toBe(401);
    expect((await attempt(u.username, 'Huanghe-River-2022')).statusCode).toBe(200);
  });

  it('forces an official with an expired password to change it first', async () => {
    const u = await buildUser(t.db, { role: 'command_office' });
    await t.database.query(`update users set password_changed_at = $1::timestamptz where id = $2`, [
      new Date(t.clock.now.getTime() - 181 * 86_400_000).toISOString(),
      u.id,
    ]);
    const cookie = await login(t.app, u.username, u.password);
    const meRes = await me(cookie);
    expect(meRes.json().user.passwordExpired).toBe(true);
    const blocked = await t.app.inject({ method: 'GET', url: '/api/v1/regions', headers: { cookie } });
    expect(blocked.json().code).toBe('PASSWORD_EXPIRED');
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie },
      payload: { currentPassword: u.password, newPassword: 'Songshan-Peak-1491m' },
    });
    expect(change.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/regions', headers: { cookie } })).statusCode,
    ).toBe(200);
  });
});

describe('second factor', () => {
  it('enrols TOTP, then asks for a code at sign-in, and accepts each code once', async () => {
    const u = await buildUser(t.db, { role: 'command_office' });
    const cookie = await login(t.app, u.username, u.password);
    const enrol = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enroll', headers: { cookie } });
    const { secret, otpauthUri } = enrol.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/confirm',
      headers: { cookie },
      payload: { code: totpCode(secret, t.clock.now.getTime()) },
    });
    expect(confirm.statusCode).toBe(200);

    t.clock.advance(31_000);
    const res = await attempt(u.username, u.password);
    expect(res.json()).toEqual({ status: 'mfa_required' });
    const pending = `sibao_session=${res.cookies.find((c) => c.name === 'sibao_session')!.value}`;
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/regions', headers: { cookie: pending } })).json()
        .code,
    ).toBe('MFA_REQUIRED');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      headers: { cookie: pending },
      payload: { code: '000000' },
    });
    expect(wrong.json().code).toBe('MFA_INVALID');
    const code = totpCode(secret, t.clock.now.getTime());
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      headers: { cookie: pending },
      payload: { code },
    });
    expect(ok.statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/regions', headers: { cookie: pending } }))
        .statusCode,
    ).toBe(200);

    const again = await attempt(u.username, u.password);
    const pending2 = `sibao_session=${again.cookies.find((c) => c.name === 'sibao_session')!.value}`;
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      headers: { cookie: pending2 },
      payload: { code },
    });
    expect(replay.json().code).toBe('MFA_INVALID');
  });
});

describe('API tokens for machine clients', () => {
  it('creates a scoped token that works until revoked, and never stores it in clear', async () => {
    const admin = await buildUser(t.db, { role: 'admin' });
    const cookie = await login(t.app, admin.username, admin.password);
    const labUser = await buildUser(t.db, { role: 'lab', kind: 'lab', regionCode: '410100', tier: 'city' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/iam/tokens',
      headers: { cookie },
      payload: {
        name: 'lab-1',
        orgUnitId: labUser.orgUnitId,
        role: 'lab',
        permissions: ['workforce.ingest_tests'],
        expiresInDays: 30,
      },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    const stored = await t.database.query<{ token_hash: string }>(
      'select token_hash from api_tokens where id = $1',
      [id],
    );
    expect(stored[0]!.token_hash).not.toContain(token);
    // a lab token cannot read what only officials read
    const denied = await t.app.inject({
      method: 'GET',
      url: '/api/v1/regions',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(denied.statusCode).toBe(403);
    const tooMuch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/iam/tokens',
      headers: { cookie },
      payload: {
        name: 'lab-2',
        orgUnitId: labUser.orgUnitId,
        role: 'lab',
        permissions: ['iam.manage_users'],
        expiresInDays: 30,
      },
    });
    expect(tooMuch.statusCode).toBe(400);
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/iam/tokens/${id}`,
      headers: { cookie },
    });
    expect(revoke.statusCode).toBe(204);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/regions',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.json().code).toBe('TOKEN_INVALID');
  });

  it('refuses an expired token', async () => {
    const admin = await buildUser(t.db, { role: 'admin' });
    const cookie = await login(t.app, admin.username, admin.password);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/iam/tokens',
      headers: { cookie },
      payload: {
        name: 'reader',
        orgUnitId: admin.orgUnitId,
        role: 'admin',
        permissions: ['regions.read'],
        expiresInDays: 1,
      },
    });
    const { token } = created.json();
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/regions',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(200);
    t.clock.advance(2 * 86_400_000);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/regions',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe('row scope', () => {
  it("a county administrator cannot see or touch another county's users (404, like a missing id)", async () => {
    const countyAdmin = await buildUser(t.db, {
      role: 'admin',
      kind: 'platform',
      regionCode: '410105',
      tier: 'county',
    });
    const inCounty = await buildUser(t.db, { role: 'auditor', regionCode: '410105', tier: 'county' });
    const elsewhere = await buildUser(t.db, { role: 'auditor', regionCode: '410102', tier: 'county' });
    const cookie = await login(t.app, countyAdmin.username, countyAdmin.password);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/iam/users?limit=200',
      headers: { cookie },
    });
    const names = (list.json().items as Array<{ username: string }>).map((u) => u.username);
    expect(names).toContain(inCounty.username);
    expect(names).not.toContain(elsewhere.username);
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/v1/iam/users/${elsewhere.id}/disable`,
      headers: { cookie },
    });
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/iam/users/0190a0a0-0000-7000-8000-000000000000/disable',
      headers: { cookie },
    });
    expect(foreign.statusCode).toBe(404);
    expect({ ...foreign.json(), requestId: 0, instance: 0 }).toEqual({
      ...missing.json(),
      requestId: 0,
      instance: 0,
    });
    expect((await attempt(elsewhere.username, elsewhere.password)).statusCode).toBe(200);
  });
});
