import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Role, Sector, Tier } from '@sibao/contracts';
import type { FastifyInstance } from 'fastify';
import { type BuiltApp, buildApp } from '../src/app';
import { enterprises, importEnterprisesJob } from '../src/modules/enterprises';
import { generatePassword, hashPassword, orgUnits, users } from '../src/modules/iam';
import { testResultImportJob, workforceJobs } from '../src/modules/workforce';
import { prepareDatabase } from '../src/platform/bootstrap';
import type { Config } from '../src/platform/config';
import { piiCipherFromSecret } from '../src/platform/crypto';
import type { Db } from '../src/platform/db';
import { newId } from '../src/platform/ids';
import { createJobQueue, type JobQueue } from '../src/platform/jobs';
import { createTestDatabase, type TestDatabase } from './db';

export interface TestApp extends BuiltApp {
  database: TestDatabase;
  db: Db;
  close(): Promise<void>;
  /** Moves the clock the app sees (sessions, lockouts, TOTP). */
  clock: { now: Date; advance(ms: number): void };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    mode: 'demo',
    dataDir: path.join(os.tmpdir(), `sibao-test-${randomBytes(4).toString('hex')}`),
    databaseUrl: null,
    secret: randomBytes(32).toString('base64url'),
    apiDocs: true,
    webDist: path.join(os.tmpdir(), 'sibao-no-web'),
    passwordMaxAgeDays: 180,
    version: '0.0.0-test',
    ...overrides,
  };
}

/**
 * The real app over a fresh migrated database with Henan's regions and the seed's parameters; with
 * `{ jobs: true }` also a started job queue (imports run in the background as in production).
 */
export async function createTestApp(
  overrides: Partial<Config> = {},
  options: { jobs?: boolean } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  await prepareDatabase(database);
  const config = testConfig(overrides);
  const clock = {
    now: new Date(),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  let jobs: JobQueue | null = null;
  if (options.jobs) {
    jobs = createJobQueue(database, { pollingIntervalSeconds: 0.5 });
    await jobs.register(importEnterprisesJob);
    const workforce = workforceJobs({ pii: piiCipherFromSecret(config.secret), now: () => clock.now });
    await jobs.register(workforce.importRoster);
    await jobs.register(
      testResultImportJob({ pii: piiCipherFromSecret(config.secret), now: () => clock.now }),
    );
    await jobs.register(workforce.raiseOverdueAlerts);
    await jobs.register(workforce.trackArrivals);
    await jobs.register(workforce.remindDailyReports);
    await jobs.register(workforce.importDrugPurchases);
    await jobs.register(workforce.ensurePcrPartitions);
    await jobs.start();
  }
  const built = await buildApp({
    config,
    database,
    jobs,
    logger: false,
    now: () => clock.now,
  });
  await built.app.ready();
  return {
    ...built,
    database,
    db: database.db,
    clock,
    async close() {
      await built.app.close();
      await jobs?.stop({ graceful: false });
      await database.destroy();
    },
  };
}

export interface OrgSpec {
  kind?: typeof orgUnits.$inferInsert.kind;
  name?: string;
  regionCode?: string;
  tier?: Tier;
  sectors?: Sector[];
  enterpriseId?: string | null;
}

export async function buildOrgUnit(db: Db, spec: OrgSpec = {}) {
  const row = {
    id: newId(),
    kind: spec.kind ?? 'command_office',
    name: spec.name ?? `测试单位${randomBytes(3).toString('hex')}`,
    regionCode: spec.regionCode ?? '410000',
    tier: spec.tier ?? 'province',
    sectors: spec.sectors ?? [],
    enterpriseId: spec.enterpriseId ?? null,
  } satisfies typeof orgUnits.$inferInsert;
  await db.insert(orgUnits).values(row);
  return row;
}

export interface UserSpec extends OrgSpec {
  role: Role;
  username?: string;
  password?: string;
  orgUnitId?: string;
}

/** Inserts an org unit (unless given) and a user with a policy-conforming password. */
export async function buildUser(db: Db, spec: UserSpec) {
  const orgUnitId = spec.orgUnitId ?? (await buildOrgUnit(db, spec)).id;
  const password = spec.password ?? generatePassword(randomBytes);
  const username = spec.username ?? `u${randomBytes(4).toString('hex')}`;
  const id = newId();
  await db.insert(users).values({
    id,
    username,
    displayName: username,
    orgUnitId,
    role: spec.role,
    passwordHash: await hashPassword(password),
  });
  return { id, username, password, orgUnitId };
}

export async function buildEnterprise(db: Db, spec: Partial<typeof enterprises.$inferInsert> = {}) {
  const row = {
    id: newId(),
    kind: 'enterprise' as const,
    uscc: spec.uscc ?? `91410100${randomBytes(5).toString('hex').toUpperCase().slice(0, 10)}`,
    name: spec.name ?? '测试企业有限公司',
    sectors: spec.sectors ?? (['industry'] as Sector[]),
    regionCode: spec.regionCode ?? '410105',
    headcount: spec.headcount ?? 100,
    annualValueFen: spec.annualValueFen ?? 1_000_000_00,
    ...spec,
  };
  await db.insert(enterprises).values(row);
  return row;
}

let loginAddress = 0;
/** Signs in through the API and returns the session cookie header. Throws if sign-in does not complete. */
export async function login(app: FastifyInstance, username: string, password: string): Promise<string> {
  // Each test sign-in from its own loopback address, so the per-address limit only bites where a test wants it.
  loginAddress++;
  const remoteAddress = `127.1.${Math.floor(loginAddress / 250)}.${(loginAddress % 250) + 1}`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress,
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name.endsWith('sibao_session'));
  if (!cookie) throw new Error('no session cookie');
  return `${cookie.name}=${cookie.value}`;
}
