import { SECTOR_LABELS, SECTORS } from '@sibao/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/access';
import type { AppContext } from '../../platform/context';
import { exportRows } from '../../platform/files/files.export';
import {
  acceptFileUploads,
  addTemplateRoute,
  FileNameHeaderSchema,
  sendDownload,
  uploadedFile,
} from '../../platform/files/files.http';
import { enterpriseImport } from './enterprises.import';
import { findEnterprises, getEnterprise, streamEnterprises } from './enterprises.queries';
import { registerRegistryRoutes } from './enterprises.registry.routes';
import { startEnterpriseImport } from './enterprises.service';
import type { enterprises } from './enterprises.tables';

const EnterpriseSchema = z.object({
  id: z.string(),
  kind: z.enum(['enterprise', 'project', 'park']),
  uscc: z.string(),
  name: z.string(),
  sectors: z.array(z.enum(SECTORS)),
  regionCode: z.string(),
  address: z.string().nullable(),
  headcount: z.number().int(),
  annualValueFen: z.number().int(),
  cityOperations: z.boolean(),
});

function present(row: typeof enterprises.$inferSelect) {
  return {
    id: row.id,
    kind: row.kind,
    uscc: row.uscc,
    name: row.name,
    sectors: row.sectors,
    regionCode: row.regionCode,
    address: row.address,
    headcount: row.headcount,
    annualValueFen: row.annualValueFen,
    cityOperations: row.cityOperations,
  };
}

const FilterSchema = {
  q: z.string().trim().min(1).max(100).optional(),
  sector: z.enum(SECTORS).optional(),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
};

/** Export columns: the import template's headers, so an exported file can be edited and imported again. */
const EXPORT_COLUMNS = [
  { header: '统一社会信用代码', key: 'uscc', width: 22 },
  { header: '企业(项目)名称', key: 'name', width: 30 },
  { header: '类型', key: 'kind', width: 8 },
  { header: '行业领域', key: 'sectors', width: 16 },
  { header: '所在县(市、区)代码', key: 'regionCode', width: 12 },
  { header: '地址', key: 'address', width: 30 },
  { header: '员工人数', key: 'headcount', width: 10 },
  { header: '年产值或计划总投资(万元)', key: 'annualValueWan', width: 16 },
  { header: '城市运行保障企业', key: 'cityOperations', width: 10 },
] as const;

const UPLOAD_LIMIT = 20 * 1024 * 1024;

export function enterprisesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    acceptFileUploads(app, UPLOAD_LIMIT);
    await registerRegistryRoutes(app, ctx, present, EnterpriseSchema);

    app.get(
      '/enterprises',
      {
        config: { access: { permission: 'enterprises.read', scope: 'enterprise' } },
        schema: {
          tags: ['enterprises'],
          querystring: z.strictObject({
            ...FilterSchema,
            limit: z.coerce.number().int().min(1).max(200).default(50),
            cursor: z.uuid().optional(),
          }),
          response: {
            200: z.object({
              items: z.array(EnterpriseSchema),
              total: z.number().int(),
              nextCursor: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const page = await findEnterprises(ctx.db, actorOf(request), request.query);
        return { ...page, items: page.items.map(present) };
      },
    );

    app.get(
      '/enterprises/export',
      {
        config: { access: { permission: 'enterprises.read', scope: 'enterprise' } },
        schema: {
          tags: ['enterprises'],
          querystring: z.strictObject({
            ...FilterSchema,
            format: z.enum(['xlsx', 'csv']).default('xlsx'),
            encoding: z.enum(['utf8', 'gb18030']).default('utf8'),
          }),
        },
      },
      async (request, reply) => {
        const { format, encoding, ...filter } = request.query;
        const rows = (async function* () {
          for await (const e of streamEnterprises(ctx.db, actorOf(request), filter)) {
            yield {
              uscc: e.uscc,
              name: e.name,
              kind: { enterprise: '企业', project: '项目', park: '园区' }[e.kind],
              sectors: e.sectors.map((s) => SECTOR_LABELS[s].zh).join('、'),
              regionCode: e.regionCode,
              address: e.address,
              headcount: e.headcount,
              annualValueWan: e.annualValueFen / 1_000_000,
              cityOperations: e.cityOperations ? '是' : '否',
            };
          }
        })();
        const body = await exportRows({
          format,
          encoding,
          sheetName: '企业名录',
          columns: EXPORT_COLUMNS,
          rows,
        });
        return sendDownload(reply, body, { format, encoding, asciiName: 'enterprises', name: '企业名录' });
      },
    );

    addTemplateRoute(app, {
      url: '/enterprises/import/template',
      permission: 'enterprises.import',
      tag: 'enterprises',
      definition: enterpriseImport,
      asciiName: 'enterprise-template',
      name: '企业名录导入模板',
    });

    app.post(
      '/enterprises/import',
      {
        bodyLimit: UPLOAD_LIMIT,
        config: { access: { permission: 'enterprises.import', scope: 'region_sector' } },
        schema: {
          tags: ['enterprises'],
          headers: z.object({
            'idempotency-key': z.string().min(8).max(100),
            'x-file-name': FileNameHeaderSchema,
          }),
          response: { 202: z.object({ progressId: z.string(), replayed: z.boolean() }) },
        },
      },
      async (request, reply) => {
        const upload = uploadedFile(request);
        const result = await startEnterpriseImport(
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
      '/enterprises/:id',
      {
        config: { access: { permission: 'enterprises.read', scope: 'enterprise' } },
        schema: {
          tags: ['enterprises'],
          params: z.strictObject({ id: z.uuid() }),
          response: { 200: EnterpriseSchema },
        },
      },
      async (request) => present(await getEnterprise(ctx.db, actorOf(request), request.params.id)),
    );
  };
}
