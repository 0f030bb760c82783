import {
  ChangePasswordBodySchema,
  LoginBodySchema,
  LoginResponseSchema,
  MeSchema,
  MfaCodeBodySchema,
  MfaEnrolmentSchema,
  PERMISSIONS,
  ROLES,
  SessionListSchema,
} from '@sibao/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/access';
import { type AppContext, auditContextOf } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { findUsersInScope, getUserInScope, orgUnitInScope, tokenInScope } from './iam.queries';
import {
  changePassword,
  completeMfa,
  createApiToken,
  createUser,
  describeActor,
  disableUser,
  endOwnSession,
  endSessions,
  type IamSettings,
  listSessions,
  login,
  revokeApiToken,
  startMfaEnrolment,
  unlockUser,
} from './iam.service';

export const SESSION_COOKIE = 'sibao_session';

export function sessionCookieName(secure: boolean): string {
  // The __Host- prefix pins the cookie to this host, path "/" and HTTPS (production).
  return secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

export function iamSettingsOf(ctx: AppContext): IamSettings {
  return {
    mfaRequiredForOfficials: ctx.config.mode === 'production',
    passwordMaxAgeDays: ctx.config.passwordMaxAgeDays,
    pii: ctx.pii,
    now: ctx.now,
  };
}

const NoContent = { 204: z.null() };
const IdParams = z.strictObject({ id: z.uuid() });

export function iamRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const settings = iamSettingsOf(ctx);
  const secure = ctx.config.mode === 'production';
  const cookieName = sessionCookieName(secure);
  const setSession = (reply: FastifyReply, token: string) =>
    reply.setCookie(cookieName, token, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
  const clearSession = (reply: FastifyReply) =>
    reply.clearCookie(cookieName, { httpOnly: true, sameSite: 'strict', secure, path: '/' });

  return async (app) => {
    app.post(
      '/auth/login',
      {
        config: {
          access: { permission: 'public', scope: 'none' },
          rateLimit: { max: 20, timeWindow: '1 minute' },
        },
        schema: { tags: ['auth'], body: LoginBodySchema, response: { 200: LoginResponseSchema } },
      },
      async (request, reply) => {
        const outcome = await login(ctx.db, settings, {
          ...request.body,
          ip: request.ip ?? null,
          userAgent: request.headers['user-agent'] ?? null,
          requestId: String(request.id),
        });
        setSession(reply, outcome.sessionToken);
        if (outcome.status !== 'ok') return { status: outcome.status };
        return { status: 'ok' as const, me: await describeActor(ctx.db, settings, outcome.actor) };
      },
    );

    app.post(
      '/auth/logout',
      {
        config: {
          access: {
            permission: 'authenticated',
            scope: 'self',
            allowPending: true,
            allowPasswordExpired: true,
          },
        },
        schema: { tags: ['auth'], response: NoContent },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        if (actor.sessionId) await endSessions(ctx.db, { sessionId: actor.sessionId });
        clearSession(reply);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      {
        config: { access: { permission: 'authenticated', scope: 'self', allowPasswordExpired: true } },
        schema: { tags: ['auth'], response: { 200: MeSchema } },
      },
      async (request) => describeActor(ctx.db, settings, actorOf(request)),
    );

    app.post(
      '/auth/mfa/enroll',
      {
        config: {
          access: {
            permission: 'authenticated',
            scope: 'self',
            allowPending: true,
            allowPasswordExpired: true,
          },
        },
        schema: { tags: ['auth'], response: { 200: MfaEnrolmentSchema } },
      },
      async (request) => {
        const actor = actorOf(request);
        if (actor.kind !== 'user' || actor.pending === 'mfa') throw new AppError('FORBIDDEN');
        return startMfaEnrolment(ctx.db, settings, actor);
      },
    );

    for (const mode of ['confirm', 'verify'] as const) {
      app.post(
        `/auth/mfa/${mode}`,
        {
          config: {
            access: {
              permission: 'authenticated',
              scope: 'self',
              allowPending: true,
              allowPasswordExpired: true,
            },
            rateLimit: { max: 10, timeWindow: '1 minute' },
          },
          schema: { tags: ['auth'], body: MfaCodeBodySchema, response: { 200: LoginResponseSchema } },
        },
        async (request) => {
          const actor = actorOf(request);
          if (actor.kind !== 'user') throw new AppError('FORBIDDEN');
          await completeMfa(ctx.db, settings, actor, request.body.code, auditContextOf(request), mode);
          const me = await describeActor(ctx.db, settings, { ...actor, pending: null });
          return { status: 'ok' as const, me };
        },
      );
    }

    app.post(
      '/auth/password',
      {
        config: { access: { permission: 'authenticated', scope: 'self', allowPasswordExpired: true } },
        schema: { tags: ['auth'], body: ChangePasswordBodySchema, response: NoContent },
      },
      async (request, reply) => {
        await changePassword(ctx.db, settings, actorOf(request), request.body, auditContextOf(request));
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/sessions',
      {
        config: { access: { permission: 'authenticated', scope: 'self' } },
        schema: { tags: ['auth'], response: { 200: SessionListSchema } },
      },
      async (request) => ({ items: await listSessions(ctx.db, settings, actorOf(request)) }),
    );

    app.delete(
      '/auth/sessions/:id',
      {
        config: { access: { permission: 'authenticated', scope: 'self' } },
        schema: { tags: ['auth'], params: IdParams, response: NoContent },
      },
      async (request, reply) => {
        await endOwnSession(ctx.db, actorOf(request), request.params.id, auditContextOf(request));
        return reply.code(204).send(null);
      },
    );

    // --- administration of users and machine clients (region-scoped) ---

    const UserSummary = z.object({
      id: z.string(),
      username: z.string(),
      displayName: z.string(),
      role: z.enum(ROLES),
      orgUnit: z.object({ id: z.string(), name: z.string(), regionCode: z.string(), tier: z.string() }),
      locked: z.boolean(),
      disabled: z.boolean(),
      mfaEnabled: z.boolean(),
    });

    app.get(
      '/iam/users',
      {
        config: { access: { permission: 'iam.read_users', scope: 'region' } },
        schema: {
          tags: ['iam'],
          querystring: z.strictObject({
            q: z.string().max(64).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: z.object({ items: z.array(UserSummary) }) },
        },
      },
      async (request) => ({
        items: await findUsersInScope(ctx.db, actorOf(request), request.query, ctx.now()),
      }),
    );

    app.post(
      '/iam/users',
      {
        config: { access: { permission: 'iam.manage_users', scope: 'region' } },
        schema: {
          tags: ['iam'],
          body: z.strictObject({
            username: z.string().regex(/^[a-z][a-z0-9._-]{2,63}$/),
            displayName: z.string().min(1).max(64),
            orgUnitId: z.uuid(),
            role: z.enum(ROLES),
            password: z.string().min(1).max(256),
          }),
          response: { 201: z.object({ id: z.string() }) },
        },
      },
      async (request, reply) => {
        // An org unit outside the administrator's region does not exist for them.
        if (!(await orgUnitInScope(ctx.db, actorOf(request), request.body.orgUnitId)))
          throw new AppError('NOT_FOUND');
        const id = await createUser(ctx.db, request.body, auditContextOf(request));
        return reply.code(201).send({ id });
      },
    );

    for (const action of ['disable', 'unlock'] as const) {
      app.post(
        `/iam/users/:id/${action}`,
        {
          config: { access: { permission: 'iam.manage_users', scope: 'region' } },
          schema: { tags: ['iam'], params: IdParams, response: NoContent },
        },
        async (request, reply) => {
          await getUserInScope(ctx.db, actorOf(request), request.params.id);
          const fn = action === 'disable' ? disableUser : unlockUser;
          await fn(ctx.db, request.params.id, auditContextOf(request));
          return reply.code(204).send(null);
        },
      );
    }

    app.post(
      '/iam/tokens',
      {
        config: { access: { permission: 'iam.manage_tokens', scope: 'region' } },
        schema: {
          tags: ['iam'],
          body: z.strictObject({
            name: z.string().min(1).max(64),
            orgUnitId: z.uuid(),
            role: z.enum(ROLES),
            permissions: z.array(z.enum(PERMISSIONS)).min(1),
            expiresInDays: z.number().int().min(1).max(366),
          }),
          response: { 201: z.object({ id: z.string(), token: z.string(), expiresAt: z.string() }) },
        },
      },
      async (request, reply) => {
        if (!(await orgUnitInScope(ctx.db, actorOf(request), request.body.orgUnitId)))
          throw new AppError('NOT_FOUND');
        const expiresAt = new Date(ctx.now().getTime() + request.body.expiresInDays * 86_400_000);
        const { expiresInDays: _, ...input } = request.body;
        const created = await createApiToken(ctx.db, { ...input, expiresAt }, auditContextOf(request));
        return reply.code(201).send({ ...created, expiresAt: expiresAt.toISOString() });
      },
    );

    app.delete(
      '/iam/tokens/:id',
      {
        config: { access: { permission: 'iam.manage_tokens', scope: 'region' } },
        schema: { tags: ['iam'], params: IdParams, response: NoContent },
      },
      async (request, reply) => {
        if (!(await tokenInScope(ctx.db, actorOf(request), request.params.id)))
          throw new AppError('NOT_FOUND');
        await revokeApiToken(ctx.db, request.params.id, auditContextOf(request));
        return reply.code(204).send(null);
      },
    );
  };
}
