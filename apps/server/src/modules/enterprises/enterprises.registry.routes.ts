import {
  ActivationCodeSchema,
  ClaimEnterpriseBodySchema,
  ClaimEnterpriseResponseSchema,
  CreateEnterpriseBodySchema,
  CreateEnterpriseLinkBodySchema,
  DecideRegistrationBodySchema,
  EnterpriseLiaisonSchema,
  EnterpriseLinkListSchema,
  EnterpriseLinkSchema,
  IssueActivationCodeBodySchema,
  REGISTRATION_STATUSES,
  RegisterEnterpriseBodySchema,
  RegistrationListSchema,
  RegistrationSchema,
  SetLiaisonBodySchema,
} from '@sibao/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/access';
import { type AppContext, auditContextOf } from '../../platform/context';
import { maskPhone } from '../../platform/crypto';
import { findLiaison, findLinks, getEnterprise } from './enterprises.queries';
import {
  addEnterpriseLink,
  claimEnterprise,
  createEnterprise,
  decideRegistration,
  findRegistrations,
  issueActivationCode,
  registerEnterprise,
  removeEnterpriseLink,
  setLiaison,
} from './enterprises.registry';
import type { enterpriseLiaisons, enterpriseRegistrations, enterprises } from './enterprises.tables';

const Params = z.strictObject({ id: z.uuid() });

/** A liaison as responses show it: the phone masked server-side (`138****8000`). */
export function presentLiaison(ctx: AppContext, row: typeof enterpriseLiaisons.$inferSelect | null) {
  if (!row) return null;
  return {
    name: row.name,
    phoneMasked: maskPhone(ctx.pii.decrypt(row.phoneEncrypted)),
    orgUnitName: row.orgUnitName,
    assignedAt: row.assignedAt.toISOString(),
  };
}

function presentRegistration(row: typeof enterpriseRegistrations.$inferSelect) {
  const e = row.enterprise as z.infer<typeof CreateEnterpriseBodySchema>;
  return {
    id: row.id,
    status: row.status,
    uscc: row.uscc,
    name: e.name,
    kind: e.kind,
    sectors: e.sectors,
    regionCode: row.regionCode,
    address: e.address,
    headcount: e.headcount,
    annualValueFen: e.annualValueFen,
    cityOperations: e.cityOperations,
    username: row.username,
    submittedAt: row.submittedAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    reason: row.reason,
    enterpriseId: row.enterpriseId,
  };
}

/**
 * The registry additions of issue 4: create, upstream/downstream links, liaison cadre, activation codes and
 * claims, self-registration confirmed by the county. Registered inside the enterprises plugin.
 */
