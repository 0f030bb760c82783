import { computeIdCheckDigit, ERROR_CATALOG, TestResultRowSchema } from '@sibao/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ingestTestBatch,
  MalformedLine,
  parseNdjson,
  quickRow,
  SAMPLE_CLOCK_SKEW_MS,
  shanghaiTodayCompact,
} from './workforce.ingest';
import { newIds, textColumn } from './workforce.ingest.sql';

const NOW = new Date('2022-06-02T10:00:00+08:00');
const row = (labSampleId: string, change: Record<string, unknown> = {}) => ({
  labSampleId,
  idNumber: '410102199003071230',
  sampledAt: '2022-06-02T08:00:00+08:00',
  result: 'negative',
  method: 'pooled',
  tubeId: 'T-1',
  ...change,
});

describe('ingestTestBatch', () => {
  it('accepts valid rows, normalising ID numbers and sample times', () => {
    const batch = ingestTestBatch(
      [
        row('S-1'),
        row('S-2', { idNumber: '１１０１０１１９４９１００１００１ｘ', sampledAt: '2022-06-02T00:00:00Z' }),
      ],
      { now: NOW },
    );
    expect(batch).toMatchObject({ received: 2, accepted: 2, duplicate: 0, rejected: 0, errors: [] });
    expect(batch.rows[1]).toEqual({
      row: 1,
      labSampleId: 'S-2',
      idNumber: '11010119491001001X',
      sampledAt: new Date('2022-06-02T08:00:00+08:00'),
      result: 'negative',
      method: 'pooled',
      tubeId: 'T-1',
      retestOfLabSampleId: null,
    });
  });

  it.each([
    ['a wrong check digit', { idNumber: '410102199003071231' }, 'idNumber', 'ID_NUMBER_CHECK_DIGIT'],
    ['a malformed ID number', { idNumber: '41010219900307123' }, 'idNumber', 'ID_NUMBER_FORMAT'],
    [
      'a 15-digit first-generation ID number',
      { idNumber: '410102900307123' },
      'idNumber',
      'ID_NUMBER_FORMAT',
    ],
    ['an impossible birth date', { idNumber: '410102199013071234' }, 'idNumber', 'ID_NUMBER_BIRTH_DATE'],
    ['an ID number that is a number', { idNumber: 410102199003071230 }, 'idNumber', 'FIELD_INVALID'],
    ['an unknown result', { result: 'weak' }, 'result', 'WORKFORCE_RESULT_UNKNOWN'],
    ['a missing result', { result: undefined }, 'result', 'FIELD_REQUIRED'],
    ['an unknown method', { method: 'ten-in-one' }, 'method', 'FIELD_INVALID'],
    ['a sample time without offset', { sampledAt: '2022-06-02 08:00' }, 'sampledAt', 'FIELD_INVALID'],
    ['an unknown field', { patientName: '张三' }, 'patientName', 'UNKNOWN_FIELD'],
    [
      'a pooled re-test',
      { retestOfLabSampleId: 'S-0' },
      'retestOfLabSampleId',
      'WORKFORCE_RETEST_NOT_SINGLE',
    ],
    [
      'a sample time beyond the clock-skew allowance',
      { sampledAt: new Date(NOW.getTime() + SAMPLE_CLOCK_SKEW_MS + 1000).toISOString() },
      'sampledAt',
      'WORKFORCE_SAMPLE_TIME_FUTURE',
    ],
  ])('rejects %s with a row error', (_name, change, field, code) => {
    const batch = ingestTestBatch([row('S-1'), row('S-2', change)], { now: NOW });
    expect(batch).toMatchObject({ accepted: 1, duplicate: 0, rejected: 1 });
    expect(batch.errors).toContainEqual({ row: 1, field, code });
    expect(ERROR_CATALOG).toHaveProperty(code);
  });

  it('accepts a sample time inside the clock-skew allowance', () => {
    const sampledAt = new Date(NOW.getTime() + SAMPLE_CLOCK_SKEW_MS).toISOString();
    expect(ingestTestBatch([row('S-1', { sampledAt })], { now: NOW }).accepted).toBe(1);
    expect(ingestTestBatch([row('S-1', { sampledAt })], { now: NOW, clockSkewMs: 0 }).rejected).toBe(1);
  });

  it.each([null, 'S-1', 42, [row('S-1')]])('rejects a row that is not an object (%j)', (raw) => {
    expect(ingestTestBatch([raw], { now: NOW }).errors).toEqual([
      { row: 0, field: '', code: 'WORKFORCE_ROW_NOT_OBJECT' },
    ]);
  });

  it('counts a resent row of the same batch as a duplicate and a contradicting one as rejected', () => {
    const batch = ingestTestBatch(
      [
        row('S-1'),
        row('S-1', { idNumber: ' 410102199003071230 ' }), // the same after normalisation
        row('S-1', { result: 'positive' }),
        row('S-2'),
      ],
      { now: NOW },
    );
    expect(batch).toMatchObject({ received: 4, accepted: 2, duplicate: 1, rejected: 1 });
    expect(batch.rows.map((r) => r.row)).toEqual([0, 3]);
    expect(batch.errors).toEqual([
      { row: 1, field: 'labSampleId', code: 'WORKFORCE_DUPLICATE_ROW' },
      { row: 2, field: 'labSampleId', code: 'WORKFORCE_SAMPLE_CONFLICT' },
    ]);
  });

  it('an invalid row does not claim its key: the next valid row with that key is accepted', () => {
    const batch = ingestTestBatch([row('S-1', { result: '?' }), row('S-1')], { now: NOW });
    expect(batch).toMatchObject({ accepted: 1, rejected: 1, duplicate: 0 });
    expect(batch.rows[0]?.row).toBe(1);
  });

  it('keeps pooled results and single-tube re-tests apart', () => {
    const batch = ingestTestBatch(
      [
        row('P-1', { result: 'positive', tubeId: 'POOL-7' }),
        row('R-1', { result: 'negative', method: 'single', tubeId: 'T-99', retestOfLabSampleId: 'P-1' }),
      ],
      { now: NOW },
    );
    expect(batch.rows.map((r) => [r.method, r.retestOfLabSampleId])).toEqual([
      ['pooled', null],
      ['single', 'P-1'],
    ]);
  });

  it('refuses more rows than a batch may carry', () => {
    expect(() => ingestTestBatch(new Array(10_001).fill(row('S-1')), { now: NOW })).toThrow(RangeError);
  });
});

