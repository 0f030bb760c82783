import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeUsccCheckChar, permissionsFor, type Sector } from '@sibao/contracts';
import { eq, sql } from 'drizzle-orm';
import { seedDemoProvince } from '../apps/server/src/demo/demo.generate';
import {
  enterpriseScope,
  findEnterprises,
  getEnterprise,
  insertEnterprises,
} from '../apps/server/src/modules/enterprises/enterprises.queries';
import { enterprises } from '../apps/server/src/modules/enterprises/enterprises.tables';
import { orgUnits, users } from '../apps/server/src/modules/iam';
import { regionPrefix, tierOf } from '../apps/server/src/modules/regions';
import type { Actor } from '../apps/server/src/platform/access';
import { writeAudit } from '../apps/server/src/platform/audit';
import { prepareDatabase } from '../apps/server/src/platform/bootstrap';
import type { Db } from '../apps/server/src/platform/db';
import { newId } from '../apps/server/src/platform/ids';
import { type BenchDatabase, createPostgres, openPgliteFolder } from './lib/databases';
import { benchSize, machineInfo, median, percentile } from './lib/harness';

// ---------------------------------------------------------------------------------------------------------
// Sizes

const size = benchSize();
const FULL = size === 'full';
const DEMO_SIZE = FULL ? 'm' : 's';
const ROUNDS = FULL ? 5 : 3;
const ROUND_MS = FULL ? 2000 : 500;
const WARMUP_MS = FULL ? 500 : 200;
/** Upper bound on the operations of one round, whatever the speed. */
const MAX_OPS_PER_ROUND = 50_000;
const CLIENTS = 4;

// ---------------------------------------------------------------------------------------------------------
// Databases

// ---------------------------------------------------------------------------------------------------------
// The workload

/** The actor the server would build for a signed-in user (iam.service's actorFromUser), read from the rows. */
async function actorOf(db: Db, username: string): Promise<Actor> {
  const [row] = await db
    .select({ user: users, org: orgUnits })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(eq(users.username, username));
  if (!row) throw new Error(`demo user ${username} missing`);
  return {
    kind: 'user',
    userId: row.user.id,
    tokenId: null,
    sessionId: null,
    username: row.user.username,
    role: row.user.role,
    orgUnitId: row.org.id,
    regionCode: row.org.regionCode,
    regionPrefix: regionPrefix(row.org.regionCode, tierOf(row.org.regionCode)),
    tier: row.org.tier,
    sectors: row.org.sectors as Sector[],
    enterpriseId: row.org.enterpriseId,
    permissions: new Set(permissionsFor(row.user.role, row.org.tier)),
    pending: null,
    passwordExpired: false,
  };
}

/** Scoped count and output value per county, the shape the dashboard reads. */
function sumByRegion(db: Db, actor: Actor) {
  return db
    .select({
      regionCode: enterprises.regionCode,
      n: sql<number>`count(*)::int`.mapWith(Number),
      valueFen: sql<number>`sum(${enterprises.annualValueFen})::bigint`.mapWith(Number),
    })
    .from(enterprises)
    .where(enterpriseScope(actor))
    .groupBy(enterprises.regionCode)
    .orderBy(enterprises.regionCode);
}

const USCC_BODY = '0123456789ABCDEFGHJKLMNPQRTUWXY';
let usccCounter = 0;
/** A valid USCC no seeded row has: the seed draws random bodies, this one counts from a random start. */
function nextUscc(regionCode: string): string {
  let n = usccCounter++;
  let body = '';
  for (let i = 0; i < 8; i++) {
    body = USCC_BODY[n % 31]! + body;
    n = Math.floor(n / 31);
  }
  const first17 = `91${regionCode}Y${body}`;
  return first17 + computeUsccCheckChar(first17);
}

