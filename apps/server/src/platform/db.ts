import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTable } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

/** The one database type every query function takes: a database or a transaction, PGlite or PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT>;

export type DbKind = 'pglite' | 'postgresql';

export interface Database {
  db: Db;
  kind: DbKind;
  /** Runs SQL text with several statements and no parameters (maintenance, fixtures). */
  exec(text: string): Promise<void>;
  /** Runs one parameterised statement outside Drizzle and returns its rows (the job queue uses it). */
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement text and returns the rows of every statement (pg-boss needs this on PGlite). */
  execRows(text: string): Promise<Record<string, unknown>[][]>;
  close(): Promise<void>;
  pglite?: PGlite;
  pool?: pg.Pool;
}

export const migrationsFolder = path.resolve(import.meta.dirname, '../../drizzle');

// int8 as JS number: our counts and fen amounts stay far below 2^53; timestamps stay Date via Drizzle.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenOptions {
  databaseUrl: string | null;
  /** PGlite data folder; `memory://` for a throw-away database (tests). */
  dataDir: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

/**
 * Opens the embedded PGlite database in `dataDir` (taking the folder's lock) or PostgreSQL at `databaseUrl`.
 * Throws DatabaseLockedError if another live process holds the PGlite folder.
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  await pool.query('select 1');
  const db = drizzleNodePg(pool) as unknown as Db;
  return {
    db,
    kind: 'postgresql',
    pool,
    async exec(text) {
      await pool.query(text);
    },
    async query<T>(text: string, values?: unknown[]) {
      const r = await pool.query(text, values as unknown[]);
      return r.rows as T[];
    },
    async execRows(text) {
      const r = (await pool.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
      return (Array.isArray(r) ? r : [r]).map((x) => x.rows as Record<string, unknown>[]);
    },
    async close() {
      await pool.end();
    },
  };
}

export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `数据目录 ${dataDir} 正被进程 ${pid} 使用，不能同时启动第二个实例。\n` +
        `The data folder ${dataDir} is in use by process ${pid}; a second server cannot open it. ` +
        'Stop the other process, use another SIBAO_DATA_DIR, or use PostgreSQL (DATABASE_URL) to run several processes.',
    );
    this.name = 'DatabaseLockedError';
  }
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  let releaseLock = () => {};
  let client: PGlite;
  if (inMemory) {
    client = new PGlite();
  } else {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(dataDir);
    try {
      client = new PGlite(path.join(dataDir, 'pgdata'));
      await client.waitReady;
    } catch (error) {
      releaseLock();
      throw error;
    }
  }
  await client.waitReady;
  const db = drizzlePglite(client) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    async exec(text) {
      await client.exec(text);
    },
    async query<T>(text: string, values?: unknown[]) {
      const r = await client.query<T>(text, values as unknown[]);
      return r.rows;
    },
    async execRows(text) {
      const results = await client.exec(text);
      return results.map((r) => r.rows as Record<string, unknown>[]);
    },
    async close() {
      try {
        await client.close();
      } finally {
        releaseLock();
      }
    },
  };
}

/**
 * One process per PGlite folder: an exclusive lock file holding our pid. A lock left by a dead process
 * (crash, SIGKILL) is taken over; a live one refuses with DatabaseLockedError.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'sibao.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) throw new DatabaseLockedError(dataDir, pid);
      if (pid === process.pid) throw new DatabaseLockedError(dataDir, pid);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Applies the committed SQL migrations (apps/server/drizzle) in order, once, under an advisory lock. */
export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    // biome-ignore lint/suspicious/noExplicitAny: Drizzle's migrator wants its own driver type; ours is the same object.
    await migratePglite(database.db as any, { migrationsFolder });
    return;
  }
  const pool = database.pool!;
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(4242001)');
    await migrateNodePg(drizzleNodePg(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock(4242001)').catch(() => {});
    client.release();
  }
}

/** Rows of a raw statement, for the few queries Drizzle's builder does not express well. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Inserts many rows of one table, `chunk` rows a statement, the rows travelling as ONE jsonb parameter read back
 * by `jsonb_to_recordset`. For bulk writes (roster imports, demo data): a multi-row VALUES of 500 rows × 28
 * columns costs Drizzle more JavaScript than the database spends inserting them, and one parameter carries any
 * text safely. The rows' keys decide the columns: a key left out of every row takes the column default; a key
 * some rows have and others lack is refused (it would silently be null); `undefined` is null. Dates travel as
 * ISO instants.
 */
export async function insertRecordSet<T extends PgTable>(
  db: Db,
  table: T,
  values: ReadonlyArray<T['$inferInsert']>,
  chunk = 5_000,
): Promise<void> {
  if (values.length === 0) return;
  const present = new Set<string>();
  for (const row of values) for (const key of Object.keys(row)) present.add(key);
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => present.has(key));
  for (const row of values)
    if (Object.keys(row).length !== columns.length || columns.some(([key]) => !(key in row)))
      throw new TypeError('insertRecordSet: every row must carry the same keys');
  const names = sql.join(
    columns.map(([, column]) => sql.identifier(column.name)),
    sql`, `,
  );
  const shape = sql.raw(columns.map(([, column]) => `"${column.name}" ${column.getSQLType()}`).join(', '));
  for (let i = 0; i < values.length; i += chunk) {
    const records = values.slice(i, i + chunk).map((row) => {
      const record: Record<string, unknown> = {};
      for (const [key, column] of columns)
        record[column.name] = (row as Record<string, unknown>)[key] ?? null;
      return record;
    });
    await db.execute(
      sql`insert into ${table} (${names}) select ${names} from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(${shape})`,
    );
  }
}

export { sql };

export function migrationsExist(): boolean {
  return existsSync(path.join(migrationsFolder, 'meta/_journal.json'));
}
