import {
  type ApplicationFile,
  ApplicationFileSchema,
  ApplicationListQuerySchema,
  ApplicationListSchema,
  ApplicationSchema,
  BatchListSchema,
  BatchSchema,
  ChangeTierBodySchema,
  CoverageBreakdownQuerySchema,
  CoverageBreakdownSchema,
  CoverageQuerySchema,
  CoverageSchema,
  CoverageTrendQuerySchema,
  CoverageTrendSchema,
  type CriteriaBody,
  CriteriaBodySchema,
  CriteriaListSchema,
  type CriteriaResult,
  CriteriaSchema,
  EntryActionBodySchema,
  EntryDetailSchema,
  EntryListQuerySchema,
  EntryListSchema,
  EntrySchema,
  MAX_ATTACHMENT_BYTES,
  PlannerQuerySchema,
  PlannerSchema,
  PublicBatchListSchema,
  PublicCriteriaSchema,
  PublicListQuerySchema,
  PublicListSchema,
  PublicRegionTreeSchema,
  PublishBatchBodySchema,
  ResubmitApplicationBodySchema,
  ReviewBatchBodySchema,
  ReviewBatchResultSchema,
  ReviewBodySchema,
  type RuleCond,
  SECTOR_LABELS,
  SectorSchema,
  SectorTotalListSchema,
  SpotCheckBodySchema,
  SpotCheckListQuerySchema,
  SpotCheckListSchema,
  SpotCheckSchema,
  StatisticsImportResultSchema,
  SubmitApplicationBodySchema,
  type TierTable,
  UpdateCriteriaBodySchema,
  WHITELIST_FACTS,
  type WhitelistAnswers,
} from '@sibao/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Actor, actorOf } from '../../platform/access';
import { businessDate } from '../../platform/clock';
import { type AppContext, auditContextOf } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { exportRows } from '../../platform/files/files.export';
import {
  acceptFileUploads,
  addTemplateRoute,
  attachmentDisposition,
  FileNameHeaderSchema,
  sendDownload,
  uploadedFile,
} from '../../platform/files/files.http';
import type { enterprises } from '../enterprises';
import { findLiaisons, presentLiaison } from '../enterprises';
import { loadHenanDivisions } from '../regions';
import {
  addAttachment,
  deleteAttachment,
  filesEditable,
  findFilesOf,
  getAttachment,
} from './whitelist.attachments';
import { getCoverage, getCoverageBreakdown, getCoverageTrend, getPlanner } from './whitelist.coverage';
import { describeCriteria } from './whitelist.criteria';
import {
  findApplications,
  findBatches,
  findCriteria,
  findEntries,
  findEntryEvents,
  findPublicEntries,
  findPublishedCriteria,
  findSectorTotals,
  findSpotChecks,
  getApplication,
  getEntry,
  type PublicFilter,
} from './whitelist.queries';
import {
  canChangeTier,
  canManageEntry,
  canReview,
  changeEntry,
  changeTier,
  createCriteriaDraft,
  markRectified,
  prefixOf,
  publishBatch,
  publishCriteria,
  recordSpotCheck,
  resubmitApplication,
  reviewApplication,
  reviewBatch,
  scopedPrefix,
  submitApplication,
  updateCriteriaDraft,
} from './whitelist.service';
import { importStatistics, statisticsImport } from './whitelist.statistics';
import type {
  whitelistApplications,
  whitelistBatches,
  whitelistCriteria,
  whitelistEntries,
  whitelistEntryEvents,
  whitelistSpotChecks,
} from './whitelist.tables';

type EnterpriseRow = typeof enterprises.$inferSelect;
const Params = z.strictObject({ id: z.uuid() });
const FileParams = z.strictObject({ id: z.uuid(), fileId: z.uuid() });
const UPLOAD_LIMIT = 5 * 1024 * 1024;
/** The body limit of a material upload: a little over the file limit, so FILE_TOO_LARGE answers first. */
const ATTACHMENT_BODY_LIMIT = MAX_ATTACHMENT_BYTES + 64 * 1024;
/** Content types a material may be sent with besides application/octet-stream (the content decides). */
const ATTACHMENT_CONTENT_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

