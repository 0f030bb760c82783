import { computeUsccCheckChar } from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows as dbRows } from '../src/platform/db';
import { buildEnterprise, buildUser, createTestApp, login, type TestApp } from './app';

let t: TestApp;
let jinshuiGov: string; // 金水区人民政府 (local government): registers, links, issues codes
let erqiGov: string;

function uscc(seq: number, region = '410105') {
  const first17 = `91${region}${String(seq).padStart(9, '0')}`;
  return first17 + computeUsccCheckChar(first17);
}

const post = (cookie: string | null, url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, payload, ...(cookie ? { headers: { cookie } } : {}) });

const NEW = {
  uscc: uscc(100),
  name: '金水新材料有限公司',
  sectors: ['industry'],
  regionCode: '410105',
  headcount: 300,
  annualValueFen: 12_345_600,
};

beforeAll(async () => {
  t = await createTestApp();
  const j = await buildUser(t.db, {
    role: 'local_government',
    kind: 'local_government',
    regionCode: '410105',
    tier: 'county',
  });
  jinshuiGov = await login(t.app, j.username, j.password);
  const e = await buildUser(t.db, {
    role: 'local_government',
    kind: 'local_government',
    regionCode: '410103',
    tier: 'county',
  });
  erqiGov = await login(t.app, e.username, e.password);
});
afterAll(async () => t.close());

describe('POST /enterprises', () => {
  it('registers an enterprise with a valid, new USCC', async () => {
    const res = await post(jinshuiGov, '/api/v1/enterprises', NEW);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ uscc: NEW.uscc, kind: 'enterprise', annualValueFen: 12_345_600 });
  });

  it('refuses a USCC with a wrong check character, and a duplicate one', async () => {
    const bad = await post(jinshuiGov, '/api/v1/enterprises', {
      ...NEW,
      uscc: `${NEW.uscc.slice(0, 17)}${NEW.uscc.endsWith('0') ? '1' : '0'}`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: 'body.uscc', code: 'USCC_CHECK_CHAR' });
    const dup = await post(jinshuiGov, '/api/v1/enterprises', { ...NEW, name: '另一家公司' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('ENTERPRISE_USCC_EXISTS');
  });

  it('refuses a region outside the official’s own, and a non-county region', async () => {
    const out = await post(erqiGov, '/api/v1/enterprises', { ...NEW, uscc: uscc(101) });
    expect(out.statusCode).toBe(403);
    const city = await post(jinshuiGov, '/api/v1/enterprises', {
      ...NEW,
      uscc: uscc(102),
      regionCode: '410100',
    });
    expect(city.statusCode).toBe(400);
    expect(city.json().code).toBe('ENTERPRISE_REGION_NOT_COUNTY');
  });
});

