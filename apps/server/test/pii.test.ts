import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { regionCondition } from '../src/platform/access';
import { prepareDatabase } from '../src/platform/bootstrap';
import { createPiiCipher, deriveKeys, maskIdNumber } from '../src/platform/crypto';
import { rows } from '../src/platform/db';
import type { RevealableField } from '../src/platform/pii';
import { buildUser, login, testConfig } from './app';
import { createTestDatabase, type TestDatabase } from './db';

// A fixture table shaped like the workforce roster to come: the ID number is stored encrypted.
const fixture: RevealableField = {
  objectType: 'fixture_person',
  field: 'idNumber',
  async findEncrypted(db, actor, id) {
    const [row] = await rows<{ id_number_enc: string }>(
      db,
      sql`select id_number_enc from pii_fixture where id = ${id} and ${regionCondition(actor, sql`region_code`)}`,
    );
    return row?.id_number_enc ?? null;
  },
};

let d: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>['app'];
const config = testConfig();
const ID = '410105199003071236';
beforeAll(async () => {
  d = await createTestDatabase();
  await prepareDatabase(d);
  const keys = deriveKeys(config.secret);
  const cipher = createPiiCipher({ key: keys.piiKey, hashKey: keys.hashKey, keyId: keys.piiKeyId });
  await d.exec(
    `create table pii_fixture (id text primary key, region_code text not null, id_number_enc text not null, id_number_masked text not null)`,
  );
  await d.query('insert into pii_fixture values ($1, $2, $3, $4)', [
    'p1',
    '410105',
    cipher.encrypt(ID),
    maskIdNumber(ID),
  ]);
  app = (await buildApp({ config, database: d, logger: false, revealable: [fixture] })).app;
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await d.destroy();
});

const reveal = (cookie: string, reason: string, objectId = 'p1') =>
  app.inject({
    method: 'POST',
    url: '/api/v1/pii/reveal',
    headers: { cookie },
    payload: { objectType: 'fixture_person', objectId, field: 'idNumber', reason },
  });

describe('seeing a full personal-data value', () => {
  it('stores the value encrypted and masked, never in clear', async () => {
    const [row] = await d.query<{ id_number_enc: string; id_number_masked: string }>(
      'select * from pii_fixture',
    );
    expect(row!.id_number_enc).not.toContain(ID);
    expect(row!.id_number_masked).toBe('4101**********1236');
  });

  it('needs the permission', async () => {
    const u = await buildUser(d.db, { role: 'command_office', regionCode: '410105', tier: 'county' });
    expect((await reveal(await login(app, u.username, u.password), '流调需要核实身份')).statusCode).toBe(403);
  });

  it('needs a reason, and answers another county’s person like a missing one', async () => {
    const elsewhere = await buildUser(d.db, {
      role: 'epidemic_office',
      regionCode: '410102',
      tier: 'county',
    });
    const cookie = await login(app, elsewhere.username, elsewhere.password);
    expect((await reveal(cookie, '')).json().code).toBe('PII_REASON_REQUIRED');
    expect((await reveal(cookie, '流调需要核实身份')).statusCode).toBe(404);
    expect((await reveal(cookie, '流调需要核实身份', 'nobody')).statusCode).toBe(404);
  });

  it('shows the value to an epidemic office of the county and audits who, why and what field — not the value', async () => {
    const u = await buildUser(d.db, { role: 'epidemic_office', regionCode: '410105', tier: 'county' });
    const res = await reveal(await login(app, u.username, u.password), '流调需要核实身份');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ value: ID });
    expect(res.headers['cache-control']).toBe('no-store');
    const audit = await d.query<{ actor_name: string; summary: { field: string; reason: string } }>(
      `select actor_name, summary from audit_log where action = 'pii.revealed'`,
    );
    expect(audit).toEqual([
      { actor_name: u.username, summary: { field: 'idNumber', reason: '流调需要核实身份' } },
    ]);
    expect(JSON.stringify(audit)).not.toContain(ID);
  });
});