let regionNames: Map<string, string> | undefined;
function regionName(code: string): string {
  regionNames ??= new Map(loadHenanDivisions().regions.map((r) => [r.code, r.name]));
  const own = regionNames.get(code) ?? code;
  const city = regionNames.get(`${code.slice(0, 4)}00`);
  return city && !code.endsWith('00') ? `${city}${own}` : own;
}

let regionTree: z.infer<typeof PublicRegionTreeSchema> | undefined;
/** The province's cities (济源 included) with their counties and zones, in code order: reference data. */
function publicRegionTree() {
  if (regionTree) return regionTree;
  const regions = [...loadHenanDivisions().regions].sort((a, b) => a.code.localeCompare(b.code));
  const province = regions.find((r) => r.parentCode === null);
  regionTree = {
    items: regions
      .filter((r) => r.parentCode === province?.code)
      .map((city) => ({
        code: city.code,
        name: city.name,
        children: regions
          .filter((r) => r.parentCode === city.code)
          .map((county) => ({ code: county.code, name: county.name })),
      })),
  };
  return regionTree;
}

function presentCriteria(row: typeof whitelistCriteria.$inferSelect) {
  return {
    id: row.id,
    sector: row.sector,
    version: row.version,
    status: row.status,
    title: row.title,
    rule: row.rule as RuleCond,
    tests: row.tests as CriteriaBody['tests'],
    tierTable: row.tierTable as TierTable,
    managementText: row.managementText,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function presentApplication(
  a: typeof whitelistApplications.$inferSelect,
  e: EnterpriseRow,
  actor: Actor,
  now: Date,
  files: ApplicationFile[],
) {
  const actions: Array<'approve' | 'reject' | 'return' | 'resubmit'> = [];
  if (a.status === 'submitted' && canReview(actor, a)) actions.push('approve', 'reject', 'return');
  if (a.status === 'returned' && actor.role === 'enterprise') actions.push('resubmit');
  return {
    id: a.id,
    enterprise: {
      id: e.id,
      name: e.name,
      uscc: e.uscc,
      regionCode: e.regionCode,
      annualValueFen: e.annualValueFen,
      cityOperations: e.cityOperations,
    },
    sector: a.sector,
    status: a.status,
    answers: a.answers as WhitelistAnswers,
    attachments: a.attachments as z.infer<typeof ApplicationSchema>['attachments'],
    files,
    filesEditable: filesEditable(actor, a),
    result: a.result as CriteriaResult,
    reviewTier: a.reviewTier,
    priority: { cityOperations: a.cityOperations, linkedToListed: a.linkedToListed },
    submittedAt: a.submittedAt.toISOString(),
    dueAt: a.dueAt.toISOString(),
    overdue: a.status === 'submitted' && a.dueAt < now,
    decidedAt: a.decidedAt?.toISOString() ?? null,
    decisionReason: a.decisionReason,
    entryId: a.entryId,
    actions,
  };
}

function presentBatch(b: typeof whitelistBatches.$inferSelect) {
  return {
    id: b.id,
    sector: b.sector,
    regionCode: b.regionCode,
    number: b.number,
    label: b.label,
    title: b.title,
    entryCount: b.entryCount,
    publishedAt: b.publishedAt.toISOString(),
  };
}

function presentEvent(ev: typeof whitelistEntryEvents.$inferSelect) {
  return {
    id: ev.id,
    action: ev.action,
    fromStatus: ev.fromStatus,
    toStatus: ev.toStatus,
    reason: ev.reason,
    kind: ev.kind,
    evidence: (ev.evidence as string[] | null) ?? null,
    fromTier: ev.fromTier,
    toTier: ev.toTier,
    actorName: ev.actorName,
    at: ev.at.toISOString(),
  };
}

function presentSpotCheck(c: typeof whitelistSpotChecks.$inferSelect, e: EnterpriseRow, today: string) {
  return {
    id: c.id,
    entryId: c.entryId,
    enterprise: { id: e.id, name: e.name, regionCode: e.regionCode },
    sector: c.sector,
    checkedOn: c.checkedOn,
    items: c.items as Array<{ item: string; ok: boolean; note?: string }>,
    findings: c.findings,
    result: c.result,
    rectificationDue: c.rectificationDue,
    rectifiedAt: c.rectifiedAt?.toISOString() ?? null,
    overdue: !!c.rectificationDue && !c.rectifiedAt && c.rectificationDue < today,
    createdAt: c.createdAt.toISOString(),
  };
}

const PUBLIC_EXPORT_COLUMNS = [
  { header: '批次', key: 'batch', width: 28 },
  { header: '企业(项目)名称', key: 'name', width: 32 },
  { header: '统一社会信用代码', key: 'uscc', width: 22 },
  { header: '行业领域', key: 'sector', width: 12 },
  { header: '所在地', key: 'region', width: 18 },
  { header: '保障层级', key: 'tier', width: 10 },
  { header: '状态', key: 'status', width: 18 },
] as const;
const TIER_ZH = { province: '省级', city: '市级', county: '县级' } as const;

export function whitelistRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    acceptFileUploads(app, UPLOAD_LIMIT);
    app.addContentTypeParser(
      ATTACHMENT_CONTENT_TYPES,
      { parseAs: 'buffer', bodyLimit: ATTACHMENT_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    /** One application as the actor sees it, with its stored materials. */
    async function applicationView(actor: Actor, id: string, now: Date) {
      const { application, enterprise } = await getApplication(ctx.db, actor, id);
      const files = await findFilesOf(ctx.db, [id]);
      return presentApplication(application, enterprise, actor, now, files.get(id) ?? []);
    }

    async function presentEntries(
      rows: Array<{
        entry: typeof whitelistEntries.$inferSelect;
        enterprise: EnterpriseRow;
        batch: typeof whitelistBatches.$inferSelect | null;
      }>,
      actor: Actor,
    ) {
      const liaisons = new Map(
        (await findLiaisons(ctx.db, [...new Set(rows.map((r) => r.enterprise.id))])).map((l) => [
          l.enterpriseId,
          l,
        ]),
      );
      return rows.map(({ entry, enterprise, batch }) => {
        const actions: Array<'suspend' | 'reinstate' | 'remove' | 'spot_check' | 'change_tier'> = [];
        if (canManageEntry(actor)) {
          if (entry.status === 'active') actions.push('suspend', 'remove', 'spot_check');
          if (entry.status === 'suspended') actions.push('reinstate', 'remove', 'spot_check');
        }
        if (canChangeTier(actor, entry)) actions.push('change_tier');
        return {
          id: entry.id,
          enterprise: {
            id: enterprise.id,
            name: enterprise.name,
            uscc: enterprise.uscc,
            regionCode: enterprise.regionCode,
          },
          sector: entry.sector,
          status: entry.status,
          serviceTier: entry.serviceTier,
          since: entry.since.toISOString(),
          reason: entry.reason,
          removalKind: entry.removalKind,
          removedAt: entry.removedAt?.toISOString() ?? null,
          liaison: presentLiaison(ctx, liaisons.get(enterprise.id) ?? null),
          batch: batch ? { id: batch.id, number: batch.number, label: batch.label } : null,
          actions,
        };
      });
    }

    // ---------------------------------------------------------------- public (no sign-in)

    app.get(
      '/public/whitelist/criteria',
      {
        config: { access: { permission: 'public', scope: 'none' } },
        schema: {
          tags: ['whitelist'],
          querystring: z.strictObject({ sector: SectorSchema }),
          response: { 200: PublicCriteriaSchema },
        },
      },
      async (request) => {
        const row = await findPublishedCriteria(ctx.db, request.query.sector);
        return {
          sector: request.query.sector,
          sectorLabel: SECTOR_LABELS[request.query.sector],
          criteria: row
            ? {
                id: row.id,
                version: row.version,
                title: row.title,
                publishedAt: row.publishedAt!.toISOString(),
                managementText: row.managementText,
                rule: row.rule as RuleCond,
                lines: describeCriteria(row.rule as RuleCond),
                tierTable: row.tierTable as TierTable,
              }
            : null,
          facts: WHITELIST_FACTS,
        };
      },
    );

    const publicFilter = (q: {
      sector?: z.infer<typeof SectorSchema> | undefined;
      region?: string | undefined;
      batch?: string | undefined;
      q?: string | undefined;
    }): PublicFilter => {
      let prefix: string | undefined;
      if (q.region) {
        try {
          prefix = prefixOf(q.region);
        } catch {
          throw new AppError('REGION_NOT_FOUND');
        }
      }
      return { sector: q.sector, prefix, batch: q.batch, q: q.q };
    };

    function publicRow(r: Awaited<ReturnType<typeof findPublicEntries>>['items'][number]) {
      return {
        name: r.enterprise.name,
        uscc: r.enterprise.uscc,
        kind: r.enterprise.kind,
        sector: r.entry.sector,
        regionCode: r.entry.regionCode,
        regionName: regionName(r.entry.regionCode),
        serviceTier: r.entry.serviceTier,
        batch: { id: r.batch.id, label: r.batch.label, publishedAt: r.batch.publishedAt.toISOString() },
        status: r.entry.status === 'removed' ? ('removed' as const) : ('listed' as const),
        removedOn: r.entry.removedAt ? businessDate(r.entry.removedAt) : null,
      };
    }

    app.get(
      '/public/whitelist',
      {
        config: { access: { permission: 'public', scope: 'none' } },
        schema: {
          tags: ['whitelist'],
          querystring: PublicListQuerySchema,
          response: { 200: PublicListSchema },
        },
      },
      async (request) => {
        const { limit, offset, ...q } = request.query;
        const page = await findPublicEntries(ctx.db, publicFilter(q), { limit, offset });
        const parts = [
          q.region ? regionName(q.region) : '河南省',
          q.sector ? SECTOR_LABELS[q.sector].zh : '',
          '“四保”白名单企业(项目)名单',
        ];
        return {
          title: parts.join(''),
          generatedAt: ctx.now().toISOString(),
          total: page.total,
          items: page.items.map(publicRow),
        };
      },
    );

    app.get(
      '/public/whitelist/export',
      {
        config: {
          access: { permission: 'public', scope: 'none' },
          rateLimit: { max: 20, timeWindow: '1 minute' },
        },
        schema: {
          tags: ['whitelist'],
          querystring: PublicListQuerySchema.omit({ limit: true, offset: true }).extend({
            format: z.enum(['xlsx', 'csv']).default('xlsx'),
            encoding: z.enum(['utf8', 'gb18030']).default('utf8'),
          }),
        },
      },
      async (request, reply) => {
        const { format, encoding, ...q } = request.query;
        const page = await findPublicEntries(ctx.db, publicFilter(q), { limit: 100_000, offset: 0 });
        const rows = page.items.map(publicRow).map((r) => ({
          batch: r.batch.label,
          name: r.name,
          uscc: r.uscc,
          sector: SECTOR_LABELS[r.sector].zh,
          region: r.regionName,
          tier: TIER_ZH[r.serviceTier],
          status: r.status === 'removed' ? `已移出(${r.removedOn})` : '在册',
        }));
        const body = await exportRows({
          format,
          encoding,
          sheetName: '白名单',
          columns: PUBLIC_EXPORT_COLUMNS,
          rows,
        });
        return sendDownload(reply, body, { format, encoding, asciiName: 'whitelist', name: '四保白名单' });
      },
    );

    app.get(
      '/public/whitelist/batches',
      {
        config: { access: { permission: 'public', scope: 'none' } },
        schema: {
          tags: ['whitelist'],
          querystring: z.strictObject({
            sector: SectorSchema.optional(),
            region: z
              .string()
              .regex(/^\d{6}$/)
              .optional(),
          }),
          response: { 200: PublicBatchListSchema },
        },
      },
      async (request) => {
        const { prefix } = publicFilter(request.query);
        return {
          items: (await findBatches(ctx.db, { sector: request.query.sector, prefix })).map(presentBatch),
        };
      },
    );

    app.get(
      '/public/whitelist/regions',
      {
        config: { access: { permission: 'public', scope: 'none' } },
        schema: { tags: ['whitelist'], response: { 200: PublicRegionTreeSchema } },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'public, max-age=3600');
        return publicRegionTree();
      },
    );

    // ---------------------------------------------------------------- criteria

    app.get(
      '/whitelist/criteria',
      {
        config: { access: { permission: 'whitelist.read', scope: 'none' } },
        schema: {
          tags: ['whitelist'],
          querystring: z.strictObject({ sector: SectorSchema.optional() }),
          response: { 200: CriteriaListSchema },
        },
      },
      async (request) => ({ items: (await findCriteria(ctx.db, request.query.sector)).map(presentCriteria) }),
    );

    app.post(
      '/whitelist/criteria',
      {
        config: { access: { permission: 'whitelist.publish', scope: 'none' } },
        schema: { tags: ['whitelist'], body: CriteriaBodySchema, response: { 201: CriteriaSchema } },
      },
      async (request, reply) => {
        const row = await createCriteriaDraft(
          ctx.db,
          actorOf(request),
          request.body,
          auditContextOf(request),
        );
        return reply.code(201).send(presentCriteria(row));
      },
    );

    app.put(
      '/whitelist/criteria/:id',
      {
        config: { access: { permission: 'whitelist.publish', scope: 'none' } },
        schema: {
          tags: ['whitelist'],
          params: Params,
          body: UpdateCriteriaBodySchema,
          response: { 200: CriteriaSchema },
        },
      },
      async (request) =>
        presentCriteria(
          await updateCriteriaDraft(
            ctx.db,
            actorOf(request),
            request.params.id,
            request.body,
            auditContextOf(request),
          ),
        ),
    );

    app.post(
      '/whitelist/criteria/:id/publish',
      {
        config: { access: { permission: 'whitelist.publish', scope: 'none' } },
        schema: { tags: ['whitelist'], params: Params, response: { 200: CriteriaSchema } },
      },
      async (request) =>
        presentCriteria(
          await publishCriteria(
            ctx.db,
            actorOf(request),
            request.params.id,
            ctx.now(),
            auditContextOf(request),
          ),
        ),
    );

    // ---------------------------------------------------------------- applications

    app.post(
      '/whitelist/applications',
      {
        config: { access: { permission: 'whitelist.apply', scope: 'enterprise' } },
        schema: {
          tags: ['whitelist'],
          body: SubmitApplicationBodySchema,
          response: { 201: ApplicationSchema },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const now = ctx.now();
        const row = await submitApplication(ctx.db, actor, request.body, now, auditContextOf(request));
        return reply.code(201).send(await applicationView(actor, row.id, now));
      },
    );

    app.get(
      '/whitelist/applications',
      {
        config: { access: { permission: 'whitelist.read', scope: 'enterprise' } },
        schema: {
          tags: ['whitelist'],
          querystring: ApplicationListQuerySchema,
          response: { 200: ApplicationListSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const now = ctx.now();
        const { limit, cursor, overdue, region, ...filter } = request.query;
        const offset = cursor ? Number.parseInt(cursor, 10) || 0 : 0;
        const page = await findApplications(
          ctx.db,
          actor,
          {
            ...filter,
            region: region ? scopedPrefix(actor, region) : undefined,
            overdue: overdue === 'true',
            limit,
            offset,
          },
          now,
        );
        const files = await findFilesOf(
          ctx.db,
          page.items.map((r) => r.application.id),
        );
        return {
          items: page.items.map((r) =>
            presentApplication(r.application, r.enterprise, actor, now, files.get(r.application.id) ?? []),
          ),
          total: page.total,
          nextCursor: offset + page.items.length < page.total ? String(offset + page.items.length) : null,
        };
      },
    );

    app.get(
      '/whitelist/applications/:id',
      {
        config: { access: { permission: 'whitelist.read', scope: 'enterprise' } },
        schema: { tags: ['whitelist'], params: Params, response: { 200: ApplicationSchema } },
      },
      async (request) => applicationView(actorOf(request), request.params.id, ctx.now()),
    );

    app.post(
      '/whitelist/applications/:id/review',
      {
        config: { access: { permission: 'whitelist.review', scope: 'region_sector' } },
        schema: {
          tags: ['whitelist'],
          params: Params,
          body: ReviewBodySchema,
          response: { 200: ApplicationSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const now = ctx.now();
        await reviewApplication(ctx.db, actor, request.params.id, request.body, now, auditContextOf(request));
        return applicationView(actor, request.params.id, now);
      },
    );

    app.post(
      '/whitelist/applications/review-batch',
      {
        config: { access: { permission: 'whitelist.review', scope: 'region_sector' } },
        schema: {
          tags: ['whitelist'],
          body: ReviewBatchBodySchema,
          response: { 200: ReviewBatchResultSchema },
        },
      },
      async (request) => {
        return reviewBatch(ctx.db, actorOf(request), request.body, ctx.now(), auditContextOf(request));
      },
    );

    // ---------------------------------------------------------------- application materials

    app.post(
      '/whitelist/applications/:id/attachments',
      {
        bodyLimit: ATTACHMENT_BODY_LIMIT,
        config: { access: { permission: 'whitelist.apply', scope: 'enterprise' } },
        schema: {
          tags: ['whitelist'],
          params: Params,
          headers: z.object({ 'x-file-name': FileNameHeaderSchema }),
          response: { 201: ApplicationFileSchema },
        },
      },
      async (request, reply) => {
        const upload = uploadedFile(request);
        const file = await addAttachment(
          ctx.db,
          actorOf(request),
          request.params.id,
          upload,
          ctx.now(),
          auditContextOf(request),
        );
        return reply.code(201).send(file);
      },
    );

    app.get(
      '/whitelist/applications/:id/attachments/:fileId',
      {
        config: { access: { permission: 'whitelist.read', scope: 'enterprise' } },
        schema: { tags: ['whitelist'], params: FileParams },
      },
      async (request, reply) => {
        const file = await getAttachment(ctx.db, actorOf(request), request.params.id, request.params.fileId);
        return reply
          .type(file.mediaType)
          .header('content-disposition', attachmentDisposition(file.filename))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(file.content);
      },
    );

    app.delete(
      '/whitelist/applications/:id/attachments/:fileId',
      {
        config: { access: { permission: 'whitelist.apply', scope: 'enterprise' } },
        schema: { tags: ['whitelist'], params: FileParams },
      },
      async (request, reply) => {
        await deleteAttachment(
          ctx.db,
          actorOf(request),
          request.params.id,
          request.params.fileId,
          auditContextOf(request),
        );
        return reply.code(204).send();
      },
    );

    app.post(
      '/whitelist/applications/:id/resubmit',
      {
        config: { access: { permission: 'whitelist.apply', scope: 'enterprise' } },
        schema: {
          tags: ['whitelist'],
          params: Params,
          body: ResubmitApplicationBodySchema,
          response: { 200: ApplicationSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const now = ctx.now();
        await resubmitApplication(
          ctx.db,
          actor,
          request.params.id,
          request.body,
          now,
          auditContextOf(request),
        );
        return applicationView(actor, request.params.id, now);
      },
    );

    // ---------------------------------------------------------------- entries

    app.get(
      '/whitelist/entries',
      {
        config: { access: { permission: 'whitelist.read', scope: 'enterprise' } },
        schema: {
          tags: ['whitelist'],
          querystring: EntryListQuerySchema,
          response: { 200: EntryListSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { region, ...filter } = request.query;
        const page = await findEntries(ctx.db, actor, {
          ...filter,
          region: region ? scopedPrefix(actor, region) : undefined,
        });
        return { ...page, items: await presentEntries(page.items, actor) };
      },
    );

    app.get(
      '/whitelist/entries/:id',
      {
        config: { access: { permission: 'whitelist.read', scope: 'enterprise' } },
        schema: { tags: ['whitelist'], params: Params, response: { 200: EntryDetailSchema } },
      },
      async (request) => {
        const actor = actorOf(request);
        const row = await getEntry(ctx.db, actor, request.params.id);
        const [entry] = await presentEntries([row], actor);
        return { ...entry!, history: (await findEntryEvents(ctx.db, row.entry.id)).map(presentEvent) };
      },
    );

    for (const action of ['suspend', 'reinstate', 'remove'] as const) {
      app.post(
        `/whitelist/entries/:id/${action}`,
        {
          config: { access: { permission: 'whitelist.review', scope: 'region_sector' } },
          schema: {
            tags: ['whitelist'],
            params: Params,
            body: EntryActionBodySchema,
            response: { 200: EntrySchema },
          },
        },
        async (request) => {
          const actor = actorOf(request);
          await changeEntry(
            ctx.db,
            actor,
            request.params.id,
            action,
            request.body,
            ctx.now(),
            auditContextOf(request),
          );
          const [entry] = await presentEntries([await getEntry(ctx.db, actor, request.params.id)], actor);
          return entry!;
        },
      );
    }

    app.post(
      '/whitelist/entries/:id/tier',
      {
        config: { access: { permission: 'whitelist.review', scope: 'region_sector' } },
        schema: {
          tags: ['whitelist'],
          params: Params,
          body: ChangeTierBodySchema,
          response: { 200: EntrySchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        await changeTier(ctx.db, actor, request.params.id, request.body, ctx.now(), auditContextOf(request));
        const [entry] = await presentEntries([await getEntry(ctx.db, actor, request.params.id)], actor);
        return entry!;
      },
    );

    // ---------------------------------------------------------------- spot checks

    app.post(
      '/whitelist/entries/:id/spot-checks',
      {
        config: { access: { permission: 'whitelist.review', scope: 'region_sector' } },
        schema: {
          tags: ['whitelist'],
          params: Params,
          body: SpotCheckBodySchema,
          response: { 201: SpotCheckSchema },
        },
      },
      async (request, reply) => {
        const now = ctx.now();
        const { check, enterprise } = await recordSpotCheck(
          ctx.db,
          actorOf(request),
          request.params.id,
          request.body,
          now,
          auditContextOf(request),
        );
        return reply.code(201).send(presentSpotCheck(check, enterprise, businessDate(now)));
      },
    );

    app.get(
      '/whitelist/spot-checks',
      {
        config: { access: { permission: 'whitelist.read', scope: 'enterprise' } },
        schema: {
          tags: ['whitelist'],
          querystring: SpotCheckListQuerySchema,
          response: { 200: SpotCheckListSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const today = businessDate(ctx.now());
        const { region, overdue, ...filter } = request.query;
        const rows = await findSpotChecks(
          ctx.db,
          actor,
          {
            ...filter,
            region: region ? scopedPrefix(actor, region) : undefined,
            overdue: overdue === 'true',
          },
          today,
        );
        return { items: rows.map((r) => presentSpotCheck(r.check, r.enterprise, today)) };
      },
    );

    app.post(
      '/whitelist/spot-checks/:id/rectified',
      {
        config: { access: { permission: 'whitelist.review', scope: 'region_sector' } },
        schema: { tags: ['whitelist'], params: Params, response: { 200: SpotCheckSchema } },
      },
      async (request) => {
        const now = ctx.now();
        const { check, enterprise } = await markRectified(
          ctx.db,
          actorOf(request),
          request.params.id,
          now,
          auditContextOf(request),
        );
        return presentSpotCheck(check, enterprise, businessDate(now));
      },
    );

    // ---------------------------------------------------------------- batches

    app.post(
      '/whitelist/batches',
      {
        config: { access: { permission: 'whitelist.publish', scope: 'region_sector' } },
        schema: { tags: ['whitelist'], body: PublishBatchBodySchema, response: { 201: BatchSchema } },
      },
      async (request, reply) => {
        const batch = await publishBatch(
          ctx.db,
          actorOf(request),
          request.body,
          ctx.now(),
          auditContextOf(request),
        );
        return reply.code(201).send(presentBatch(batch));
      },
    );

    app.get(
      '/whitelist/batches',
      {
        config: { access: { permission: 'whitelist.read', scope: 'region' } },
        schema: {
          tags: ['whitelist'],
          querystring: z.strictObject({ sector: SectorSchema.optional() }),
          response: { 200: BatchListSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const rows = await findBatches(ctx.db, { sector: request.query.sector, prefix: actor.regionPrefix });
        return { items: rows.map(presentBatch) };
      },
    );

    // ---------------------------------------------------------------- coverage and statistics

    app.get(
      '/whitelist/coverage',
      {
        config: { access: { permission: 'whitelist.oversee', scope: 'region' } },
        schema: { tags: ['whitelist'], querystring: CoverageQuerySchema, response: { 200: CoverageSchema } },
      },
      async (request) => getCoverage(ctx.db, actorOf(request), request.query, ctx.now()),
    );

    app.get(
      '/whitelist/coverage/breakdown',
      {
        config: { access: { permission: 'whitelist.oversee', scope: 'region' } },
        schema: {
          tags: ['whitelist'],
          querystring: CoverageBreakdownQuerySchema,
          response: { 200: CoverageBreakdownSchema },
        },
      },
      async (request) => getCoverageBreakdown(ctx.db, actorOf(request), request.query, ctx.now()),
    );

    app.get(
      '/whitelist/coverage/trend',
      {
        config: { access: { permission: 'whitelist.oversee', scope: 'region' } },
        schema: {
          tags: ['whitelist'],
          querystring: CoverageTrendQuerySchema,
          response: { 200: CoverageTrendSchema },
        },
      },
      async (request) => getCoverageTrend(ctx.db, actorOf(request), request.query),
    );

    app.get(
      '/whitelist/coverage/planner',
      {
        config: { access: { permission: 'whitelist.oversee', scope: 'region' } },
        schema: { tags: ['whitelist'], querystring: PlannerQuerySchema, response: { 200: PlannerSchema } },
      },
      async (request) => getPlanner(ctx.db, actorOf(request), request.query, ctx.now()),
    );

    app.get(
      '/whitelist/statistics',
      {
        config: { access: { permission: 'whitelist.oversee', scope: 'region' } },
        schema: {
          tags: ['whitelist'],
          querystring: z.strictObject({
            sector: SectorSchema.optional(),
            region: z
              .string()
              .regex(/^\d{6}$/)
              .optional(),
          }),
          response: { 200: SectorTotalListSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const rows = await findSectorTotals(ctx.db, {
          sector: request.query.sector,
          prefix: scopedPrefix(actor, request.query.region),
        });
        return {
          items: rows.map((r) => ({
            regionCode: r.regionCode,
            sector: r.sector,
            period: r.period,
            totalFen: r.totalFen,
            source: r.source,
            importedAt: r.importedAt.toISOString(),
          })),
        };
      },
    );

    addTemplateRoute(app, {
      url: '/whitelist/statistics/import/template',
      permission: 'whitelist.manage_statistics',
      tag: 'whitelist',
      definition: statisticsImport,
      asciiName: 'statistics-template',
      name: '行业产值统计导入模板',
    });

    app.post(
      '/whitelist/statistics/import',
      {
        bodyLimit: UPLOAD_LIMIT,
        config: { access: { permission: 'whitelist.manage_statistics', scope: 'region' } },
        schema: {
          tags: ['whitelist'],
          headers: z.object({ 'x-file-name': FileNameHeaderSchema }),
          response: { 200: StatisticsImportResultSchema },
        },
      },
      async (request) => {
        const upload = uploadedFile(request);
        return importStatistics(ctx.db, actorOf(request), upload, auditContextOf(request));
      },
    );
  };
}
