import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnterprise, buildUser, createTestApp, login, type TestApp } from './app';

let t: TestApp;
let enterpriseId: string;
beforeAll(async () => {
  t = await createTestApp();
  enterpriseId = (await buildEnterprise(t.db, { regionCode: '410105', sectors: ['industry'] })).id;
  const gov = await buildUser(t.db, {
    role: 'local_government',
    kind: 'local_government',
    regionCode: '410105',
    tier: 'county',
  });
  const cookie = await login(t.app, gov.username, gov.password);
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/enterprises/${enterpriseId}/liaison`,
    headers: { cookie },
    payload: { name: '王建国', phone: '13812348000', orgUnitName: '金水区人民政府' },
  });
  expect(res.statusCode).toBeLessThan(300);
});
afterAll(async () => t.close());

const reveal = (cookie: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/pii/reveal',
    headers: { cookie },
    payload: {
      objectType: 'enterprise_liaison',
      objectId: enterpriseId,
      field: 'phone',
      reason: '紧急联系包保干部',
    },
  });

describe("a liaison's phone", () => {
  it('is stored encrypted and answered masked', async () => {
    const [row] = await t.database.query<{ phone_encrypted: string }>(
      'select phone_encrypted from enterprise_liaisons',
    );
    expect(row!.phone_encrypted).not.toContain('13812348000');
    const gov = await buildUser(t.db, { role: 'command_office', regionCode: '410105', tier: 'county' });
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/enterprises/${enterpriseId}/liaison`,
      headers: { cookie: await login(t.app, gov.username, gov.password) },
    });
    expect(JSON.stringify(res.json())).toContain('138****8000');
    expect(res.body).not.toContain('13812348000');
  });

  it('is revealed in full to the county epidemic office with a reason, and to nobody outside the county', async () => {
    const inCounty = await buildUser(t.db, { role: 'epidemic_office', regionCode: '410105', tier: 'county' });
    const ok = await reveal(await login(t.app, inCounty.username, inCounty.password));
    expect(ok.json()).toEqual({ value: '13812348000' });
    const outside = await buildUser(t.db, { role: 'epidemic_office', regionCode: '410102', tier: 'county' });
    expect((await reveal(await login(t.app, outside.username, outside.password))).statusCode).toBe(404);
    const audit = await t.database.query<{ object_id: string }>(
      `select object_id from audit_log where action = 'pii.revealed'`,
    );
    expect(audit).toEqual([{ object_id: enterpriseId }]);
  });
});
