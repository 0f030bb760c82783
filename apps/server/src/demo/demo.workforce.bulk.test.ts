import { type RoleCategory, validateIdNumber } from '@sibao/contracts';
import type { ParameterStore } from '@sibao/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { loadParameterStore } from '../modules/parameters';
import { nextTestDue } from '../modules/workforce';
import { cadenceHoursAt } from '../modules/workforce/workforce.cadence';
import { prepareDatabase } from '../platform/bootstrap';
import { maskIdNumber, maskName, maskPhone, piiCipherFromSecret } from '../platform/crypto';
import { seedDemoProvince } from './demo.generate';
import { seedDemoWorkforce } from './demo.workforce';
import { type BulkWorkforceResult, seedBulkWorkforce } from './demo.workforce.bulk';

// The province generator at a tiny size (300 people over the size-s province) on the real database, twice with
// one seed: once to look at, once to compare.
const NOW = new Date('2022-06-10T09:00:00+08:00');
const HOUR = 3_600_000;
const PEOPLE = 300;
const pii = piiCipherFromSecret('x'.repeat(32));

let a: TestDatabase;
let b: TestDatabase;
let result: BulkWorkforceResult;
let handMade: string[];
let params: ParameterStore;

async function seeded() {
  const db = await createTestDatabase();
  await prepareDatabase(db);
  await seedDemoProvince(db.db, { size: 's', seed: 7 });
  await seedDemoWorkforce(db.db, pii, { seed: 7, now: NOW });
  const before = await db.query<{ id: string }>('select distinct enterprise_id as id from employees');
  return {
    db,
    handMade: before.map((r) => r.id),
    result: await seedBulkWorkforce(db.db, pii, { employees: PEOPLE, seed: 7, now: NOW }),
  };
}

beforeAll(async () => {
  const first = await seeded();
  a = first.db;
  result = first.result;
  handMade = first.handMade;
  b = (await seeded()).db;
  params = await loadParameterStore(a.db);
}, 300_000);
afterAll(async () => {
  await a?.destroy();
  await b?.destroy();
});

