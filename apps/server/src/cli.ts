import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PERMISSIONS, type Permission, ROLES, type Role } from '@sibao/contracts';
import { eq } from 'drizzle-orm';
import { printDemoAccounts, writeDemoAccounts } from './demo/demo.accounts';
import { DEMO_SIZES, type DemoSize, seedDemoProvince } from './demo/demo.generate';
import { seedDemoWorkforce } from './demo/demo.workforce';
import { BULK_WORKFORCE_EMPLOYEES } from './demo/demo.workforce.bulk';
import { createApiToken, createUser, orgUnits } from './modules/iam';
import { WORKFORCE_RETENTION } from './modules/workforce';
import { verifyAuditChain } from './platform/audit';
import { prepareDatabase } from './platform/bootstrap';
import { loadConfig } from './platform/config';
import { piiCipherFromSecret } from './platform/crypto';
import { type Database, DatabaseLockedError, lockDataDir, openDatabase } from './platform/db';
import { AppError } from './platform/errors';
import { PLATFORM_RETENTION, purgeExpired } from './platform/retention';

const HELP = `四保平台命令行 Sibao command line — npm run sibao -- <command> [options]

  migrate                         apply migrations and reference data (regions, parameters)
  seed --size s|m|l [--seed N]    load the demo province into an empty database (m: 40 k enterprises, 3 M
                                  employees with a week of tests, ~20 min — meant for PostgreSQL)
  users:create --username U --name N --org-unit ID --role R    (password read from stdin)
  tokens:create --name N --org-unit ID --role R --permissions a.b,c.d [--days 90]
  backup [--out FILE]             PGlite: data-folder archive (server stopped); PostgreSQL: pg_dump -Fc
  restore --from FILE [--force]   PGlite: replaces the data folder (server stopped); PostgreSQL: pg_restore into
                                  an empty database (--force empties it first)
  audit:verify                    recompute the audit hash chain; exit 1 if it is broken
  purge                           delete or anonymise personal data past its retention

Environment: SIBAO_DATA_DIR (default ./data), DATABASE_URL (PostgreSQL), SIBAO_MODE, SIBAO_SECRET.`;

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof DatabaseLockedError) fail(error.message, 3);
    throw error;
  }
  try {
    await prepareDatabase(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function timestamp() {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      size: { type: 'string' },
      seed: { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      'org-unit': { type: 'string' },
      role: { type: 'string' },
      permissions: { type: 'string' },
      days: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      force: { type: 'boolean' },
    },
    allowPositionals: false,
  });
  const config = loadConfig();
  switch (command) {
    case 'migrate':
      await withDatabase(async (database) => {
        process.stdout.write(`migrated (${database.kind})\n`);
      });
      return;
    case 'seed': {
      const size = (values.size ?? 's') as DemoSize;
      if (!(size in DEMO_SIZES)) fail('--size must be s, m or l');
      // m and l generate millions of people and tests. Measured at m: ~18 min on the embedded database as on
      // PostgreSQL, but a ~20 GB data folder served by one WASM process — PostgreSQL is the target for m.
      if (size !== 's' && !config.databaseUrl)
        process.stderr.write(
          `seed --size ${size}: ${BULK_WORKFORCE_EMPLOYEES[size].toLocaleString('en')} employees with a week of PCR tests into the embedded database (PGlite).\n` +
            `Expect ~20 min and up to ~20 GB of disk in ${config.dataDir} for m (l: ~2.5×). PostgreSQL is the database for this size: DATABASE_URL=postgres://user@host:5432/dbname\n`,
        );
      await withDatabase(async (database) => {
        const started = performance.now();
        const result = await seedDemoProvince(database.db, {
          size,
          seed: values.seed ? Number(values.seed) : undefined,
        });
        const workforce = await seedDemoWorkforce(database.db, piiCipherFromSecret(config.secret), {
          seed: values.seed ? Number(values.seed) : undefined,
          size,
          progress: (line) => process.stderr.write(`seed ${size}: ${line}\n`),
        });
        mkdirSync(config.dataDir, { recursive: true });
        const file = writeDemoAccounts(config.dataDir, result);
        process.stdout.write(
          `seeded size ${size} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(result.counts)}\n`,
        );
        if (workforce.bulk) process.stdout.write(`workforce: ${JSON.stringify(workforce.bulk)}\n`);
        printDemoAccounts(result, file);
      });
      return;
    }
    case 'users:create': {
      const role = values.role as Role;
      if (!values.username || !values['org-unit'] || !ROLES.includes(role)) {
        fail(`users:create needs --username, --org-unit and --role (${ROLES.join(', ')})`);
      }
      const password = await readStdin();
      await withDatabase(async (database) => {
        const id = await createUser(
          database.db,
          {
            username: values.username!,
            displayName: values.name ?? values.username!,
            orgUnitId: values['org-unit']!,
            role,
            password,
          },
          { actor: null, requestId: 'cli' },
        );
        process.stdout.write(`created user ${values.username} (${id})\n`);
      });
      return;
    }
    case 'tokens:create': {
      const role = values.role as Role;
      const permissions = (values.permissions ?? '').split(',').filter(Boolean) as Permission[];
      const bad = permissions.filter((p) => !PERMISSIONS.includes(p));
      if (
        !values.name ||
        !values['org-unit'] ||
        !ROLES.includes(role) ||
        permissions.length === 0 ||
        bad.length
      ) {
        fail(
          `tokens:create needs --name, --org-unit, --role and --permissions (unknown: ${bad.join(', ') || 'none'})`,
        );
      }
      const days = Number(values.days ?? 90);
      await withDatabase(async (database) => {
        const [org] = await database.db.select().from(orgUnits).where(eq(orgUnits.id, values['org-unit']!));
        if (!org) fail('no such org unit');
        const expiresAt = new Date(Date.now() + days * 86_400_000);
        const created = await createApiToken(
          database.db,
          { name: values.name!, orgUnitId: org.id, role, permissions, expiresAt },
          { actor: null, requestId: 'cli' },
        );
        process.stdout.write(
          `token ${created.id} for ${org.name}, expires ${expiresAt.toISOString()}:\n${created.token}\n`,
        );
      });
      return;
    }
    case 'backup': {
      if (config.databaseUrl) {
        const out = values.out ?? path.resolve(`backups/sibao-${timestamp()}.dump`);
        mkdirSync(path.dirname(out), { recursive: true });
        const r = spawnSync('pg_dump', ['--format=custom', `--file=${out}`, config.databaseUrl], {
          stdio: 'inherit',
        });
        if (r.status !== 0) fail('pg_dump failed (is the PostgreSQL client installed?)');
        process.stdout.write(`backup written: ${out}\n`);
        return;
      }
      // PGlite: take the folder's lock so a running server cannot change the files while we copy them.
      const release = lockOrFail(config.dataDir);
      try {
        const client = new PGlite(path.join(config.dataDir, 'pgdata'));
        await client.waitReady;
        const blob = await client.dumpDataDir('gzip');
        await client.close();
        const out = values.out ?? path.resolve(`backups/sibao-${timestamp()}.tar.gz`);
        mkdirSync(path.dirname(out), { recursive: true });
        writeFileSync(out, Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
        process.stdout.write(`backup written: ${out}\n`);
      } finally {
        release();
      }
      return;
    }
    case 'restore': {
      const from = values.from;
      if (!from || !existsSync(from)) fail('restore needs --from FILE (an existing backup)');
      if (config.databaseUrl) {
        // pg_restore --clean cannot drop partitioned tables' inherited constraints, so a restore goes into an
        // empty database; --force empties this one first (our schemas only).
        const database = await openDatabase({
          databaseUrl: config.databaseUrl,
          dataDir: config.dataDir,
          poolSize: 1,
        });
        try {
          const [used] = await database.query<{ n: number }>(
            `select count(*)::int as n from information_schema.tables where table_schema in ('public', 'drizzle', 'pgboss')`,
          );
          if (used!.n > 0 && !values.force)
            fail('The target database is not empty; add --force to replace its contents.');
          if (used!.n > 0) {
            await database.exec(
              'drop schema if exists pgboss cascade; drop schema if exists drizzle cascade; drop schema public cascade; create schema public;',
            );
          }
        } finally {
          await database.close();
        }
        const r = spawnSync(
          'pg_restore',
          ['--no-owner', '--exit-on-error', `--dbname=${config.databaseUrl}`, from],
          {
            stdio: 'inherit',
          },
        );
        if (r.status !== 0) fail('pg_restore failed');
        process.stdout.write('restored\n');
        return;
      }
      const release = lockOrFail(config.dataDir);
      try {
        const target = path.join(config.dataDir, 'pgdata');
        const staging = `${target}.restoring`;
        rmSync(staging, { recursive: true, force: true });
        const client = new PGlite(staging, { loadDataDir: new Blob([readFileSync(from)]) });
        await client.query('select 1');
        await client.close();
        const previous = `${target}.before-restore-${timestamp()}`;
        if (existsSync(target)) renameSync(target, previous);
        renameSync(staging, target);
        process.stdout.write(
          `restored into ${target}${existsSync(previous) ? ` (previous data kept in ${previous})` : ''}\n`,
        );
      } finally {
        release();
      }
      return;
    }
    case 'audit:verify':
      await withDatabase(async (database) => {
        const result = await verifyAuditChain(database.db);
        process.stdout.write(`${JSON.stringify(result)}\n`);
        if (!result.ok)
          fail(
            `审计日志哈希链已被破坏 The audit chain is broken at seq ${result.firstBroken?.seq} (${result.firstBroken?.reason})`,
          );
        process.stdout.write(`审计日志完整 Audit chain intact: ${result.checked} rows\n`);
      });
      return;
    case 'purge':
      await withDatabase(async (database) => {
        const report = await purgeExpired(database.db, [...PLATFORM_RETENTION, ...WORKFORCE_RETENTION]);
        for (const r of report)
          process.stdout.write(
            `${r.rule.padEnd(20)} ${String(r.changed).padStart(8)}  older than ${r.days} days — ${r.purpose}\n`,
          );
        const total = report.reduce((s, r) => s + r.changed, 0);
        process.stdout.write(
          total === 0
            ? '没有超过保存期限的个人信息 Nothing is past its retention period.\n'
            : `purged ${total} rows\n`,
        );
      });
      return;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${HELP}\n`);
      return;
    default:
      fail(`unknown command "${command}"\n\n${HELP}`, 2);
  }
}

function lockOrFail(dataDir: string) {
  try {
    return lockDataDir(dataDir);
  } catch (error) {
    if (error instanceof DatabaseLockedError)
      fail(`${error.message}\nStop the server before a backup or restore of the embedded database.`, 3);
    throw error;
  }
}

main(process.argv.slice(2)).catch((error) => {
  if (error instanceof AppError)
    fail(`${error.code}${error.options.errors ? `: ${JSON.stringify(error.options.errors)}` : ''}`);
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
});