describe('links and liaison', () => {
  it('links an upstream enterprise once; another county cannot touch it', async () => {
    const a = await buildEnterprise(t.db, { uscc: uscc(110), regionCode: '410105' });
    const b = await buildEnterprise(t.db, { uscc: uscc(111, '410305'), regionCode: '410305' });
    const res = await post(jinshuiGov, `/api/v1/enterprises/${a.id}/links`, {
      linkedEnterpriseId: b.id,
      direction: 'upstream',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().linkedEnterprise.id).toBe(b.id);
    const again = await post(jinshuiGov, `/api/v1/enterprises/${a.id}/links`, {
      linkedEnterpriseId: b.id,
      direction: 'upstream',
    });
    expect(again.json().code).toBe('ENTERPRISE_LINK_EXISTS');
    const self = await post(jinshuiGov, `/api/v1/enterprises/${a.id}/links`, {
      linkedEnterpriseId: a.id,
      direction: 'upstream',
    });
    expect(self.json().code).toBe('ENTERPRISE_LINK_SELF');
    const other = await post(erqiGov, `/api/v1/enterprises/${a.id}/links`, {
      linkedEnterpriseId: b.id,
      direction: 'downstream',
    });
    expect(other.statusCode).toBe(404);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/enterprises/${a.id}/links`,
      headers: { cookie: jinshuiGov },
    });
    expect(list.json().items).toHaveLength(1);
  });

  it('stores the liaison’s phone encrypted and answers it masked', async () => {
    const a = await buildEnterprise(t.db, { uscc: uscc(120), regionCode: '410105' });
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/enterprises/${a.id}/liaison`,
      headers: { cookie: jinshuiGov },
      payload: { name: '张包保', phone: '13812348000', orgUnitName: '金水区人民政府' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().liaison).toMatchObject({ name: '张包保', phoneMasked: '138****8000' });
    expect(res.body).not.toContain('13812348000');
    const rows = await dbRows<{ phone_encrypted: string }>(
      t.db,
      sql`select phone_encrypted from enterprise_liaisons`,
    );
    expect(rows[0]!.phone_encrypted).not.toContain('13812348000');
  });
});

describe('claiming an account with an activation code', () => {
  it('issues a code, claims once with a policy-conforming password, and the new user can sign in', async () => {
    const a = await buildEnterprise(t.db, {
      uscc: uscc(130),
      regionCode: '410105',
      name: '金水认领测试有限公司',
    });
    const issued = await post(jinshuiGov, `/api/v1/enterprises/${a.id}/activation-codes`, {});
    expect(issued.statusCode).toBe(201);
    const { code } = issued.json();
    const weak = await post(null, '/api/v1/public/enterprises/claim', {
      uscc: a.uscc,
      code,
      username: 'claimer1',
      displayName: '认领人',
      password: 'password123',
    });
    expect(weak.json().code).toBe('PASSWORD_WEAK');
    const wrong = await post(null, '/api/v1/public/enterprises/claim', {
      uscc: a.uscc,
      code: 'AAAA-BBBB-CCCC',
      username: 'claimer1',
      displayName: '认领人',
      password: 'Qz7!mRt#4vLp9x',
    });
    expect(wrong.json().code).toBe('ACTIVATION_CODE_INVALID');
    const ok = await post(null, '/api/v1/public/enterprises/claim', {
      uscc: a.uscc,
      code,
      username: 'claimer1',
      displayName: '认领人',
      password: 'Qz7!mRt#4vLp9x',
    });
    expect(ok.statusCode).toBe(201);
    const cookie = await login(t.app, 'claimer1', 'Qz7!mRt#4vLp9x');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ user: { role: 'enterprise' }, orgUnit: { enterpriseId: a.id } });
    const reused = await post(null, '/api/v1/public/enterprises/claim', {
      uscc: a.uscc,
      code,
      username: 'claimer2',
      displayName: '认领人',
      password: 'Qz7!mRt#4vLp9x',
    });
    expect(reused.json().code).toBe('ACTIVATION_CODE_INVALID');
    const rows = await dbRows<{ code_hash: string }>(
      t.db,
      sql`select code_hash from enterprise_activation_codes`,
    );
    expect(rows.map((r) => r.code_hash).join()).not.toContain(code);
  });

  it('an expired code does not work', async () => {
    const a = await buildEnterprise(t.db, { uscc: uscc(131), regionCode: '410105' });
    const { code } = (
      await post(jinshuiGov, `/api/v1/enterprises/${a.id}/activation-codes`, { validDays: 1 })
    ).json();
    t.clock.advance(2 * 86_400_000);
    const res = await post(null, '/api/v1/public/enterprises/claim', {
      uscc: a.uscc,
      code,
      username: 'claimer3',
      displayName: '认领人',
      password: 'Qz7!mRt#4vLp9x',
    });
    expect(res.json().code).toBe('ACTIVATION_CODE_INVALID');
  });
});

describe('self-registration confirmed by the county', () => {
  it('registers, is confirmed by its county (not another), and then signs in', async () => {
    const reg = await post(null, '/api/v1/public/enterprises/registrations', {
      enterprise: { ...NEW, uscc: uscc(140), name: '金水自助注册有限公司' },
      username: 'selfreg1',
      displayName: '注册人',
      password: 'Qz7!mRt#4vLp9x',
    });
    expect(reg.statusCode).toBe(201);
    // Sessions of the officials may have expired after the clock moved: sign in afresh.
    const j = await buildUser(t.db, {
      role: 'local_government',
      kind: 'local_government',
      regionCode: '410105',
      tier: 'county',
    });
    const jc = await login(t.app, j.username, j.password);
    const e = await buildUser(t.db, {
      role: 'local_government',
      kind: 'local_government',
      regionCode: '410103',
      tier: 'county',
    });
    const ec = await login(t.app, e.username, e.password);
    const foreign = await post(ec, `/api/v1/enterprises/registrations/${reg.json().id}/decision`, {
      decision: 'confirm',
    });
    expect(foreign.statusCode).toBe(404);
    const pending = await t.app.inject({
      method: 'GET',
      url: '/api/v1/enterprises/registrations?status=pending',
      headers: { cookie: jc },
    });
    expect(pending.json().items.map((r: { id: string }) => r.id)).toContain(reg.json().id);
    await expect(login(t.app, 'selfreg1', 'Qz7!mRt#4vLp9x')).rejects.toThrow();
    const ok = await post(jc, `/api/v1/enterprises/registrations/${reg.json().id}/decision`, {
      decision: 'confirm',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed', enterpriseId: expect.any(String) });
    const twice = await post(jc, `/api/v1/enterprises/registrations/${reg.json().id}/decision`, {
      decision: 'confirm',
    });
    expect(twice.json().code).toBe('REGISTRATION_NOT_PENDING');
    await login(t.app, 'selfreg1', 'Qz7!mRt#4vLp9x');
  });
});
