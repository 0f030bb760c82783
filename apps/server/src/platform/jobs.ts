import { sql } from 'drizzle-orm';
import {
  type DrizzleTransactionLike,
  fromDrizzle,
  type JobResult,
  PgBoss,
  type Db as PgBossDatabase,
} from 'pg-boss';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Database, Db } from './db';
import { createLogger } from './logger';

/**
 * Background jobs (DESIGN.md §4 Jobs): pg-boss storing its jobs in our own database, on PGlite and on
 * PostgreSQL alike. A job is typed data — a name, a zod payload schema and a handler (STYLE.md, after
 * Documenso) — and is enqueued inside the business transaction, so a rolled-back change leaves no job.
 */

/** `<module>.<verb-noun>` (STYLE.md), e.g. `workforce.raise-overdue-alerts`. */
const JOB_NAME = /^[a-z][a-z0-9_]*\.[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Schedules read the Asia/Shanghai wall clock: business days and deadlines are Beijing time (DESIGN.md §4). */
export const JOB_TIME_ZONE = 'Asia/Shanghai';

export interface JobRetry {
  /** Retries after the first attempt; 0 runs the job once. */
  limit: number;
  /** Delay before a retry; with `backoff` the first delay, doubled (with jitter) on each retry, capped at 1 h. */
  delaySeconds: number;
  backoff: boolean;
}

/** Transient failures (a lock timeout, a restart) get three more tries over about a minute. */
export const DEFAULT_JOB_RETRY: JobRetry = { limit: 3, delaySeconds: 10, backoff: true };

const MAX_RETRY_DELAY_SECONDS = 3600;

export interface JobHelpers {
  jobId: string;
  /** 1 for the first run, 2 for the first retry … */
  attempt: number;
  /** No retry follows if this attempt throws: the place to mark a progress row failed. */
  lastAttempt: boolean;
  /** Aborted when the queue stops; long handlers should check it between chunks. */
  signal: AbortSignal;
  log: Logger;
  /** The queue's database: handlers open their own (short) transactions on it. */
  db: Db;
}

export interface JobDefinition<T extends object> {
  /** `<module>.<verb-noun>`; also the pg-boss queue name. */
  name: string;
  /**
   * Validates the payload at enqueue and again in the worker. Plain JSON (no transforms to Dates), and ids
   * rather than personal data: pg-boss's job table is not encrypted (DESIGN.md §4 Personal data).
   */
  schema: z.ZodType<T>;
  /** Throw to fail the attempt (retried per `retry`). */
  handler(data: T, helpers: JobHelpers): Promise<unknown>;
  retry?: JobRetry;
  /**
   * Cron expression in Asia/Shanghai time (`'30 2 * * *'` = 02:30 Beijing). The scheduled job's payload
   * is `{}`, so the schema must accept an empty object.
   */
  cron?: string;
  /**
   * pg-boss queue policy. `standard` (default) runs every job; `short` keeps at most one job waiting per
   * `singletonKey` (later enqueues return null), for "recompute X" jobs triggered many times;
   * `singleton` runs at most one job per key at a time; `stately` both. Fixed once the queue exists.
   */
  policy?: 'standard' | 'short' | 'singleton' | 'stately';
  /** How long one attempt may run before pg-boss counts it as failed. Default 15 min; at most 24 h. */
  expireInSeconds?: number;
}

export interface EnqueueOptions {
  /** With a `short`/`singleton`/`stately` policy: the key that collapses duplicates. */
  singletonKey?: string;
  /** Run no earlier than this time, or this many seconds from now. */
  startAfter?: Date | number;
}

export interface JobQueue {
  /** Adds a job's worker (and its cron schedule); before or after `start()`. A name may be registered once. */
  register<T extends object>(def: JobDefinition<T>): Promise<void>;
  /** Installs or migrates pg-boss's schema, creates the queues, schedules crons and starts the workers. */
  start(): Promise<void>;
  /** Stops polling. `graceful` (default) lets running handlers finish (up to 20 s) before returning. */
  stop(options?: { graceful: boolean }): Promise<void>;
  /**
   * Writes a job inside the caller's transaction: it exists, and runs, only if that transaction commits.
   * Returns the job id, or null when a singleton policy refused a duplicate. Throws JobPayloadError (before
   * touching the database) when `data` does not match the schema, and an Error when the queue is not started
   * or the job is not registered.
   */
  enqueue<T extends object>(
    tx: Db,
    def: JobDefinition<T>,
    data: T,
    options?: EnqueueOptions,
  ): Promise<string | null>;
}

export interface JobQueueOptions {
  /** PostgreSQL schema pg-boss installs into. Default `pgboss`. */
  schema?: string;
  /** How often each queue's worker looks for due jobs. Default 2 s (about 1 ms of PGlite time per poll). */
  pollingIntervalSeconds?: number;
  /** Default: the platform logger. */
  logger?: Logger;
}

/** A payload that does not match its job's schema: a programming error, refused before anything is written. */
export class JobPayloadError extends Error {
  constructor(
    readonly jobName: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(
      `invalid payload for job ${jobName}: ${issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
    );
    this.name = 'JobPayloadError';
  }
}

/** Declares a job; checks the name follows `<module>.<verb-noun>`. */
export function defineJob<T extends object>(def: JobDefinition<T>): JobDefinition<T> {
  if (!JOB_NAME.test(def.name)) throw new Error(`job name "${def.name}" is not <module>.<verb-noun>`);
  if (def.retry && (!Number.isInteger(def.retry.limit) || def.retry.limit < 0)) {
    throw new Error(`job ${def.name}: retry.limit must be an integer >= 0`);
  }
  if (def.retry && (!Number.isInteger(def.retry.delaySeconds) || def.retry.delaySeconds < 0)) {
    throw new Error(`job ${def.name}: retry.delaySeconds must be an integer >= 0`);
  }
  return def;
}

/**
 * pg-boss's database adapter over our `Database`: one code path for PGlite and PostgreSQL, sharing its
 * connection(s) rather than opening a second pool. Parameterised statements go through `query`; pg-boss's
 * parameterless multi-statement texts (migrations, `BEGIN; … advisory lock …; COMMIT`) go through
 * `execRows`, whose rows of every statement are flattened so a RETURNING before the COMMIT is not lost.
 */
function databaseAdapter(database: Database): PgBossDatabase {
  return {
    async executeSql(text: string, values?: unknown[]) {
      try {
        if (values?.length) return { rows: await database.query(text, values) };
        return { rows: (await database.execRows(text)).flat() };
      } catch (error) {
        // PGlite is one session: a multi-statement text that failed after its BEGIN leaves that session in
        // an aborted transaction, which would fail every later query of the process. (A pg pool drops a
        // connection whose query failed, so PostgreSQL needs nothing.)
        if (database.kind === 'pglite') await database.query('rollback').catch(() => {});
        throw error;
      }
    },
  };
}

/** pg-boss's adapter over a Drizzle transaction: `$1…$n` text becomes a Drizzle `sql` object run on `tx`. */
function transactionAdapter(tx: Db): PgBossDatabase {
  return fromDrizzle(tx as unknown as DrizzleTransactionLike, sql);
}

interface Registered {
  name: string;
  cron: string | undefined;
  policy: NonNullable<JobDefinition<object>['policy']>;
  queueOptions: {
    retryLimit: number;
    retryDelay: number;
    retryBackoff: boolean;
    retryDelayMax: number | null;
    expireInSeconds?: number;
  };
  validate(data: unknown): { ok: true; data: object } | { ok: false; issues: z.core.$ZodIssue[] };
  run(data: object, helpers: JobHelpers): Promise<unknown>;
}

function toRegistered<T extends object>(def: JobDefinition<T>): Registered {
  const retry = def.retry ?? DEFAULT_JOB_RETRY;
  if (def.cron && !def.schema.safeParse({}).success) {
    throw new Error(`job ${def.name} has a cron schedule, so its schema must accept the empty payload {}`);
  }
  return {
    name: def.name,
    cron: def.cron,
    policy: def.policy ?? 'standard',
    queueOptions: {
      retryLimit: retry.limit,
      retryDelay: retry.delaySeconds,
      retryBackoff: retry.backoff,
      retryDelayMax: retry.backoff ? MAX_RETRY_DELAY_SECONDS : null,
      ...(def.expireInSeconds ? { expireInSeconds: def.expireInSeconds } : {}),
    },
    validate(data) {
      const parsed = def.schema.safeParse(data);
      return parsed.success ? { ok: true, data: parsed.data } : { ok: false, issues: parsed.error.issues };
    },
    // Only reached with data that `validate` produced from this very schema.
    run: (data, helpers) => def.handler(data as T, helpers),
  };
}

/**
 * The job queue over `database`. Nothing touches the database until `start()`.
 *
 * PGlite is a single connection that serialises every query and holds it for a whole transaction, so:
 * polling is one short indexed query per queue every `pollingIntervalSeconds`; supervision and the queue
 * cache run once a minute; `enqueue` inside a transaction must never make pg-boss read outside it (that
 * would wait on the transaction it runs in), which is why it only accepts registered jobs of a started
 * queue, whose queue rows pg-boss has cached. Handlers should write in chunks of short transactions —
 * one long transaction on PGlite holds up every request.
 */
export function createJobQueue(database: Database, options: JobQueueOptions = {}): JobQueue {
  const log = options.logger ?? createLogger();
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const boss = new PgBoss({
    db: databaseAdapter(database),
    backend: database.kind === 'pglite' ? 'pglite' : 'postgres',
    schema: options.schema ?? 'pgboss',
    instanceName: 'sibao',
    // Queue stats, maintenance and the queue cache: once a minute is plenty and cheap on one connection.
    superviseIntervalSeconds: 60,
    monitorIntervalSeconds: 60,
    queueCacheIntervalSeconds: 60,
    // Crons have minute resolution; checking every 15 s (default 5) is enough.
    cronWorkerIntervalSeconds: 15,
    // PGlite has no autovacuum launcher and no statistics for pg-boss's vacuum check to read.
    monitorVacuum: database.kind === 'postgresql',
  });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  boss.on('warning', (warning) => log.warn({ warning }, 'job queue warning'));

  const jobs = new Map<string, Registered>();
  let started = false;
  let starting: Promise<void> | null = null;

  async function install(job: Registered): Promise<void> {
    const existing = await boss.getQueue(job.name);
    if (!existing) {
      const { retryDelayMax, ...rest } = job.queueOptions;
      await boss.createQueue(job.name, {
        policy: job.policy,
        ...rest,
        ...(retryDelayMax ? { retryDelayMax } : {}),
      });
    } else if (existing.policy !== job.policy) {
      throw new Error(
        `job ${job.name}: its queue has policy ${existing.policy}, the definition says ${job.policy}; a queue's policy cannot change (rename the job)`,
      );
    } else {
      await boss.updateQueue(job.name, job.queueOptions);
    }
    // A cron removed from a definition must stop firing, so a job without one clears any stored schedule.
    if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: JOB_TIME_ZONE });
    else await boss.unschedule(job.name);

    await boss.work(
      job.name,
      { batchSize: 1, pollingIntervalSeconds, perJobResults: true, includeMetadata: true },
      async (batch): Promise<JobResult[]> => {
        const results: JobResult[] = [];
        for (const item of batch) {
          const jobLog = log.child({ job: job.name, jobId: item.id });
          const parsed = job.validate(item.data);
          if (!parsed.ok) {
            // Retrying cannot make a payload valid: fail it for good ('deadletter' with no dead-letter queue).
            jobLog.error({ issues: parsed.issues }, 'job payload does not match its schema');
            results.push({
              id: item.id,
              status: 'deadletter',
              output: { error: 'JOB_PAYLOAD_INVALID', issues: parsed.issues },
            });
            continue;
          }
          const helpers: JobHelpers = {
            jobId: item.id,
            attempt: item.retryCount + 1,
            lastAttempt: item.retryCount >= item.retryLimit,
            signal: item.signal,
            log: jobLog,
            db: database.db,
          };
          try {
            await job.run(parsed.data, helpers);
            results.push({ id: item.id, status: 'completed' });
          } catch (error) {
            // The stack goes to the log only; the job row keeps a short message.
            jobLog[helpers.lastAttempt ? 'error' : 'warn'](
              { err: error, attempt: helpers.attempt, lastAttempt: helpers.lastAttempt },
              'job failed',
            );
            const message = error instanceof Error ? error.message : String(error);
            results.push({ id: item.id, status: 'failed', output: { error: message.slice(0, 1000) } });
          }
        }
        return results;
      },
    );
  }

  return {
    async register(def) {
      if (jobs.has(def.name)) throw new Error(`job ${def.name} is already registered`);
      const job = toRegistered(def);
      jobs.set(def.name, job);
      if (!started) return;
      try {
        await install(job);
      } catch (error) {
        jobs.delete(def.name);
        throw error;
      }
    },

    async start() {
      if (started) return;
      starting ??= (async () => {
        await boss.start();
        try {
          for (const job of jobs.values()) await install(job);
        } catch (error) {
          await boss.stop({ graceful: false, close: false }).catch(() => {});
          throw error;
        }
        started = true;
      })();
      try {
        await starting;
      } finally {
        starting = null;
      }
    },

    async stop(stopOptions = { graceful: true }) {
      if (!started) return;
      started = false;
      await boss.stop({
        graceful: stopOptions.graceful,
        close: false,
        timeout: stopOptions.graceful ? 20_000 : 1000,
      });
    },

    async enqueue(tx, def, data, enqueueOptions = {}) {
      if (!jobs.has(def.name)) throw new Error(`job ${def.name} is not registered with the job queue`);
      if (!started) throw new Error(`job queue is not started; cannot enqueue ${def.name}`);
      const parsed = def.schema.safeParse(data);
      if (!parsed.success) throw new JobPayloadError(def.name, parsed.error.issues);
      return boss.send(def.name, parsed.data, {
        db: transactionAdapter(tx),
        ...(enqueueOptions.singletonKey !== undefined ? { singletonKey: enqueueOptions.singletonKey } : {}),
        ...(enqueueOptions.startAfter !== undefined ? { startAfter: enqueueOptions.startAfter } : {}),
      });
    },
  };
}
