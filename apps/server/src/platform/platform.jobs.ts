import { z } from 'zod';
import { ensureAuditPartitions, verifyAuditChain } from './audit';
import type { Config } from './config';
import type { Database } from './db';
import { defineJob, type JobQueue } from './jobs';
import { PLATFORM_RETENTION, purgeExpired, type RetentionRule } from './retention';

/**
 * Platform housekeeping: audit partitions ahead of time, retention purges (the platform's rules and those the
 * modules add, passed in `retention`), nightly audit-chain check.
 */
export async function registerPlatformJobs(
  jobs: JobQueue,
  deps: { database: Database; config: Config; retention?: readonly RetentionRule[] },
) {
  const { database } = deps;
  const empty = z.object({}).strict();
  await jobs.register(
    defineJob({
      name: 'platform.ensure-audit-partitions',
      schema: empty,
      cron: '10 0 * * *',
      handler: async () => ensureAuditPartitions(database.db),
    }),
  );
  await jobs.register(
    defineJob({
      name: 'platform.purge-expired',
      schema: empty,
      cron: '30 2 * * *',
      handler: async (_data, { log }) => {
        const report = await purgeExpired(database.db, deps.retention ?? PLATFORM_RETENTION);
        log.info({ report }, 'retention purge');
      },
    }),
  );
  await jobs.register(
    defineJob({
      name: 'platform.verify-audit-chain',
      schema: empty,
      cron: '0 3 * * *',
      handler: async (_data, { log }) => {
        const result = await verifyAuditChain(database.db);
        if (!result.ok) log.error({ result }, 'audit chain broken');
        else log.info({ checked: result.checked }, 'audit chain verified');
      },
    }),
  );
  if (database.kind === 'pglite') {
    // PGlite has no autovacuum: the job tables and sessions churn, so vacuum nightly.
    await jobs.register(
      defineJob({
        name: 'platform.vacuum-embedded',
        schema: empty,
        cron: '30 3 * * *',
        handler: async () => database.exec('VACUUM'),
      }),
    );
  }
}
