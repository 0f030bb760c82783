import { computeIdCheckDigit, type RoleCategory } from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import { loadParameterStore } from '../modules/parameters';
import {
  cadenceHoursAt,
  columnArray,
  dailyReportDeadline,
  employees,
  ensurePcrTestPartitions,
  type ModeChange,
  NEW_ID_SQL,
  newIds,
  nextTestDue,
  operatingModeChanges,
  personColumns,
  raiseOverdueAlerts,
} from '../modules/workforce';
import { writeAudit } from '../platform/audit';
import type { PiiCipher } from '../platform/crypto';
import { type Db, insertRecordSet, rows } from '../platform/db';
import type { DemoSize } from './demo.generate';
import { createRandom, type Random } from './random';

/**
 * Workforce demo data for the whole province (sizes m and l): rosters for every active whitelisted enterprise
 * that has none yet (so the five hand-made Zhengzhou rosters of demo.workforce.ts are skipped), each person
 * with their own name, ID number (GB 11643 check digit, the enterprise's county as region prefix, unique in
 * the province) and phone — encrypted, hashed and masked by the roster service's own `personColumns` —,
 * roles (≈ 82 % regular, 15 % mobile, 3 % city supply), work units, shifts and dorms (划小单元).
 *
 * PCR histories cover the last `BULK_WINDOW_DAYS` = 7 days only: ≈ 12 M test rows at 3 M people (≈ 8 min of the
 * ≈ 19 min `seed --size m` measured on PostgreSQL). DESIGN.md §6's 60 M rows over 30 days is the benchmark shape
 * (bench/); generating it here would add some 40 minutes and 20 GB to every seed, for history no page shows —
 * the pages show the last test and the week's compliance.
 *
 * How the pieces stay consistent:
 * - employees (JS, chunks of 20 k through `insertRecordSet`, one in flight while the next is built; the AES-GCM
 *   encryption is most of the time): each person's last test is drawn from the seed —
 *   a daytime sample within one cadence before `now` (a random phase), or 3–5 days ago for the ≈ 6.5 % who
 *   lapsed —, and the compliance columns are computed from it on the spot with `nextTestDue` (the role's cadence
 *   from the parameter store, the enterprise's mode history — none in a fresh demo province, so tests follow the
 *   normal-mode cadence): last_negative_at = last_test_at = that sample,
 *   last_result negative, next_due_at from the rule. No second pass rewrites 3 M rows.
 * - tests (SQL, set-based): from the employees rows, `generate_series` back from last_test_at at the role's
 *   cadence (again from the parameter store) to the window's start. The latest test of each person is therefore
 *   exactly last_test_at, and every test is negative.
 * - alerts: `raiseOverdueAlerts` (the sweep) flags the lapsed and raises their `overdue_test` alerts.
 * - daily reports (SQL, set-based): the last six business days per generated enterprise, ≈ 17 % missing and
 *   ≈ 15 % of those filed late, deadlines from `workforce.dailyReportDeadline`.
 *
 * Deterministic for a seed (and the province seeded with it) and `now`: the same people, masks, roles, test
 * times and reports; ciphertexts differ (random IVs) and so do row ids. One transaction: a failure leaves none
 * of it. Progress goes to `progress` every 200 k people and per slice of tests.
 */

