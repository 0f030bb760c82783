import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cond, evaluate, type RuleErrorCode, validateRefs, validateRule } from '../src/index';
import {
  atomArb,
  ASOF as PROP_ASOF,
  propCatalogue,
  propParams,
  refsArb,
  rowArb,
  treeArb,
} from './arbitraries';
import { catalogue, params } from './fixtures';

const codes = (rule: unknown, opts = {}) =>
  validateRule(rule, catalogue, { params, ...opts }).map((i) => i.code);

describe('validateRule', () => {
  it('accepts a well-formed rule with parameters, refs and every kind of node', () => {
    const rule: Cond = {
      all: [
        { id: 'staff', fact: 'staff', op: 'gte', value: { param: 'test.minStaff' } },
        { any: [{ id: 'loop', fact: 'closedLoop', op: 'isTrue' }, { ref: 'industry' }] },
        { not: { id: 'tags', fact: 'tags', op: 'containsAny', value: ['bonded'] } },
        { id: 'test', fact: 'hoursSinceTest', op: 'lte', value: { param: 'test.cadence', part: 'mobile' } },
      ],
    };
    const refs = { industry: { id: 'ind', fact: 'sector', op: 'eq', value: 'industry' } as Cond };
    expect(validateRule(rule, catalogue, { params, refs })).toEqual([]);
  });

  const cases: [string, unknown, RuleErrorCode[]][] = [
    ['an unknown fact', { id: 'a', fact: 'turnover', op: 'gt', value: 1 }, ['UNKNOWN_FACT']],
    [
      'an unknown parameter',
      { id: 'a', fact: 'staff', op: 'gt', value: { param: 'test.nothing' } },
      ['UNKNOWN_PARAM'],
    ],
    [
      'a part the parameter does not have',
      { id: 'a', fact: 'hoursSinceTest', op: 'lt', value: { param: 'test.cadence', part: 'x' } },
      ['BAD_VALUE'],
    ],
    [
      'a date parameter compared with a number',
      { id: 'a', fact: 'staff', op: 'lt', value: { param: 'test.deadline' } },
      ['BAD_VALUE'],
    ],
    ['gt on an enum', { id: 'a', fact: 'sector', op: 'gt', value: 'industry' }, ['OP_NOT_VALID_FOR_TYPE']],
    [
      'containsAny on a number',
      { id: 'a', fact: 'staff', op: 'containsAny', value: [1] },
      ['OP_NOT_VALID_FOR_TYPE'],
    ],
    ['isTrue on a date', { id: 'a', fact: 'lastTestOn', op: 'isTrue' }, ['OP_NOT_VALID_FOR_TYPE']],
    [
      'between on a date',
      { id: 'a', fact: 'lastTestOn', op: 'between', value: ['2022-01-01', '2022-02-01'] },
      ['OP_NOT_VALID_FOR_TYPE'],
    ],
    ['an impossible date', { id: 'a', fact: 'lastTestOn', op: 'lt', value: '2022-02-30' }, ['BAD_VALUE']],
    ['negative days', { id: 'a', fact: 'lastTestOn', op: 'daysSinceLte', value: -1 }, ['BAD_VALUE']],
    ['an empty in-list', { id: 'a', fact: 'staff', op: 'in', value: [] }, ['BAD_VALUE']],
    ['an empty range', { id: 'a', fact: 'staff', op: 'between', value: [20, 10] }, ['CONTRADICTORY_RANGE']],
    ['an empty group', { all: [] }, ['BAD_SHAPE']],
    ['a group that is not a list', { any: 'staff' }, ['BAD_SHAPE']],
    [
      'a node with an extra key',
      { any: [{ id: 'a', fact: 'staff', op: 'exists' }], not: { ref: 'x' } },
      ['BAD_SHAPE'],
    ],
    ['an atom with an extra key', { id: 'a', fact: 'staff', op: 'exists', regex: '.*' }, ['BAD_SHAPE']],
    ['an id with a slash', { id: 'a/b', fact: 'staff', op: 'exists' }, ['BAD_SHAPE']],
    ['an unknown operator', { id: 'a', fact: 'staff', op: 'matches', value: '.*' }, ['BAD_SHAPE']],
    ['a bad onMissing', { id: 'a', fact: 'staff', op: 'gt', value: 1, onMissing: 'zero' }, ['BAD_SHAPE']],
    ['a string', 'staff > 1000', ['BAD_SHAPE']],
    ['an unknown ref', { ref: 'nope' }, ['UNKNOWN_REF']],
    [
      'duplicate atom ids',
      {
        any: [
          { id: 'a', fact: 'staff', op: 'exists' },
          { id: 'a', fact: 'name', op: 'exists' },
        ],
      },
      ['DUPLICATE_ID'],
    ],
    [
      'ranges on one fact that cannot overlap',
      {
        all: [
          { id: 'a', fact: 'staff', op: 'gte', value: 1000 },
          { id: 'b', fact: 'staff', op: 'lt', value: 500 },
        ],
      },
      ['CONTRADICTORY_RANGE'],
    ],
    [
      'a strict bound meeting a bound',
      {
        all: [
          { id: 'a', fact: 'staff', op: 'gt', value: 10 },
          { all: [{ id: 'b', fact: 'staff', op: 'lte', value: 10 }] },
        ],
      },
      ['CONTRADICTORY_RANGE'],
    ],
    [
      'two different values for one enum',
      {
        all: [
          { id: 'a', fact: 'sector', op: 'eq', value: 'industry' },
          { id: 'b', fact: 'sector', op: 'in', value: ['commerce'] },
        ],
      },
      ['CONTRADICTORY_RANGE'],
    ],
    [
      'isTrue and isFalse together',
      {
        all: [
          { id: 'a', fact: 'closedLoop', op: 'isTrue' },
          { id: 'b', fact: 'closedLoop', op: 'isFalse' },
        ],
      },
      ['CONTRADICTORY_RANGE'],
    ],
    [
      'a value both required and excluded',
      {
        all: [
          { id: 'a', fact: 'staff', op: 'eq', value: 5 },
          { id: 'b', fact: 'staff', op: 'notIn', value: [5, 6] },
        ],
      },
      ['CONTRADICTORY_RANGE'],
    ],
    [
      'missing together with a condition on the value',
      {
        all: [
          { id: 'a', fact: 'staff', op: 'missing' },
          { id: 'b', fact: 'staff', op: 'gt', value: 0 },
        ],
      },
      ['CONTRADICTORY_RANGE'],
    ],
    [
      'date ranges that do not meet',
      {
        all: [
          { id: 'a', fact: 'lastTestOn', op: 'dateBetween', value: ['2022-05-01', '2022-05-10'] },
          { id: 'b', fact: 'lastTestOn', op: 'gt', value: '2022-05-10' },
        ],
      },
      ['CONTRADICTORY_RANGE'],
    ],
  ];
  it.each(cases)('reports %s', (_name, rule, expected) => {
    expect(codes(rule)).toEqual(expected);
  });

  const fine: [string, unknown][] = [
    [
      'ranges that overlap',
      {
        all: [
          { id: 'a', fact: 'staff', op: 'gte', value: 10 },
          { id: 'b', fact: 'staff', op: 'lte', value: 10 },
        ],
      },
    ],
    [
      'contradictory ranges across an any',
      {
        any: [
          { id: 'a', fact: 'staff', op: 'gt', value: 10 },
          { id: 'b', fact: 'staff', op: 'lt', value: 5 },
        ],
      },
    ],
    [
      'contradictory ranges where one holds on a missing fact',
      {
        all: [
          { id: 'a', fact: 'staff', op: 'gt', value: 10, onMissing: 'true' },
          { id: 'b', fact: 'staff', op: 'lt', value: 5 },
        ],
      },
    ],
    [
      'the same ids in different refs and in the rule',
      { all: [{ id: 'a', fact: 'staff', op: 'exists' }, { ref: 'r' }] },
    ],
  ];
  it.each(fine)('accepts %s', (_name, rule) => {
    expect(
      validateRule(rule, catalogue, { params, refs: { r: { id: 'a', fact: 'name', op: 'exists' } } }),
    ).toEqual([]);
  });

  it("names the empty range in the fact's own terms", () => {
    const dates = validateRule(
      {
        all: [
          { id: 'a', fact: 'lastTestOn', op: 'gte', value: '2022-06-01' },
          { id: 'b', fact: 'lastTestOn', op: 'lt', value: '2022-05-01' },
        ],
      },
      catalogue,
    );
    expect(dates[0]!.message).toBe(
      'conditions a, b on lastTestOn can never hold together: the range is empty (2022-06-01 … 2022-05-01)',
    );
  });

  it('uses parameter values on the given date in the contradiction check', () => {
    const rule = {
      all: [
        { id: 'a', fact: 'staff', op: 'gte', value: { param: 'test.minStaff' } },
        { id: 'b', fact: 'staff', op: 'lt', value: 800 },
      ],
    };
    expect(codes(rule, { asOf: '2022-05-01' })).toEqual(['CONTRADICTORY_RANGE']); // 1000 ≤ staff < 800
    expect(codes(rule, { asOf: '2022-07-01' })).toEqual([]); // 500 ≤ staff < 800
    expect(codes(rule)).toEqual([]);
    expect(codes(rule, { asOf: '2021-01-01' })).toEqual(['BAD_VALUE']); // not in force
  });

  it('enforces the limits on depth, atoms, list sizes and refs', () => {
    const atom = (i: number): Cond => ({ id: `a${i}`, fact: 'staff', op: 'gt', value: i });
    let deep: unknown = atom(0);
    for (let i = 0; i < 4; i++) deep = { not: deep };
    expect(codes(deep, { limits: { maxDepth: 3 } })).toEqual(['LIMIT_EXCEEDED']);
    expect(codes(deep, { limits: { maxDepth: 4 } })).toEqual([]);
    const wide = { any: Array.from({ length: 6 }, (_, i) => atom(i)) };
    expect(codes(wide, { limits: { maxAtoms: 5 } })).toEqual(['LIMIT_EXCEEDED']);
    expect(codes(wide, { limits: { maxListSize: 5 } })).toEqual(['LIMIT_EXCEEDED']);
    expect(
      codes({ id: 'x', fact: 'staff', op: 'in', value: [1, 2, 3] }, { limits: { maxListSize: 2 } }),
    ).toEqual(['LIMIT_EXCEEDED']);
    const refs = { r1: { ref: 'r2' }, r2: { ref: 'r3' }, r3: atom(9) };
    expect(
      validateRule({ ref: 'r1' }, catalogue, { refs, limits: { maxRefs: 2 } }).map((i) => i.code),
    ).toEqual(['LIMIT_EXCEEDED']);
    // Depth and atoms count through refs.
    expect(
      validateRule({ not: { ref: 'r1' } }, catalogue, { refs, limits: { maxDepth: 3 } }).map((i) => i.code),
    ).toEqual(['LIMIT_EXCEEDED']);
  });
});

