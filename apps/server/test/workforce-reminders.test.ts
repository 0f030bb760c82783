import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseDailyReportReminders, workforceJobs } from '../src/modules/workforce';
import { piiCipherFromSecret } from '../src/platform/crypto';
import { createLogger } from '../src/platform/logger';
import { buildEnterprise, createTestApp, type TestApp } from './app';
import { enterpriseSession, officialSession, whitelist } from './workforce-fixtures';

/**
 * Reminders before the daily-report deadline (workforce.reminders.ts) on a fixed clock. The seed parameters:
 * deadline 10:00 Beijing time, reminders from 1 h before (both platform defaults).
 */
let t: TestApp;
type Firm = { id: string; regionCode: string };
let a: Firm;
let b: Firm;
let notListed: Firm;
let d: Firm;

const DAY1 = '2022-06-10';
const DAY2 = '2022-06-11';
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);
const remind = () => raiseDailyReportReminders({ db: t.db, now: () => t.clock.now });
/** Files a zero report as the enterprise (signed in at the clock's time: sessions expire when idle). */
const file = async (firm: Firm, reportDate: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/workforce/daily-reports',
    headers: { cookie: await enterpriseSession(t, firm) },
    payload: { kind: 'zero', reportDate, headcountOnSite: 30 },
  });

async function reminders() {
  return t.database.query<{
    enterprise_id: string;
    state: string;
    day: string;
    deadline: Date;
    closed_by: string | null;
    employee_id: string | null;
  }>(
    `select enterprise_id, state, to_char((raised_at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as day,
       deadline, closed_by, employee_id
     from alerts where kind = 'daily_report_due' order by raised_at, enterprise_id`,
  );
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = at(DAY1, '07:30');
  a = await buildEnterprise(t.db, { regionCode: '410105' });
  b = await buildEnterprise(t.db, { regionCode: '410105' });
  notListed = await buildEnterprise(t.db, { regionCode: '410105' });
  d = await buildEnterprise(t.db, { regionCode: '410103' });
  for (const e of [a, b, d]) await whitelist(t, e);
});
afterAll(() => t.close());

