import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoProvince } from '../src/demo/demo.generate';
import { seedDemoWorkforce } from '../src/demo/demo.workforce';
import { prepareDatabase } from '../src/platform/bootstrap';
import { piiCipherFromSecret } from '../src/platform/crypto';
import { createTestDatabase, type TestDatabase } from './db';

let a: TestDatabase;
const NOW = new Date('2022-06-10T09:00:00+08:00');
beforeAll(async () => {
  a = await createTestDatabase();
  await prepareDatabase(a);
  await seedDemoProvince(a.db, { size: 's', seed: 7 });
  await seedDemoWorkforce(a.db, piiCipherFromSecret('x'.repeat(32)), { seed: 7, now: NOW });
});
afterAll(async () => a.destroy());

describe('workforce demo data', () => {
  it('gives the demo enterprise and four others rosters with test histories, some overdue with alerts', async () => {
    const [counts] = await a.query<{ people: number; firms: number; overdue: number; demo: number }>(`
      select count(*)::int as people, count(distinct enterprise_id)::int as firms,
        (count(*) filter (where overdue))::int as overdue,
        (count(*) filter (where enterprise_id = (select id from enterprises where name = '郑州中原食品股份有限公司')))::int as demo
      from employees`);
    expect(counts).toEqual({ people: 180, firms: 5, overdue: expect.any(Number), demo: 60 });
    expect(counts!.overdue).toBeGreaterThan(0);
    expect(counts!.overdue).toBeLessThan(60);
    const [tests] = await a.query<{ n: number }>('select count(*)::int as n from pcr_tests');
    expect(tests!.n).toBeGreaterThan(180 * 2);
    const kinds = await a.query<{ kind: string; n: number }>(
      'select kind, count(*)::int as n from alerts group by kind order by kind',
    );
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual({
      arrival_test_missed: 1,
      drug_purchase: 1,
      overdue_test: counts!.overdue,
      unregistered_arrival: 1,
    });
  });

  it('has a pharmacy purchase matched to a demo employee (with its alert) and one kept aside', async () => {
    const purchases = await a.query<{ matched: boolean; alert: boolean; demo: boolean }>(`
      select d.employee_id is not null as matched,
        exists (select 1 from alerts x where x.kind = 'drug_purchase' and x.employee_id = d.employee_id
                and x.enterprise_id = d.enterprise_id and x.state = 'new') as alert,
        coalesce(d.enterprise_id = (select id from enterprises where name = '郑州中原食品股份有限公司'), false) as demo
      from drug_purchases d order by d.record_id`);
    expect(purchases).toEqual([
      { matched: true, alert: true, demo: true },
      { matched: false, alert: false, demo: false },
    ]);
    // The matched row's person is really on the roster: the same ID-number hash.
    const [same] = await a.query<{ n: number }>(`
      select count(*)::int as n from drug_purchases d join employees e on e.id = d.employee_id
      where e.id_number_hash = d.id_number_hash`);
    expect(same!.n).toBe(1);
  });

  it('has daily reports with gaps and late ones, and arrivals in every state', async () => {
    const [r] = await a.query<{ n: number; late: number }>(
      'select count(*)::int as n, (count(*) filter (where late))::int as late from daily_reports',
    );
    expect(r!.n).toBeLessThan(5 * 6);
    expect(r!.n).toBeGreaterThan(15);
    const arrivals = await a.query<{ state: string; action: string; n: number }>(
      'select state, action, count(*)::int as n from arrivals group by state, action order by state, action',
    );
    // Every state of ARRIVAL_STATES: two awaiting their test, one tested, one missed, one handed over.
    expect(arrivals).toEqual([
      { state: 'handed_over', action: 'central_quarantine', n: 1 },
      { state: 'test_missed', action: 'arrival_test', n: 1 },
      { state: 'test_pending', action: 'arrival_test', n: 2 },
      { state: 'tested', action: 'arrival_test', n: 1 },
    ]);
  });
});
