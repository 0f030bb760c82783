import {
  ALERT_KINDS,
  ALERT_STATES,
  AlertCountsSchema,
  AlertSchema,
  AlertTransitionBodySchema,
  DailyReportBodySchema,
  DailyReportSchema,
  DailyReportStatsSchema,
  EmployeeBodySchema,
  EmployeeListQuerySchema,
  EmployeeSchema,
} from '@sibao/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/access';
import { businessDate } from '../../platform/clock';
import type { AppContext } from '../../platform/context';
import {
  acceptFileUploads,
  addTemplateRoute,
  FileNameHeaderSchema,
  uploadedFile,
} from '../../platform/files/files.http';
import { loadParameterStore } from '../parameters';
import { registerArrivalRoutes } from './workforce.arrivals.routes';
import { DUE_SOON_PARAMETER, dueSoonHoursAt } from './workforce.compliance';
import { rosterImport } from './workforce.import';
import { registerTestResultRoutes } from './workforce.ingest.routes';
import {
  countAlertsByRegion,
  dailyReportStats,
  findAlerts,
  findDailyReports,
  findEmployees,
  getEmployee,
} from './workforce.queries';
import {
  addEmployee,
  fileDailyReport,
  startRosterImport,
  transitionAlert,
  updateEmployee,
} from './workforce.service';
import type { alerts, dailyReports, employees } from './workforce.tables';

/**
 * An employee as the API shows it: masked personal data, and compliance as of `now` — overdue, or due soon
 * (before `soonUntil`, the end of the `workforce.dueSoonHours` window; see `dueSoonWindow`).
 */
function presentEmployee(row: typeof employees.$inferSelect, now: Date, soonUntil: Date) {
  const active = row.status === 'active';
  const overdue = active && (row.overdue || row.nextDueAt.getTime() < now.getTime());
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    regionCode: row.regionCode,
    name: row.nameMasked,
    idNumber: row.idNumberMasked,
    phone: row.phoneMasked,
    roleCategory: row.roleCategory,
    workUnit: row.workUnit,
    shift: row.shift,
    dorm: row.dorm,
    status: row.status,
    startedAt: row.startedAt.toISOString(),
    healthCode: row.healthCode,
    healthCodeAt: row.healthCodeAt.toISOString(),
    itineraryCode: row.itineraryCode,
    itineraryCodeAt: row.itineraryCodeAt.toISOString(),
    vaccination: row.vaccination,
    lastNegativeAt: row.lastNegativeAt?.toISOString() ?? null,
    lastTestAt: row.lastTestAt?.toISOString() ?? null,
    nextDueAt: active ? row.nextDueAt.toISOString() : null,
    overdue,
    dueSoon: active && !overdue && row.nextDueAt.getTime() < soonUntil.getTime(),
  };
}

function presentAlert(row: typeof alerts.$inferSelect) {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    enterpriseId: row.enterpriseId,
    regionCode: row.regionCode,
    employeeId: row.employeeId,
    arrivalId: row.arrivalId,
    raisedAt: row.raisedAt.toISOString(),
    deadline: row.deadline.toISOString(),
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    dismissReason: row.dismissReason,
    summary: row.summary,
  };
}

function presentReport(row: typeof dailyReports.$inferSelect) {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    regionCode: row.regionCode,
    reportDate: row.reportDate,
    kind: row.kind,
    headcountOnSite: row.headcountOnSite,
    anomalyCount: row.anomalyCount,
    filedAt: row.filedAt.toISOString(),
    deadlineAt: row.deadlineAt.toISOString(),
    late: row.late,
    revision: row.revision,
  };
}

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), nextCursor: z.string().nullable() });

const UPLOAD_LIMIT = 20 * 1024 * 1024;
const IsoDate = z.iso.date();

