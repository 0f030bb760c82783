import {
  ARRIVAL_ACTIONS,
  ARRIVAL_STATES,
  ArrivalBodySchema,
  ArrivalRegistrationBodySchema,
  ArrivalSchema,
  ArrivalTestDoneBodySchema,
  DrugPurchaseBatchBodySchema,
  DrugPurchaseBatchResponseSchema,
  ProvincialReportRowSchema,
  RiskAreaSchema,
} from '@sibao/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/access';
import type { AppContext } from '../../platform/context';
import { exportRows } from '../../platform/files/files.export';
import {
  addTemplateRoute,
  FileNameHeaderSchema,
  sendDownload,
  uploadedFile,
} from '../../platform/files/files.http';
import { findArrivals, findRiskAreas, getArrival } from './workforce.arrivals.queries';
import {
  completeArrivalRegistration,
  importRiskAreas,
  registerArrival,
  reportArrivalTest,
} from './workforce.arrivals.service';
import {
  ingestDrugPurchases,
  provincialReportPage,
  startDrugPurchaseImport,
} from './workforce.feeds.service';
import { drugPurchaseImport, riskAreaImport } from './workforce.import';
import type { arrivals, riskAreas } from './workforce.tables';

/**
 * Routes of 入豫报备 (risk areas, arrivals), the pharmacy feed and the provincial 赋码保护 report. Registered
 * by `workforceRoutes` inside its plugin (file uploads are accepted there).
 */

function presentArrival(row: typeof arrivals.$inferSelect) {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    regionCode: row.regionCode,
    personKind: row.personKind,
    employeeId: row.employeeId,
    name: row.nameMasked,
    idNumber: row.idNumberMasked,
    phone: row.phoneMasked,
    originCountyCode: row.originCountyCode,
    preRegistered: row.preRegistered,
    registrationCompletedAt: row.registrationCompletedAt?.toISOString() ?? null,
    arrivedAt: row.arrivedAt.toISOString(),
    healthCode: row.healthCode,
    itineraryCode: row.itineraryCode,
    contactStatus: row.contactStatus,
    decision: {
      rule: row.rule,
      action: row.action,
      healthCode: row.codeAssignment,
      codeProtected: row.codeProtected,
      riskLevel: row.riskLevel,
      dueAt: row.dueAt.toISOString(),
      quarantineEndsAt: row.quarantineEndsAt?.toISOString() ?? null,
      explain: row.explain,
    },
    state: row.state,
    testSampledAt: row.testSampledAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function presentRiskArea(row: typeof riskAreas.$inferSelect) {
  return {
    id: row.id,
    code: row.code,
    level: row.level,
    from: row.fromDate,
    to: row.toDate,
    source: row.source,
    importedAt: row.importedAt.toISOString(),
  };
}

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), nextCursor: z.string().nullable() });

const UPLOAD_LIMIT = 20 * 1024 * 1024;
const FEED_BODY_LIMIT = 8 * 1024 * 1024;
const FileHeaders = z.object({ 'x-file-name': FileNameHeaderSchema });

/** The columns of the 赋码保护 export, in docs/provincial-report.md's order. */
const REPORT_COLUMNS = [
  { header: '身份证号', key: 'idNumber', width: 22 },
  { header: '姓名', key: 'name', width: 12 },
  { header: '统一社会信用代码', key: 'enterpriseUscc', width: 22 },
  { header: '企业名称', key: 'enterpriseName', width: 36 },
  { header: '所在县(市、区)代码', key: 'regionCode', width: 16 },
] as const;
const REPORT_PAGE = 5_000;

