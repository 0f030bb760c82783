import { sql } from 'drizzle-orm';
import { rows } from '../../platform/db';
import { type RetentionRule, tableRetention } from '../../platform/retention';

/**
 * Purpose-bound retention of workforce health and travel data (PIPL: sensitive personal information;
 * DESIGN.md §4). Compliance itself lives on the roster row (last negative, next due), so old test rows are not
 * needed to run the platform; aggregates (alert counts, report completeness) survive the purge.
 */

/** PCR results: whole month partitions past the cutoff are dropped; older rows in the default partition deleted. */
const pcrTestsRetention: RetentionRule = {
  name: 'pcr_tests',
  purpose:
    '核酸检测结果(健康信息):用于检测频次合规核查,保留30天后按月整体删除 / PCR results, dropped by month after 30 days',
  days: 30,
  async apply(db, cutoff) {
    let changed = 0;
    const parts = await rows<{ name: string; n: number }>(
      db,
      sql`select c.relname as name, c.reltuples::bigint as n
        from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
        where p.relname = 'pcr_tests' and c.relname ~ '^pcr_tests_[0-9]{6}$'`,
    );
    for (const { name } of parts) {
      const end = new Date(Date.UTC(Number(name.slice(10, 14)), Number(name.slice(14, 16)), 1));
      if (end <= cutoff) {
        const [count] = await rows<{ n: number }>(db, sql.raw(`select count(*)::int as n from "${name}"`));
        await db.execute(sql.raw(`drop table "${name}"`));
        changed += count?.n ?? 0;
      }
    }
    const result = (await db.execute(
      sql`delete from pcr_tests_default where sampled_at < ${cutoff.toISOString()}::timestamptz`,
    )) as unknown as { rowCount?: number | null; affectedRows?: number };
    return changed + (result.rowCount ?? result.affectedRows ?? 0);
  },
};

export const WORKFORCE_RETENTION: RetentionRule[] = [
  pcrTestsRetention,
  tableRetention({
    name: 'pcr_unmatched_results',
    purpose:
      '未匹配名册的核酸结果(含加密身份证号):等待员工入册后匹配,保留30天 / lab results not yet matched to a roster',
    table: 'pcr_unmatched_results',
    timeColumn: 'received_at',
    days: 30,
    action: 'delete',
  }),
  tableRetention({
    name: 'daily_report_anomalies',
    purpose:
      '日报告中的异常人员明细(健康信息):保留30天后清除明细,保留人数统计 / who was ill, kept 30 days; counts stay',
    table: 'daily_reports',
    timeColumn: 'filed_at',
    days: 30,
    action: { anonymise: { anomalies: 'null' } },
  }),
  tableRetention({
    name: 'employees_left',
    purpose:
      '已离岗员工的姓名、身份证号、手机号:离岗30天后清除,保留匿名统计 / personal data of staff who left, cleared after 30 days',
    table: 'employees',
    timeColumn: 'left_at',
    days: 30,
    where: "status = 'left'",
    action: {
      anonymise: {
        name_encrypted: 'null',
        id_number_encrypted: 'null',
        id_number_hash: 'null',
        phone_encrypted: 'null',
        phone_hash: 'null',
        name_masked: "'已清除'",
        id_number_masked: "'已清除'",
        phone_masked: "'已清除'",
      },
    },
  }),
  tableRetention({
    name: 'drug_purchases_unmatched',
    purpose:
      '未匹配在岗员工的购药记录(含加密身份证号):仅短暂留存以备核对,7天后删除 / pharmacy records of no employee, kept 7 days',
    table: 'drug_purchases',
    timeColumn: 'received_at',
    days: 7,
    where: 'employee_id is null',
    action: 'delete',
  }),
  tableRetention({
    name: 'drug_purchases_matched',
    purpose:
      '已匹配员工的购药记录(健康信息):用于电子哨预警核查,保留30天 / matched pharmacy records, kept 30 days',
    table: 'drug_purchases',
    timeColumn: 'received_at',
    days: 30,
    where: 'employee_id is not null',
    action: 'delete',
  }),
  tableRetention({
    name: 'arrivals_personal',
    purpose:
      '入豫报备人员的姓名、身份证号、手机号(行程信息):到达30天后清除,保留赋码决定与统计 / arrivals’ personal data, cleared 30 days after arrival',
    table: 'arrivals',
    timeColumn: 'arrived_at',
    days: 30,
    where: 'id_number_hash is not null',
    action: {
      anonymise: {
        name_encrypted: 'null',
        id_number_encrypted: 'null',
        id_number_hash: 'null',
        phone_encrypted: 'null',
        name_masked: "'已清除'",
        id_number_masked: "'已清除'",
        phone_masked: 'null',
      },
    },
  }),
  tableRetention({
    name: 'alerts_closed',
    purpose: '已处置的电子哨预警:保留180天备查 / closed sentinel alerts, kept 180 days',
    table: 'alerts',
    timeColumn: 'closed_at',
    days: 180,
    action: 'delete',
  }),
];
