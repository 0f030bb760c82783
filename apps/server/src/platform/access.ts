import type { Permission, Role, Sector, Tier } from '@sibao/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors';

/** Who is calling: a signed-in user or a machine client's API token, always inside one org unit. */
export interface Actor {
  kind: 'user' | 'token';
  userId: string | null;
  tokenId: string | null;
  sessionId: string | null;
  username: string;
  role: Role;
  orgUnitId: string;
  regionCode: string;
  /** SQL LIKE prefix of the actor's region subtree: '41' province, '4101' Zhengzhou, '410102' a county. */
  regionPrefix: string;
  tier: Tier;
  sectors: Sector[];
  enterpriseId: string | null;
  permissions: ReadonlySet<Permission>;
  /** A session whose second factor is still missing may only finish signing in. */
  pending: 'mfa' | 'mfa_enrolment' | null;
  passwordExpired: boolean;
}

/**
 * Which rows a route may show. Every route declares one, and the query functions apply it in SQL:
 * - `none`: the route shows nothing owned by a region (health, public lists, reference data);
 * - `self`: only the actor's own rows (its sessions, its account);
 * - `region`: rows in the actor's region subtree (region code prefix);
 * - `region_sector`: as `region`, and a sector department sees only its sectors;
 * - `enterprise`: as `region_sector` for officials; an enterprise user sees only its enterprise.
 */
export type RowScope = 'none' | 'self' | 'region' | 'region_sector' | 'enterprise';

export interface AccessRule {
  /** `public`: no sign-in; `authenticated`: any signed-in actor (also half-signed-in, see `allowPending`). */
  permission: Permission | 'public' | 'authenticated';
  scope: RowScope;
  /** Routes a session may call before its second factor is done (verify, enrol, logout, me). */
  allowPending?: boolean;
  /** Routes a user with an expired password may still call (change password, logout, me). */
  allowPasswordExpired?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export type Authenticate = (request: FastifyRequest) => Promise<Actor | null>;

/** Every registered route and its declaration, for the test that enumerates them. */
export interface RegisteredRoute {
  method: string;
  url: string;
  access: AccessRule | undefined;
}

/**
 * Wires authentication and authorisation into the request lifecycle, before the body is even parsed.
 * A route without an access declaration is refused (fail closed) and listed by `registeredRoutes`.
 */
export function registerAccess(app: FastifyInstance, authenticate: Authenticate): RegisteredRoute[] {
  const registered: RegisteredRoute[] = [];
  app.decorateRequest('actor', null);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      registered.push({ method, url: route.url, access: route.config?.access });
    }
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!request.routeOptions.url) return; // 404 handler
    if (!access) throw new AppError('FORBIDDEN', { detail: 'route has no access rule' });
    if (access.permission === 'public') {
      request.actor = await authenticate(request).catch(() => null);
      return;
    }
    const actor = await authenticate(request);
    if (!actor) throw new AppError('UNAUTHENTICATED');
    request.actor = actor;
    if (actor.pending && !access.allowPending)
      throw new AppError(actor.pending === 'mfa' ? 'MFA_REQUIRED' : 'FORBIDDEN');
    if (actor.passwordExpired && !access.allowPasswordExpired) throw new AppError('PASSWORD_EXPIRED');
    if (access.permission !== 'authenticated' && !actor.permissions.has(access.permission)) {
      throw new AppError('FORBIDDEN');
    }
  });
  return registered;
}

/** The actor of a route that requires one (any non-public route). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  return request.actor;
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

type Column = AnyPgColumn | SQL;

/** `column LIKE '<prefix>%'`: the actor's region subtree. */
export function regionCondition(actor: Pick<Actor, 'regionPrefix'>, regionColumn: Column): SQL {
  return sql`${regionColumn} like ${`${actor.regionPrefix}%`}`;
}

/** A sector department sees rows that share one of its sectors; other actors are not narrowed. */
export function sectorCondition(actor: Pick<Actor, 'role' | 'sectors'>, sectorsColumn: Column): SQL {
  if (actor.role !== 'sector_department') return sql`true`;
  if (actor.sectors.length === 0) return sql`false`;
  const list = sql.join(
    actor.sectors.map((s) => sql`${s}`),
    sql`, `,
  );
  return sql`${sectorsColumn} && array[${list}]::text[]`;
}

/**
 * Row scope for enterprise-owned rows: an enterprise user sees its own enterprise only, officials their
 * region subtree (and sectors, for departments).
 */
export function enterpriseCondition(
  actor: Actor,
  columns: { enterpriseId: Column; regionCode: Column; sectors: Column },
): SQL {
  if (actor.role === 'enterprise') {
    return actor.enterpriseId ? sql`${columns.enterpriseId} = ${actor.enterpriseId}` : sql`false`;
  }
  return sql`(${regionCondition(actor, columns.regionCode)} and ${sectorCondition(actor, columns.sectors)})`;
}