export function registerArrivalRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // ---------------------------------------------------------------------------------- risk areas
    app.get(
      '/workforce/risk-areas',
      {
        config: { access: { permission: 'workforce.read', scope: 'none' } },
        schema: {
          tags: ['workforce'],
          querystring: z.strictObject({
            onDate: z.iso.date().optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
          response: { 200: z.object({ items: z.array(RiskAreaSchema) }) },
        },
      },
      async (request) => ({ items: (await findRiskAreas(ctx.db, request.query)).map(presentRiskArea) }),
    );

    addTemplateRoute(app, {
      url: '/workforce/risk-areas/import/template',
      permission: 'workforce.manage_risk_areas',
      tag: 'workforce',
      definition: riskAreaImport,
      asciiName: 'risk-areas-template',
      name: '风险地区导入模板',
    });

    app.post(
      '/workforce/risk-areas/import',
      {
        bodyLimit: UPLOAD_LIMIT,
        config: { access: { permission: 'workforce.manage_risk_areas', scope: 'none' } },
        schema: {
          tags: ['workforce'],
          headers: FileHeaders,
          response: {
            200: z.object({ rows: z.number().int(), inserted: z.number().int(), updated: z.number().int() }),
          },
        },
      },
      async (request) => importRiskAreas(ctx, actorOf(request), uploadedFile(request), String(request.id)),
    );

    // ---------------------------------------------------------------------------------- arrivals
    app.get(
      '/workforce/arrivals',
      {
        config: { access: { permission: 'workforce.read', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          querystring: z.strictObject({
            enterpriseId: z.uuid().optional(),
            state: z.enum(ARRIVAL_STATES).optional(),
            action: z.enum(ARRIVAL_ACTIONS).optional(),
            unregistered: z.enum(['true', 'false']).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            cursor: z.uuid().optional(),
          }),
          response: { 200: page(ArrivalSchema) },
        },
      },
      async (request) => {
        const { unregistered, ...filter } = request.query;
        const result = await findArrivals(ctx.db, actorOf(request), {
          ...filter,
          unregistered: unregistered === 'true',
        });
        return {
          ...result,
          items: result.items.map((a) => ({ ...presentArrival(a), enterpriseName: a.enterpriseName })),
        };
      },
    );

    app.get(
      '/workforce/arrivals/:id',
      {
        config: { access: { permission: 'workforce.read', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          params: z.strictObject({ id: z.uuid() }),
          response: { 200: ArrivalSchema },
        },
      },
      async (request) => presentArrival(await getArrival(ctx.db, actorOf(request), request.params.id)),
    );

    app.post(
      '/workforce/arrivals',
      {
        config: { access: { permission: 'workforce.manage_roster', scope: 'enterprise' } },
        schema: { tags: ['workforce'], body: ArrivalBodySchema, response: { 201: ArrivalSchema } },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            presentArrival(await registerArrival(ctx, actorOf(request), request.body, String(request.id))),
          ),
    );

    app.post(
      '/workforce/arrivals/:id/registration',
      {
        config: { access: { permission: 'workforce.manage_roster', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          params: z.strictObject({ id: z.uuid() }),
          body: ArrivalRegistrationBodySchema,
          response: { 200: ArrivalSchema },
        },
      },
      async (request) =>
        presentArrival(
          await completeArrivalRegistration(
            ctx,
            actorOf(request),
            request.params.id,
            request.body,
            String(request.id),
          ),
        ),
    );

    app.post(
      '/workforce/arrivals/:id/test-done',
      {
        config: { access: { permission: 'workforce.manage_roster', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          params: z.strictObject({ id: z.uuid() }),
          body: ArrivalTestDoneBodySchema,
          response: { 200: ArrivalSchema },
        },
      },
      async (request) =>
        presentArrival(
          await reportArrivalTest(ctx, actorOf(request), request.params.id, request.body, String(request.id)),
        ),
    );

    // ---------------------------------------------------------------------------------- drug purchases
    app.post(
      '/workforce/drug-purchases',
      {
        bodyLimit: FEED_BODY_LIMIT,
        config: { access: { permission: 'workforce.ingest_drug_purchases', scope: 'region' } },
        schema: {
          tags: ['workforce'],
          headers: z.object({ 'idempotency-key': z.string().min(8).max(100) }),
          body: DrugPurchaseBatchBodySchema,
          response: { 200: DrugPurchaseBatchResponseSchema },
        },
      },
      async (request) =>
        ingestDrugPurchases(
          ctx,
          actorOf(request),
          request.body,
          request.headers['idempotency-key'],
          String(request.id),
        ),
    );

    addTemplateRoute(app, {
      url: '/workforce/drug-purchases/import/template',
      permission: 'workforce.ingest_drug_purchases',
      tag: 'workforce',
      definition: drugPurchaseImport,
      asciiName: 'drug-purchases-template',
      name: '购药记录导入模板',
    });

    app.post(
      '/workforce/drug-purchases/import',
      {
        bodyLimit: UPLOAD_LIMIT,
        config: { access: { permission: 'workforce.ingest_drug_purchases', scope: 'region' } },
        schema: {
          tags: ['workforce'],
          headers: FileHeaders.extend({ 'idempotency-key': z.string().min(8).max(100) }),
          // A job (GET /jobs/:id): its result is the API's batch answer, or the row errors.
          response: { 202: z.object({ progressId: z.string(), replayed: z.boolean() }) },
        },
      },
      async (request, reply) =>
        reply
          .code(202)
          .send(
            await startDrugPurchaseImport(
              ctx,
              actorOf(request),
              uploadedFile(request),
              request.headers['idempotency-key'],
              String(request.id),
            ),
          ),
    );

    // ---------------------------------------------------------------------------------- provincial report
    app.get(
      '/workforce/provincial-report',
      {
        config: { access: { permission: 'workforce.provincial_report', scope: 'region' } },
        schema: {
          tags: ['workforce'],
          querystring: z.strictObject({
            limit: z.coerce.number().int().min(1).max(REPORT_PAGE).default(1000),
            cursor: z.uuid().optional(),
          }),
          response: {
            200: z.object({ items: z.array(ProvincialReportRowSchema), nextCursor: z.string().nullable() }),
          },
        },
      },
      async (request) =>
        provincialReportPage(ctx, actorOf(request), request.query, String(request.id), 'api'),
    );

    app.get(
      '/workforce/provincial-report/export',
      {
        config: { access: { permission: 'workforce.provincial_report', scope: 'region' } },
        schema: {
          tags: ['workforce'],
          querystring: z.strictObject({
            format: z.enum(['xlsx', 'csv']).default('xlsx'),
            encoding: z.enum(['utf8', 'gb18030']).default('utf8'),
          }),
        },
      },
      async (request, reply) => {
        const { format, encoding } = request.query;
        const actor = actorOf(request);
        const rows = (async function* () {
          let cursor: string | undefined;
          do {
            const found = await provincialReportPage(
              ctx,
              actor,
              { limit: REPORT_PAGE, cursor },
              String(request.id),
              format,
            );
            yield* found.items;
            cursor = found.nextCursor ?? undefined;
          } while (cursor);
        })();
        const body = await exportRows({
          format,
          encoding,
          sheetName: '赋码保护人员',
          columns: REPORT_COLUMNS,
          rows,
        });
        return sendDownload(reply, body, {
          format,
          encoding,
          asciiName: 'provincial-report',
          name: '赋码保护人员名单',
        });
      },
    );
  };
}
