import { computeIdCheckDigit, ERROR_CATALOG } from '@sibao/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestTestBatch, SAMPLE_CLOCK_SKEW_MS } from './workforce.ingest';

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
