import { type JobProgress, JobProgressSchema } from '@sibao/contracts';
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Actor, actorOf } from './access';
import type { AppContext } from './context';
import type { Db } from './db';
import { AppError } from './errors';
import { newId } from './ids';
import { jobProgress } from './platform.tables';

/**
 * Progress of long work (imports, exports, matching) that the web shows as a progress bar. A route creates
 * the row in the transaction that enqueues the job and answers its id; the job reports on it; the web polls
 * `GET /api/v1/jobs/:id`. Status only moves forward: queued → running → succeeded | failed.
 */

export interface CreateProgressInput {
  /** What the work is, e.g. `whitelist.import-applications`. */
  kind: string;
  total?: number | null;
  /** The user who started the work: the one who may read it. */
  ownerUserId?: string | null;
  /** The org unit it was started for: an API token of that unit may read it. */
  orgUnitId?: string | null;
  regionCode?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Creates a `queued` progress row (in the caller's transaction) and returns its id. */
export async function createProgress(tx: Db, input: CreateProgressInput): Promise<string> {
  const id = newId();
  await tx.insert(jobProgress).values({
    id,
    kind: input.kind,
    status: 'queued',
    total: input.total ?? null,
    done: 0,
    ownerUserId: input.ownerUserId ?? null,
    orgUnitId: input.orgUnitId ?? null,
    regionCode: input.regionCode ?? null,
  });
  return id;
}

/**
 * Records how far the work has got and marks it `running`. `total` and `message` are kept when omitted.
 * A finished row is left as it is (a late report never reopens it). Throws JOB_NOT_FOUND for an unknown id.
 */
export async function reportProgress(
  db: Db,
  id: string,
  update: { done: number; total?: number | null; message?: string | null },
): Promise<void> {
  const updated = await db
    .update(jobProgress)
    .set({
      status: 'running',
      done: update.done,
      ...(update.total !== undefined ? { total: update.total } : {}),
      ...(update.message !== undefined ? { message: update.message } : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobProgress.id, id), inArray(jobProgress.status, ['queued', 'running'])))
    .returning({ id: jobProgress.id });
  if (updated.length === 0) await assertProgressExists(db, id);
}

/**
 * Finishes the work: `succeeded` (the bar fills: done = total when a total is known) or `failed` (done stays
 * where it stopped). Finishing twice keeps the first outcome. Throws JOB_NOT_FOUND for an unknown id.
 */
export async function finishProgress(
  db: Db,
  id: string,
  outcome: { status: 'succeeded' | 'failed'; result?: unknown; message?: string | null },
): Promise<void> {
  const updated = await db
    .update(jobProgress)
    .set({
      status: outcome.status,
      ...(outcome.status === 'succeeded'
        ? { done: sql`greatest(${jobProgress.done}, coalesce(${jobProgress.total}, ${jobProgress.done}))` }
        : {}),
      ...(outcome.result !== undefined ? { result: outcome.result } : {}),
      ...(outcome.message !== undefined ? { message: outcome.message } : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobProgress.id, id), inArray(jobProgress.status, ['queued', 'running'])))
    .returning({ id: jobProgress.id });
  if (updated.length === 0) await assertProgressExists(db, id);
}

async function assertProgressExists(db: Db, id: string): Promise<void> {
  const found = await db.select({ id: jobProgress.id }).from(jobProgress).where(eq(jobProgress.id, id));
  if (found.length === 0) throw new AppError('JOB_NOT_FOUND');
}

/** Who may read a progress row: its owner; for an API token, its org unit. */
function progressScope(actor: Actor): SQL {
  if (actor.kind === 'token') return eq(jobProgress.orgUnitId, actor.orgUnitId);
  if (!actor.userId) return sql`false`;
  return eq(jobProgress.ownerUserId, actor.userId);
}

/**
 * The progress row `id` as the actor may see it. Someone else's id, a missing id and a malformed id all
 * throw JOB_NOT_FOUND, so ids cannot be probed.
 */
export async function getProgress(db: Db, actor: Actor, id: string): Promise<JobProgress> {
  if (!UUID.test(id)) throw new AppError('JOB_NOT_FOUND');
  const [row] = await db
    .select()
    .from(jobProgress)
    .where(and(eq(jobProgress.id, id), progressScope(actor)));
  if (!row) throw new AppError('JOB_NOT_FOUND');
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    total: row.total,
    done: row.done,
    message: row.message,
    result: row.result ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** `GET /jobs/:id` (mounted under /api/v1): the progress bar's data, for its owner only. */
export function progressRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/jobs/:id',
      {
        config: { access: { permission: 'jobs.read', scope: 'self' } },
        schema: {
          tags: ['jobs'],
          // Any string: a malformed id answers 404 like someone else's, not a 400 that tells them apart.
          params: z.strictObject({ id: z.string().max(100) }),
          response: { 200: JobProgressSchema },
        },
      },
      async (request) => getProgress(ctx.db, actorOf(request), request.params.id),
    );
  };
}
