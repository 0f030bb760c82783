import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { createJobQueue, defineJob, type JobHelpers, JobPayloadError, type JobQueue } from './jobs';
import { createProgress, finishProgress, reportProgress } from './progress';

const silent = pino({ level: 'silent' });

let database: TestDatabase;
let queue: JobQueue;

beforeAll(async () => {
  database = await createTestDatabase();
  queue = createJobQueue(database, { pollingIntervalSeconds: 0.5, logger: silent });
  await queue.start();
});

afterAll(async () => {
  await queue?.stop({ graceful: false });
  await database?.destroy();
});

interface JobRow {
  id: string;
  state: string;
  retryCount: number;
  data: unknown;
  output: Record<string, unknown> | null;
  startAfter: Date;
}

async function findJobs(name: string): Promise<JobRow[]> {
  return database.query<JobRow>(
    `select id, state, retry_count as "retryCount", data, output, start_after as "startAfter"
       from pgboss.job where name = $1 order by created_on, id`,
    [name],
  );
}

/** Polls until `check` holds (the worker runs on its own schedule); fails after `timeoutMs`. */
async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const jobFinished = (name: string, id: string) => async () =>
  (await findJobs(name)).some((j) => j.id === id && (j.state === 'completed' || j.state === 'failed'));

describe('job queue', () => {
  it('runs a job enqueued in a committed transaction, which reports progress to the end', async () => {
    const seen: { data: unknown; helpers: Omit<JobHelpers, 'log' | 'signal' | 'db'> }[] = [];
    const countRows = defineJob({
      name: 'test.count-rows',
      schema: z.strictObject({ progressId: z.uuid(), rows: z.number().int().positive() }),
      handler: async (data, { jobId, attempt, lastAttempt }) => {
        seen.push({ data, helpers: { jobId, attempt, lastAttempt } });
        for (let done = 0; done <= data.rows; done += 5)
          await reportProgress(database.db, data.progressId, { done });
        await finishProgress(database.db, data.progressId, {
          status: 'succeeded',
          result: { counted: data.rows },
        });
      },
    });
    await queue.register(countRows);

    let progressId = '';
    const jobId = await database.db.transaction(async (tx) => {
      progressId = await createProgress(tx, { kind: 'test.count-rows', total: 20 });
      return queue.enqueue(tx, countRows, { progressId, rows: 20 });
    });
    expect(jobId).toEqual(expect.any(String));
    await waitFor(jobFinished('test.count-rows', jobId!));

    const [job] = await findJobs('test.count-rows');
    expect(job).toMatchObject({ id: jobId, state: 'completed', data: { progressId, rows: 20 } });
    expect(seen).toEqual([
      { data: { progressId, rows: 20 }, helpers: { jobId, attempt: 1, lastAttempt: false } },
    ]);
    const [progress] = await database.query(
      'select status, done, total, result from job_progress where id = $1',
      [progressId],
    );
    expect(progress).toEqual({ status: 'succeeded', done: 20, total: 20, result: { counted: 20 } });
  });

  it('never writes, and so never runs, a job whose transaction rolled back', async () => {
    const seen: string[] = [];
    const note = defineJob({
      name: 'test.note-word',
      schema: z.strictObject({ word: z.string() }),
      handler: async (data) => {
        seen.push(data.word);
      },
    });
    await queue.register(note);

    let rolledBackId: string | null = null;
    await expect(
      database.db.transaction(async (tx) => {
        await createProgress(tx, { kind: 'test.note-word' });
        rolledBackId = await queue.enqueue(tx, note, { word: 'rolled-back' });
        throw new Error('business rule refused the change');
      }),
    ).rejects.toThrow('business rule refused the change');
    expect(rolledBackId).toEqual(expect.any(String));

    // A committed job on the same queue, enqueued after the rolled-back one, runs: the worker has had its chance.
    const committedId = await database.db.transaction((tx) => queue.enqueue(tx, note, { word: 'committed' }));
    await waitFor(jobFinished('test.note-word', committedId!));

    expect(seen).toEqual(['committed']);
    expect((await findJobs('test.note-word')).map((j) => j.id)).toEqual([committedId]);
    const progress = await database.query("select id from job_progress where kind = 'test.note-word'");
    expect(progress).toEqual([]);
  });

  it('retries a failing handler up to its limit, then marks the job failed', async () => {
    const attempts: { attempt: number; lastAttempt: boolean }[] = [];
    const flaky = defineJob({
      name: 'test.always-fail',
      schema: z.strictObject({ n: z.number() }),
      retry: { limit: 2, delaySeconds: 0, backoff: false },
      handler: async (_data, { attempt, lastAttempt }) => {
        attempts.push({ attempt, lastAttempt });
        throw new Error(`upstream unavailable (attempt ${attempt})`);
      },
    });
    await queue.register(flaky);

    const jobId = await database.db.transaction((tx) => queue.enqueue(tx, flaky, { n: 1 }));
    await waitFor(jobFinished('test.always-fail', jobId!));

    const [job] = await findJobs('test.always-fail');
    expect(job).toMatchObject({
      state: 'failed',
      retryCount: 2,
      output: { error: 'upstream unavailable (attempt 3)' },
    });
    expect(attempts).toEqual([
      { attempt: 1, lastAttempt: false },
      { attempt: 2, lastAttempt: false },
      { attempt: 3, lastAttempt: true },
    ]);
  });

  it('stores the retry policy (limit, delay, exponential backoff) on the queue', async () => {
    await queue.register(
      defineJob({
        name: 'test.back-off',
        schema: z.strictObject({}),
        retry: { limit: 5, delaySeconds: 7, backoff: true },
        handler: async () => {},
      }),
    );
    await queue.register(
      defineJob({ name: 'test.use-defaults', schema: z.strictObject({}), handler: async () => {} }),
    );
    const queues = await database.query(
      `select name, retry_limit as "limit", retry_delay as "delay", retry_backoff as "backoff", retry_delay_max as "max"
         from pgboss.queue where name in ('test.back-off', 'test.use-defaults') order by name`,
    );
    expect(queues).toEqual([
      { name: 'test.back-off', limit: 5, delay: 7, backoff: true, max: 3600 },
      { name: 'test.use-defaults', limit: 3, delay: 10, backoff: true, max: 3600 },
    ]);
  });

  it('refuses an invalid payload at enqueue, before writing anything', async () => {
    const typed = defineJob({
      name: 'test.check-payload',
      schema: z.strictObject({ enterpriseId: z.uuid() }),
      handler: async () => {},
    });
    await queue.register(typed);

    const error = await database.db
      .transaction((tx) => queue.enqueue(tx, typed, { enterpriseId: 'not-a-uuid' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobPayloadError);
    expect((error as JobPayloadError).issues[0]?.path).toEqual(['enterpriseId']);
    expect(await findJobs('test.check-payload')).toEqual([]);
  });

  it('fails for good, without calling the handler, a stored payload that no longer matches the schema', async () => {
    const calls: unknown[] = [];
    const strict = defineJob({
      name: 'test.recheck-payload',
      schema: z.strictObject({ count: z.number().int() }),
      retry: { limit: 3, delaySeconds: 0, backoff: false },
      handler: async (data) => {
        calls.push(data);
      },
    });
    await queue.register(strict);
    // An older release's payload shape, still in the queue after an upgrade.
    const older = defineJob({
      name: 'test.recheck-payload',
      schema: z.strictObject({ count: z.string() }),
      handler: async () => {},
    });

    const jobId = await database.db.transaction((tx) => queue.enqueue(tx, older, { count: 'three' }));
    await waitFor(jobFinished('test.recheck-payload', jobId!));

    const [job] = await findJobs('test.recheck-payload');
    expect(job).toMatchObject({ state: 'failed', retryCount: 0, output: { error: 'JOB_PAYLOAD_INVALID' } });
    expect(calls).toEqual([]);
  });

  it('refuses to enqueue a job nobody registered', async () => {
    const unknown = defineJob({
      name: 'test.nobody-works',
      schema: z.strictObject({}),
      handler: async () => {},
    });
    await expect(database.db.transaction((tx) => queue.enqueue(tx, unknown, {}))).rejects.toThrow(
      /not registered/,
    );
  });

  it('collapses duplicates under a singleton key and defers a job until its start time', async () => {
    const recompute = defineJob({
      name: 'test.recompute-compliance',
      schema: z.strictObject({ enterpriseId: z.string() }),
      policy: 'short',
      handler: async () => {},
    });
    await queue.register(recompute);
    const later = new Date(Date.now() + 3600_000);
    const [first, second, other] = await database.db.transaction(async (tx) => [
      await queue.enqueue(tx, recompute, { enterpriseId: 'e1' }, { singletonKey: 'e1', startAfter: later }),
      await queue.enqueue(tx, recompute, { enterpriseId: 'e1' }, { singletonKey: 'e1', startAfter: later }),
      await queue.enqueue(tx, recompute, { enterpriseId: 'e2' }, { singletonKey: 'e2', startAfter: later }),
    ]);
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(other).toEqual(expect.any(String));
    const jobs = await findJobs('test.recompute-compliance');
    expect(jobs.map((j) => j.state)).toEqual(['created', 'created']);
    expect(jobs.every((j) => j.startAfter.getTime() === later.getTime())).toBe(true);
  });

  it('stores a cron schedule in Asia/Shanghai time, and drops it when the definition loses its cron', async () => {
    await queue.register(
      defineJob({
        name: 'test.sweep-deadlines',
        schema: z.strictObject({}),
        cron: '30 2 * * *',
        handler: async () => {},
      }),
    );
    const schedules = () =>
      database.query(
        `select name, cron, timezone, data from pgboss.schedule where name = 'test.sweep-deadlines'`,
      );
    expect(await schedules()).toEqual([
      { name: 'test.sweep-deadlines', cron: '30 2 * * *', timezone: 'Asia/Shanghai', data: {} },
    ]);

    // The next release defines the same job without a cron.
    const next = createJobQueue(database, { pollingIntervalSeconds: 0.5, logger: silent });
    await next.register(
      defineJob({ name: 'test.sweep-deadlines', schema: z.strictObject({}), handler: async () => {} }),
    );
    await next.start();
    await next.stop({ graceful: false });
    expect(await schedules()).toEqual([]);
  });

  it('lets a running handler finish on a graceful stop', async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let running = false;
    const slow = defineJob({
      name: 'test.finish-slowly',
      schema: z.strictObject({}),
      handler: async () => {
        running = true;
        await released;
      },
    });
    const own = createJobQueue(database, { pollingIntervalSeconds: 0.5, logger: silent });
    await own.register(slow);
    await own.start();
    const jobId = await database.db.transaction((tx) => own.enqueue(tx, slow, {}));
    await waitFor(async () => running);

    let stopped = false;
    const stopping = own.stop({ graceful: true }).then(() => {
      stopped = true;
    });
    // Whatever the wait, stop() does not return while the handler still runs.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    release();
    await stopping;
    const [job] = await findJobs('test.finish-slowly');
    expect(job).toMatchObject({ id: jobId, state: 'completed' });
  });

  it("refuses to start when a definition changes its queue's policy", async () => {
    await queue.register(
      defineJob({
        name: 'test.keep-policy',
        schema: z.strictObject({}),
        policy: 'short',
        handler: async () => {},
      }),
    );
    const next = createJobQueue(database, { pollingIntervalSeconds: 0.5, logger: silent });
    await next.register(
      defineJob({ name: 'test.keep-policy', schema: z.strictObject({}), handler: async () => {} }),
    );
    await expect(next.start()).rejects.toThrow(/policy short/);
    const [stored] = await database.query(`select policy from pgboss.queue where name = 'test.keep-policy'`);
    expect(stored).toEqual({ policy: 'short' });
  });

  it('refuses a cron job whose schema does not accept the empty payload', async () => {
    await expect(
      queue.register(
        defineJob({
          name: 'test.bad-cron',
          schema: z.strictObject({ regionCode: z.string() }),
          cron: '0 * * * *',
          handler: async () => {},
        }),
      ),
    ).rejects.toThrow(/empty payload/);
  });

  it('refuses a job name that is not <module>.<verb-noun>', () => {
    expect(() => defineJob({ name: 'DoStuff', schema: z.strictObject({}), handler: async () => {} })).toThrow(
      /verb-noun/,
    );
  });
});
