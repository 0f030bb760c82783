import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../../apps/server/src/platform/db';

/** The PostgreSQL server benchmarks create their databases on; `BENCH_DATABASE_URL=off` skips PostgreSQL. */
export const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  database: Database;
  /** Connection string of the created PostgreSQL database; null on PGlite. */
  url: string | null;
  destroy(): Promise<void>;
}

/** A PGlite data folder under the system temp directory (as `npm start` runs it), removed afterwards. */
export async function openPgliteFolder(label: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `sibao-bench-${label}-`));
  const database = await openDatabase({ databaseUrl: null, dataDir: dir });
  return {
    database,
    url: null,
    async destroy() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new database on the PostgreSQL server at ADMIN_URL, dropped afterwards; a reason string when there is none. */
export async function createPostgres(label: string): Promise<BenchDatabase | string> {
  if (ADMIN_URL === 'off') return 'BENCH_DATABASE_URL=off';
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  const name = `sibao_bench_${label}_${randomBytes(4).toString('hex')}`;
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch (error) {
    return `no PostgreSQL at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')}: ${(error as Error).message}`;
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const drop = async () => {
    const dropper = new pg.Client({ connectionString: ADMIN_URL });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  };
  try {
    // The server's default pool size.
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
    return {
      database,
      url: url.toString(),
      async destroy() {
        await database.close();
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}