describe('validateRefs', () => {
  it('rejects a cycle and names it', () => {
    const refs = {
      a: { all: [{ ref: 'b' }] },
      b: { any: [{ ref: 'c' }] },
      c: { not: { ref: 'a' } },
    } as Record<string, Cond>;
    const issues = validateRefs(refs, catalogue);
    expect(issues.map((i) => i.code)).toEqual(['REF_CYCLE']);
    expect(issues[0]!.message).toContain('a → b → c → a');
  });

  it('rejects a ref that refers to itself, and validates unreachable refs too', () => {
    expect(validateRefs({ self: { any: [{ ref: 'self' }] } }, catalogue).map((i) => i.code)).toEqual([
      'REF_CYCLE',
    ]);
    expect(
      validateRefs({ bad: { id: 'x', fact: 'nope', op: 'exists' } }, catalogue).map((i) => i.code),
    ).toEqual(['UNKNOWN_FACT']);
  });

  it('accepts a diamond-shaped DAG', () => {
    const leaf = { id: 'x', fact: 'staff', op: 'gt', value: 1 } as Cond;
    const refs = {
      top: { all: [{ ref: 'l' }, { ref: 'r' }] },
      l: { ref: 'leaf' },
      r: { not: { ref: 'leaf' } },
      leaf,
    };
    expect(validateRefs(refs, catalogue)).toEqual([]);
  });
});