/** An employees row as the driver returns it. */
interface Person {
  id: string;
  enterprise_id: string;
  region_code: string;
  name_encrypted: string;
  name_masked: string;
  id_number_encrypted: string;
  id_number_hash: string;
  id_number_masked: string;
  phone_encrypted: string;
  phone_hash: string;
  phone_masked: string;
  role_category: RoleCategory;
  work_unit: string;
  shift: string;
  started_at: Date;
  last_negative_at: Date | null;
  last_test_at: Date | null;
  last_result: string | null;
  next_due_at: Date;
  overdue: boolean;
}
describe('workforce demo for the province (bulk generator)', () => {
  it('spreads the requested people over active whitelisted enterprises, leaving the hand-made five alone', async () => {
    expect(result.employees).toBe(PEOPLE);
    const [counts] = await a.query<{ total: number; firms: number; unlisted: number }>(`
      select count(*)::int as total, count(distinct enterprise_id)::int as firms,
        (count(*) filter (where not exists (select 1 from whitelist_entries w
          where w.enterprise_id = e.enterprise_id and w.status = 'active')))::int as unlisted
      from employees e`);
    expect(counts!.total).toBe(180 + PEOPLE);
    expect(counts!.firms).toBe(5 + result.enterprises);
    expect(counts!.unlisted).toBe(0);
    // The hand-made rosters keep exactly their 60 + 4 × 30 people.
    const sizes = await a.query<{ n: number }>(
      `select count(*)::int as n from employees where enterprise_id = any($1::uuid[]) group by enterprise_id
       order by n desc`,
      [handMade],
    );
    expect(sizes.map((s) => s.n)).toEqual([60, 30, 30, 30, 30]);
    const roles = await a.query<{ role_category: string; n: number }>(
      `select role_category, count(*)::int as n from employees where not (enterprise_id = any($1::uuid[]))
       group by role_category order by role_category`,
      [handMade],
    );
    const share = Object.fromEntries(roles.map((r) => [r.role_category, r.n / PEOPLE]));
    expect(share.regular).toBeGreaterThan(0.7);
    expect(share.mobile).toBeGreaterThan(0.08);
    expect(share.mobile).toBeLessThan(0.25);
    expect(share.city_supply).toBeGreaterThan(0);
    expect(share.city_supply).toBeLessThan(0.08);
  });

  it('gives each person their own ID number: valid, of the county, unique, hashed and masked from it', async () => {
    const people = await a.query<Person>(
      'select * from employees where not (enterprise_id = any($1::uuid[]))',
      [handMade],
    );
    expect(people).toHaveLength(PEOPLE);
    expect(new Set(people.map((p) => p.id_number_hash)).size).toBe(PEOPLE);
    const all = await a.query<{ n: number; d: number }>(
      'select count(*)::int as n, count(distinct id_number_hash)::int as d from employees',
    );
    expect(all[0]!.d).toBe(all[0]!.n);
    const names = new Set<string>();
    for (const p of people) {
      const idNumber = pii.decrypt(p.id_number_encrypted);
      expect(validateIdNumber(idNumber, { today: NOW }).ok, idNumber).toBe(true);
      expect(idNumber.slice(0, 6)).toBe(p.region_code);
      expect(pii.lookupHash('id_number', idNumber)).toBe(p.id_number_hash);
      expect(maskIdNumber(idNumber)).toBe(p.id_number_masked);
      const phone = pii.decrypt(p.phone_encrypted);
      expect(phone).toMatch(/^1[3-9]\d{9}$/);
      expect(pii.lookupHash('phone', phone)).toBe(p.phone_hash);
      expect(maskPhone(phone)).toBe(p.phone_masked);
      const name = pii.decrypt(p.name_encrypted);
      expect(maskName(name)).toBe(p.name_masked);
      names.add(name);
      expect(p.work_unit).toBeTruthy();
      expect(p.shift).toBeTruthy();
    }
    expect(names.size).toBeGreaterThan(PEOPLE / 3);
  });

  it('keeps every compliance column equal to what the tests and the cadence rule say', async () => {
    const people = await a.query<Person & { tests: number[] }>(
      `select e.*, array_agg((extract(epoch from t.sampled_at) * 1000)::float8 order by t.sampled_at) as tests
       from employees e join pcr_tests t on t.employee_id = e.id
       where not (e.enterprise_id = any($1::uuid[])) and t.result = 'negative'
       group by e.id`,
      [handMade],
    );
    // Everyone has tests, and all are negative.
    expect(people).toHaveLength(PEOPLE);
    const [other] = await a.query<{ n: number }>(
      `select count(*)::int as n from pcr_tests where result <> 'negative'`,
    );
    expect(other!.n).toBe(0);
    const windowStart = NOW.getTime() - 7 * 24 * HOUR;
    for (const p of people) {
      const tests = p.tests.map(Number);
      const last = tests.at(-1)!;
      expect(new Date(p.last_test_at!).getTime()).toBe(last);
      expect(new Date(p.last_negative_at!).getTime()).toBe(last);
      expect(p.last_result).toBe('negative');
      const due = nextTestDue(
        { roleCategory: p.role_category, startedAt: p.started_at, lastNegativeAt: new Date(last) },
        [],
        params,
      );
      expect(new Date(p.next_due_at).getTime()).toBe(due.dueAt.getTime());
      // A history at the role's cadence (from the parameters) back to the window's start.
      const cadence = cadenceHoursAt(p.role_category, 'normal', params, NOW) * HOUR;
      for (let i = 1; i < tests.length; i++) expect(tests[i]! - tests[i - 1]!).toBe(cadence);
      expect(tests[0]!).toBeGreaterThanOrEqual(windowStart);
      expect(tests[0]! - cadence).toBeLessThan(windowStart);
      expect(last).toBeLessThanOrEqual(NOW.getTime() - HOUR);
    }
    const [counted] = await a.query<{ n: number }>(
      'select count(*)::int as n from pcr_tests where not (enterprise_id = any($1::uuid[]))',
      [handMade],
    );
    expect(counted!.n).toBe(result.tests);
  });

  it('has the lapsed people (last test 3+ days ago) overdue with an alert each after the sweep, and no one else', async () => {
    const people = await a.query<Person>(
      'select * from employees where not (enterprise_id = any($1::uuid[]))',
      [handMade],
    );
    const lapsed = people.filter((p) => new Date(p.last_test_at!).getTime() <= NOW.getTime() - 72 * HOUR);
    expect(lapsed.length).toBe(result.lapsed);
    expect(lapsed.length).toBeGreaterThan(PEOPLE * 0.03);
    expect(lapsed.length).toBeLessThan(PEOPLE * 0.12);
    expect(
      people
        .filter((p) => p.overdue)
        .map((p) => p.id)
        .sort(),
    ).toEqual(lapsed.map((p) => p.id).sort());
    const alerts = await a.query<{ employee_id: string }>(
      `select employee_id from alerts where kind = 'overdue_test' and state = 'new'
       and not (enterprise_id = any($1::uuid[]))`,
      [handMade],
    );
    expect(alerts.map((x) => x.employee_id).sort()).toEqual(lapsed.map((p) => p.id).sort());
    expect(result.overdueAlerts).toBe(lapsed.length);
  });

  it('files daily reports for the last six days with gaps and late ones', async () => {
    const reports = await a.query<{ report_date: string; late: boolean; filed_at: Date; deadline_at: Date }>(
      `select report_date::text, late, filed_at, deadline_at from daily_reports
       where not (enterprise_id = any($1::uuid[]))`,
      [handMade],
    );
    expect(reports.length).toBe(result.dailyReports);
    expect(reports.length).toBeLessThan(result.enterprises * 6);
    expect(reports.length).toBeGreaterThan(result.enterprises * 6 * 0.6);
    expect(new Set(reports.map((r) => r.report_date))).toEqual(
      new Set(['2022-06-04', '2022-06-05', '2022-06-06', '2022-06-07', '2022-06-08', '2022-06-09']),
    );
    const late = reports.filter((r) => r.late);
    expect(late.length).toBeGreaterThan(0);
    for (const r of reports) {
      // The deadline is the parameter's time of day (10:00 Shanghai); late means filed after it.
      expect(new Date(r.deadline_at).toISOString()).toBe(
        new Date(`${r.report_date}T10:00:00+08:00`).toISOString(),
      );
      expect(new Date(r.filed_at) > new Date(r.deadline_at)).toBe(r.late);
    }
  });

  it('gives the same people, masks, roles, test times and reports for the same seed', async () => {
    const people = (db: TestDatabase) =>
      db.query(
        `select en.uscc, e.name_masked, e.id_number_hash, e.id_number_masked, e.phone_masked, e.role_category,
           e.work_unit, e.shift, e.dorm, e.started_at, e.last_test_at, e.next_due_at, e.overdue
         from employees e join enterprises en on en.id = e.enterprise_id order by e.id_number_hash`,
      );
    const tests = (db: TestDatabase) =>
      db.query(
        `select e.id_number_hash, t.sampled_at, t.lab_sample_id, t.received_at
         from pcr_tests t join employees e on e.id = t.employee_id order by 1, 2`,
      );
    const reports = (db: TestDatabase) =>
      db.query(
        `select en.uscc, r.report_date::text, r.late, r.filed_at, r.headcount_on_site
         from daily_reports r join enterprises en on en.id = r.enterprise_id order by 1, 2`,
      );
    const [pa, pb] = [await people(a), await people(b)];
    expect(pa.length).toBe(180 + PEOPLE);
    expect(pb).toEqual(pa);
    expect(await tests(b)).toEqual(await tests(a));
    expect(await reports(b)).toEqual(await reports(a));
    // Ciphertexts differ (random IVs) while they decrypt to the same person.
    const [ca] = await a.query<{ t: string; h: string }>(
      'select id_number_encrypted as t, id_number_hash as h from employees order by id_number_hash limit 1',
    );
    const [cb] = await b.query<{ t: string; h: string }>(
      'select id_number_encrypted as t, id_number_hash as h from employees order by id_number_hash limit 1',
    );
    expect(cb!.t).not.toBe(ca!.t);
    expect(pii.decrypt(cb!.t)).toBe(pii.decrypt(ca!.t));
  });
});
