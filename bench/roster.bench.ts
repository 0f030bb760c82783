/**
 * Workforce rosters (issue 5) as they grow toward a province:
 * 1. per-enterprise roster reads with compliance through the API (`GET /workforce/employees` as an enterprise
 *    user: session, scope, page of 50 + scoped total, response schema) vs the same two SQL statements sent
 *    straight to the database — p50 / p95 per request (issue 5: under 50 ms at p95);
 * 2. the overdue sweep (`raiseOverdueAlerts`) vs the hand-written statement, 1 % of the roster newly overdue;
 * 3. a roster import of 50,000 rows from an .xlsx through the upload route and the import job (issue 5: goal
 *    under 15 s), timed from the upload to the job's `succeeded`.
 * On PostgreSQL at 100 k → 1 M → 3 M employees (a province), on PGlite (the default `npm start` database, a
 * data folder) at 20 k → 200 k. Rows are generated set-based with generate_series: 500 per enterprise spread
 * over Henan's counties, one pre-computed ciphertext reused (the bench never decrypts), hashes unique.
 *
 *   npm run bench -- roster [--size small]      (ROSTER_PG=off or ROSTER_PGLITE=off skips one database)
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { computeIdCheckDigit } from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { buildApp } from '../apps/server/src/app';
import { NEW_ID_SQL, raiseOverdueAlerts, workforceJobs } from '../apps/server/src/modules/workforce';
import { prepareDatabase } from '../apps/server/src/platform/bootstrap';
import { piiCipherFromSecret } from '../apps/server/src/platform/crypto';
import type { Database } from '../apps/server/src/platform/db';
import { createJobQueue } from '../apps/server/src/platform/jobs';
import { buildEnterprise, buildUser, login, testConfig } from '../apps/server/test/app';
import { type BenchDatabase, createPostgres, openPgliteFolder } from './lib/databases';
import { type BenchCase, benchSize, type CaseResult, runBench, sizeLabel } from './lib/harness';

const size = benchSize();
const FULL = size === 'full';
const PER_ENTERPRISE = 500;
const PG_STEPS = FULL ? [100_000, 1_000_000, 3_000_000] : [20_000];
/** `ROSTER_PGLITE_STEPS=20000,200000,1000000` tries PGlite further. */
const PGLITE_STEPS = process.env.ROSTER_PGLITE_STEPS
  ? process.env.ROSTER_PGLITE_STEPS.split(',').map(Number)
  : FULL
    ? [20_000, 200_000]
    : [20_000];
const IMPORT_ROWS = FULL ? 50_000 : 5_000;
const READS = FULL ? 200 : 100;
/** Sessions per size: reads rotate over this many enterprises picked across the table. */
const READERS = 20;

const settle = () => new Promise((r) => setTimeout(r, 2500));
/**
 * Signs in as `login` does, waiting out the app's event-loop pressure guard (503 while PGlite, in this
 * process, or the shared machine keeps the loop busy).
 */
async function signIn(app: Parameters<typeof login>[0], username: string, password: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await login(app, username, password);
    } catch (error) {
      if (attempt >= 10 || !String((error as Error).message).includes(' 503 ')) throw error;
      await settle();
    }
  }
}

/** A valid ID number no generated row has (generated rows only carry a hash of a counter). */
function idNumberOf(run: number, i: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + (run * 200 + Math.floor(i / 900)) * 86_400_000);
  const first17 = `410105${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(i % 900).padStart(3, '0')}`;
  return first17 + computeIdCheckDigit(first17);
}

