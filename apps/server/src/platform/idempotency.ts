import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from './db';
import { AppError } from './errors';
import { idempotencyKeys } from './platform.tables';

export function requestHash(...parts: Array<string | Uint8Array>): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

/**
 * Runs `work` once per (scope, key): a repeat with the same request answers the first answer and writes
 * nothing; the same key with a different request is IDEMPOTENCY_CONFLICT. Call inside the transaction that
 * does the work, so the key and the work commit together. Concurrent duplicates wait on the key's row lock.
 */
export async function once<T>(
  tx: Db,
  scope: string,
  key: string,
  hash: string,
  work: () => Promise<T>,
): Promise<{ response: T; replayed: boolean }> {
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ scope, key, requestHash: hash, response: {} })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length === 0) {
    const [row] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
    if (!row || row.requestHash !== hash) throw new AppError('IDEMPOTENCY_CONFLICT');
    return { response: row.response as T, replayed: true };
  }
  const response = await work();
  await tx
    .update(idempotencyKeys)
    .set({ response: response as object })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  return { response, replayed: false };
}
