import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app';
import { seedDemoProvince } from '../apps/server/src/demo/demo.generate';
import { prepareDatabase } from '../apps/server/src/platform/bootstrap';
import type { Database } from '../apps/server/src/platform/db';
import { login, testConfig } from '../apps/server/test/app';
import { type BenchDatabase, createPostgres, openPgliteFolder } from './lib/databases';
import { benchSize, machineInfo } from './lib/harness';

// ---------------------------------------------------------------------------------------------------------
// Sizes

const size = benchSize();
const FULL = size === 'full';
const DEMO_SIZE = FULL ? 'm' : 's';
const DURATION_S = FULL ? 10 : 3;
const WARMUP_S = FULL ? 2 : 1;
const CONNECTIONS = 10;
const LIMIT = 50;

const ACTORS = [
  {
    key: 'county',
    label: '金水区 county command office (410105)',
    username: 'jinshui.command',
    prefix: '410105',
  },
  { key: 'province', label: 'province command office (410000)', username: 'province.command', prefix: '41' },
] as const;
type ActorKey = (typeof ACTORS)[number]['key'];

// ---------------------------------------------------------------------------------------------------------
// autocannon has no bundled types; this is the part of its API used here.

interface LoadResult {
  requests: { mean: number; total: number; sent: number };
  latency: { p50: number; p99: number; mean: number; max: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  workers?: number;
  headers?: Record<string, string>;
}) => PromiseLike<LoadResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// ---------------------------------------------------------------------------------------------------------
// Databases

// ---------------------------------------------------------------------------------------------------------
// The three servers

interface Page {
  items: Array<Record<string, unknown>>;
  total: number;
  nextCursor: string | null;
}

const COLUMNS =
  'id, kind, uscc, name, sectors, region_code, address, headcount, annual_value_fen, city_operations';

/** The route's two statements, written by hand: one page in id order, and the scoped total. */
function bareSqlRoute(
  database: Database,
  url: string | null,
): {
  query: (text: string, values: unknown[]) => Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
} {
  if (!url) {
    const client = database.pglite!;
    return {
      query: async (text, values) => (await client.query<Record<string, unknown>>(text, values)).rows,
      close: async () => {},
    };
  }
  // Its own pool of the server's default size, so it does not share connections with our app.
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    query: async (text, values) => (await pool.query(text, values)).rows,
    close: () => pool.end(),
  };
}

async function startBareSql(database: Database, url: string | null) {
  const sql = bareSqlRoute(database, url);
  const app = Fastify({ logger: false });
  for (const actor of ACTORS) {
    const pattern = `${actor.prefix}%`;
    app.get(`/sql/${actor.key}`, async (): Promise<Page> => {
      const [rows, count] = await Promise.all([
        sql.query(`select ${COLUMNS} from enterprises where region_code like $1 order by id limit $2`, [
          pattern,
          LIMIT + 1,
        ]),
        sql.query('select count(*)::int as n from enterprises where region_code like $1', [pattern]),
      ]);
      const items = rows.slice(0, LIMIT).map((r) => ({
        id: r.id,
        kind: r.kind,
        uscc: r.uscc,
        name: r.name,
        sectors: r.sectors,
        regionCode: r.region_code,
        address: r.address,
        headcount: r.headcount,
        annualValueFen: Number(r.annual_value_fen),
        cityOperations: r.city_operations,
      }));
      return {
        items,
        total: Number(count[0]?.n ?? 0),
        nextCursor: rows.length > LIMIT ? String(items[LIMIT - 1]!.id) : null,
      };
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    close: async () => {
      await app.close();
      await sql.close();
    },
  };
}

async function startBareJson(payloads: Record<ActorKey, Page>) {
  const app = Fastify({ logger: false });
  for (const actor of ACTORS) app.get(`/json/${actor.key}`, async () => payloads[actor.key]);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

function baseUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server is not listening on TCP');
  return `http://127.0.0.1:${address.port}`;
}

// ---------------------------------------------------------------------------------------------------------
// Load

interface Row {
  db: 'PGlite' | 'PostgreSQL';
  actor: ActorKey;
  variant: 'our stack' | 'bare SQL' | 'bare JSON';
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  durationS: number;
}

async function load(url: string, headers: Record<string, string>): Promise<LoadResult> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S, workers: 1, headers });
  return autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, workers: 1, headers });
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

