import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Actor, actorOf } from './access';
import { writeAudit } from './audit';
import { type AppContext, auditContextOf } from './context';
import type { Db } from './db';
import { AppError } from './errors';

/**
 * A personal-data field that an authorised official may see in full (DESIGN.md §4 Personal data): responses
 * carry only masked values; the full value needs the `pii.reveal` permission, a reason, and leaves an audit
 * row. Modules that keep personal data (workforce: ID numbers, phones) declare their fields here.
 */
export interface RevealableField {
  objectType: string;
  field: string;
  /**
   * The encrypted value of the field of object `id` as the actor may see it (the module's row scope
   * applies), or null when the object does not exist for this actor.
   */
  findEncrypted(db: Db, actor: Actor, id: string): Promise<string | null>;
}

export const RevealBodySchema = z.strictObject({
  objectType: z.string().min(1).max(50),
  objectId: z.string().min(1).max(100),
  field: z.string().min(1).max(50),
  reason: z.string().trim().max(200),
});

/** `POST /pii/reveal`: the full value of one field, for a stated reason, audited. */
export function piiRoutes(fields: readonly RevealableField[]) {
  return (ctx: AppContext): FastifyPluginAsyncZod =>
    async (app) => {
      app.post(
        '/pii/reveal',
        {
          config: {
            access: { permission: 'pii.reveal', scope: 'region' },
            rateLimit: { max: 30, timeWindow: '1 minute' },
          },
          schema: {
            tags: ['pii'],
            body: RevealBodySchema,
            response: { 200: z.object({ value: z.string() }) },
          },
        },
        async (request) => {
          const { objectType, objectId, field, reason } = request.body;
          if (reason.length < 4) {
            throw new AppError('PII_REASON_REQUIRED', {
              errors: [{ path: 'body.reason', code: 'PII_REASON_REQUIRED', message: 'state why' }],
            });
          }
          const spec = fields.find((f) => f.objectType === objectType && f.field === field);
          if (!spec) throw new AppError('NOT_FOUND');
          const actor = actorOf(request);
          return ctx.db.transaction(async (tx) => {
            const token = await spec.findEncrypted(tx, actor, objectId);
            if (token === null) throw new AppError('NOT_FOUND');
            const value = ctx.pii.decrypt(token);
            await writeAudit(tx, auditContextOf(request), {
              action: 'pii.revealed',
              objectType,
              objectId,
              summary: { field, reason },
            });
            return { value };
          });
        },
      );
    };
}
