import type { FastifyRequest } from 'fastify';
import type { AuditContext } from './audit';
import type { Config } from './config';
import type { PiiCipher } from './crypto';
import type { Database, Db } from './db';
import type { JobQueue } from './jobs';

/** What route plugins and services are given: explicit dependencies, no container (STYLE.md). */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  pii: PiiCipher;
  jobs: JobQueue | null;
  now: () => Date;
}

/** The audit context of a request: who, from where, under which request id. */
export function auditContextOf(request: FastifyRequest): AuditContext {
  return { actor: request.actor, requestId: String(request.id), ip: request.ip ?? null };
}