describe('a rule that validates can be evaluated', () => {
  it('never throws on random valid rules, rows and refs', () => {
    const options = { asOf: PROP_ASOF, catalogue: propCatalogue, params: propParams };
    fc.assert(
      fc.property(
        refsArb({ nonMonotone: true }).chain((refs) =>
          fc.tuple(fc.constant(refs), treeArb(['r0', 'r1', 'r2'], { nonMonotone: true }), rowArb()),
        ),
        ([refs, rule, row]) => {
          const issues = validateRule(rule, propCatalogue, { ...options, refs }).filter(
            (i) =>
              i.code !== 'CONTRADICTORY_RANGE' &&
              !(i.code === 'BAD_SHAPE' && i.message.includes('non-empty')),
          );
          expect(issues).toEqual([]);
          expect(() => evaluate(rule, row, { ...options, refs })).not.toThrow();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a pair of conditions reported as contradictory is never eligible', () => {
    const options = { asOf: PROP_ASOF, catalogue: propCatalogue, params: propParams };
    const pair = fc
      .tuple(atomArb({ nonMonotone: true }), atomArb({ nonMonotone: true }))
      .filter(([a, b]) => a.fact === b.fact)
      .map(
        ([a, b]): Cond => ({
          all: [
            { ...a, id: 'a' },
            { ...b, id: 'b' },
          ],
        }),
      );
    let reported = 0;
    fc.assert(
      fc.property(pair, fc.array(rowArb(), { minLength: 1, maxLength: 30 }), (rule, rows) => {
        // Contradictions between the two atoms are reported on the `all` itself (path '').
        const contradictory = validateRule(rule, propCatalogue, options).some(
          (i) => i.code === 'CONTRADICTORY_RANGE' && i.path === '',
        );
        if (!contradictory) return;
        reported++;
        for (const row of rows) expect(evaluate(rule, row, options).status).not.toBe('eligible');
      }),
      { numRuns: 400 },
    );
    expect(reported).toBeGreaterThan(10);
  });
});
