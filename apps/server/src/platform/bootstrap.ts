import { henan2022Parameters } from '@sibao/rules';
import { syncParameters } from '../modules/parameters';
import { syncRegions } from '../modules/regions';
import { ensurePcrTestPartitions } from '../modules/workforce';
import { ensureAuditPartitions } from './audit';
import { type Database, runMigrations } from './db';

/**
 * Brings a database to the current schema and reference data: migrations, audit and PCR-test partitions, Henan's
 * divisions and the seed's parameters. Idempotent; runs at every start and in `sibao migrate`.
 */
export async function prepareDatabase(database: Database): Promise<void> {
  await runMigrations(database);
  await ensureAuditPartitions(database.db);
  await ensurePcrTestPartitions(database.db);
  await syncRegions(database.db);
  await syncParameters(database.db, henan2022Parameters);
}
