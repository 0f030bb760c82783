import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { insertRecordSet, rows } from './db';
import { newId } from './ids';

/** A table of this test's own, with the column kinds bulk inserts carry: uuid, text, instants, flags, numbers. */
const probe = pgTable('bulk_insert_probe', {
  id: uuid('id').primaryKey(),
  label: text('label').notNull(),
  at: timestamp('at', { withTimezone: true }),
  flag: boolean('flag').notNull().default(false),
  amount: integer('amount'),
});

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`
    create table bulk_insert_probe (
      id uuid primary key, label text not null, at timestamptz, flag boolean not null default false, amount integer)`);
});

afterAll(async () => {
  await database?.destroy();
});

interface ProbeRow {
  id: string;
  label: string;
  at: Date | null;
  flag: boolean;
  amount: number | null;
}

const readAll = () =>
  rows<ProbeRow>(database.db, sql`select id, label, at, flag, amount from bulk_insert_probe order by label`);

describe('insertRecordSet', () => {
  it('stores every row across chunks with text, instants, nulls and numbers as given', async () => {
    const at = new Date('2022-05-25T01:02:03.456Z');
    const labels = ['a 普通', 'b "quoted" \\ back', 'c line\nbreak', 'd \u001f unit separator', 'e 🚚', 'f'];
    const values = labels.map((label, i) => ({
      id: newId(),
      label,
      at: i % 2 === 0 ? at : null,
      flag: i % 3 === 0,
      amount: i === 5 ? null : i * 1_000,
    }));
    await insertRecordSet(database.db, probe, values, 4);
    const stored = await readAll();
    expect(stored.map((r) => r.label)).toEqual(labels);
    expect(stored.map((r) => (r.at === null ? null : new Date(r.at).toISOString()))).toEqual(
      values.map((v) => v.at?.toISOString() ?? null),
    );
    expect(stored.map((r) => r.flag)).toEqual(values.map((v) => v.flag));
    expect(stored.map((r) => r.amount)).toEqual(values.map((v) => v.amount));
    await database.db.execute(sql`delete from bulk_insert_probe`);
  });

  it('lets a column every row leaves out take its default', async () => {
    await insertRecordSet(database.db, probe, [{ id: newId(), label: 'defaulted' }]);
    const [stored] = await readAll();
    expect(stored).toMatchObject({ label: 'defaulted', flag: false, at: null, amount: null });
    await database.db.execute(sql`delete from bulk_insert_probe`);
  });

  it('refuses rows that disagree on their keys and writes nothing', async () => {
    await expect(
      insertRecordSet(database.db, probe, [
        { id: newId(), label: 'with flag', flag: true },
        { id: newId(), label: 'without flag' },
      ]),
    ).rejects.toThrow(/same keys/);
    expect(await readAll()).toEqual([]);
  });

  it('does nothing for no rows', async () => {
    await insertRecordSet(database.db, probe, []);
    expect(await readAll()).toEqual([]);
  });
});