export function workforceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  /** Now, and the end of the "due soon" window in force now (`workforce.dueSoonHours`). */
  async function dueSoonWindow() {
    const now = ctx.now();
    // Every roster read needs it: only this parameter's rows, not the whole registry.
    const hours = dueSoonHoursAt(await loadParameterStore(ctx.db, [DUE_SOON_PARAMETER]), now);
    return { now, soonUntil: new Date(now.getTime() + hours * 3_600_000) };
  }

  return async (app) => {
    acceptFileUploads(app, UPLOAD_LIMIT);
    // 入豫报备, the pharmacy feed and the provincial report share this plugin's upload parser.
    await app.register(registerArrivalRoutes(ctx));

    // ---------------------------------------------------------------------------------- roster
    app.get(
      '/workforce/employees',
      {
        config: { access: { permission: 'workforce.read', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          querystring: EmployeeListQuerySchema,
          response: { 200: page(EmployeeSchema) },
        },
      },
      async (request) => {
        const { now, soonUntil } = await dueSoonWindow();
        const { overdue, dueSoon, ...filter } = request.query;
        const result = await findEmployees(ctx.db, actorOf(request), {
          ...filter,
          ...(overdue === 'true' ? { overdueAt: now, status: 'active' as const } : {}),
          ...(dueSoon === 'true' ? { dueSoon: { from: now, until: soonUntil } } : {}),
        });
        return {
          ...result,
          items: result.items.map((e) => ({
            ...presentEmployee(e, now, soonUntil),
            enterpriseName: e.enterpriseName,
          })),
        };
      },
    );

    addTemplateRoute(app, {
      url: '/workforce/employees/import/template',
      permission: 'workforce.manage_roster',
      tag: 'workforce',
      definition: rosterImport,
      asciiName: 'roster-template',
      name: '员工名册导入模板',
    });

    app.post(
      '/workforce/employees/import',
      {
        bodyLimit: UPLOAD_LIMIT,
        config: { access: { permission: 'workforce.manage_roster', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          headers: z.object({
            'idempotency-key': z.string().min(8).max(100),
            'x-file-name': FileNameHeaderSchema,
          }),
          response: { 202: z.object({ progressId: z.string(), replayed: z.boolean() }) },
        },
      },
      async (request, reply) => {
        const upload = uploadedFile(request);
        const result = await startRosterImport(
          ctx,
          actorOf(request),
          upload,
          request.headers['idempotency-key'],
          String(request.id),
        );
        return reply.code(202).send(result);
      },
    );

    app.get(
      '/workforce/employees/:id',
      {
        config: { access: { permission: 'workforce.read', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          params: z.strictObject({ id: z.uuid() }),
          response: { 200: EmployeeSchema },
        },
      },
      async (request) => {
        const row = await getEmployee(ctx.db, actorOf(request), request.params.id);
        const { now, soonUntil } = await dueSoonWindow();
        return presentEmployee(row, now, soonUntil);
      },
    );

    app.post(
      '/workforce/employees',
      {
        config: { access: { permission: 'workforce.manage_roster', scope: 'enterprise' } },
        schema: { tags: ['workforce'], body: EmployeeBodySchema, response: { 201: EmployeeSchema } },
      },
      async (request, reply) => {
        const row = await addEmployee(ctx, actorOf(request), request.body, String(request.id));
        const { now, soonUntil } = await dueSoonWindow();
        return reply.code(201).send(presentEmployee(row, now, soonUntil));
      },
    );

    app.put(
      '/workforce/employees/:id',
      {
        config: { access: { permission: 'workforce.manage_roster', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          params: z.strictObject({ id: z.uuid() }),
          body: EmployeeBodySchema,
          response: { 200: EmployeeSchema },
        },
      },
      async (request) => {
        const row = await updateEmployee(
          ctx,
          actorOf(request),
          request.params.id,
          request.body,
          String(request.id),
        );
        const { now, soonUntil } = await dueSoonWindow();
        return presentEmployee(row, now, soonUntil);
      },
    );

    // ---------------------------------------------------------------------------------- test results
    // Lab pushes (JSON or NDJSON) and the enterprise's Excel upload: workforce.ingest.routes.ts.
    await app.register(registerTestResultRoutes(ctx));

    // ---------------------------------------------------------------------------------- alerts
    app.get(
      '/workforce/alerts',
      {
        config: { access: { permission: 'alerts.read', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          querystring: z.strictObject({
            state: z.enum(ALERT_STATES).optional(),
            kind: z.enum(ALERT_KINDS).optional(),
            enterpriseId: z.uuid().optional(),
            open: z.enum(['true', 'false']).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            cursor: z.uuid().optional(),
          }),
          response: { 200: page(AlertSchema) },
        },
      },
      async (request) => {
        const { open, ...filter } = request.query;
        const result = await findAlerts(ctx.db, actorOf(request), { ...filter, open: open === 'true' });
        return { ...result, items: result.items.map(presentAlert) };
      },
    );

    app.get(
      '/workforce/alerts/counts',
      {
        config: { access: { permission: 'alerts.read', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          querystring: z.strictObject({ by: z.enum(['city', 'county']).default('county') }),
          response: {
            200: AlertCountsSchema,
          },
        },
      },
      async (request) => ({
        items: await countAlertsByRegion(ctx.db, actorOf(request), request.query.by === 'city' ? 4 : 6),
      }),
    );

    app.post(
      '/workforce/alerts/:id/transitions',
      {
        config: { access: { permission: 'alerts.handle', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          params: z.strictObject({ id: z.uuid() }),
          body: AlertTransitionBodySchema,
          response: { 200: AlertSchema },
        },
      },
      async (request) =>
        presentAlert(
          await transitionAlert(ctx, actorOf(request), request.params.id, request.body, String(request.id)),
        ),
    );

    // ---------------------------------------------------------------------------------- daily reports
    app.post(
      '/workforce/daily-reports',
      {
        config: { access: { permission: 'workforce.report_daily', scope: 'enterprise' } },
        schema: { tags: ['workforce'], body: DailyReportBodySchema, response: { 200: DailyReportSchema } },
      },
      async (request) =>
        presentReport(await fileDailyReport(ctx, actorOf(request), request.body, String(request.id))),
    );

    app.get(
      '/workforce/daily-reports',
      {
        config: { access: { permission: 'workforce.read', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          querystring: z.strictObject({ date: IsoDate.optional() }),
          response: { 200: z.object({ items: z.array(DailyReportSchema) }) },
        },
      },
      async (request) => ({
        items: (
          await findDailyReports(ctx.db, actorOf(request), request.query.date ?? businessDate(ctx.now()))
        ).map(presentReport),
      }),
    );

    app.get(
      '/workforce/daily-reports/stats',
      {
        config: { access: { permission: 'workforce.read', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          querystring: z.strictObject({ date: IsoDate.optional() }),
          response: {
            200: DailyReportStatsSchema,
          },
        },
      },
      async (request) => {
        const date = request.query.date ?? businessDate(ctx.now());
        const stats = await dailyReportStats(ctx.db, actorOf(request), date);
        return {
          date,
          items: stats.map((s) => ({
            regionCode: s.region_code,
            expected: s.expected,
            reported: s.reported,
            onTime: s.on_time,
            zero: s.zero,
            anomalies: s.anomalies,
            completeness: s.expected ? s.reported / s.expected : 0,
            timeliness: s.expected ? s.on_time / s.expected : 0,
          })),
        };
      },
    );
  };
}
