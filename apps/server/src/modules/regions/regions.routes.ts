import { RegionListSchema } from '@sibao/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { findRegion, findRegionChildren } from './regions.queries';

export function regionsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Reference data: every official may read the whole province's divisions (scope none).
    app.get(
      '/regions',
      {
        config: { access: { permission: 'regions.read', scope: 'none' } },
        schema: {
          tags: ['regions'],
          querystring: z.strictObject({
            parent: z
              .string()
              .regex(/^\d{6}$/)
              .optional(),
          }),
          response: { 200: RegionListSchema },
        },
      },
      async (request) => {
        const parent = request.query.parent ?? null;
        if (parent && !(await findRegion(ctx.db, parent))) throw new AppError('REGION_NOT_FOUND');
        return { items: await findRegionChildren(ctx.db, parent) };
      },
    );
  };
}
