import { validateUscc } from '@sibao/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, seedDemoProvince } from '../src/demo/demo.generate';
import { prepareDatabase } from '../src/platform/bootstrap';
import { createTestDatabase, type TestDatabase } from './db';

let a: TestDatabase;
let result: DemoResult;
beforeAll(async () => {
  a = await createTestDatabase();
  await prepareDatabase(a);
  result = await seedDemoProvince(a.db, { size: 's', seed: 7 });
});
afterAll(async () => a.destroy());

describe('demo province generator', () => {
  it('creates one account per role and tier with random policy-conforming passwords', () => {
    const roles = new Set(result.accounts.map((x) => x.role));
    expect([...roles].sort()).toEqual([
      'admin',
      'auditor',
      'checkpoint',
      'command_office',
      'enterprise',
      'epidemic_office',
      'lab',
      'local_government',
      'logistics',
      'sector_department',
    ]);
    const commandTiers = result.accounts
      .filter((x) => x.role === 'command_office')
      .map((x) => x.tier)
      .sort();
    expect(commandTiers).toEqual(['city', 'county', 'province']);
    const passwords = result.accounts.map((x) => x.password);
    expect(new Set(passwords).size).toBe(passwords.length);
    for (const p of passwords) expect(p.length).toBeGreaterThanOrEqual(12);
    expect(result.labToken.token).toMatch(/^sbt_/);
  });

  it('creates enterprises with valid, unique USCCs in real counties, skewed towards Zhengzhou', async () => {
    const rows = await a.query<{ uscc: string; region_code: string; annual_value_fen: number; kind: string }>(
      'select uscc, region_code, annual_value_fen, kind from enterprises',
    );
    expect(rows).toHaveLength(1500);
    for (const r of rows) expect(validateUscc(r.uscc).ok, r.uscc).toBe(true);
    expect(new Set(rows.map((r) => r.uscc)).size).toBe(rows.length);
    const regions = new Set((await a.query<{ code: string }>('select code from regions')).map((r) => r.code));
    for (const r of rows) expect(regions.has(r.region_code)).toBe(true);
    const zhengzhou = rows.filter((r) => r.region_code.startsWith('4101')).length;
    expect(zhengzhou / rows.length).toBeGreaterThan(0.15);
    const values = rows
      .filter((r) => r.kind === 'enterprise')
      .map((r) => Number(r.annual_value_fen))
      .sort((x, y) => x - y);
    const median = values[Math.floor(values.length / 2)]!;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean).toBeGreaterThan(median * 1.5); // a long right tail, like real output values
    expect(rows.filter((r) => r.kind === 'park').length).toBe(4);
  });

  it('gives every county sector a statistical total above its enterprises’ sum (coverage < 100 %)', async () => {
    const rows = await a.query<{ ratio: number }>(`
      select (select coalesce(sum(e.annual_value_fen), 0) from enterprises e
              where e.region_code = t.region_code and e.sectors[1] = t.sector and e.kind <> 'park')::float8 / t.total_fen as ratio
      from sector_output_totals t`);
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) expect(r.ratio).toBeLessThan(1);
  });

  it('is deterministic for a seed (except passwords) and refuses to seed twice', async () => {
    const b = await createTestDatabase();
    try {
      await prepareDatabase(b);
      await seedDemoProvince(b.db, { size: 's', seed: 7 });
      const q = 'select uscc, name, region_code, annual_value_fen from enterprises order by uscc';
      expect(await b.query(q)).toEqual(await a.query(q));
    } finally {
      await b.destroy();
    }
    await expect(seedDemoProvince(a.db, { size: 's', seed: 7 })).rejects.toThrow(/empty database/);
  });
});
