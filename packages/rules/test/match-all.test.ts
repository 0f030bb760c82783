import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Cond,
  createFactTable,
  decide,
  decideAll,
  evaluate,
  matchAll,
  NO_MATCH,
  RuleError,
  UNDETERMINED,
} from '../src/index';
import { ASOF, propCatalogue, propParams, refsArb, rowArb, treeArb } from './arbitraries';
import { catalogue } from './fixtures';

const options = { asOf: ASOF, catalogue: propCatalogue, params: propParams };

describe('matchAll agrees with evaluate', () => {
  it('gives the status evaluate gives, for every rule and row, over random trees, rows and missing values', () => {
    fc.assert(
      fc.property(
        refsArb({ nonMonotone: true }).chain((refs) =>
          fc.tuple(
            fc.constant(refs),
            fc.array(treeArb(['r0', 'r1', 'r2'], { nonMonotone: true }), { minLength: 1, maxLength: 6 }),
            // Up to 70 rows: spans several 32-row words and a partial last word.
            fc.array(rowArb(), { minLength: 0, maxLength: 70, size: 'max' }),
          ),
        ),
        ([refs, rules, rows]) => {
          const result = matchAll(rules, rows, { ...options, refs });
          expect(result.ruleCount).toBe(rules.length);
          rules.forEach((rule, i) => {
            const counts = { eligible: 0, ineligible: 0, undetermined: 0 };
            rows.forEach((row, r) => {
              const expected = evaluate(rule, row, { ...options, refs }).status;
              expect(result.status(i, r)).toBe(expected);
              counts[expected]++;
            });
            expect(result.counts(i)).toEqual(counts);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees when given a prebuilt columnar table instead of rows', () => {
    fc.assert(
      fc.property(
        fc.array(treeArb([], { nonMonotone: true }), { minLength: 1, maxLength: 4 }),
        fc.array(rowArb(), { minLength: 1, maxLength: 40 }),
        (rules, rows) => {
          const columns = Object.fromEntries(
            Object.keys(propCatalogue.facts).map((f) => [f, rows.map((r) => r[f])]),
          );
          const table = createFactTable({ rowCount: rows.length, columns }, propCatalogue);
          const result = matchAll(rules, table, options);
          rules.forEach((rule, i) => {
            rows.forEach((row, r) => {
              expect(result.status(i, r)).toBe(evaluate(rule, row, options).status);
            });
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('decideAll picks the row decide picks, for every enterprise', () => {
    fc.assert(
      fc.property(
        fc.array(treeArb([], { nonMonotone: true }, 3), { minLength: 1, maxLength: 4 }),
        fc.array(rowArb(), { minLength: 1, maxLength: 40 }),
        (whens, rows) => {
          const table = { hitPolicy: 'first' as const, rows: whens.map((when, i) => ({ when, output: i })) };
          const choice = decideAll(table, rows, options);
          rows.forEach((row, r) => {
            const d = decide(table, row, options);
            const expected =
              d.status === 'matched' ? d.rows[0] : d.status === 'undetermined' ? UNDETERMINED : NO_MATCH;
            expect(choice[r]).toBe(expected);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('matchAll on a list fact with more than 32 distinct items', () => {
  const items = Array.from({ length: 40 }, (_, i) => `t${i}`);
  const listCatalogue = { facts: { tags: { type: 'list' as const, label: { zh: '标签' } } } };
  it('agrees with evaluate (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.subarray(items, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.oneof(fc.subarray(items, { maxLength: 6 }), fc.constant(undefined), fc.constant('t1')), {
          minLength: 1,
          maxLength: 80,
        }),
        (lists, cells) => {
          const rules: Cond[] = lists.map((value, i) => ({
            id: `c${i}`,
            fact: 'tags',
            op: 'containsAny',
            value,
          }));
          // The first row holds every item, so the column's dictionary has more than 32 entries.
          const rows = [{ tags: items }, ...cells.map((tags) => (tags === undefined ? {} : { tags }))];
          const opts = { asOf: ASOF, catalogue: listCatalogue };
          const result = matchAll(rules, rows, opts);
          rules.forEach((rule, i) => {
            rows.forEach((row, r) => {
              expect(result.status(i, r)).toBe(evaluate(rule, row, opts).status);
            });
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('matchAll', () => {
  const rows = [
    { staff: 1200, sector: 'industry', closedLoop: true },
    { staff: 800, sector: 'commerce', closedLoop: true },
    { sector: 'industry' },
    { staff: '1200', sector: 'industry', closedLoop: false },
  ];
  const big: Cond = { id: 'big', fact: 'staff', op: 'gte', value: 1000 };
  const industry: Cond = { id: 'ind', fact: 'sector', op: 'eq', value: 'industry' };

  it('computes an atom shared by several rules once', () => {
    const rules: Cond[] = [
      { all: [big, industry] },
      { all: [big, { id: 'loop', fact: 'closedLoop', op: 'isTrue' }] },
      { any: [industry, { ref: 'bigRef' }] },
    ];
    const result = matchAll(rules, rows, { asOf: ASOF, catalogue, refs: { bigRef: big } });
    expect(result.stats).toEqual({ atomsWritten: 6, atomsComputed: 3, groupsComputed: 3 });
    expect([0, 1, 2, 3].map((r) => result.status(0, r))).toEqual([
      'eligible',
      'ineligible',
      'undetermined',
      'undetermined',
    ]);
    expect(result.rows(1, 'eligible')).toEqual([0]);
    expect(result.rows(2, 'eligible')).toEqual([0, 2, 3]);
  });

  it('answers on an empty table and rejects rows and rules out of range', () => {
    const result = matchAll([big], [], { asOf: ASOF, catalogue });
    expect(result.counts(0)).toEqual({ eligible: 0, ineligible: 0, undetermined: 0 });
    expect(() => result.status(0, 0)).toThrow(RangeError);
    expect(() => result.counts(1)).toThrow(RangeError);
  });

  it('throws like evaluate for a ref cycle and an unknown fact', () => {
    const refs = { a: { ref: 'b' }, b: { all: [{ ref: 'a' }] } };
    expect(() => matchAll([{ ref: 'a' }], rows, { asOf: ASOF, catalogue, refs })).toThrow(RuleError);
    expect(() =>
      matchAll([{ id: 'x', fact: 'nope', op: 'exists' }], rows, { asOf: ASOF, catalogue }),
    ).toThrow(/UNKNOWN_FACT/);
  });
});
