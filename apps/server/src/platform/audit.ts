import { createHash } from 'node:crypto';
import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Actor } from './access';
import { auditLog } from './audit.schema';
import type { Db } from './db';
import { auditHead } from './platform.tables';

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId?: string | null;
  /** Before/after summary: names and states, never personal data (mask it first). */
  summary?: Record<string, unknown>;
}

export interface AuditContext {
  actor: Pick<Actor, 'userId' | 'tokenId' | 'username' | 'orgUnitId' | 'regionCode'> | null;
  requestId?: string | null;
  ip?: string | null;
}

const GENESIS = '0'.repeat(64);
const CHAIN_LOCK = 4242002;

type AuditRow = typeof auditLog.$inferSelect;

/** Canonical JSON (sorted keys) so the hash does not depend on how a driver orders jsonb keys. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function hashAuditRow(row: Omit<AuditRow, 'hash'>): string {
  const { prevHash, ...rest } = row;
  const body = canonical({ ...rest, at: new Date(rest.at).toISOString() });
  return createHash('sha256').update(prevHash).update('|').update(body).digest('hex');
}

/**
 * Appends one audit row in the caller's transaction, chained to the previous row's hash. The chain is
 * serialised by a transaction-scoped advisory lock, so the row commits or vanishes with the change.
 */
export async function writeAudit(tx: Db, context: AuditContext, entry: AuditEntry): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1));
  const seqRows = (await tx.execute(sql`select nextval('audit_seq')::bigint as seq`)) as unknown as {
    rows: Array<{ seq: number | string }>;
  };
  const seq = Number(seqRows.rows[0]!.seq);
  const row: Omit<AuditRow, 'hash'> = {
    seq,
    at: new Date().toISOString(),
    actorId: context.actor?.userId ?? context.actor?.tokenId ?? null,
    actorName: context.actor?.username ?? null,
    orgUnitId: context.actor?.orgUnitId ?? null,
    regionCode: context.actor?.regionCode ?? null,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId ?? null,
    summary: entry.summary ?? {},
    requestId: context.requestId ?? null,
    ip: context.ip ?? null,
    prevHash: head?.hash ?? GENESIS,
  };
  const hash = hashAuditRow(row);
  await tx.insert(auditLog).values({ ...row, hash });
  await tx
    .insert(auditHead)
    .values({ id: 1, seq, hash })
    .onConflictDoUpdate({ target: auditHead.id, set: { seq, hash } });
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first row whose hash or link does not match, or a gap in the sequence (a deleted row). */
  firstBroken: { seq: number; reason: 'hash_mismatch' | 'broken_link' | 'head_mismatch' } | null;
}

/**
 * Walks the chain in sequence order and recomputes every hash. An edited row breaks its own hash; a deleted
 * row breaks the next row's link; a deleted tail no longer matches the head. Retention drops whole months
 * from the start, so the first row kept may link to a hash we no longer have: the walk starts from it.
 */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<AuditVerification> {
  let checked = 0;
  let prev: string | null = null;
  let lastSeq = -1;
  for (;;) {
    const batch = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, lastSeq))
      .orderBy(asc(auditLog.seq))
      .limit(batchSize);
    for (const row of batch) {
      const { hash, ...rest } = row;
      if (prev !== null && row.prevHash !== prev) {
        return { ok: false, checked, firstBroken: { seq: row.seq, reason: 'broken_link' } };
      }
      if (hashAuditRow(rest) !== hash)
        return { ok: false, checked, firstBroken: { seq: row.seq, reason: 'hash_mismatch' } };
      prev = hash;
      lastSeq = row.seq;
      checked++;
    }
    if (batch.length < batchSize) break;
  }
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  if (head && (head.hash !== prev || head.seq !== lastSeq)) {
    return { ok: false, checked, firstBroken: { seq: head.seq, reason: 'head_mismatch' } };
  }
  return { ok: true, checked, firstBroken: null };
}

/** Makes sure this month's and the next two months' partitions exist before rows arrive for them. */
export async function ensureAuditPartitions(db: Db, now = new Date()): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
    await db.execute(sql`select audit_log_ensure_partition(${month.toISOString().slice(0, 10)}::date)`);
  }
}

/**
 * Drops whole monthly partitions older than the retention period (never less than 180 days).
 * Returns the names dropped. Dropping a partition is not an UPDATE/DELETE, so the append-only trigger allows it.
 */
export async function dropExpiredAuditPartitions(
  db: Db,
  retentionDays: number,
  now = new Date(),
): Promise<string[]> {
  const days = Math.max(180, retentionDays);
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const result = (await db.execute(sql`
    select c.relname as name
    from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname = 'audit_log' and c.relname ~ '^audit_log_[0-9]{6}$'`)) as unknown as {
    rows: Array<{ name: string }>;
  };
  const dropped: string[] = [];
  for (const { name } of result.rows) {
    const y = Number(name.slice(10, 14));
    const m = Number(name.slice(14, 16));
    const end = new Date(Date.UTC(y, m, 1)); // first day after the partition's month
    if (end <= cutoff) {
      await db.execute(sql.raw(`drop table "${name}"`));
      dropped.push(name);
    }
  }
  return dropped;
}