export const BULK_WINDOW_DAYS = 7;
/** People generated on top of the hand-made demo, per demo size (DESIGN.md §6: ~3 M for ~40 k enterprises). */
export const BULK_WORKFORCE_EMPLOYEES: Readonly<Record<DemoSize, number>> = {
  s: 0,
  m: 3_000_000,
  l: 7_500_000,
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHANGHAI_MS = 8 * HOUR;
const CHUNK = 20_000;
const PROGRESS_EVERY = 200_000;
/** Employees per statement of the test generation (≈ 3 tests each). */
const TEST_SLICE = 250_000;
const REPORT_DAYS = 6;
const LAPSED_SHARE = 0.065;
const ROLES: ReadonlyArray<readonly [RoleCategory, number]> = [
  ['regular', 82],
  ['mobile', 15],
  ['city_supply', 3],
];

const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 90],
  ['李', 85],
  ['张', 80],
  ['刘', 65],
  ['陈', 50],
  ['杨', 45],
  ['赵', 30],
  ['黄', 25],
  ['周', 25],
  ['吴', 22],
  ['徐', 20],
  ['孙', 20],
  ['马', 20],
  ['朱', 18],
  ['胡', 16],
  ['郭', 16],
  ['何', 12],
  ['高', 14],
  ['林', 10],
  ['罗', 10],
  ['郑', 10],
  ['梁', 9],
  ['谢', 8],
  ['宋', 9],
  ['唐', 7],
  ['许', 8],
  ['韩', 8],
  ['冯', 7],
  ['邓', 6],
  ['曹', 7],
  ['彭', 5],
  ['曾', 5],
  ['田', 6],
  ['董', 6],
  ['袁', 5],
  ['潘', 4],
  ['于', 5],
  ['蒋', 4],
  ['蔡', 4],
  ['余', 4],
  ['杜', 4],
  ['叶', 4],
  ['程', 5],
  ['苏', 4],
  ['魏', 5],
  ['吕', 4],
  ['丁', 4],
  ['任', 4],
  ['牛', 4],
  ['申', 3],
];
const GIVEN =
  '伟芳娜敏静磊洋勇艳杰军丽强霞涛明超秀英华平刚桂兰玉梅红建国志宏亮鹏飞晓燕丹萍海波辉斌浩宇欣怡子涵雪婷晨阳俊峰鑫璐凯文博家豪思琪佳颖振东红卫永春'.split(
    '',
  );
const PHONE_PREFIXES = [
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '182',
  '183',
  '187',
  '188',
  '130',
  '131',
  '132',
  '155',
  '156',
  '185',
  '186',
  '133',
  '153',
  '177',
  '180',
  '181',
  '189',
  '199',
];
const UNITS: Readonly<Record<RoleCategory, readonly string[]>> = {
  regular: ['一车间', '二车间', '三车间', '包装车间', '质检中心', '仓储中心', '设备维修部', '行政后勤部'],
  mobile: ['运输队', '销售部', '仓储物流部', '外勤服务组'],
  city_supply: ['保供配送组', '保供运输队'],
};
const SHIFTS = ['甲班', '乙班', '丙班', '常白班'] as const;

export interface BulkWorkforceOptions {
  /** How many people to spread over the enterprises (the test suite uses a few hundred). */
  employees: number;
  seed?: number;
  now?: Date;
  /** One line of progress (the CLI writes it to stderr). */
  progress?: (line: string) => void;
}

export interface BulkWorkforceResult {
  enterprises: number;
  employees: number;
  lapsed: number;
  tests: number;
  overdueAlerts: number;
  dailyReports: number;
  /** Wall time per phase, seconds. */
  seconds: { employees: number; tests: number; alerts: number; reports: number };
}

interface Enterprise {
  id: string;
  region_code: string;
  uscc: string;
  headcount: number;
}

/** Shanghai midnight (epoch ms) of the business day `days` before `now`'s. */
function shanghaiMidnightDaysBefore(now: number, days: number): number {
  return Math.floor((now + SHANGHAI_MS) / DAY) * DAY - SHANGHAI_MS - days * DAY;
}

/**
 * The sample time of the person's latest test: a daytime sample (07:00–19:59 Shanghai) after `earliest` and
 * at or before `latest` when one of a few draws lands there, else a plain instant in that range.
 */
function drawSampleTime(rnd: Random, now: number, earliest: number, latest: number): number {
  const days = Math.ceil((now - earliest) / DAY) + 1;
  for (let attempt = 0; attempt < 8; attempt++) {
    const t = shanghaiMidnightDaysBefore(now, rnd.int(0, days)) + rnd.int(7 * 60, 19 * 60 + 59) * 60_000;
    if (t > earliest && t <= latest) return t;
  }
  return Math.floor((earliest + 60_000 + rnd.next() * (latest - earliest - 60_000)) / 60_000) * 60_000;
}

