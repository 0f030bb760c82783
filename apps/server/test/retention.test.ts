import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_RETENTION, purgeExpired, tableRetention } from '../src/platform/retention';
import { createTestDatabase, type TestDatabase } from './db';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
  // A fixture table shaped like the personal data later modules will keep (employees' test results).
  await d.exec(`create table purge_fixture (id int primary key, tested_at timestamptz not null, name text, id_number_enc text, result text);
    insert into purge_fixture values
      (1, now() - interval '40 days', '张三', 'v1.k.a.b.c', 'negative'),
      (2, now() - interval '31 days', '李四', 'v1.k.d.e.f', 'negative'),
      (3, now() - interval '2 days', '王五', 'v1.k.g.h.i', 'negative');
    create table purge_delete_fixture (id int primary key, at timestamptz not null);
    insert into purge_delete_fixture values (1, now() - interval '10 days'), (2, now());`);
});
afterAll(async () => d.destroy());

describe('purge of personal data past its retention', () => {
  const anonymise = tableRetention({
    name: 'fixture-tests',
    purpose: 'test results kept 30 days',
    table: 'purge_fixture',
    timeColumn: 'tested_at',
    days: 30,
    action: { anonymise: { name: 'null', id_number_enc: 'null' } },
  });
  const remove = tableRetention({
    name: 'fixture-delete',
    purpose: 'x',
    table: 'purge_delete_fixture',
    timeColumn: 'at',
    days: 7,
    action: 'delete',
  });

  it('anonymises rows past retention, keeps the aggregate fields and the recent rows', async () => {
    const report = await purgeExpired(d.db, [anonymise, remove]);
    expect(report.map((r) => [r.rule, r.changed])).toEqual([
      ['fixture-tests', 2],
      ['fixture-delete', 1],
    ]);
    const rows = await d.query<{
      id: number;
      name: string | null;
      id_number_enc: string | null;
      result: string;
    }>('select * from purge_fixture order by id');
    expect(rows.map((r) => [r.id, r.name, r.id_number_enc, r.result])).toEqual([
      [1, null, null, 'negative'],
      [2, null, null, 'negative'],
      [3, '王五', 'v1.k.g.h.i', 'negative'],
    ]);
    expect(await d.query('select id from purge_delete_fixture')).toEqual([{ id: 2 }]);
  });

  it('reports nothing to purge on a second run', async () => {
    const report = await purgeExpired(d.db, [anonymise, remove]);
    expect(report.every((r) => r.changed === 0)).toBe(true);
  });

  it('purges ended sessions of the platform after 30 days', async () => {
    await d.exec(`insert into org_units (id, kind, name, region_code, tier) values ('0190a0a0-0000-7000-8000-000000000001', 'platform', 'p', '410000', 'province');
      insert into users (id, username, display_name, org_unit_id, role, password_hash) values ('0190a0a0-0000-7000-8000-000000000002', 'u', 'u', '0190a0a0-0000-7000-8000-000000000001', 'admin', 'x');
      insert into sessions (id, token_hash, user_id, mfa_verified, last_seen_at, expires_at, ip) values
        ('0190a0a0-0000-7000-8000-000000000003', 'h1', '0190a0a0-0000-7000-8000-000000000002', true, now() - interval '45 days', now() - interval '44 days', '10.0.0.1'),
        ('0190a0a0-0000-7000-8000-000000000004', 'h2', '0190a0a0-0000-7000-8000-000000000002', true, now(), now() + interval '1 hour', '10.0.0.2');`);
    const report = await purgeExpired(d.db, PLATFORM_RETENTION);
    expect(report.find((r) => r.rule === 'sessions')?.changed).toBe(1);
    expect(await d.query('select token_hash from sessions')).toEqual([{ token_hash: 'h2' }]);
  });

  it('refuses identifiers that are not plain names', () => {
    expect(() =>
      tableRetention({
        name: 'x',
        purpose: 'x',
        table: 'users; drop table users',
        timeColumn: 'at',
        days: 1,
        action: 'delete',
      }),
    ).toThrow();
  });
});
