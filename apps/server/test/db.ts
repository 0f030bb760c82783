import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase, runMigrations } from '../src/platform/db';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or — when TEST_DATABASE_URL
 * points at a PostgreSQL server — a new database created on it and dropped afterwards. Never a mock.
 */
export interface TestDatabase extends Database {
  /** Drops the PostgreSQL database (if any) after closing. */
  destroy(): Promise<void>;
  /** Connection string of the created PostgreSQL database, or null on PGlite. */
  url: string | null;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const database = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
    await runMigrations(database);
    return { ...database, url: null, destroy: () => database.close() };
  }
  const name = `sibao_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 5 });
  await runMigrations(database);
  return {
    ...database,
    url: url.toString(),
    async destroy() {
      await database.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