/** Age 18–60, most between 25 and 50; returns YYYYMMDD. */
function drawBirthDate(rnd: Random, now: Date): string {
  const age = Math.min(
    60,
    Math.max(18, Math.round(36 + 9 * (rnd.next() + rnd.next() + rnd.next() - 1.5) * 1.6)),
  );
  const born = new Date(Date.UTC(now.getUTCFullYear() - age, 0, 1) + rnd.int(0, 364) * DAY);
  return born.toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * Generates the province's rosters, test histories, overdue alerts and daily reports (see the module comment).
 * Throws when the database has no lab org unit (seed the demo province first).
 */
export async function seedBulkWorkforce(
  db: Db,
  pii: PiiCipher,
  options: BulkWorkforceOptions,
): Promise<BulkWorkforceResult> {
  const rnd = createRandom((options.seed ?? 20220525) + 3);
  const seed = options.seed ?? 20220525;
  const progress = options.progress ?? (() => {});
  const now = new Date(Math.floor((options.now ?? new Date()).getTime() / HOUR) * HOUR);
  const nowMs = now.getTime();
  const windowStart = nowMs - BULK_WINDOW_DAYS * DAY;
  const params = await loadParameterStore(db);
  // The role's cadence in normal mode, from the parameter version in force now (指南 二(一), 三(六)).
  const cadence = Object.fromEntries(
    ROLES.map(([role]) => [role, cadenceHoursAt(role, 'normal', params, now)]),
  ) as Record<RoleCategory, number>;
  await ensurePcrTestPartitions(db, new Date(windowStart));
  await ensurePcrTestPartitions(db, now);
  const [lab] = await rows<{ id: string }>(
    db,
    sql`select id from org_units where kind = 'lab' order by name limit 1`,
  );
  if (!lab) throw new Error('No lab org unit: seed the demo province before its workforce.');

  // Active whitelisted enterprises without a roster, county by county (so a county's ID numbers are drawn
  // together), in USCC order: the seed decides who works where.
  const firms = await rows<Enterprise>(
    db,
    sql`select e.id, e.region_code, e.uscc, e.headcount from enterprises e
        where exists (select 1 from whitelist_entries w where w.enterprise_id = e.id and w.status = 'active')
          and not exists (select 1 from employees x where x.enterprise_id = e.id)
        order by e.region_code, e.uscc`,
  );
  // Headcount from the enterprise's own figure (20–300 where it has none), scaled so the total is the target:
  // cumulative rounding gives exactly `options.employees` people, in proportion.
  const weights = firms.map((f) => (f.headcount > 0 ? f.headcount : rnd.int(20, 300)));
  const total = weights.reduce((s, w) => s + w, 0);
  const sizes: number[] = [];
  let cumulative = 0;
  for (const w of weights) {
    const before = Math.round((cumulative * options.employees) / (total || 1));
    cumulative += w;
    sizes.push(Math.round((cumulative * options.employees) / (total || 1)) - before);
  }
  const modeChanges = new Map<string, ModeChange[]>();
  for (const c of await db.select().from(operatingModeChanges).orderBy(operatingModeChanges.at)) {
    const list = modeChanges.get(c.enterpriseId) ?? [];
    list.push({ at: c.at, mode: c.mode });
    modeChanges.set(c.enterpriseId, list);
  }
  // ID numbers the database already holds (the hand-made demo's roster, arrivals, kept-aside results and
  // purchases: a few hundred): never drawn again, so no one is two people.
  const taken = new Set<string>();
  for (const r of await rows<{ t: string }>(
    db,
    sql`select id_number_encrypted as t from employees where id_number_encrypted is not null
        union all select id_number_encrypted from arrivals where id_number_encrypted is not null
        union all select id_number_encrypted from pcr_unmatched_results
        union all select id_number_encrypted from drug_purchases`,
  ))
    taken.add(pii.decrypt(r.t).slice(0, 17));

  return db.transaction(async (tx) => {
    const result: BulkWorkforceResult = {
      enterprises: 0,
      employees: 0,
      lapsed: 0,
      tests: 0,
      overdueAlerts: 0,
      dailyReports: 0,
      seconds: { employees: 0, tests: 0, alerts: 0, reports: 0 },
    };
    const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

    // --- employees, with their compliance columns -----------------------------------------------------
    let started = performance.now();
    const generated: Array<{ id: string; people: number }> = [];
    let chunk: Array<typeof employees.$inferInsert> = [];
    let ids: string[] = [];
    let county = '';
    let inCounty = new Set<string>();
    let reported = 0;
    // One insert in flight while the next chunk is built (encryption dominates the JS side): the database and
    // this process work at the same time. A failed insert is rethrown at the next flush.
    let inFlight: Promise<void> = Promise.resolve();
    let failure: unknown = null;
    const flush = async () => {
      await inFlight;
      if (failure) throw failure;
      if (chunk.length === 0) return;
      const values = chunk;
      chunk = [];
      inFlight = insertRecordSet(tx, employees, values, CHUNK).then(
        () => {
          result.employees += values.length;
          if (result.employees - reported >= PROGRESS_EVERY || result.employees === options.employees) {
            reported = result.employees;
            progress(
              `employees ${result.employees.toLocaleString('en')} / ${options.employees.toLocaleString('en')} (${seconds(started)} s)`,
            );
          }
        },
        (error: unknown) => {
          failure = error;
        },
      );
    };
    for (const [i, firm] of firms.entries()) {
      const size = sizes[i]!;
      if (size === 0) continue;
      if (firm.region_code !== county) {
        county = firm.region_code;
        inCounty = new Set();
      }
      generated.push({ id: firm.id, people: size });
      const modes = modeChanges.get(firm.id) ?? [];
      for (let p = 0; p < size; p++) {
        const name = `${rnd.weighted(SURNAMES)}${rnd.pick(GIVEN)}${rnd.bool(0.7) ? rnd.pick(GIVEN) : ''}`;
        let first17: string;
        do
          first17 = `${firm.region_code}${drawBirthDate(rnd, now)}${String(rnd.int(0, 999)).padStart(3, '0')}`;
        while (inCounty.has(first17) || taken.has(first17));
        inCounty.add(first17);
        const idNumber = first17 + computeIdCheckDigit(first17);
        const phone = `${rnd.pick(PHONE_PREFIXES)}${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`;
        const role = rnd.weighted(ROLES);
        const hours = cadence[role];
        const lapsed = rnd.bool(LAPSED_SHARE);
        // A random phase: the latest sample within one cadence before now (at least an hour ago), or for the
        // lapsed 3–5 days ago — they stopped testing and the sweep will find them.
        const last = lapsed
          ? drawSampleTime(rnd, nowMs, nowMs - 5 * DAY, nowMs - 3 * DAY)
          : drawSampleTime(rnd, nowMs, nowMs - hours * HOUR, nowMs - HOUR);
        if (lapsed) result.lapsed++;
        const startedAt = new Date(shanghaiMidnightDaysBefore(nowMs, rnd.int(BULK_WINDOW_DAYS + 1, 720)));
        const lastAt = new Date(last);
        const due = nextTestDue({ roleCategory: role, startedAt, lastNegativeAt: lastAt }, modes, params);
        if (ids.length === 0) ids = newIds(CHUNK);
        chunk.push({
          id: ids.pop()!,
          enterpriseId: firm.id,
          regionCode: firm.region_code,
          ...personColumns(pii, { name, idNumber, phone }),
          roleCategory: role,
          workUnit: rnd.pick(UNITS[role]),
          shift: role === 'regular' ? rnd.pick(SHIFTS) : '常白班',
          dorm: rnd.bool(0.45) ? `${rnd.int(1, 6)}号宿舍楼` : null,
          status: 'active',
          startedAt,
          healthCode: 'green',
          healthCodeAt: startedAt,
          healthCodeSource: 'import',
          itineraryCode: 'normal',
          itineraryCodeAt: startedAt,
          itineraryCodeSource: 'import',
          lastNegativeAt: lastAt,
          lastTestAt: lastAt,
          lastResult: 'negative',
          nextDueAt: due.dueAt,
          createdAt: startedAt,
          updatedAt: now,
        });
        if (chunk.length >= CHUNK) await flush();
        // Let the socket send the insert in flight and read its answer while this chunk is built.
        else if (chunk.length % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await flush();
    await flush();
    result.enterprises = generated.length;
    await tx.execute(sql`analyze employees`);
    result.seconds.employees = seconds(started);

    // --- tests: set-based, from the employees rows ----------------------------------------------------
    started = performance.now();
    const cadenceRows = sql.join(
      ROLES.map(([role]) => sql`(${role}::text, ${cadence[role]}::float8)`),
      sql`, `,
    );
    const windowIso = new Date(windowStart).toISOString();
    const nowIso = now.toISOString();
    for (let from = 0; from < generated.length; ) {
      const slice: string[] = [];
      let people = 0;
      for (; from < generated.length && people < TEST_SLICE; from++) {
        slice.push(generated[from]!.id);
        people += generated[from]!.people;
      }
      const [inserted] = await rows<{ n: number }>(
        tx,
        sql`
        with ins as (
          insert into pcr_tests (id, sampled_at, enterprise_id, region_code, employee_id, lab_org_unit_id,
            lab_sample_id, tube_id, method, result, retest_of_lab_sample_id, received_at)
          select ${NEW_ID_SQL}, t.at, e.enterprise_id, e.region_code, e.id, ${lab.id}::uuid,
            'DEMO-' || left(e.id_number_hash, 24) || '-' || k,
            -- Pooled 10-in-1: one tube per enterprise, sampling hour and sixteenth of the roster.
            'DEMO-T-' || left(replace(e.enterprise_id::text, '-', ''), 12) || '-'
              || to_char(t.at at time zone 'Asia/Shanghai', 'YYMMDDHH24') || '-' || left(e.id_number_hash, 1),
            'pooled', 'negative', null, least(t.at + (4 + k % 3) * interval '1 hour', ${nowIso}::timestamptz)
          from employees e
          join (values ${cadenceRows}) c(role, hours) on c.role = e.role_category
          cross join lateral generate_series(0,
            floor(extract(epoch from e.last_test_at - ${windowIso}::timestamptz) / 3600 / c.hours)::int) k
          cross join lateral (select e.last_test_at - k * c.hours * interval '1 hour' as at) t
          where e.enterprise_id = any(${columnArray(slice)}::uuid[])
          returning 1
        )
        select count(*)::int as n from ins`,
      );
      result.tests += inserted?.n ?? 0;
      progress(
        `tests ${result.tests.toLocaleString('en')} (${from.toLocaleString('en')} / ${generated.length.toLocaleString('en')} enterprises, ${seconds(started)} s)`,
      );
    }
    result.seconds.tests = seconds(started);

    // --- overdue alerts: the sweep ----------------------------------------------------------------------
    started = performance.now();
    const swept = await raiseOverdueAlerts({ db: tx, now: () => now });
    result.overdueAlerts = swept.raised;
    result.seconds.alerts = seconds(started);
    progress(`overdue alerts ${swept.raised.toLocaleString('en')} (${result.seconds.alerts} s)`);

    // --- daily reports: set-based, gaps and late ones ------------------------------------------------
    started = performance.now();
    const days: string[] = [];
    const deadlines: string[] = [];
    for (let d = REPORT_DAYS; d >= 1; d--) {
      const date = new Date(shanghaiMidnightDaysBefore(nowMs, d) + SHANGHAI_MS).toISOString().slice(0, 10);
      days.push(date);
      deadlines.push(dailyReportDeadline(params, date).toISOString());
    }
    const [filed] = await rows<{ n: number }>(
      tx,
      sql`
      with ins as (
        insert into daily_reports (id, enterprise_id, region_code, report_date, kind, headcount_on_site,
          anomalies, anomaly_count, filed_at, filed_by, deadline_at, late)
        select ${NEW_ID_SQL}, g.enterprise_id, g.region_code, d.day::date, 'zero',
          greatest(g.people - r.h % 4, 0), null, 0,
          case when r.late then d.deadline + (1 + r.h % 6) * interval '1 hour'
            else d.deadline - (1 + r.h % 3) * interval '1 hour' - (r.h % 60) * interval '1 minute' end,
          'demo', d.deadline, r.late
        from (select enterprise_id, min(region_code) as region_code, count(*)::int as people
              from employees where enterprise_id = any(${columnArray(generated.map((g) => g.id))}::uuid[])
              group by enterprise_id) g
        join enterprises en on en.id = g.enterprise_id
        cross join unnest(${columnArray(days)}, ${columnArray(deadlines)}::timestamptz[]) as d(day, deadline)
        cross join lateral (
          select abs(hashtext(en.uscc || '/' || d.day || '/' || ${String(seed)})) % 1000 as h,
            abs(hashtext(en.uscc || '/' || d.day || '/late/' || ${String(seed)})) % 100 < 15 as late) r
        -- About one report in six is missing (a gap the completeness page shows).
        where r.h >= 170
        returning 1
      )
      select count(*)::int as n from ins`,
    );
    result.dailyReports = filed?.n ?? 0;
    result.seconds.reports = seconds(started);
    progress(`daily reports ${result.dailyReports.toLocaleString('en')} (${result.seconds.reports} s)`);

    const { seconds: _, ...summary } = result;
    await writeAudit(
      tx,
      { actor: null },
      { action: 'demo.workforce_bulk_seeded', objectType: 'province', summary },
    );
    return result;
  });
}
