import { JobProgressSchema, type Permission } from '@sibao/contracts';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { type Actor, registerAccess } from './access';
import type { AppContext } from './context';
import { AppError, registerErrorHandler } from './errors';
import { newId } from './ids';
import { createProgress, finishProgress, getProgress, progressRoutes, reportProgress } from './progress';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.destroy();
});

const orgA = newId();
const orgB = newId();

function buildActor(overrides: Partial<Actor>): Actor {
  return {
    kind: 'user',
    userId: newId(),
    tokenId: null,
    sessionId: null,
    username: 'someone',
    role: 'enterprise',
    orgUnitId: orgA,
    regionCode: '410102',
    regionPrefix: '410102',
    tier: 'enterprise',
    sectors: [],
    enterpriseId: null,
    permissions: new Set<Permission>(['jobs.read']),
    pending: null,
    passwordExpired: false,
    ...overrides,
  };
}

const owner = buildActor({ username: 'importer' });
const colleague = buildActor({ username: 'colleague' });
const labToken = buildActor({
  kind: 'token',
  userId: null,
  tokenId: newId(),
  role: 'lab',
  username: 'lab-token',
});
const otherToken = buildActor({
  kind: 'token',
  userId: null,
  tokenId: newId(),
  role: 'lab',
  orgUnitId: orgB,
});

async function notFoundCode(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof AppError ? error.code : undefined;
}

describe('progress', () => {
  it('moves queued → running → succeeded, with done and total', async () => {
    const id = await database.db.transaction((tx) =>
      createProgress(tx, {
        kind: 'whitelist.import-applications',
        total: 200,
        ownerUserId: owner.userId,
        orgUnitId: orgA,
      }),
    );
    expect(await getProgress(database.db, owner, id)).toMatchObject({
      id,
      kind: 'whitelist.import-applications',
      status: 'queued',
      done: 0,
      total: 200,
      message: null,
      result: null,
    });

    await reportProgress(database.db, id, { done: 50, message: '第 50 行' });
    expect(await getProgress(database.db, owner, id)).toMatchObject({
      status: 'running',
      done: 50,
      total: 200,
      message: '第 50 行',
    });

    await reportProgress(database.db, id, { done: 180, total: 180 });
    expect(await getProgress(database.db, owner, id)).toMatchObject({
      status: 'running',
      done: 180,
      total: 180,
      message: '第 50 行',
    });

    await finishProgress(database.db, id, {
      status: 'succeeded',
      result: { imported: 180, rejected: 0 },
      message: null,
    });
    const finished = await getProgress(database.db, owner, id);
    expect(finished).toMatchObject({
      status: 'succeeded',
      done: 180,
      total: 180,
      message: null,
      result: { imported: 180, rejected: 0 },
    });
    expect(JobProgressSchema.parse(finished)).toEqual(finished);

    // A late report never reopens finished work.
    await reportProgress(database.db, id, { done: 3 });
    await finishProgress(database.db, id, { status: 'failed' });
    expect(await getProgress(database.db, owner, id)).toMatchObject({ status: 'succeeded', done: 180 });
  });

  it('fills the bar on success and keeps where it stopped on failure', async () => {
    const ok = await createProgress(database.db, {
      kind: 'exports.build-xlsx',
      total: 10,
      ownerUserId: owner.userId,
    });
    await finishProgress(database.db, ok, { status: 'succeeded' });
    expect(await getProgress(database.db, owner, ok)).toMatchObject({ status: 'succeeded', done: 10 });

    const broken = await createProgress(database.db, {
      kind: 'exports.build-xlsx',
      total: 10,
      ownerUserId: owner.userId,
    });
    await reportProgress(database.db, broken, { done: 4 });
    await finishProgress(database.db, broken, { status: 'failed', message: '磁盘已满' });
    expect(await getProgress(database.db, owner, broken)).toMatchObject({
      status: 'failed',
      done: 4,
      message: '磁盘已满',
    });
  });

  it('leaves no row when the transaction that created it rolls back', async () => {
    let id = '';
    await expect(
      database.db.transaction(async (tx) => {
        id = await createProgress(tx, { kind: 'test.rolled-back', ownerUserId: owner.userId });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await notFoundCode(getProgress(database.db, owner, id))).toBe('JOB_NOT_FOUND');
  });

  it("answers another user's progress exactly like a missing one", async () => {
    const id = await createProgress(database.db, {
      kind: 'policies.match-enterprises',
      ownerUserId: owner.userId,
      orgUnitId: orgA,
    });
    expect(await notFoundCode(getProgress(database.db, colleague, id))).toBe('JOB_NOT_FOUND');
    expect(await notFoundCode(getProgress(database.db, owner, newId()))).toBe('JOB_NOT_FOUND');
    expect(await notFoundCode(getProgress(database.db, owner, 'not-a-uuid'))).toBe('JOB_NOT_FOUND');
  });

  it("lets an API token read its org unit's progress and no other unit's", async () => {
    const id = await createProgress(database.db, { kind: 'workforce.ingest-test-results', orgUnitId: orgA });
    expect(await getProgress(database.db, labToken, id)).toMatchObject({ id, status: 'queued' });
    expect(await notFoundCode(getProgress(database.db, otherToken, id))).toBe('JOB_NOT_FOUND');
    expect(await notFoundCode(getProgress(database.db, owner, id))).toBe('JOB_NOT_FOUND');
  });

  it('refuses to report on an unknown id', async () => {
    expect(await notFoundCode(reportProgress(database.db, newId(), { done: 1 }))).toBe('JOB_NOT_FOUND');
    expect(await notFoundCode(finishProgress(database.db, newId(), { status: 'failed' }))).toBe(
      'JOB_NOT_FOUND',
    );
  });

  it('serves GET /jobs/:id to its owner, with the declared access rule and response schema', async () => {
    const actors = new Map([
      ['owner', owner],
      ['colleague', colleague],
    ]);
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    const routes = registerAccess(
      app,
      async (request) => actors.get(String(request.headers['x-test-actor'])) ?? null,
    );
    const ctx = { database, db: database.db } as unknown as AppContext;
    await app.register(progressRoutes(ctx), { prefix: '/api/v1' });
    await app.ready();
    try {
      expect(routes).toContainEqual({
        method: 'GET',
        url: '/api/v1/jobs/:id',
        access: { permission: 'jobs.read', scope: 'self' },
      });
      const id = await createProgress(database.db, {
        kind: 'whitelist.import-applications',
        total: 5,
        ownerUserId: owner.userId,
      });
      await reportProgress(database.db, id, { done: 2 });

      const mine = await app.inject({
        method: 'GET',
        url: `/api/v1/jobs/${id}`,
        headers: { 'x-test-actor': 'owner' },
      });
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toEqual({
        id,
        kind: 'whitelist.import-applications',
        status: 'running',
        total: 5,
        done: 2,
        message: null,
        result: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });

      const theirs = await app.inject({
        method: 'GET',
        url: `/api/v1/jobs/${id}`,
        headers: { 'x-test-actor': 'colleague' },
      });
      const missing = await app.inject({
        method: 'GET',
        url: `/api/v1/jobs/${newId()}`,
        headers: { 'x-test-actor': 'owner' },
      });
      for (const response of [theirs, missing]) {
        expect(response.statusCode).toBe(404);
        expect(response.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
      }
      const anonymous = await app.inject({ method: 'GET', url: `/api/v1/jobs/${id}` });
      expect(anonymous.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});
