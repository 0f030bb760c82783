import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './app';
import { printDemoAccounts, writeDemoAccounts } from './demo/demo.accounts';
import { seedDemoProvince } from './demo/demo.generate';
import { isDatabaseEmpty } from './demo/demo.status';
import { seedDemoWorkforce } from './demo/demo.workforce';
import { importEnterprisesJob } from './modules/enterprises';
import { testResultImportJob, WORKFORCE_RETENTION, workforceJobs } from './modules/workforce';
import { prepareDatabase } from './platform/bootstrap';
import { loadConfig } from './platform/config';
import { piiCipherFromSecret } from './platform/crypto';
import { DatabaseLockedError, openDatabase } from './platform/db';
import { createJobQueue } from './platform/jobs';
import { createLogger } from './platform/logger';
import { registerPlatformJobs } from './platform/platform.jobs';
import { PLATFORM_RETENTION } from './platform/retention';

/**
 * Starts Sibao: opens the database (embedded PGlite in the data folder unless DATABASE_URL is set), migrates
 * it, loads the demo province on the first start in demo mode, starts the job workers and serves the API and
 * the web app. SIGTERM/SIGINT stop it gracefully: no new connections, in-flight requests finish, jobs stop,
 * the database closes cleanly.
 */
async function main() {
  const started = performance.now();
  const config = loadConfig();
  const log = createLogger();
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof DatabaseLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(3);
    }
    throw error;
  }
  await prepareDatabase(database);

  let seeded: Awaited<ReturnType<typeof seedDemoProvince>> | null = null;
  if (config.mode === 'demo' && !config.databaseUrl && (await isDatabaseEmpty(database.db))) {
    process.stdout.write('  首次启动：正在生成演示省份数据 First start: generating the demo province …\n');
    seeded = await seedDemoProvince(database.db, { size: 's' });
    await seedDemoWorkforce(database.db, piiCipherFromSecret(config.secret));
  }

  const jobs = createJobQueue(database);
  await registerPlatformJobs(jobs, {
    database,
    config,
    retention: [...PLATFORM_RETENTION, ...WORKFORCE_RETENTION],
  });
  await jobs.register(importEnterprisesJob);
  const workforce = workforceJobs({ pii: piiCipherFromSecret(config.secret) });
  await jobs.register(workforce.importRoster);
  await jobs.register(testResultImportJob({ pii: piiCipherFromSecret(config.secret) }));
  await jobs.register(workforce.raiseOverdueAlerts);
  await jobs.register(workforce.trackArrivals);
  await jobs.register(workforce.remindDailyReports);
  await jobs.register(workforce.importDrugPurchases);
  await jobs.register(workforce.ensurePcrPartitions);
  await jobs.start();

  const { app } = await buildApp({ config, database, jobs });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `\n  四保平台已启动 Sibao is running: ${url}  (${database.kind}, ${config.mode} mode, ready in ${seconds} s)\n\n`,
  );
  if (seeded) {
    const file = writeDemoAccounts(config.dataDir, seeded);
    printDemoAccounts(seeded, file);
  } else if (config.mode === 'demo' && existsSync(path.join(config.dataDir, 'demo-accounts.json'))) {
    process.stdout.write(
      `  演示账户见 Demo accounts: ${path.join(config.dataDir, 'demo-accounts.json')}\n\n`,
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      await app.close();
      await jobs.stop({ graceful: true });
      await database.close();
      log.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(
    `Sibao failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
