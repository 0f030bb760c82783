import {
  ComplianceQuerySchema,
  ComplianceResponseSchema,
  type ComplianceRow,
  type ComplianceTotals,
} from '@sibao/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/access';
import type { AppContext } from '../../platform/context';
import { exportRows } from '../../platform/files/files.export';
import { sendDownload } from '../../platform/files/files.http';
import { complianceTable } from './workforce.compliance';

/**
 * The compliance view of liaison cadres, counties and cities (`GET /workforce/compliance`) and its Excel/CSV
 * export. Row scope in SQL: officials their region subtree (departments their sectors), an enterprise itself.
 */

const REPORT_TEXT: Record<ComplianceRow['report'], string> = {
  zero: '零报告',
  on_time: '按时报告',
  late: '迟报',
  missing: '未报告',
};
const STANDING_TEXT: Record<ComplianceRow['standing'], string> = {
  good: '良好',
  attention: '需关注',
  poor: '较差',
};

interface ExportLine {
  enterpriseName: string;
  regionCode: string;
  whitelisted: string;
  employees: number;
  testedOnTime: number;
  overdue: number;
  overdueShare: string;
  dueSoon: number;
  report: string;
  lastReportDate: string | null;
  openAlerts: number;
  arrivalsOpen: number;
  standing: string;
}

/** The columns; the "due soon" header names the window in force (`workforce.dueSoonHours`). */
const exportColumns = (dueSoonHours: number) =>
  [
    { header: '企业(项目)名称', key: 'enterpriseName', width: 32 },
    { header: '所在县(市、区)代码', key: 'regionCode', width: 14 },
    { header: '白名单', key: 'whitelisted', width: 8 },
    { header: '在岗人数', key: 'employees', width: 10 },
    { header: '按时检测', key: 'testedOnTime', width: 10 },
    { header: '逾期未检', key: 'overdue', width: 10 },
    { header: '逾期占比', key: 'overdueShare', width: 10 },
    { header: `即将到期(${dueSoonHours}小时内)`, key: 'dueSoon', width: 16 },
    { header: '日报告', key: 'report', width: 10 },
    { header: '最近报告日期', key: 'lastReportDate', width: 14 },
    { header: '待处置预警', key: 'openAlerts', width: 10 },
    { header: '入豫待办', key: 'arrivalsOpen', width: 10 },
    { header: '合规状况', key: 'standing', width: 10 },
  ] as const;

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

function exportLine(row: ComplianceRow): ExportLine {
  return {
    enterpriseName: row.enterpriseName,
    regionCode: row.regionCode,
    whitelisted: row.whitelisted ? '是' : '否',
    employees: row.employees,
    testedOnTime: row.testedOnTime,
    overdue: row.overdue,
    overdueShare: percent(row.overdueShare),
    dueSoon: row.dueSoon,
    report: REPORT_TEXT[row.report],
    lastReportDate: row.lastReportDate,
    openAlerts: row.openAlerts,
    arrivalsOpen: row.arrivalsOpen,
    standing: STANDING_TEXT[row.standing],
  };
}

function totalsLine(label: string, t: ComplianceTotals): ExportLine {
  return {
    enterpriseName: label,
    regionCode: t.regionCode,
    whitelisted: '',
    employees: t.employees,
    testedOnTime: t.testedOnTime,
    overdue: t.overdue,
    overdueShare: percent(t.overdueShare),
    dueSoon: t.dueSoon,
    report: `未报 ${t.reportsMissing} / 迟报 ${t.reportsLate}`,
    lastReportDate: null,
    openAlerts: t.openAlerts,
    arrivalsOpen: t.arrivalsOpen,
    standing: `较差 ${t.poor} 家`,
  };
}

export function workforceComplianceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/workforce/compliance',
      {
        config: { access: { permission: 'workforce.read', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          querystring: ComplianceQuerySchema,
          response: { 200: ComplianceResponseSchema },
        },
      },
      async (request) => complianceTable(ctx, actorOf(request), request.query),
    );

    app.get(
      '/workforce/compliance/export',
      {
        config: { access: { permission: 'workforce.read', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          querystring: ComplianceQuerySchema.omit({ limit: true }).extend({
            format: z.enum(['xlsx', 'csv']).default('xlsx'),
            encoding: z.enum(['utf8', 'gb18030']).default('utf8'),
          }),
        },
      },
      async (request, reply) => {
        const { format, encoding, ...query } = request.query;
        const table = await complianceTable(ctx, actorOf(request), { ...query, limit: null });
        const lines: ExportLine[] = [
          ...table.items.map(exportLine),
          ...table.regions.map((r) => totalsLine('小计', r)),
          totalsLine('合计', table.totals),
        ];
        const body = await exportRows({
          format,
          encoding,
          sheetName: `企业防疫合规 ${table.reportDate}`,
          columns: exportColumns(table.dueSoonHours),
          rows: lines,
        });
        return sendDownload(reply, body, {
          format,
          encoding,
          asciiName: 'workforce-compliance',
          name: `企业防疫合规情况-${table.reportDate}`,
        });
      },
    );
  };
}
