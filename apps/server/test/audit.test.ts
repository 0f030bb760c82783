import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropExpiredAuditPartitions,
  ensureAuditPartitions,
  verifyAuditChain,
  writeAudit,
} from '../src/platform/audit';
import { createTestDatabase, type TestDatabase } from './db';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
  await ensureAuditPartitions(d.db);
});
afterAll(async () => d.destroy());

const actor = { userId: 'u1', tokenId: null, username: 'tester', orgUnitId: 'o1', regionCode: '410105' };

async function append(n: number) {
  for (let i = 0; i < n; i++) {
    await d.db.transaction((tx) =>
      writeAudit(
        tx,
        { actor, requestId: `r${i}` },
        { action: 'test.thing', objectType: 'thing', objectId: String(i), summary: { i } },
      ),
    );
  }
}

describe('audit log', () => {
  it('chains rows so that verification passes on an untouched log', async () => {
    await append(5);
    const result = await verifyAuditChain(d.db);
    expect(result).toMatchObject({ ok: true, firstBroken: null });
    expect(result.checked).toBeGreaterThanOrEqual(5);
  });

  it('writes nothing when the business transaction rolls back', async () => {
    const before = await d.query<{ n: number }>('select count(*)::int as n from audit_log');
    await expect(
      d.db.transaction(async (tx) => {
        await writeAudit(tx, { actor }, { action: 'test.rollback', objectType: 'thing' });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const after = await d.query<{ n: number }>('select count(*)::int as n from audit_log');
    expect(after[0]!.n).toBe(before[0]!.n);
    expect((await verifyAuditChain(d.db)).ok).toBe(true);
  });

  it('refuses UPDATE and DELETE from the application', async () => {
    await expect(d.exec(`update audit_log set action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(d.exec('delete from audit_log')).rejects.toThrow(/append-only/);
  });

  it('detects a row edited behind the application’s back (triggers bypassed by a superuser)', async () => {
    await append(3);
    const [victim] = await d.query<{ seq: number }>(
      'select seq from audit_log order by seq desc offset 1 limit 1',
    );
    await d.exec(`begin; set local session_replication_role = replica;
      update audit_log set summary = '{"i": 999}' where seq = ${victim!.seq}; commit;`);
    const result = await verifyAuditChain(d.db);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({ seq: Number(victim!.seq), reason: 'hash_mismatch' });
  });

  it('detects a deleted row', async () => {
    const fresh = await createTestDatabase();
    try {
      await ensureAuditPartitions(fresh.db);
      for (let i = 0; i < 4; i++)
        await fresh.db.transaction((tx) =>
          writeAudit(tx, { actor }, { action: 'a', objectType: 'o', summary: { i } }),
        );
      const seqs = await fresh.query<{ seq: number }>('select seq from audit_log order by seq');
      await fresh.exec(
        `begin; set local session_replication_role = replica; delete from audit_log where seq = ${seqs[1]!.seq}; commit;`,
      );
      const result = await verifyAuditChain(fresh.db);
      expect(result).toMatchObject({
        ok: false,
        firstBroken: { seq: Number(seqs[2]!.seq), reason: 'broken_link' },
      });
    } finally {
      await fresh.destroy();
    }
  });

  it('keeps rows in monthly partitions and drops only months past retention (never under 180 days)', async () => {
    const fresh = await createTestDatabase();
    try {
      const now = new Date('2026-11-15T00:00:00Z');
      await fresh.db.execute(sql`select audit_log_ensure_partition('2026-01-01'::date)`);
      await fresh.db.execute(sql`select audit_log_ensure_partition('2026-06-01'::date)`);
      await ensureAuditPartitions(fresh.db, now);
      const dropped = await dropExpiredAuditPartitions(fresh.db, 30, now);
      expect(dropped).toEqual(['audit_log_202601']);
      const left = await fresh.query<{ name: string }>(
        `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'audit_log' order by 1`,
      );
      expect(left.map((r) => r.name)).toEqual([
        'audit_log_202606',
        'audit_log_202611',
        'audit_log_202612',
        'audit_log_202701',
        'audit_log_default',
      ]);
    } finally {
      await fresh.destroy();
    }
  });
});
