import { ParameterAtSchema, ParameterListSchema, PublishParameterVersionBodySchema } from '@sibao/contracts';
import type { ParameterVersion } from '@sibao/rules';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { businessDate } from '../../platform/clock';
import { type AppContext, auditContextOf } from '../../platform/context';
import { AppError } from '../../platform/errors';
import {
  loadParameterStore,
  mapStoreError,
  publishParameterVersion,
  readTimelines,
} from './parameters.service';

const DateSchema = z.iso.date();

function presentVersion(v: ParameterVersion) {
  return {
    from: v.from,
    to: v.to,
    value: v.value,
    source: v.source,
    revision: v.revision,
    ...(v.publishedBy ? { publishedBy: v.publishedBy } : {}),
  };
}

export function parametersRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // The registry is province-wide reference data: scope none.
    app.get(
      '/parameters',
      {
        config: { access: { permission: 'parameters.read', scope: 'none' } },
        schema: { tags: ['parameters'], response: { 200: ParameterListSchema } },
      },
      async () => {
        const today = businessDate(ctx.now());
        const timelines = await readTimelines(ctx.db);
        return {
          items: timelines.map((t) => {
            const current = t.versions.find((v) => v.from <= today && (v.to === null || today < v.to));
            return {
              key: t.key,
              label: t.label,
              unit: t.unit ?? null,
              parts: (t.parts as Record<string, { zh: string; en?: string }> | undefined) ?? null,
              current: current ? current.value : null,
              versions: t.versions.map(presentVersion),
            };
          }),
        };
      },
    );

    app.get(
      '/parameters/:key',
      {
        config: { access: { permission: 'parameters.read', scope: 'none' } },
        schema: {
          tags: ['parameters'],
          params: z.strictObject({ key: z.string().max(100) }),
          querystring: z.strictObject({ asOf: DateSchema.optional() }),
          response: {
            200: ParameterAtSchema,
          },
        },
      },
      async (request) => {
        const asOf = request.query.asOf ?? businessDate(ctx.now());
        const store = await loadParameterStore(ctx.db);
        try {
          const version = store.versionAt(request.params.key, asOf);
          return { key: request.params.key, asOf, value: version.value, version: presentVersion(version) };
        } catch (error) {
          throw mapStoreError(error);
        }
      },
    );

    app.post(
      '/parameters/:key/versions',
      {
        config: { access: { permission: 'parameters.manage', scope: 'none' } },
        schema: {
          tags: ['parameters'],
          params: z.strictObject({ key: z.string().max(100) }),
          body: PublishParameterVersionBodySchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        if (!request.params.key) throw new AppError('PARAMETER_NOT_FOUND');
        await publishParameterVersion(
          ctx.db,
          { key: request.params.key, ...request.body },
          auditContextOf(request),
        );
        return reply.code(204).send(null);
      },
    );
  };
}