/** One enterprise registered by the county official, with its audit row, in one transaction. */
function registerEnterprise(db: Db, actor: Actor) {
  return db.transaction(async (tx) => {
    const id = newId();
    const name = `金水区基准测试企业${usccCounter}有限公司`;
    await insertEnterprises(tx, [
      {
        id,
        kind: 'enterprise',
        uscc: nextUscc(actor.regionCode),
        name,
        sectors: ['commerce'],
        regionCode: actor.regionCode,
        address: '河南省郑州市金水区',
        headcount: 120,
        annualValueFen: 80_000_000_00,
      },
    ]);
    await writeAudit(
      tx,
      { actor, requestId: newId(), ip: '127.0.0.1' },
      { action: 'enterprises.create', objectType: 'enterprise', objectId: id, summary: { name } },
    );
  });
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Fixture {
  county: Actor;
  province: Actor;
  /** Cursors of the first pages of each actor's list (undefined = first page). */
  countyCursors: Array<string | undefined>;
  provinceCursors: Array<string | undefined>;
  countyIds: string[];
}

async function fixtureOf(db: Db): Promise<Fixture> {
  const county = await actorOf(db, 'jinshui.command');
  const province = await actorOf(db, 'province.command');
  const cursorsOf = async (actor: Actor) => {
    const cursors: Array<string | undefined> = [undefined];
    for (let i = 0; i < 4; i++) {
      const page = await findEnterprises(db, actor, { limit: 50, cursor: cursors[cursors.length - 1] });
      if (!page.nextCursor) break;
      cursors.push(page.nextCursor);
    }
    return cursors;
  };
  const countyIds = (
    await db.select({ id: enterprises.id }).from(enterprises).where(enterpriseScope(county))
  ).map((r) => r.id);
  return {
    county,
    province,
    countyCursors: await cursorsOf(county),
    provinceCursors: await cursorsOf(province),
    countyIds,
  };
}

type Op = (db: Db, f: Fixture, rnd: () => number) => Promise<unknown>;
const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)]!;

const listCounty: Op = (db, f, rnd) =>
  findEnterprises(db, f.county, { limit: 50, cursor: pick(f.countyCursors, rnd) });
const listProvince: Op = (db, f, rnd) =>
  findEnterprises(db, f.province, { limit: 50, cursor: pick(f.provinceCursors, rnd) });
const pointRead: Op = (db, f, rnd) => getEnterprise(db, f.county, pick(f.countyIds, rnd));
const groupBy: Op = (db, f) => sumByRegion(db, f.province);
const write: Op = (db, f) => registerEnterprise(db, f.county);
const mix: Op = (db, f, rnd) => {
  const x = rnd();
  if (x < 0.5) return pointRead(db, f, rnd);
  if (x < 0.65) return listCounty(db, f, rnd);
  if (x < 0.8) return listProvince(db, f, rnd);
  if (x < 0.85) return groupBy(db, f, rnd);
  return write(db, f, rnd);
};

const OPERATIONS: ReadonlyArray<{ name: string; op: Op }> = [
  { name: 'list page, county (page + scoped total)', op: listCounty },
  { name: 'list page, province (page + scoped total)', op: listProvince },
  { name: 'point read by id, county scope', op: pointRead },
  { name: 'count + sum GROUP BY region, province scope', op: groupBy },
  { name: 'write: insert enterprise + audit row (tx)', op: write },
  { name: 'mix 50 % point / 30 % list / 5 % group / 15 % write', op: mix },
];

// ---------------------------------------------------------------------------------------------------------
// Measuring

interface Measured {
  opsPerSecond: number;
  rounds: number[];
  /** Per-operation latency, milliseconds (all rounds). */
  p50Ms: number;
  p95Ms: number;
  ops: number;
}

/**
 * `clients` loops running one operation concurrently, round after round; ops/s per round, median of rounds.
 * Rounds of the databases are interleaved by the caller, so a noisy neighbour on the machine hits both alike.
 */
