/**
 * Workforce (issue 5), side by side on PostgreSQL:
 * 1. lab results through our API (token auth, validation, idempotency key, natural-key check, matching by ID
 *    hash, compliance update, audit — one transaction) vs raw server-side `COPY` of the same rows into
 *    `pcr_tests` (no validation, no matching, no compliance): rows per second;
 * 2. the overdue sweep (`raiseOverdueAlerts`: flag + alerts + audit) vs a hand-written statement doing the
 *    same flag-and-insert.
 *
 *   npm run bench -- workforce [--size small]
 */
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { computeIdCheckDigit } from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import { buildApp } from '../apps/server/src/app';
import { createApiToken } from '../apps/server/src/modules/iam';
import { raiseOverdueAlerts } from '../apps/server/src/modules/workforce';
import { prepareDatabase } from '../apps/server/src/platform/bootstrap';
import { newId } from '../apps/server/src/platform/ids';
import { buildOrgUnit, testConfig } from '../apps/server/test/app';
import { createPostgres } from './lib/databases';
import { benchSize, runBench } from './lib/harness';

const size = benchSize();
const FULL = size === 'full';
const EMPLOYEES = FULL ? 200_000 : 5_000;
const PER_ENTERPRISE = 500;
const BATCH = FULL ? 10_000 : 1_000;
/** Batches prepared per ingest case: enough for its cold, warm-up and timed runs. */
const RUNS = 10;
const COPY_COLUMNS =
  'id, sampled_at, enterprise_id, region_code, employee_id, lab_org_unit_id, lab_sample_id, tube_id, method, result, retest_of_lab_sample_id, received_at';

function idNumberOf(i: number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + Math.floor(i / 900) * 86_400_000);
  const first17 = `410105${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(i % 900).padStart(3, '0')}`;
  return first17 + computeIdCheckDigit(first17);
}

