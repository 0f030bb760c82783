import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AmountExpr, type Catalogue, evaluateAmount, RuleError, splitFen } from '../src/index';
import { params } from './fixtures';

const amountCatalogue: Catalogue = {
  facts: {
    costFen: { type: 'number', label: { zh: '费用（分）' } },
    staff: { type: 'number', label: { zh: '员工人数' } },
    sector: { type: 'enum', label: { zh: '行业' }, values: { industry: { zh: '工业生产' } } },
  },
};
const opts = { asOf: '2022-05-30', catalogue: amountCatalogue, params };
const amount = (e: AmountExpr, facts = {}) => evaluateAmount(e, facts, opts);

describe('evaluateAmount', () => {
  const cases: [string, AmountExpr, Record<string, unknown>, number][] = [
    ['a literal', 1234, {}, 1234],
    ['a fact', { fact: 'costFen' }, { costFen: 500 }, 500],
    ['a parameter', { param: 'test.minStaff' }, {}, 1000],
    ['a named part', { param: 'test.cadence', part: 'mobile' }, {}, 24],
    ['add', { add: [1, 2, 3] }, {}, 6],
    ['sub', { sub: [10, 25] }, {}, -15],
    ['mul without float error (0.7 × 1,234,567 = 864,196.9)', { mul: [1_234_567, 0.7] }, {}, 864_197],
    ['div rounding half away from zero', { div: [5, 2] }, {}, 3],
    ['a negative half rounds away from zero', { div: [-5, 2] }, {}, -3],
    ['0.1 + 0.2 is exactly 0.3', { mul: [{ add: [0.1, 0.2] }, 10] }, {}, 3],
    ['min', { min: [{ fact: 'costFen' }, 300_000] }, { costFen: 500_000 }, 300_000],
    ['max', { max: [{ fact: 'costFen' }, 0] }, { costFen: -5 }, 0],
    ['round to whole yuan', { round: { fact: 'costFen' }, step: 100 }, { costFen: 12_350 }, 12_400],
    ['round half even', { round: { div: [5, 2] }, mode: 'halfEven' }, {}, 2],
    ['round half even, odd', { round: { div: [7, 2] }, mode: 'halfEven' }, {}, 4],
    ['floor', { round: { div: [-7, 2] }, mode: 'floor' }, {}, -4],
    ['ceil', { round: { div: [7, 2] }, mode: 'ceil' }, {}, 4],
    ['trunc', { round: { div: [-7, 2] }, mode: 'trunc' }, {}, -3],
    [
      'the booth subsidy: 50 % of the cost, capped',
      { min: [{ mul: [{ fact: 'costFen' }, 0.5] }, 5_000_000] },
      { costFen: 12_345_679 },
      5_000_000,
    ],
  ];
  it.each(cases)('%s', (_name, e, facts, fen) => {
    expect(amount(e, facts)).toEqual({ status: 'known', amountFen: fen });
  });

  it('is unknown, naming the facts, when facts are missing or not numbers', () => {
    expect(amount({ add: [{ fact: 'costFen' }, { mul: [{ fact: 'staff' }, 2] }] }, { staff: '3' })).toEqual({
      status: 'unknown',
      missing: ['costFen', 'staff'],
    });
  });

  it('is invalid on a division by zero and when the result is not a safe integer', () => {
    expect(amount({ div: [{ fact: 'costFen' }, { fact: 'staff' }] }, { costFen: 1, staff: 0 })).toEqual({
      status: 'invalid',
      reason: 'DIVISION_BY_ZERO',
    });
    expect(amount({ mul: [Number.MAX_SAFE_INTEGER, 2] })).toEqual({
      status: 'invalid',
      reason: 'OUT_OF_RANGE',
    });
  });

  it.each([
    ['an unknown fact', { fact: 'nope' }, 'UNKNOWN_FACT'],
    ['a fact that is not a number', { fact: 'sector' }, 'OP_NOT_VALID_FOR_TYPE'],
    ['an unknown parameter', { param: 'no.such' }, 'UNKNOWN_PARAM'],
    ['a parameter with parts used whole', { param: 'test.cadence' }, 'BAD_VALUE'],
    ['an unknown operation', { pow: [2, 3] }, 'BAD_SHAPE'],
    ['sub with three operands', { sub: [1, 2, 3] }, 'BAD_SHAPE'],
    ['an empty add', { add: [] }, 'BAD_SHAPE'],
    ['a bad rounding step', { round: 1, step: 0.5 }, 'BAD_VALUE'],
    ['a text literal', '12', 'BAD_SHAPE'],
  ] as [string, unknown, string][])('refuses %s', (_name, e, code) => {
    expect(() => amount(e as AmountExpr)).toThrow(RuleError);
    expect(() => amount(e as AmountExpr)).toThrow(new RegExp(code));
  });

  it('adds integers exactly like integer arithmetic (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 8 }), (xs) => {
        expect(amount({ add: xs })).toEqual({ status: 'known', amountFen: xs.reduce((a, b) => a + b, 0) });
      }),
    );
  });
});

describe('splitFen', () => {
  it.each([
    [100, { province: 0.7, cityCounty: 0.3 }, { province: 70, cityCounty: 30 }],
    [1, { province: 0.7, cityCounty: 0.3 }, { province: 1, cityCounty: 0 }],
    [5, { province: 0.5, cityCounty: 0.5 }, { province: 3, cityCounty: 2 }],
    [10, { a: 1, b: 1, c: 1 }, { a: 4, b: 3, c: 3 }],
    [-101, { province: 7, cityCounty: 3 }, { province: -71, cityCounty: -30 }],
    [0, { a: 0.7, b: 0.3 }, { a: 0, b: 0 }],
    [999, { a: 0, b: 1 }, { a: 0, b: 999 }],
  ] as [number, Record<string, number>, Record<string, number>][])(
    'splits %d fen by %o',
    (total, shares, parts) => {
      expect(splitFen(total, shares)).toEqual(parts);
    },
  );

  it('refuses shares that cannot split anything', () => {
    expect(() => splitFen(100, {})).toThrow(RangeError);
    expect(() => splitFen(100, { a: 0, b: 0 })).toThrow(RangeError);
    expect(() => splitFen(100, { a: -1, b: 2 })).toThrow(RangeError);
    expect(() => splitFen(1.5, { a: 1 })).toThrow(RangeError);
  });

  it('gives each part the floor or ceiling of its exact share, summing to the total (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }),
        (total, raw) => {
          fc.pre(raw.some((s) => s > 0));
          const parts = splitFen(total, Object.fromEntries(raw.map((s, i) => [`p${i}`, s])));
          expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(total);
          // Exactly: |part × Σshares − total × share| < Σshares.
          const sum = BigInt(raw.reduce((a, b) => a + b, 0));
          raw.forEach((s, i) => {
            const part = parts[`p${i}`]!;
            const diff = BigInt(part) * sum - BigInt(total) * BigInt(s);
            expect(diff < sum && -diff < sum).toBe(true);
            if (s === 0) expect(part).toBe(0);
          });
        },
      ),
    );
  });

  it('sums to the total for any ratios, e.g. 0.1 / 0.2 / 0.7 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (total, raw) => {
          fc.pre(raw.some((s) => s > 0));
          const parts = Object.values(splitFen(total, Object.fromEntries(raw.map((s, i) => [`p${i}`, s]))));
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          for (const p of parts)
            expect(Number.isSafeInteger(p) && Math.sign(p) * Math.sign(total) >= 0).toBe(true);
        },
      ),
    );
  });
});