async function benchDatabase(
  kind: Row['db'],
  opened: BenchDatabase,
  rows: Row[],
  checks: Record<string, string | number>,
) {
  const { database, url } = opened;
  const t0 = performance.now();
  await prepareDatabase(database);
  const seeded = await seedDemoProvince(database.db, { size: DEMO_SIZE });
  await database.exec('analyze');
  console.log(
    `  ${kind}: seeded ${seeded.counts.enterprises} enterprises in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  checks[`${kind} enterprises seeded`] = seeded.counts.enterprises;

  const built = await buildApp({ config: testConfig(), database, logger: false });
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const bareSql = await startBareSql(database, url);
  const cookies = {} as Record<ActorKey, string>;
  const payloads = {} as Record<ActorKey, Page>;
  try {
    for (const actor of ACTORS) {
      const account = seeded.accounts.find((a) => a.username === actor.username);
      if (!account) throw new Error(`demo account ${actor.username} missing`);
      cookies[actor.key] = await login(built.app, account.username, account.password);
      const ours = await built.app.inject({
        url: `/api/v1/enterprises?limit=${LIMIT}`,
        headers: { cookie: cookies[actor.key] },
      });
      if (ours.statusCode !== 200) throw new Error(`our route answered ${ours.statusCode}: ${ours.body}`);
      payloads[actor.key] = ours.json() as Page;
      // The bare SQL route must answer what ours answers, or the comparison means nothing.
      const bare = await bareSql.app.inject({ url: `/sql/${actor.key}` });
      const same = bare.body === ours.body;
      checks[`${kind} ${actor.key}: bare SQL body identical to ours`] = same ? 'yes' : 'NO';
      checks[`${kind} ${actor.key}: scoped total`] = payloads[actor.key].total;
      checks[`${kind} ${actor.key}: response bytes`] = ours.body.length;
      if (!same) console.warn(`  ${kind} ${actor.key}: the bare SQL route's body differs from ours`);
    }
    const bareJson = await startBareJson(payloads);
    try {
      for (const actor of ACTORS) {
        const cases = [
          {
            variant: 'our stack',
            url: `${baseUrl(built.app)}/api/v1/enterprises?limit=${LIMIT}`,
            headers: { cookie: cookies[actor.key] },
          },
          { variant: 'bare SQL', url: `${baseUrl(bareSql.app)}/sql/${actor.key}`, headers: {} },
          { variant: 'bare JSON', url: `${baseUrl(bareJson)}/json/${actor.key}`, headers: {} },
        ] as const;
        for (const c of cases) {
          const r = await load(c.url, c.headers);
          const row: Row = {
            db: kind,
            actor: actor.key,
            variant: c.variant,
            requestsPerSecond: round(r.requests.mean, 1),
            p50Ms: r.latency.p50,
            p99Ms: r.latency.p99,
            meanMs: round(r.latency.mean),
            requests: r.requests.total,
            non2xx: r.non2xx,
            errors: r.errors + r.timeouts,
            durationS: round(r.duration, 1),
          };
          rows.push(row);
          console.log(
            `  ${kind} ${actor.key} ${c.variant}: ${row.requestsPerSecond} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, non-2xx ${row.non2xx}, errors ${row.errors}`,
          );
        }
      }
    } finally {
      await bareJson.close();
    }
  } finally {
    await bareSql.close();
    await built.app.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Report

function toMarkdown(report: Report): string {
  const m = report.machine;
  const sizes = Object.entries(report.sizes)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`)
    .join(', ');
  const lines = [
    `# ${report.title}`,
    '',
    `Size **${report.size}** — ${sizes}.  `,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}, ${m.platform}; load average at start ${m.loadAverage.join(' / ')}.  `,
    `Run ${report.startedAt}. Baselines: **bare JSON** (pre-computed payload, no auth, no DB) and **bare SQL** (same statements, no auth/validation).`,
    '',
    '| database | actor | route | req/s | p50 | p99 | non-2xx | × bare JSON req/s | × bare SQL req/s |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of report.rows) {
    const json = report.rows.find((x) => x.db === r.db && x.actor === r.actor && x.variant === 'bare JSON');
    const bareSql = report.rows.find((x) => x.db === r.db && x.actor === r.actor && x.variant === 'bare SQL');
    const ratio = (b: Row | undefined) =>
      b && b.requestsPerSecond > 0 ? `${round(r.requestsPerSecond / b.requestsPerSecond, 2)}×` : '—';
    lines.push(
      `| ${r.db} | ${r.actor} | ${r.variant} | ${r.requestsPerSecond.toLocaleString('en-US')} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${r.non2xx + r.errors} | ${ratio(json)} | ${ratio(bareSql)} |`,
    );
  }
  const extra = Object.entries(report.extra).map(
    ([k, v]) => `- ${k}: ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`,
  );
  if (extra.length > 0) lines.push('', ...extra);
  if (report.notes.length > 0) lines.push('', ...report.notes.map((n) => `- ${n}`));
  lines.push(
    '',
    `autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per case after ${WARMUP_S} s of untimed warm-up, load generator in a worker`,
    'thread of the same process. req/s is the mean over the run; p50/p99 are request latencies. "× bare" is this',
    "row's req/s over the baseline's (below 1: slower). Added time per request = 1000/req/s of ours − of the baseline.",
    '',
  );
  return lines.join('\n');
}

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

function overheads(rows: Row[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const db of ['PGlite', 'PostgreSQL'] as const) {
    for (const actor of ACTORS) {
      const get = (v: Row['variant']) =>
        rows.find((r) => r.db === db && r.actor === actor.key && r.variant === v);
      const ours = get('our stack');
      const bareSql = get('bare SQL');
      const json = get('bare JSON');
      if (!ours || !bareSql || !json) continue;
      const perReq = (r: Row) => 1000 / r.requestsPerSecond;
      out[`${db} ${actor.key}: added time per request (ms)`] =
        `${round(perReq(ours) - perReq(bareSql), 3)} over bare SQL, ${round(perReq(ours) - perReq(json), 3)} over bare JSON`;
    }
  }
  return out;
}

async function main() {
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  const rows: Row[] = [];
  const checks: Record<string, string | number> = {};
  const notes: string[] = [
    'Our stack: session cookie → session + user lookups → permission → zod query validation → scoped page + count → zod response check → JSON, with the security headers, rate-limit and under-pressure plugins as in production; request logging off (`logger: false`).',
    'PGlite runs in a data folder in the system temp directory (as `npm start` does), in the server process; PostgreSQL is the local server, a database created for the run and dropped after it.',
  ];

  console.log('bench api: PGlite …');
  const lite = await openPgliteFolder('api');
  try {
    await benchDatabase('PGlite', lite, rows, checks);
  } finally {
    await lite.destroy();
  }

  console.log('bench api: PostgreSQL …');
  const postgres = await createPostgres('api');
  if (typeof postgres === 'string') {
    notes.push(`PostgreSQL skipped: ${postgres}.`);
    console.warn(`  skipped: ${postgres}`);
  } else {
    try {
      await benchDatabase('PostgreSQL', postgres, rows, checks);
    } finally {
      await postgres.destroy();
    }
  }

  checks['load average at end'] = machineInfo().loadAverage.join(' / ');
  const report: Report = {
    name: 'api',
    title: 'API stack vs bare Fastify: GET /api/v1/enterprises?limit=50',
    size,
    sizes: {
      'demo province': DEMO_SIZE,
      connections: CONNECTIONS,
      'seconds per case': DURATION_S,
      'page size': LIMIT,
    },
    baseline: 'bare JSON / bare SQL',
    machine,
    startedAt,
    rows,
    notes,
    extra: { ...checks, ...overheads(rows) },
  };
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, FULL ? 'api' : 'api.small');
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, toMarkdown(report));
  console.log(toMarkdown(report));
  console.log(`bench api: wrote ${base}.json and ${base}.md`);
}

await main();