const pg = await createPostgres('workforce');
if (typeof pg === 'string') {
  console.log(`bench workforce: skipped (${pg})`);
  process.exit(0);
}
const { database } = pg;
const tempFiles: string[] = [];
try {
  await prepareDatabase(database);
  const db = database.db;
  const { app, ctx } = await buildApp({ config: testConfig(), database, logger: false });
  await app.ready();

  // Roster: EMPLOYEES people in EMPLOYEES / 500 enterprises of 金水区, due in a day.
  const enterpriseIds: string[] = [];
  for (let e = 0; e < EMPLOYEES / PER_ENTERPRISE; e++) enterpriseIds.push(newId());
  await db.execute(sql`
    insert into enterprises (id, kind, uscc, name, sectors, region_code)
    select (e->>'id')::uuid, 'enterprise', 'BENCH' || lpad(n::text, 13, '0'), '基准企业' || n, array['industry'], '410105'
    from jsonb_array_elements(${JSON.stringify(enterpriseIds.map((id) => ({ id })))}::jsonb) with ordinality as t(e, n)`);
  const employees: Array<{ id: string; enterpriseId: string; idNumber: string }> = [];
  for (let i = 0; i < EMPLOYEES; i++)
    employees.push({
      id: newId(),
      enterpriseId: enterpriseIds[Math.floor(i / PER_ENTERPRISE)]!,
      idNumber: idNumberOf(i),
    });
  for (let i = 0; i < employees.length; i += 10_000) {
    const chunk = employees
      .slice(i, i + 10_000)
      .map((e) => ({ ...e, hash: ctx.pii.lookupHash('id_number', e.idNumber) }));
    // Encrypted columns hold a placeholder: the bench never decrypts, and AES for 200 k rows is setup, not the case.
    await db.execute(sql`
      insert into employees (id, enterprise_id, region_code, name_encrypted, name_masked, id_number_encrypted,
        id_number_hash, id_number_masked, phone_encrypted, phone_hash, phone_masked, role_category, status,
        started_at, health_code, health_code_at, health_code_source, itinerary_code, itinerary_code_at,
        itinerary_code_source, next_due_at)
      select r.id, r."enterpriseId", '410105', 'v1.bench', '员*', 'v1.bench', r.hash, '4101**********0000',
        'v1.bench', r.hash, '138****0000', 'regular', 'active', now() - interval '30 days', 'green', now(), 'import',
        'normal', now(), 'import', now() + interval '1 day'
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as r(id uuid, "enterpriseId" uuid, hash text)`);
  }
  await database.exec('analyze');
  const lab = await buildOrgUnit(db, { kind: 'lab', regionCode: '410100', tier: 'city' });
  const { token } = await createApiToken(
    db,
    {
      name: 'bench',
      orgUnitId: lab.id,
      role: 'lab',
      permissions: ['workforce.ingest_tests'],
      expiresAt: new Date(Date.now() + 86_400_000),
    },
    { actor: null },
  );

  // The same rows for both ingest cases: batch k holds BATCH people, sampled k minutes apart.
  const base = Date.now() - 6 * 3_600_000;
  const batchRows = (label: string, k: number) =>
    Array.from({ length: BATCH }, (_, j) => {
      const e = employees[(k * BATCH + j) % EMPLOYEES]!;
      return { e, sampleId: `${label}-${k}-${j}`, sampledAt: new Date(base + k * 60_000 + j).toISOString() };
    });
  const apiBodies = Array.from({ length: RUNS }, (_, k) =>
    JSON.stringify(
      batchRows('API', k).map((r) => ({
        labSampleId: r.sampleId,
        idNumber: r.e.idNumber,
        sampledAt: r.sampledAt,
        result: 'negative',
        method: 'pooled',
        tubeId: `T-${k}`,
      })),
    ),
  );
  const receivedAt = new Date().toISOString();
  const copyFiles = Array.from({ length: RUNS }, (_, k) => {
    const file = path.join(os.tmpdir(), `sibao-bench-copy-${process.pid}-${k}.csv`);
    const lines = batchRows('COPY', k).map((r) =>
      [
        newId(),
        r.sampledAt,
        r.e.enterpriseId,
        '410105',
        r.e.id,
        lab.id,
        r.sampleId,
        `T-${k}`,
        'pooled',
        'negative',
        '',
        receivedAt,
      ].join(','),
    );
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o644 });
    tempFiles.push(file);
    return file;
  });
  // The floor of what the API must do: the same COPY plus the compliance UPDATE of the batch's employees.
  const floorFiles = Array.from({ length: RUNS }, (_, k) => {
    const file = path.join(os.tmpdir(), `sibao-bench-floor-${process.pid}-${k}.csv`);
    // Employees of batches RUNS.. (not the API's), so neither case updates rows the other left dead.
    const rows = batchRows('FLOOR', k + RUNS);
    writeFileSync(
      file,
      `${rows
        .map((r) =>
          [
            newId(),
            r.sampledAt,
            r.e.enterpriseId,
            '410105',
            r.e.id,
            lab.id,
            r.sampleId,
            `T-${k}`,
            'pooled',
            'negative',
            '',
            receivedAt,
          ].join(','),
        )
        .join('\n')}\n`,
      { mode: 0o644 },
    );
    tempFiles.push(file);
    return { file, ids: `{${rows.map((r) => r.e.id).join(',')}}` };
  });
  let apiNext = 0;
  let copyNext = 0;
  let floorNext = 0;
  let apiFailures = 0;

  // The sweep: SLICES tenths of the roster fall due one after another, 2 h apart, from T0 on. Run i after a
  // setup sweeps at T0 + 2i h and so flags exactly slice i (~10 % of the roster): one setup serves the warm-up
  // and the timed runs, instead of one timed run per setup.
  const SLICES = 6;
  const T0 = Date.now() + 3 * 86_400_000;
  let sweepRun = 0;
  const sweepNow = () => new Date(T0 + 2 * 3_600_000 * sweepRun++);
  const sweepSetup = async () => {
    await database.exec(`
      delete from alerts;
      update employees set overdue = false,
        next_due_at = case when abs(hashtext(id::text)) % 10 < ${SLICES}
          then to_timestamp(${T0 / 1000}) + (2 * (abs(hashtext(id::text)) % 10) - 1) * interval '1 hour'
          else to_timestamp(${T0 / 1000}) + interval '7 days' end;`);
    await database.exec('vacuum analyze employees');
    sweepRun = 0;
  };
  const fresh = { coldRuns: 3, warmup: 1, iterations: SLICES - 1 };

  const ingest = await runBench({
    name: 'workforce-ingest',
    title: 'Workforce: lab results through the API vs raw COPY of the same rows (PostgreSQL)',
    size,
    sizes: { employees: EMPLOYEES, batchRows: BATCH },
    baseline: 'COPY (raw rows)',
    cases: [
      {
        name: 'COPY (raw rows)',
        coldRuns: 2,
        warmup: 1,
        iterations: 5,
        note: 'server-side COPY of the same rows, already matched, no checks',
        run: () =>
          database.exec(`copy pcr_tests (${COPY_COLUMNS}) from '${copyFiles[copyNext++]}' with (format csv)`),
      },
      {
        name: 'POST /workforce/test-results',
        coldRuns: 2,
        warmup: 1,
        iterations: 5,
        note: 'token auth, validation, idempotency, natural key, matching, compliance, audit; one transaction',
        run: async () => {
          const res = await app.inject({
            method: 'POST',
            url: '/api/v1/workforce/test-results',
            headers: {
              authorization: `Bearer ${token}`,
              'idempotency-key': newId(),
              'content-type': 'application/json',
            },
            payload: apiBodies[apiNext++]!,
          });
          if (res.statusCode !== 200 || res.json().accepted !== BATCH) apiFailures++;
        },
      },
      {
        name: 'COPY + compliance UPDATE (floor)',
        coldRuns: 2,
        warmup: 1,
        iterations: 5,
        note: 'COPY of as many rows, then one UPDATE of their 10 k employees (last negative, due time, last result), one transaction; the other half of the roster, so it leaves the API case’s rows alone',
        run: () => {
          const { file, ids } = floorFiles[floorNext++]!;
          return database.exec(`
            begin;
            copy pcr_tests (${COPY_COLUMNS}) from '${file}' with (format csv);
            update employees set last_negative_at = now() - interval '1 hour', next_due_at = now() + interval '47 hours',
              last_test_at = now() - interval '1 hour', last_result = 'negative', updated_at = now()
            where id = any('${ids}'::uuid[]);
            commit;`);
        },
      },
    ],
    notes: [
      "Speedup < 1 means slower than COPY: the API's share of COPY's rows/s (issue 5 asks ≥ 0.5×, goal 0.7×).",
      'Where the time goes (10 k rows, PostgreSQL, quiet machine, statement times as the client sees them). ' +
        'Before this round, ~0.85-1.0 s: compliance UPDATE of 10 k employees 244 ms, matching by ID hash (two ' +
        'statements of 5,000) 164 ms, `pcr_tests` INSERT from a jsonb record set 136 ms, natural-key probes 38 ms, ' +
        'JavaScript ~235 ms (zod per row ~55, one HMAC per row ~25, one uuid per row ~25, JSON documents for the ' +
        'jsonb parameters and the request hash ~30, GC ~40). After: ~0.7 s — compliance UPDATE 276 ms, INSERT ' +
        '120 ms, matching 117 ms, probe 23 ms, JavaScript ~150 ms.',
      'What changed: plainly valid rows skip zod (zod still decides and names every error; a property test ' +
        'holds the fast path to zod’s exact output), one HMAC per distinct ID number, bulk UUIDv7s, every bulk ' +
        'column travels as ONE text parameter split by `string_to_array` (the same SQL on PGlite; the server ' +
        'spends ~40 % less on the INSERT than on `jsonb_to_recordset`), one statement each for the natural-key ' +
        'probe and the matching.',
      'The floor row does only the COPY plus the compliance UPDATE of 10 k employees (no checks, no ' +
        'matching, no audit) and is already ~0.3× of COPY: updating 10 k wide `employees` rows with five ' +
        'indexes — `next_due_at` is indexed, so never a HOT update — costs 2-3× the COPY itself, and the API ' +
        'must also find the people (10 k keyed-hash probes). Tuning cannot reach 0.5×. A schema change would ' +
        'help most: the compliance columns in a narrow table of their own (employee id, last negative, next ' +
        'due, overdue, last test and result; fillfactor < 100; primary key + the due index) — measured 4-5× ' +
        'cheaper to update for the same 10 k rows — which would still leave matching (~120 ms) and ' +
        'JavaScript (~150 ms): an estimated ~0.2-0.25×. Beyond that, compliance would have to be applied ' +
        'just after the batch (a job) rather than in its transaction.',
      'PGlite is not measured: COPY from a server-side file needs PostgreSQL.',
    ],
    extra: () => ({ apiFailures }),
  });
  for (const c of ingest.cases)
    console.log(`  ${c.name}: ${Math.round((BATCH / c.warmMedianMs) * 1000)} rows/s`);

  await runBench({
    name: 'workforce-sweep',
    title: 'Workforce: the overdue sweep vs a hand-written statement (PostgreSQL)',
    size,
    sizes: { employees: EMPLOYEES, newlyOverduePerRun: `~${EMPLOYEES / 10}` },
    baseline: 'hand-written sweep SQL',
    cases: [
      {
        name: 'hand-written sweep SQL',
        ...fresh,
        setup: sweepSetup,
        note: 'one statement: flag + insert alerts',
        run: () => {
          const at = sweepNow().toISOString();
          return database.exec(`
            with newly as (
              update employees set overdue = true
              where status = 'active' and not overdue and next_due_at < '${at}'::timestamptz
              returning id, enterprise_id, region_code)
            insert into alerts (id, kind, state, enterprise_id, region_code, employee_id, raised_at, deadline, summary)
            select gen_random_uuid(), 'overdue_test', 'new', enterprise_id, region_code, id, '${at}'::timestamptz,
              '${at}'::timestamptz + interval '1 day', '超期' from newly`);
        },
      },
      {
        name: 'raiseOverdueAlerts (ours)',
        ...fresh,
        setup: sweepSetup,
        note: 'the job: flag + alerts (UUIDv7, masked-name summary) + audit row',
        run: () => {
          const at = sweepNow();
          return raiseOverdueAlerts({ db, now: () => at });
        },
      },
    ],
    notes: [
      'Each cold run follows a fresh setup; the warm runs share one setup and each sweeps a later instant, so every run flags a fresh ~10 % of the roster.',
      'Same work on both sides except ours also writes the audit row and a UUIDv7 + masked-name summary per ' +
        'alert; the two agree within the noise of a shared machine. (Earlier runs timed one warm run per ' +
        'case, so a single slow run decided the ratio.)',
    ],
  });
  await app.close();
} finally {
  for (const f of tempFiles) rmSync(f, { force: true });
  await pg.destroy();
}