export async function registerRegistryRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  present: (row: typeof enterprises.$inferSelect) => unknown,
  EnterpriseSchema: z.ZodType,
) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/enterprises',
    {
      config: { access: { permission: 'enterprises.manage', scope: 'region_sector' } },
      schema: {
        tags: ['enterprises'],
        body: CreateEnterpriseBodySchema,
        response: { 201: EnterpriseSchema },
      },
    },
    async (request, reply) => {
      const row = await createEnterprise(ctx.db, actorOf(request), request.body, auditContextOf(request));
      return reply.code(201).send(present(row));
    },
  );

  api.get(
    '/enterprises/:id/links',
    {
      config: { access: { permission: 'enterprises.read', scope: 'enterprise' } },
      schema: { tags: ['enterprises'], params: Params, response: { 200: EnterpriseLinkListSchema } },
    },
    async (request) => {
      const own = await getEnterprise(ctx.db, actorOf(request), request.params.id);
      const rows = await findLinks(ctx.db, own.id);
      return {
        items: rows.map(({ link, other }) => ({
          id: link.id,
          direction: link.direction,
          note: link.note,
          linkedEnterprise: {
            id: other.id,
            name: other.name,
            uscc: other.uscc,
            regionCode: other.regionCode,
          },
          createdAt: link.createdAt.toISOString(),
        })),
      };
    },
  );

  api.post(
    '/enterprises/:id/links',
    {
      config: { access: { permission: 'enterprises.manage', scope: 'region_sector' } },
      schema: {
        tags: ['enterprises'],
        params: Params,
        body: CreateEnterpriseLinkBodySchema,
        response: { 201: EnterpriseLinkSchema },
      },
    },
    async (request, reply) => {
      const { link, other } = await addEnterpriseLink(
        ctx.db,
        actorOf(request),
        request.params.id,
        request.body,
        auditContextOf(request),
      );
      return reply.code(201).send({
        id: link.id,
        direction: link.direction,
        note: link.note,
        linkedEnterprise: { id: other.id, name: other.name, uscc: other.uscc, regionCode: other.regionCode },
        createdAt: link.createdAt.toISOString(),
      });
    },
  );

  api.delete(
    '/enterprises/:id/links/:linkId',
    {
      config: { access: { permission: 'enterprises.manage', scope: 'region_sector' } },
      schema: { tags: ['enterprises'], params: z.strictObject({ id: z.uuid(), linkId: z.uuid() }) },
    },
    async (request, reply) => {
      await removeEnterpriseLink(
        ctx.db,
        actorOf(request),
        request.params.id,
        request.params.linkId,
        auditContextOf(request),
      );
      return reply.code(204).send();
    },
  );

  api.get(
    '/enterprises/:id/liaison',
    {
      config: { access: { permission: 'enterprises.read', scope: 'enterprise' } },
      schema: { tags: ['enterprises'], params: Params, response: { 200: EnterpriseLiaisonSchema } },
    },
    async (request) => {
      const own = await getEnterprise(ctx.db, actorOf(request), request.params.id);
      return { liaison: presentLiaison(ctx, await findLiaison(ctx.db, own.id)) };
    },
  );

  api.put(
    '/enterprises/:id/liaison',
    {
      config: { access: { permission: 'enterprises.manage', scope: 'region_sector' } },
      schema: {
        tags: ['enterprises'],
        params: Params,
        body: SetLiaisonBodySchema,
        response: { 200: EnterpriseLiaisonSchema },
      },
    },
    async (request) => {
      const row = await setLiaison(
        ctx.db,
        ctx.pii,
        actorOf(request),
        request.params.id,
        request.body,
        auditContextOf(request),
      );
      return { liaison: presentLiaison(ctx, row) };
    },
  );

  api.post(
    '/enterprises/:id/activation-codes',
    {
      config: { access: { permission: 'enterprises.manage', scope: 'region_sector' } },
      schema: {
        tags: ['enterprises'],
        params: Params,
        body: IssueActivationCodeBodySchema,
        response: { 201: ActivationCodeSchema },
      },
    },
    async (request, reply) => {
      const { code, expiresAt } = await issueActivationCode(
        ctx.db,
        actorOf(request),
        request.params.id,
        request.body.validDays,
        ctx.now(),
        auditContextOf(request),
      );
      return reply.code(201).send({ code, expiresAt: expiresAt.toISOString() });
    },
  );

  api.post(
    '/public/enterprises/claim',
    {
      config: {
        access: { permission: 'public', scope: 'none' },
        rateLimit: { max: 10, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['enterprises'],
        body: ClaimEnterpriseBodySchema,
        response: { 201: ClaimEnterpriseResponseSchema },
      },
    },
    async (request, reply) => {
      const result = await claimEnterprise(ctx.db, request.body, ctx.now(), auditContextOf(request));
      return reply.code(201).send(result);
    },
  );

  api.post(
    '/public/enterprises/registrations',
    {
      config: {
        access: { permission: 'public', scope: 'none' },
        rateLimit: { max: 10, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['enterprises'],
        body: RegisterEnterpriseBodySchema,
        response: { 201: z.object({ id: z.string(), status: z.enum(REGISTRATION_STATUSES) }) },
      },
    },
    async (request, reply) => {
      const row = await registerEnterprise(ctx.db, request.body, auditContextOf(request));
      return reply.code(201).send({ id: row.id, status: row.status });
    },
  );

  api.get(
    '/enterprises/registrations',
    {
      config: { access: { permission: 'enterprises.manage', scope: 'region' } },
      schema: {
        tags: ['enterprises'],
        querystring: z.strictObject({ status: z.enum(REGISTRATION_STATUSES).optional() }),
        response: { 200: RegistrationListSchema },
      },
    },
    async (request) => {
      const rows = await findRegistrations(ctx.db, actorOf(request), request.query.status);
      return { items: rows.map(presentRegistration) };
    },
  );

  api.post(
    '/enterprises/registrations/:id/decision',
    {
      config: { access: { permission: 'enterprises.manage', scope: 'region' } },
      schema: {
        tags: ['enterprises'],
        params: Params,
        body: DecideRegistrationBodySchema,
        response: { 200: RegistrationSchema },
      },
    },
    async (request) =>
      presentRegistration(
        await decideRegistration(
          ctx.db,
          actorOf(request),
          request.params.id,
          request.body,
          ctx.now(),
          auditContextOf(request),
        ),
      ),
  );
}
