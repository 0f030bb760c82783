import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyUnderPressure from '@fastify/under-pressure';
import { HealthSchema } from '@sibao/contracts';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  type FastifyPluginAsyncZod,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { enterpriseRevealableFields, enterprisesRoutes } from './modules/enterprises';
import { createAuthenticator, iamRoutes } from './modules/iam';
import { parametersRoutes } from './modules/parameters';
import { regionsRoutes } from './modules/regions';
import { whitelistRoutes } from './modules/whitelist';
import { workforceComplianceRoutes, workforceRevealableFields, workforceRoutes } from './modules/workforce';
import { type RegisteredRoute, registerAccess } from './platform/access';
import type { Config } from './platform/config';
import type { AppContext } from './platform/context';
import { piiCipherFromSecret } from './platform/crypto';
import type { Database } from './platform/db';
import { problemOf, registerErrorHandler, sendProblem } from './platform/errors';
import { newId } from './platform/ids';
import type { JobQueue } from './platform/jobs';
import { loggerOptions } from './platform/logger';
import { piiRoutes, type RevealableField } from './platform/pii';
import { progressRoutes } from './platform/progress';

export interface BuildAppOptions {
  /** Personal-data fields a `pii.reveal` holder may see in full (modules' declarations; tests add fixtures). */
  revealable?: RevealableField[];
  config: Config;
  database: Database;
  jobs?: JobQueue | null;
  /** false silences request logs (tests). */
  logger?: boolean;
  now?: () => Date;
}

export interface BuiltApp {
  app: FastifyInstance;
  ctx: AppContext;
  /** Every route with its access declaration, for the test that enumerates them. */
  routes: RegisteredRoute[];
}

/** Personal-data fields modules let officials reveal (liaison phones; employees' ID numbers and phones). */
const REVEALABLE_FIELDS: RevealableField[] = [...enterpriseRevealableFields, ...workforceRevealableFields];

/** Module route plugins, mounted under /api/v1. A new module adds its plugin here. */
const MODULE_ROUTES: Array<(ctx: AppContext) => FastifyPluginAsyncZod> = [
  iamRoutes,
  regionsRoutes,
  parametersRoutes,
  enterprisesRoutes,
  whitelistRoutes,
  workforceRoutes,
  workforceComplianceRoutes,
  progressRoutes,
];

/**
 * Builds the whole HTTP application (API, OpenAPI, web app) over an open database. Every route goes
 * through the same lifecycle: authenticate → authorise (permission) → validate (zod, unknown fields
 * refused) → handler (services apply the row scope in SQL) → response schema (unlisted fields never leave).
 */
export async function buildApp(options: BuildAppOptions): Promise<BuiltApp> {
  const { config, database } = options;
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    pii: piiCipherFromSecret(config.secret),
    jobs: options.jobs ?? null,
    now: options.now ?? (() => new Date()),
  };

  const fastifyOptions: FastifyServerOptions = {
    logger: options.logger === false ? false : loggerOptions(),
    genReqId: () => newId(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    requestTimeout: 60_000,
    connectionTimeout: 60_000,
    return503OnClosing: true,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    trustProxy: process.env.SIBAO_TRUST_PROXY === 'true',
    routerOptions: { ignoreTrailingSlash: true },
  };
  const app = Fastify(fastifyOptions).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  // Routes registered by plugins (docs, static files) get their access rule here, in one visible place.
  app.addHook('onRoute', (route) => {
    if (route.config?.access) return;
    if (
      route.url.startsWith('/api/docs') ||
      route.url === '/api/openapi.json' ||
      !route.url.startsWith('/api/')
    ) {
      route.config = { ...route.config, access: { permission: 'public', scope: 'none' } };
    }
  });
  await app.register(fastifyCookie);
  // After the cookie parser (its onRequest hook must run first), before any route is added.
  const routes = registerAccess(app, createAuthenticator(ctx));
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (request, context) => {
      const problem = problemOf('RATE_LIMITED', String(request.id));
      return Object.assign(new Error('rate limited'), { statusCode: context.statusCode, ...problem });
    },
  });
  await app.register(fastifyUnderPressure, {
    maxEventLoopDelay: Number(process.env.SIBAO_MAX_EVENT_LOOP_DELAY_MS ?? 2000),
    maxEventLoopUtilization: 0.98,
    retryAfter: 5,
    pressureHandler: (request, reply) => {
      sendProblem(reply, problemOf('OVERLOADED', String(request.id)), { 'retry-after': '5' });
    },
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Sibao 四保 API',
        version: config.version,
        description: '四保白名单企业(项目)运行调度平台',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sibao_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.get(
    '/api/openapi.json',
    { config: { access: { permission: 'public', scope: 'none' } }, schema: { hide: true } },
    async () => app.swagger(),
  );
  if (config.apiDocs) await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  await app.register(
    async (api) => {
      api.get(
        '/health',
        {
          config: { access: { permission: 'public', scope: 'none' } },
          schema: { tags: ['platform'], response: { 200: HealthSchema } },
        },
        async () => {
          await database.query('select 1');
          return { status: 'ok' as const, db: database.kind, version: config.version };
        },
      );
      for (const routesOf of MODULE_ROUTES) await api.register(routesOf(ctx));
      await api.register(piiRoutes([...REVEALABLE_FIELDS, ...(options.revealable ?? [])])(ctx));
    },
    { prefix: '/api/v1' },
  );

  await registerWeb(app, config);
  return { app, ctx, routes };
}

/** Serves the built web app at `/`, with index.html for client-side routes. */
async function registerWeb(app: FastifyInstance, config: Config) {
  const index = path.join(config.webDist, 'index.html');
  if (!existsSync(index)) return;
  await app.register(fastifyStatic, { root: config.webDist, wildcard: false, index: false, maxAge: '1h' });
  app.get('/', { config: { access: { permission: 'public', scope: 'none' } } }, (_request, reply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html'),
  );
  app.get('/*', { config: { access: { permission: 'public', scope: 'none' } } }, (request, reply) => {
    if (request.url.startsWith('/api/')) {
      return sendProblem(
        reply,
        problemOf('NOT_FOUND', String(request.id), { instance: request.url.split('?')[0] }),
      );
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