async function rosterXlsx(run: number, rows: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('员工名册');
  ws.addRow([
    '姓名',
    '身份证号',
    '手机号码',
    '岗位类别',
    '工作单元',
    '班组',
    '宿舍',
    '到岗日期',
    '健康码',
    '行程码',
  ]);
  for (let i = 0; i < rows; i++)
    ws.addRow([
      `员工${i}`,
      idNumberOf(run, i),
      `139${String(run * 100_000 + i).padStart(8, '0')}`,
      i % 7 === 0 ? '流动' : '常规',
      `${1 + (i % 12)}车间`,
      i % 2 ? '甲班' : '乙班',
      `${1 + (i % 30)}号楼`,
      '2022-06-01',
      '绿码',
      '正常',
    ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface Target {
  kind: 'PostgreSQL' | 'PGlite';
  bench: BenchDatabase;
  steps: number[];
}

/** Everything one database's cases need: the app with its job queue, the generator and the sessions. */
async function prepareTarget(t: Target) {
  const { database } = t.bench;
  await prepareDatabase(database);
  const config = testConfig();
  const jobs = createJobQueue(database, { pollingIntervalSeconds: 0.5 });
  const wf = workforceJobs({ pii: piiCipherFromSecret(config.secret) });
  await jobs.register(wf.importRoster);
  await jobs.start();
  const { app, ctx } = await buildApp({ config, database, jobs, logger: false });
  await app.ready();
  const counties = (
    await database.query<{ code: string }>(`select code from regions where level = 'county' order by code`)
  ).map((r) => r.code);
  const cipher = ctx.pii.encrypt('王伟');
  let rows = 0;
  const enterpriseUuid = (n: string) => `('00000000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;

  /** Grows the roster to `target` employees, 100 k rows a statement; returns the seconds it took. */
  async function grow(target: number) {
    if (rows >= target) return 0;
    const started = performance.now();
    for (let from = rows; from < target; from += 100_000) {
      const to = Math.min(target, from + 100_000);
      const e0 = Math.ceil(from / PER_ENTERPRISE);
      const e1 = Math.ceil(to / PER_ENTERPRISE);
      await database.db.execute(sql`
        insert into enterprises (id, kind, uscc, name, sectors, region_code)
        select ${sql.raw(enterpriseUuid('n'))}, 'enterprise', 'RB' || lpad(n::text, 16, '0'), '基准企业' || n,
          array['industry'], (${sql.param(counties)}::text[])[1 + n % ${counties.length}]
        from generate_series(${e0}::int, ${e1 - 1}::int) n`);
      // 1 % marked 'S' (the sweep's newly overdue); one in 7 mobile; everyone tested 20 h ago.
      await database.db.execute(sql`
        insert into employees (id, enterprise_id, region_code, name_encrypted, name_masked, id_number_encrypted,
          id_number_hash, id_number_masked, phone_encrypted, phone_hash, phone_masked, role_category, work_unit,
          status, started_at, health_code, health_code_at, health_code_source, itinerary_code, itinerary_code_at,
          itinerary_code_source, last_negative_at, last_test_at, last_result, next_due_at)
        select ${NEW_ID_SQL}, ${sql.raw(enterpriseUuid(`(n / ${PER_ENTERPRISE})`))},
          (${sql.param(counties)}::text[])[1 + (n / ${PER_ENTERPRISE}) % ${counties.length}],
          ${cipher}, '王*', ${cipher}, md5('id' || n), '410105**********' || lpad((n % 100)::text, 2, '0'),
          ${cipher}, md5('ph' || n), '139****' || lpad((n % 10000)::text, 4, '0'),
          case when n % 7 = 0 then 'mobile' else 'regular' end,
          case when n % 100 = 0 then 'S' else (1 + n % 12)::text || '车间' end,
          'active', now() - interval '30 days', 'green', now(), 'import', 'normal', now(), 'import',
          now() - interval '20 hours', now() - interval '20 hours', 'negative',
          now() + case when n % 7 = 0 then interval '4 hours' else interval '28 hours' end
        from generate_series(${from}::int, ${to - 1}::int) n`);
    }
    rows = target;
    await database.exec('analyze employees; analyze enterprises');
    // PGlite runs in this process: let the app's event-loop pressure guard see an idle loop again.
    await settle();
    return (performance.now() - started) / 1000;
  }

  const sessions = new Map<number, Array<{ cookie: string; enterpriseId: string }>>();
  async function readers(at: number) {
    const known = sessions.get(at);
    if (known) return known;
    const enterprises = Math.floor(at / PER_ENTERPRISE);
    const list = [];
    for (let i = 0; i < READERS; i++) {
      const n = Math.floor(((i + 0.5) / READERS) * enterprises);
      const [e] = await database.query<{ id: string; region_code: string }>(
        `select id, region_code from enterprises where uscc = $1`,
        [`RB${String(n).padStart(16, '0')}`],
      );
      const u = await buildUser(database.db, {
        role: 'enterprise',
        kind: 'enterprise',
        regionCode: e!.region_code,
        tier: 'enterprise',
        enterpriseId: e!.id,
      });
      list.push({ cookie: await signIn(app, u.username, u.password), enterpriseId: e!.id });
    }
    sessions.set(at, list);
    return list;
  }

  return { database, app, jobs, grow, readers };
}

type Prepared = Awaited<ReturnType<typeof prepareTarget>>;

/** The SQL the roster route sends for an enterprise user (page of 50 + 1 and the scoped total), bare. */
async function bareRead(database: Database, enterpriseId: string) {
  await database.query(
    `select e.* from employees e join enterprises en on en.id = e.enterprise_id
     where e.enterprise_id = $1 order by e.id limit 51`,
    [enterpriseId],
  );
  await database.query(
    `select count(*)::int as n from employees e join enterprises en on en.id = e.enterprise_id
     where e.enterprise_id = $1`,
    [enterpriseId],
  );
}

const HAND_SWEEP = `
  with newly as (
    update employees set overdue = true
    where status = 'active' and not overdue and next_due_at < now()
    returning id, enterprise_id, region_code)
  insert into alerts (id, kind, state, enterprise_id, region_code, employee_id, raised_at, deadline, summary)
  select gen_random_uuid(), 'overdue_test', 'new', enterprise_id, region_code, id, now(),
    now() + interval '1 day', '超期' from newly`;

function stepCases(p: Prepared, at: number, growth: Record<string, string | number>): BenchCase[] {
  const name = (what: string) => `${what} @ ${sizeLabel(at)}`;
  let k = 0;
  const setup = async () => {
    const secs = await p.grow(at);
    if (secs > 0) growth[`generated to ${sizeLabel(at)} (s)`] = Math.round(secs);
    await p.readers(at);
  };
  const sweepSetup = async () => {
    await setup();
    await p.database.exec(`
      delete from alerts where kind = 'overdue_test';
      update employees set overdue = false, next_due_at = now() - interval '1 hour' where work_unit = 'S';
      analyze alerts`);
  };
  const reads = { coldRuns: 1, warmup: 20, iterations: READS };
  return [
    {
      name: name('bare SQL read'),
      ...reads,
      setup,
      note: 'page (limit 51) + count for one enterprise, straight to the database',
      run: async () => {
        const r = (await p.readers(at))[k++ % READERS]!;
        await bareRead(p.database, r.enterpriseId);
      },
    },
    {
      name: name('GET /workforce/employees'),
      ...reads,
      setup,
      note: 'as an enterprise user: session, scope, page of 50 with compliance, total, response schema',
      run: async () => {
        const r = (await p.readers(at))[k++ % READERS]!;
        const res = await p.app.inject({
          method: 'GET',
          url: `/api/v1/workforce/employees?enterpriseId=${r.enterpriseId}`,
          headers: { cookie: r.cookie },
        });
        if (res.statusCode !== 200 || res.json().total !== PER_ENTERPRISE)
          throw new Error(`roster read: ${res.statusCode} ${res.body.slice(0, 200)}`);
      },
    },
    {
      name: name('hand-written sweep SQL'),
      coldRuns: 2,
      warmup: 0,
      iterations: 1,
      setup: sweepSetup,
      note: `flag + insert alerts, ${sizeLabel(at / 100)} newly overdue`,
      run: () => p.database.exec(HAND_SWEEP),
    },
    {
      name: name('raiseOverdueAlerts (ours)'),
      coldRuns: 2,
      warmup: 0,
      iterations: 1,
      setup: sweepSetup,
      note: 'the job: flag + alerts (UUIDv7, masked-name summary) + audit row',
      run: async () => {
        const r = await raiseOverdueAlerts({ db: p.database.db, now: () => new Date() });
        if (r.raised !== at / 100) throw new Error(`sweep raised ${r.raised}, expected ${at / 100}`);
      },
    },
  ];
}

/** Upload an .xlsx of IMPORT_ROWS people for a fresh enterprise and wait for the job to succeed. */
/** Per import run: seconds until every row had parsed, and after (the checks and the one commit). */
const phases: string[] = [];

function importCase(p: Prepared, kind: string, at: number): BenchCase {
  let run = 0;
  let next: { cookie: string; file: Buffer } | null = null;
  return {
    name: `roster import ${sizeLabel(IMPORT_ROWS)} rows (.xlsx, upload + job) @ ${sizeLabel(at)}`,
    // Every timed run needs a fresh setup (a new enterprise and file): cold runs, and one warm run after its setup.
    coldRuns: 2,
    warmup: 0,
    iterations: 1,
    note: `${kind}: POST /workforce/employees/import, then GET /jobs/:id every 100 ms until succeeded`,
    setup: async () => {
      run++;
      const e = await buildEnterprise(p.database.db, {
        regionCode: '410105',
        uscc: `91410105IMP${String(run).padStart(7, '0')}`,
      });
      const u = await buildUser(p.database.db, {
        role: 'enterprise',
        kind: 'enterprise',
        regionCode: '410105',
        tier: 'enterprise',
        enterpriseId: e.id,
      });
      next = {
        cookie: await signIn(p.app, u.username, u.password),
        file: await rosterXlsx(run, IMPORT_ROWS),
      };
      await settle();
    },
    run: async () => {
      const { cookie, file } = next!;
      const res = await p.app.inject({
        method: 'POST',
        url: '/api/v1/workforce/employees/import',
        headers: {
          cookie,
          'content-type': 'application/octet-stream',
          'idempotency-key': randomUUID(),
          'x-file-name': encodeURIComponent('名册.xlsx'),
        },
        payload: file,
      });
      if (res.statusCode !== 202) throw new Error(`import upload: ${res.statusCode} ${res.body}`);
      const { progressId } = res.json();
      const started = performance.now();
      let parsed: number | null = null;
      for (;;) {
        const job = (
          await p.app.inject({ method: 'GET', url: `/api/v1/jobs/${progressId}`, headers: { cookie } })
        ).json();
        // The progress reaches the total when every row has parsed; checks and the commit follow.
        if (parsed === null && job.total > 0 && job.done === job.total) parsed = performance.now();
        if (job.status === 'succeeded') {
          if (job.result?.imported !== IMPORT_ROWS) throw new Error(`imported ${JSON.stringify(job.result)}`);
          const end = performance.now();
          phases.push(
            `${(((parsed ?? end) - started) / 1000).toFixed(1)} s parse + ${((end - (parsed ?? end)) / 1000).toFixed(1)} s check/commit`,
          );
          return;
        }
        if (job.status === 'failed') throw new Error(`import failed: ${JSON.stringify(job).slice(0, 500)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

function ratios(cases: readonly CaseResult[], steps: number[]) {
  const out: Record<string, string | number> = {};
  for (const at of steps) {
    const bare = cases.find((c) => c.name === `bare SQL read @ ${sizeLabel(at)}`);
    const api = cases.find((c) => c.name === `GET /workforce/employees @ ${sizeLabel(at)}`);
    const hand = cases.find((c) => c.name === `hand-written sweep SQL @ ${sizeLabel(at)}`);
    const ours = cases.find((c) => c.name === `raiseOverdueAlerts (ours) @ ${sizeLabel(at)}`);
    if (bare && api) {
      out[`read p50 / p95 @ ${sizeLabel(at)} (API)`] =
        `${api.warmMedianMs.toFixed(1)} / ${api.warmP95Ms.toFixed(1)} ms`;
      out[`read p50 / p95 @ ${sizeLabel(at)} (bare SQL)`] =
        `${bare.warmMedianMs.toFixed(1)} / ${bare.warmP95Ms.toFixed(1)} ms`;
    }
    if (hand && ours)
      out[`sweep ours ÷ hand-written @ ${sizeLabel(at)}`] = round2(ours.coldMedianMs / hand.coldMedianMs);
  }
  return out;
}
const round2 = (x: number) => Math.round(x * 100) / 100;

async function benchTarget(t: Target, name: string) {
  const p = await prepareTarget(t);
  const growth: Record<string, string | number> = {};
  try {
    const cases = t.steps.flatMap((at) => stepCases(p, at, growth));
    // The import runs after the last step, into the largest roster.
    const imp = importCase(p, t.kind, t.steps.at(-1)!);
    const report = await runBench({
      name,
      title: `Workforce rosters as they grow: reads, the overdue sweep and a 50 k import (${t.kind})`,
      size,
      sizes: {
        employees: t.steps.map(sizeLabel).join(' → '),
        perEnterprise: PER_ENTERPRISE,
        readsPerStep: READS,
        importRows: IMPORT_ROWS,
      },
      baseline: `bare SQL read @ ${sizeLabel(t.steps[0]!)}`,
      cases: [...cases, imp],
      notes: [
        'Speedup is against the bare read at the smallest size: below 1 means slower. Reads rotate over 20 enterprises picked across the table; one request at a time.',
        'Sweep rows: cold median of 2 fresh setups (1 % of the roster newly overdue each time).',
        'Import: the first run (cold) also pays for JIT; each run is a fresh enterprise and file, into the largest roster. The phase split (parse vs check + commit) is read off the progress polls: on PGlite a poll waits for the job’s transaction, so there the commit lands in “parse”.',
        'The machine may be shared during a run: read the load average before and after.',
      ],
      extra: (measured) => ({
        ...ratios(measured, t.steps),
        ...growth,
        'import phases, run by run': phases.splice(0).join('; '),
        loadAverageAfter: os
          .loadavg()
          .map((x) => x.toFixed(2))
          .join(' '),
      }),
    });
    return report;
  } finally {
    await p.app.close();
    await p.jobs.stop({ graceful: false });
  }
}

const pg = process.env.ROSTER_PG === 'off' ? 'ROSTER_PG=off' : await createPostgres('roster');
if (typeof pg === 'string') console.log(`bench roster (PostgreSQL): skipped (${pg})`);
else
  try {
    await benchTarget({ kind: 'PostgreSQL', bench: pg, steps: PG_STEPS }, 'roster');
  } finally {
    await pg.destroy();
  }

if (process.env.ROSTER_PGLITE !== 'off') {
  const lite = await openPgliteFolder('roster');
  try {
    await benchTarget({ kind: 'PGlite', bench: lite, steps: PGLITE_STEPS }, 'roster-pglite');
  } finally {
    await lite.destroy();
  }
}
