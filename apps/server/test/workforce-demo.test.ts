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
    expect(kinds.map((k) => k.kind)).toEqual(['overdue_test', 'unregistered_arrival']);
    expect(kinds[0]!.n).toBe(counts!.overdue);
  });

  it('has daily reports with gaps and late ones, and two arrivals awaiting their test', async () => {
    const [r] = await a.query<{ n: number; late: number }>(
      'select count(*)::int as n, (count(*) filter (where late))::int as late from daily_reports',
    );
    expect(r!.n).toBeLessThan(5 * 6);
    expect(r!.n).toBeGreaterThan(15);
    const arrivals = await a.query<{ state: string; action: string }>('select state, action from arrivals');
    expect(arrivals).toEqual([
      { state: 'test_pending', action: 'arrival_test' },
      { state: 'test_pending', action: 'arrival_test' },
    ]);
  });
});
