import { sql } from 'drizzle-orm';
import { orgUnits } from '../modules/iam';
import { type Db, rows } from '../platform/db';

/** True when no org unit exists yet: the demo province has not been loaded. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await rows<{ n: number }>(db, sql`select count(*)::int as n from ${orgUnits}`);
  return Number(row?.n ?? 0) === 0;
}