describe('properties', () => {
  const validId = fc
    .tuple(
      fc.constantFrom('410102', '419001'),
      fc.integer({ min: 1950, max: 2004 }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([region, year, seq]) => {
      const body = `${region}${year}0101${String(seq).padStart(3, '0')}`;
      return body + computeIdCheckDigit(body);
    });
  const goodRow = fc.record({
    labSampleId: fc.constantFrom('S-1', 'S-2', 'S-3', 'S-4', 'S-5'),
    idNumber: validId,
    sampledAt: fc
      .integer({ min: -72, max: 1 })
      .map((h) => new Date(NOW.getTime() + h * 3_600_000).toISOString()),
    result: fc.constantFrom('negative', 'positive', 'invalid'),
    method: fc.constantFrom('pooled', 'single'),
    tubeId: fc.constantFrom('T-1', 'T-2'),
  });
  const badRow = fc.oneof(
    fc.anything(),
    goodRow.map((r) => ({ ...r, result: 'unknown' })),
    goodRow.map((r) => ({
      ...r,
      idNumber: `${r.idNumber.slice(0, 17)}${r.idNumber[17] === '0' ? '1' : '0'}`,
    })),
  );
  const batch = fc.array(fc.oneof(goodRow, goodRow, badRow), { maxLength: 60 });

  it('accepted + duplicate + rejected = rows, and accepted keys are unique', () => {
    fc.assert(
      fc.property(batch, (rows) => {
        const result = ingestTestBatch(rows, { now: NOW });
        expect(result.accepted + result.duplicate + result.rejected).toBe(rows.length);
        expect(result.rows).toHaveLength(result.accepted);
        expect(new Set(result.rows.map((r) => r.labSampleId)).size).toBe(result.accepted);
        for (const e of result.errors) expect(e.row).toBeGreaterThanOrEqual(0);
        for (const e of result.errors) expect(e.row).toBeLessThan(rows.length);
        // Every row not accepted carries at least one error.
        const withErrors = new Set(result.errors.map((e) => e.row));
        expect(withErrors.size).toBe(result.duplicate + result.rejected);
      }),
    );
  });

  it('sending the accepted rows again accepts them all and nothing else', () => {
    fc.assert(
      fc.property(batch, (rows) => {
        const first = ingestTestBatch(rows, { now: NOW });
        const resent = first.rows.map(({ row: _row, sampledAt, ...r }) => ({
          ...r,
          sampledAt: sampledAt.toISOString(),
        }));
        const again = ingestTestBatch([...resent, ...resent], { now: NOW });
        expect(again.accepted).toBe(first.accepted);
        expect(again.duplicate).toBe(first.accepted);
        expect(again.rejected).toBe(0);
      }),
    );
  });
});

describe('the fast path agrees with TestResultRowSchema', () => {
  const today = shanghaiTodayCompact(new Date());
  const idLike = fc.oneof(
    fc
      .tuple(
        fc.integer({ min: 1890, max: 2030 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(([y, m, d]) => {
        const body = `410102${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}123`;
        return body + computeIdCheckDigit(body);
      }),
    fc.constantFrom(
      '410102199003071230',
      '410102199003071231',
      '41010219900307123x',
      '11010119491001001X',
      '11010119491001001x',
      ' 410102199003071230',
      '４１０１０２１９９００３０７１２３０',
      '41010219900307123',
    ),
    fc.string(),
  );
  const code = fc.oneof(
    fc.constantFrom('S-1', 'T-1', ' S-1', 'S 1', '', 'Ｓ-1', 'x'.repeat(64), 'x'.repeat(65)),
    fc.string({ maxLength: 70 }),
  );
  const instant = fc.oneof(
    fc.constantFrom(
      '2022-06-02T08:00:00+08:00',
      '2022-06-02T00:00:00Z',
      '2022-06-02T00:00:00.123456Z',
      '2022-06-02 08:00',
      '2022-02-29T00:00:00Z',
      '2024-02-29T00:00:00Z',
      '2022-06-02T24:00:00Z',
      '2022-06-02T08:00+08:00',
    ),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  );
  const anyRow = fc.record(
    {
      labSampleId: code,
      idNumber: fc.oneof(idLike, fc.integer()),
      sampledAt: fc.oneof(instant, fc.integer()),
      result: fc.constantFrom('negative', 'positive', 'invalid', 'weak', 'Negative'),
      method: fc.constantFrom('pooled', 'single', 'ten-in-one'),
      tubeId: code,
      retestOfLabSampleId: fc.constantFrom(undefined, null, 'S-0', 'S-1'),
      extra: fc.constantFrom(undefined, 'x'),
    },
    { requiredKeys: [] },
  );

  const plain = fc.record({
    labSampleId: fc.constantFrom('S-1', 'A.9_x'),
    idNumber: fc.constantFrom('410102199003071230', '11010119491001001X'),
    sampledAt: fc
      .date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    result: fc.constantFrom('negative', 'positive', 'invalid'),
    method: fc.constantFrom('pooled', 'single'),
    tubeId: fc.constantFrom('T-1', '~'),
  });
  // A plain row with some fields replaced or removed: mostly near the edge between valid and not.
  const mutated = fc
    .tuple(
      plain,
      anyRow,
      fc.subarray([
        'labSampleId',
        'idNumber',
        'sampledAt',
        'result',
        'method',
        'tubeId',
        'retestOfLabSampleId',
        'extra',
      ]),
    )
    .map(([base, other, keys]) => {
      const out: Record<string, unknown> = { ...base };
      for (const k of keys) {
        if (k in other) out[k] = (other as Record<string, unknown>)[k];
        else delete out[k];
      }
      return out;
    });

  it('accepts only what zod accepts, with zod’s exact output', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.oneof(anyRow, mutated, mutated), (raw) => {
        const quick = quickRow(raw, 7, today);
        const parsed = TestResultRowSchema.safeParse(raw);
        if (quick === null) return;
        taken++;
        expect(parsed.success).toBe(true);
        if (!parsed.success) return;
        expect(quick).toEqual({ row: 7, ...parsed.data, sampledAt: new Date(parsed.data.sampledAt) });
      }),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(100);
  });

  it('takes the plain rows a lab sends', () => {
    expect(quickRow(row('S-1'), 0, today)).not.toBeNull();
    expect(quickRow({ ...row('S-1'), retestOfLabSampleId: null }, 0, today)).not.toBeNull();
  });
});

describe('parseNdjson', () => {
  it('reads one row a line, with or without a final newline, CRLF too', () => {
    expect(parseNdjson('{"a":1}\n{"b":2}\n')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseNdjson('{"a":1}\r\n{"b":2}')).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('keeps a malformed or empty line at its place as that row’s error', () => {
    const rows = parseNdjson(
      `${JSON.stringify(row('S-1'))}\n{"labSampleId": "S-2",\n\n${JSON.stringify(row('S-3'))}\n`,
    );
    expect(rows).toHaveLength(4);
    expect(rows[1]).toBeInstanceOf(MalformedLine);
    expect(rows[2]).toBeInstanceOf(MalformedLine);
    const batch = ingestTestBatch(rows, { now: NOW });
    expect(batch).toMatchObject({ received: 4, accepted: 2, rejected: 2 });
    expect(batch.errors).toEqual([
      { row: 1, field: '', code: 'WORKFORCE_LINE_MALFORMED' },
      { row: 2, field: '', code: 'WORKFORCE_LINE_MALFORMED' },
    ]);
    expect(ERROR_CATALOG).toHaveProperty('WORKFORCE_LINE_MALFORMED');
    // The idempotency hash covers the malformed text.
    expect(JSON.stringify(rows[1])).toContain('S-2');
  });

  it('stops one line past the batch limit', () => {
    expect(parseNdjson('{}\n'.repeat(20_000))).toHaveLength(10_001);
  });
});

describe('bulk parameters', () => {
  it('joins a column with nulls and refuses separator characters', () => {
    expect(textColumn(['a', null, 'c'])).toBe('a\u001f\u001e\u001fc');
    expect(textColumn([null])).toBe('\u001e');
    expect(() => textColumn(['a\u001fb'])).toThrow(RangeError);
  });

  it('makes distinct version-7 UUIDs carrying the millisecond clock', () => {
    const at = Date.UTC(2022, 5, 2);
    const ids = newIds(1000, at);
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    }
  });
});
