import { sql } from 'drizzle-orm';
import { writeAudit } from '../../platform/audit';
import { businessDate } from '../../platform/clock';
import { type Db, rows } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { loadParameterStore, mapStoreError } from '../parameters';
import { NEW_ID_SQL } from './workforce.queries';
import { dailyReportDeadline } from './workforce.service';

/**
 * Reminders before the daily-report deadline (指南 二(六); issue 5: "reminders before the deadline"). A job every
 * ten minutes: from `workforce.dailyReportReminderHours` before the day's deadline until the deadline, every
 * enterprise expected to report (an active whitelist entry — the same "expected" as the completeness figures)
 * with no report for the day gets ONE `daily_report_due` alert, seen in its alerts inbox (and by its county).
 * Filing the day's report resolves it (`resolveDailyReportReminders`, called by fileDailyReport), late or not.
 * The SQL lives here rather than in workforce.queries.ts: it is this job's alone.
 */

export const DAILY_REPORT_REMINDER_PARAMETER = 'workforce.dailyReportReminderHours';
const HOUR_MS = 3_600_000;
const RESOLVED_NOTE = '已填报当日零报告/日报告 daily report filed';

/** The business day a reminder raised at `raised_at` is about (reminders are raised on the day itself). */
const reminderDay = sql.raw(`(raised_at at time zone 'Asia/Shanghai')::date`);

/**
 * Resolves the open `daily_report_due` reminders of an enterprise for a business day (its report was filed).
 * Call inside the filing's transaction. Returns how many were resolved.
 */
export async function resolveDailyReportReminders(
  db: Db,
  enterpriseId: string,
  reportDate: string,
  now: Date,
): Promise<number> {
  const done = await rows<{ id: string }>(
    db,
    sql`
    update alerts set state = 'resolved', closed_at = ${now.toISOString()}::timestamptz, closed_by = 'system',
      note = ${RESOLVED_NOTE}
    where kind = 'daily_report_due' and enterprise_id = ${enterpriseId}
      and state in ('new', 'acknowledged') and ${reminderDay} = ${reportDate}::date
    returning id`,
  );
  return done.length;
}

export interface ReminderRun {
  /** The business day looked at. */
  reportDate: string;
  /** Whether `now` was inside the reminder window (deadline − lead ≤ now < deadline). */
  inWindow: boolean;
  raised: number;
  /** Open reminders whose report had been filed meanwhile (a filing racing the job), resolved now. */
  resolved: number;
}

/**
 * The reminder sweep, set-based. Outside the window it only tidies up (resolves reminders whose report exists).
 * Inside it, under a transaction-scoped advisory lock, it raises one reminder per expected enterprise with no
 * report today and no reminder raised today (in any state: a dismissed reminder is not raised again) — so
 * running twice, or concurrently, raises nothing twice.
 */
export async function raiseDailyReportReminders(deps: { db: Db; now: () => Date }): Promise<ReminderRun> {
  const now = deps.now();
  const reportDate = businessDate(now);
  const params = await loadParameterStore(deps.db);
  const deadline = dailyReportDeadline(params, reportDate);
  let leadHours: number;
  try {
    leadHours = Number(params.valueAt(DAILY_REPORT_REMINDER_PARAMETER, reportDate));
  } catch (error) {
    throw mapStoreError(error);
  }
  if (!Number.isFinite(leadHours) || leadHours < 0)
    throw new AppError('INTERNAL', { detail: `${DAILY_REPORT_REMINDER_PARAMETER} is not a number of hours` });
  const inWindow =
    now.getTime() >= deadline.getTime() - leadHours * HOUR_MS && now.getTime() < deadline.getTime();
  const at = now.toISOString();
  const hhmm = new Date(deadline.getTime() + 8 * HOUR_MS).toISOString().slice(11, 16);
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('workforce.daily-report-reminders'))`);
    const tidied = await rows<{ id: string }>(
      tx,
      sql`
      update alerts a set state = 'resolved', closed_at = ${at}::timestamptz, closed_by = 'system',
        note = ${RESOLVED_NOTE}
      where a.kind = 'daily_report_due' and a.state in ('new', 'acknowledged')
        and exists (select 1 from daily_reports r
                    where r.enterprise_id = a.enterprise_id and r.report_date = (a.raised_at at time zone 'Asia/Shanghai')::date)
      returning a.id`,
    );
    let raised = 0;
    if (inWindow) {
      const inserted = await rows<{ id: string }>(
        tx,
        sql`
        insert into alerts (id, kind, state, enterprise_id, region_code, raised_at, deadline, summary)
        select ${NEW_ID_SQL}, 'daily_report_due', 'new', e.id, e.region_code, ${at}::timestamptz,
          ${deadline.toISOString()}::timestamptz,
          ${`今日(${reportDate})健康零报告/日报告尚未填报,请于 ${hhmm} 前填报;逾期仍可补报,但记为迟报`}
        from enterprises e
        where exists (select 1 from whitelist_entries w where w.enterprise_id = e.id and w.status = 'active')
          and not exists (select 1 from daily_reports r where r.enterprise_id = e.id and r.report_date = ${reportDate}::date)
          and not exists (select 1 from alerts a where a.enterprise_id = e.id and a.kind = 'daily_report_due'
                          and a.raised_at >= ${new Date(`${reportDate}T00:00:00+08:00`).toISOString()}::timestamptz)
        returning id`,
      );
      raised = inserted.length;
    }
    if (raised + tidied.length > 0)
      await writeAudit(
        tx,
        { actor: null },
        {
          action: 'workforce.daily_report_reminders_raised',
          objectType: 'alert',
          summary: { reportDate, raised, resolved: tidied.length, at },
        },
      );
    return { reportDate, inWindow, raised, resolved: tidied.length };
  });
}
