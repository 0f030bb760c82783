import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnterprise, createTestApp, type TestApp } from './app';
import {
  addEmployee,
  buildLabToken,
  employeeBody,
  enterpriseSession,
  idNumber,
  postResults,
} from './workforce-fixtures';

/** Lab batches as NDJSON (`application/x-ndjson`, one row a line): the same answers as a JSON array. */

const HOUR = 3_600_000;
let t: TestApp;
let lab: string;
let own: string;

const at = (offsetHours: number) => new Date(t.clock.now.getTime() + offsetHours * HOUR).toISOString();
const row = (labSampleId: string, id: string, change: Record<string, unknown> = {}) => ({
  labSampleId,
  idNumber: id,
  sampledAt: at(-2),
  result: 'negative',
  method: 'pooled',
  tubeId: 'T-1',
  ...change,
});

function postNdjson(body: string, key = randomUUID(), contentType = 'application/x-ndjson') {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/workforce/test-results',
    headers: { authorization: `Bearer ${lab}`, 'idempotency-key': key, 'content-type': contentType },
    payload: body,
  });
}
const ndjson = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  const enterprise = await buildEnterprise(t.db, { regionCode: '410105' });
  own = await enterpriseSession(t, enterprise);
  lab = await buildLabToken(t, '410100', 'city');
  await addEmployee(t, own, employeeBody(1));
});
afterAll(() => t.close());

describe('lab results as NDJSON', () => {
  it('answers like the JSON array, and a malformed line is that row’s error, not a 500', async () => {
    const rows = [
      row('N-1', idNumber(1)),
      row('N-2', idNumber(1), { sampledAt: at(+1) }),
      row('N-1', idNumber(1)),
    ];
    const text = ndjson(rows).replace('\n', '\n{"labSampleId": "N-9", oops\n');
    const res = await postNdjson(text);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      received: 4,
      accepted: 1,
      duplicate: 1,
      rejected: 2,
      unmatched: 0,
      replayed: false,
      errors: [
        { row: 1, field: '', code: 'WORKFORCE_LINE_MALFORMED' },
        { row: 2, field: 'sampledAt', code: 'WORKFORCE_SAMPLE_TIME_FUTURE' },
        { row: 3, field: 'labSampleId', code: 'WORKFORCE_DUPLICATE_ROW' },
      ],
    });
    // The same rows as a JSON array under a new key: every valid row is now a stored duplicate.
    const json = await postResults(t, lab, [row('N-1', idNumber(1))]);
    expect(json.json()).toMatchObject({ accepted: 0, duplicate: 1 });
  });

  it('accepts CRLF lines, a charset parameter and no final newline; a resent body replays', async () => {
    const key = randomUUID();
    const text = [row('M-1', idNumber(1)), row('M-2', idNumber(777))]
      .map((r) => JSON.stringify(r))
      .join('\r\n');
    const first = await postNdjson(text, key, 'application/x-ndjson; charset=utf-8');
    expect(first.json()).toMatchObject({ received: 2, accepted: 2, unmatched: 1, errors: [] });
    const again = await postNdjson(text, key);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    const conflict = await postNdjson(ndjson([row('M-3', idNumber(1))]), key);
    expect(conflict.statusCode).toBe(409);
  });

  it('refuses an empty body and more than 10,000 lines as a whole', async () => {
    expect((await postNdjson('')).statusCode).toBe(400);
    const many = ndjson(Array.from({ length: 10_001 }, (_, i) => row(`X-${i}`, idNumber(1))));
    const res = await postNdjson(many);
    expect(res.statusCode).toBe(400);
    const stored = await t.database.query<{ n: number }>(
      "select count(*)::int as n from pcr_tests where lab_sample_id like 'X-%'",
    );
    expect(stored[0]!.n).toBe(0);
  });

  it('is for labs only, as the JSON form', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workforce/test-results',
      headers: { cookie: own, 'idempotency-key': randomUUID(), 'content-type': 'application/x-ndjson' },
      payload: ndjson([row('Z-1', idNumber(1))]),
    });
    expect(res.statusCode).toBe(403);
  });
});
