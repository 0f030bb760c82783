import { type SQL, sql } from 'drizzle-orm';
import type { Db } from './db';

/**
 * Purpose-bound retention (PIPL; DESIGN.md §4 Personal data). Each rule names the data, why it is kept,
 * for how long, and deletes or anonymises what is past that — keeping aggregate statistics elsewhere.
 * Modules add their rules (employees, tests, travel …) when they own such data.
 */
export interface RetentionRule {
  name: string;
  /** What is kept and for what purpose, shown by `sibao purge`. */
  purpose: string;
  days: number;
  /** Removes or anonymises rows older than `cutoff`; returns how many rows changed. */
  apply(db: Db, cutoff: Date): Promise<number>;
}

export interface TableRetention {
  name: string;
  purpose: string;
  table: string;
  timeColumn: string;
  days: number;
  /** Extra condition (SQL text on the table's columns), e.g. `ended_at is not null`. */
  where?: string;
  /** Delete the rows, or set the listed columns to the given SQL expressions (anonymise). */
  action: 'delete' | { anonymise: Record<string, string> };
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** A rule over one table's time column. Table and column names are checked identifiers, not user input. */
export function tableRetention(rule: TableRetention): RetentionRule {
  for (const id of [rule.table, rule.timeColumn])
    if (!IDENT.test(id)) throw new Error(`bad identifier ${id}`);
  const extra = rule.where ? ` and (${rule.where})` : '';
  return {
    name: rule.name,
    purpose: rule.purpose,
    days: rule.days,
    async apply(db, cutoff) {
      const at = sql`${cutoff.toISOString()}::timestamptz`;
      let statement: SQL;
      if (rule.action === 'delete') {
        statement = sql`delete from ${sql.identifier(rule.table)} where ${sql.identifier(rule.timeColumn)} < ${at}${sql.raw(extra)}`;
      } else {
        const sets = Object.entries(rule.action.anonymise);
        for (const [column] of sets) if (!IDENT.test(column)) throw new Error(`bad identifier ${column}`);
        const assignments = sets.map(([c, expr]) => `"${c}" = ${expr}`).join(', ');
        // Rows already anonymised are not counted again.
        const changed = sets.map(([c, expr]) => `"${c}" is distinct from ${expr}`).join(' or ');
        statement = sql`update ${sql.identifier(rule.table)} set ${sql.raw(assignments)} where ${sql.identifier(rule.timeColumn)} < ${at}${sql.raw(extra)} and (${sql.raw(changed)})`;
      }
      const result = (await db.execute(statement)) as unknown as {
        rowCount?: number | null;
        affectedRows?: number;
      };
      return result.rowCount ?? result.affectedRows ?? 0;
    },
  };
}

/** The platform's own rules; modules append theirs. */
export const PLATFORM_RETENTION: RetentionRule[] = [
  tableRetention({
    name: 'sessions',
    purpose:
      '登录会话(含IP地址、浏览器标识)：用于会话管理与安全审查，结束后保留30天 / sign-in sessions with IP and user agent',
    table: 'sessions',
    timeColumn: 'last_seen_at',
    days: 30,
    action: 'delete',
  }),
  tableRetention({
    name: 'idempotency_keys',
    purpose: '导入与接口幂等键：防止重复提交，保留7天 / idempotency keys of imports and ingest',
    table: 'idempotency_keys',
    timeColumn: 'created_at',
    days: 7,
    action: 'delete',
  }),
  tableRetention({
    name: 'uploads',
    purpose: '待导入的上传文件(可能含个人信息)：导入完成即删除，最长保留1天 / uploaded files awaiting import',
    table: 'uploads',
    timeColumn: 'created_at',
    days: 1,
    action: 'delete',
  }),
  tableRetention({
    name: 'job_progress',
    purpose: '后台任务进度：保留30天 / progress of background work',
    table: 'job_progress',
    timeColumn: 'updated_at',
    days: 30,
    action: 'delete',
  }),
];

export interface PurgeReport {
  rule: string;
  purpose: string;
  days: number;
  cutoff: string;
  changed: number;
}

/** Applies every rule, each in its own transaction, and reports what changed. */
export async function purgeExpired(
  db: Db,
  rules: readonly RetentionRule[],
  now = new Date(),
): Promise<PurgeReport[]> {
  const out: PurgeReport[] = [];
  for (const rule of rules) {
    const cutoff = new Date(now.getTime() - rule.days * 86_400_000);
    const changed = await db.transaction((tx) => rule.apply(tx, cutoff));
    out.push({
      rule: rule.name,
      purpose: rule.purpose,
      days: rule.days,
      cutoff: cutoff.toISOString(),
      changed,
    });
  }
  return out;
}