describe('daily-report reminders (零报告提醒)', () => {
  it('before the window, reminds nobody', async () => {
    t.clock.now = at(DAY1, '08:00');
    expect(await remind()).toEqual({ reportDate: DAY1, inWindow: false, raised: 0, resolved: 0 });
    expect(await reminders()).toEqual([]);
  });

  it('in the hour before the deadline, reminds each listed enterprise without a report once', async () => {
    t.clock.now = at(DAY1, '08:30');
    expect((await file(b, DAY1)).statusCode).toBe(200);
    t.clock.now = at(DAY1, '09:05');
    expect(await remind()).toMatchObject({ inWindow: true, raised: 2 });
    // Run again, and twice at once: nothing more (at most one per enterprise per day).
    t.clock.now = at(DAY1, '09:15');
    const again = await Promise.all([remind(), remind(), remind()]);
    expect(again.map((r) => r.raised)).toEqual([0, 0, 0]);
    const found = await reminders();
    expect(found.map((r) => r.enterprise_id).sort()).toEqual([a.id, d.id].sort());
    expect(found.every((r) => r.state === 'new' && r.day === DAY1 && r.employee_id === null)).toBe(true);
    expect(found[0]!.deadline.toISOString()).toBe(at(DAY1, '10:00').toISOString());
    // No reminder for the enterprise that filed, nor for one that is not whitelisted.
    expect(found.some((r) => r.enterprise_id === b.id || r.enterprise_id === notListed.id)).toBe(false);

    const audit = await t.database.query<{ summary: { raised: number } }>(
      `select summary from audit_log where action = 'workforce.daily_report_reminders_raised'`,
    );
    expect(audit.map((r) => r.summary.raised)).toEqual([2]);
  });

  it('shows the reminder in the enterprise’s alerts inbox and its county’s, not to anyone else', async () => {
    const inbox = await t.app.inject({
      method: 'GET',
      url: '/api/v1/workforce/alerts?kind=daily_report_due',
      headers: { cookie: await enterpriseSession(t, a) },
    });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.json().items).toEqual([
      expect.objectContaining({
        enterpriseId: a.id,
        kind: 'daily_report_due',
        state: 'new',
        employeeId: null,
      }),
    ]);
    expect(inbox.json().items[0].summary).toContain('10:00');
    const filed = await t.app.inject({
      method: 'GET',
      url: '/api/v1/workforce/alerts?kind=daily_report_due',
      headers: { cookie: await enterpriseSession(t, b) },
    });
    expect(filed.json().items).toEqual([]);
    const erqi = await officialSession(t, 'local_government', '410103', 'county');
    const county = await t.app.inject({
      method: 'GET',
      url: '/api/v1/workforce/alerts?kind=daily_report_due',
      headers: { cookie: erqi },
    });
    expect(county.json().items.map((x: { enterpriseId: string }) => x.enterpriseId)).toEqual([d.id]);
  });

  it('after the deadline reminds nobody new; a late report is accepted and resolves the reminder', async () => {
    t.clock.now = at(DAY1, '10:30');
    expect(await remind()).toMatchObject({ inWindow: false, raised: 0 });
    const late = await file(a, DAY1);
    expect(late.statusCode).toBe(200);
    expect(late.json()).toMatchObject({ late: true });
    const found = await reminders();
    expect(found.find((r) => r.enterprise_id === a.id)).toMatchObject({
      state: 'resolved',
      closed_by: 'system',
    });
    expect(found.find((r) => r.enterprise_id === d.id)).toMatchObject({ state: 'new' });
  });

  it('reminds again the next day; filing yesterday’s report resolves only yesterday’s reminder', async () => {
    t.clock.now = at(DAY2, '09:10');
    // A new day: every listed enterprise without today's report (a, b and d) is reminded again.
    expect(await remind()).toMatchObject({ reportDate: DAY2, inWindow: true, raised: 3 });
    expect((await file(d, DAY1)).json()).toMatchObject({ late: true });
    const ofD = (await reminders()).filter((r) => r.enterprise_id === d.id);
    expect(ofD.map((r) => [r.day, r.state])).toEqual([
      [DAY1, 'resolved'],
      [DAY2, 'new'],
    ]);
  });

  it('a reminder whose report arrived another way is tidied up by the next run', async () => {
    // A filing that raced the job: the report exists, the reminder is still open.
    await t.database.query(
      `insert into daily_reports (id, enterprise_id, region_code, report_date, kind, headcount_on_site,
         anomaly_count, filed_at, filed_by, deadline_at, late)
       values (gen_random_uuid(), $1, $2, $3, 'zero', 10, 0, $4, 'race', $5, false)`,
      [d.id, d.regionCode, DAY2, t.clock.now, at(DAY2, '10:00')],
    );
    t.clock.now = at(DAY2, '09:20');
    expect(await remind()).toMatchObject({ raised: 0, resolved: 1 });
    const ofD = (await reminders()).filter((r) => r.enterprise_id === d.id && r.day === DAY2);
    expect(ofD).toEqual([expect.objectContaining({ state: 'resolved' })]);
  });

  it('is a cron job of the workforce module that raises through its handler', async () => {
    const late = await buildEnterprise(t.db, { regionCode: '410105' });
    await whitelist(t, late);
    const jobs = workforceJobs({ pii: piiCipherFromSecret('x'.repeat(32)), now: () => at(DAY2, '09:40') });
    expect(jobs.remindDailyReports).toMatchObject({
      name: 'workforce.remind-daily-reports',
      cron: '*/10 * * * *',
    });
    await jobs.remindDailyReports.handler(
      {},
      {
        jobId: 'test',
        attempt: 1,
        lastAttempt: true,
        signal: new AbortController().signal,
        log: createLogger('silent'),
        db: t.db,
      },
    );
    expect((await reminders()).filter((r) => r.enterprise_id === late.id)).toEqual([
      expect.objectContaining({ state: 'new', day: DAY2 }),
    ]);
  });
});