function createRunner(db: Db, f: Fixture, op: Op, clients: number, seed: number) {
  const rnds = Array.from({ length: clients }, (_, i) => mulberry32(seed * 31 + i));
  const latencies: number[] = [];
  const rounds: number[] = [];
  let total = 0;
  const runFor = async (ms: number, record: boolean) => {
    const start = performance.now();
    const end = start + ms;
    let ops = 0;
    await Promise.all(
      rnds.map(async (rnd) => {
        while (performance.now() < end && ops < MAX_OPS_PER_ROUND) {
          const t0 = performance.now();
          await op(db, f, rnd);
          if (record) latencies.push(performance.now() - t0);
          ops++;
        }
      }),
    );
    return { ops, seconds: (performance.now() - start) / 1000 };
  };
  return {
    warmup: () => runFor(WARMUP_MS, false),
    async round() {
      const r = await runFor(ROUND_MS, true);
      rounds.push(round(r.ops / r.seconds, 1));
      total += r.ops;
    },
    result: (): Measured => ({
      opsPerSecond: median(rounds),
      rounds,
      p50Ms: round(percentile(latencies, 50), 3),
      p95Ms: round(percentile(latencies, 95), 3),
      ops: total,
    }),
  };
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

interface Row {
  operation: string;
  pglite: Measured | null;
  postgres: Measured | null;
  postgres4: Measured | null;
}

async function prepare(kind: string, opened: BenchDatabase, checks: Record<string, string | number>) {
  const { database } = opened;
  const t0 = performance.now();
  await prepareDatabase(database);
  const seeded = await seedDemoProvince(database.db, { size: DEMO_SIZE });
  await database.exec('analyze');
  const seconds = round((performance.now() - t0) / 1000, 1);
  console.log(`  ${kind}: migrated and seeded ${seeded.counts.enterprises} enterprises in ${seconds} s`);
  checks[`${kind}: migrate + seed demo province (s)`] = seconds;
  return fixtureOf(database.db);
}

/** A digest of what both databases must agree on: the province GROUP BY and the first province page's USCCs. */
async function dataDigest(db: Db, f: Fixture): Promise<string> {
  const groups = await sumByRegion(db, f.province);
  const page = await findEnterprises(db, f.province, { limit: 50 });
  const county = await findEnterprises(db, f.county, { limit: 50 });
  return JSON.stringify({
    groups,
    page: page.items.map((e) => e.uscc),
    total: page.total,
    countyTotal: county.total,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Report

interface Report {
  name: string;
  title: string;
  size: typeof size;
  sizes: Record<string, string | number>;
  baseline: string;
  machine: ReturnType<typeof machineInfo>;
  startedAt: string;
  rows: Row[];
  notes: string[];
  extra: Record<string, string | number>;
}

function toMarkdown(report: Report): string {
  const m = report.machine;
  const sizes = Object.entries(report.sizes)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`)
    .join(', ');
  const ops = (x: Measured | null) => (x ? Math.round(x.opsPerSecond).toLocaleString('en-US') : '—');
  const lat = (x: Measured | null) => (x ? `${x.p50Ms} ms` : '—');
  const ratio = (a: Measured | null, b: Measured | null) =>
    a && b && b.opsPerSecond > 0 ? `${round(a.opsPerSecond / b.opsPerSecond, 2)}×` : '—';
  const lines = [
    `# ${report.title}`,
    '',
    `Size **${report.size}** — ${sizes}.  `,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}, ${m.platform}; load average at start ${m.loadAverage.join(' / ')}.  `,
    `Run ${report.startedAt}. Baseline: **${report.baseline}**.`,
    '',
    '| operation | PGlite ops/s | PostgreSQL ops/s | PGlite ÷ PostgreSQL | p50 PGlite | p50 PostgreSQL | PostgreSQL ops/s, 4 clients | 4 clients ÷ 1 |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of report.rows) {
    lines.push(
      `| ${r.operation} | ${ops(r.pglite)} | ${ops(r.postgres)} | ${ratio(r.pglite, r.postgres)} | ${lat(r.pglite)} | ${lat(r.postgres)} | ${ops(r.postgres4)} | ${ratio(r.postgres4, r.postgres)} |`,
    );
  }
  const extra = Object.entries(report.extra).map(
    ([k, v]) => `- ${k}: ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`,
  );
  if (extra.length > 0) lines.push('', ...extra);
  if (report.notes.length > 0) lines.push('', ...report.notes.map((n) => `- ${n}`));
  lines.push(
    '',
    `ops/s is the median of ${ROUNDS} rounds of ${ROUND_MS} ms each (after ${WARMUP_MS} ms of untimed warm-up, at most`,
    `${MAX_OPS_PER_ROUND.toLocaleString('en-US')} operations a round); p50 is the per-operation latency of a single client. "PGlite ÷ PostgreSQL" > 1:`,
    'PGlite is faster. Every round of every case is in the JSON.',
    '',
  );
  return lines.join('\n');
}

async function main() {
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  const checks: Record<string, string | number> = {};
  const notes = [
    "PGlite runs in a data folder in the system temp directory (as `npm start` runs it), in-process WASM with one connection; PostgreSQL is the local server over TCP on 127.0.0.1 through the server's `pg` pool (10 connections), a database created for the run and dropped after it.",
    "The operations are the server's own functions (`findEnterprises`, `getEnterprise`, `insertEnterprises` + `writeAudit`) with the actors the server would build for the demo users `jinshui.command` and `province.command`.",
    'Both databases are open at once and each round of an operation runs on PGlite, then PostgreSQL, then PostgreSQL with 4 clients, so load from elsewhere on the machine falls on all three alike.',
    'Write rounds add rows (bounded by the round time), so every read is measured before the first write.',
  ];
  const rows: Row[] = OPERATIONS.map((o) => ({
    operation: o.name,
    pglite: null,
    postgres: null,
    postgres4: null,
  }));

  const lite = await openPgliteFolder('db');
  let postgres: BenchDatabase | string = 'not opened';
  try {
    console.log('bench db: PGlite …');
    const liteFixture = await prepare('PGlite', lite, checks);
    checks['county scope: enterprises'] = liteFixture.countyIds.length;
    console.log('bench db: PostgreSQL …');
    postgres = await createPostgres('db');
    let pgFixture: Fixture | null = null;
    if (typeof postgres === 'string') {
      notes.push(`PostgreSQL skipped: ${postgres}.`);
      console.warn(`  skipped: ${postgres}`);
    } else {
      pgFixture = await prepare('PostgreSQL', postgres, checks);
      const same =
        (await dataDigest(postgres.database.db, pgFixture)) ===
        (await dataDigest(lite.database.db, liteFixture));
      checks['same data on both (province GROUP BY, first page USCCs, scoped totals)'] = same ? 'yes' : 'NO';
      const [version] = await postgres.database.query<{ v: string }>(
        "select current_setting('server_version') as v",
      );
      const settings = await postgres.database.query<{ name: string; value: string }>(
        "select name, current_setting(name) as value from pg_settings where name in ('shared_buffers', 'synchronous_commit', 'fsync', 'lc_collate') order by name",
      );
      checks['PostgreSQL server'] =
        `${version?.v}; ${settings.map((x) => `${x.name}=${x.value}`).join(', ')}`;
    }
    for (const [i, o] of OPERATIONS.entries()) {
      const runners = [createRunner(lite.database.db, liteFixture, o.op, 1, i + 1)];
      if (typeof postgres !== 'string' && pgFixture) {
        runners.push(createRunner(postgres.database.db, pgFixture, o.op, 1, i + 1));
        runners.push(createRunner(postgres.database.db, pgFixture, o.op, CLIENTS, i + 101));
      }
      for (const r of runners) await r.warmup();
      for (let k = 0; k < ROUNDS; k++) for (const r of runners) await r.round();
      const [pglite, single, four] = runners.map((r) => r.result());
      rows[i] = {
        operation: o.name,
        pglite: pglite ?? null,
        postgres: single ?? null,
        postgres4: four ?? null,
      };
      const show = (m: Measured | undefined) => (m ? `${m.opsPerSecond} ops/s` : '—');
      console.log(
        `  ${o.name}: PGlite ${show(pglite)}, PostgreSQL ${show(single)}, PostgreSQL ×${CLIENTS} ${show(four)}`,
      );
    }
  } finally {
    await lite.destroy();
    if (typeof postgres !== 'string') await postgres.destroy();
  }
  checks['load average at end'] = machineInfo().loadAverage.join(' / ');

  const report: Report = {
    name: 'db',
    title: 'PGlite vs PostgreSQL on our workload',
    size,
    sizes: {
      'demo province': DEMO_SIZE,
      rounds: ROUNDS,
      'ms per round': ROUND_MS,
      'concurrent clients (PostgreSQL)': CLIENTS,
    },
    baseline: 'PostgreSQL, single client',
    machine,
    startedAt,
    rows,
    notes,
    extra: checks,
  };
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, FULL ? 'db' : 'db.small');
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, toMarkdown(report));
  console.log(toMarkdown(report));
  console.log(`bench db: wrote ${base}.json and ${base}.md`);
}

await main();
