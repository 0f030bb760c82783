import { describe, expect, it } from 'vitest';
import { type Atom, evaluate, type FactRow, ParameterNotInForce, RuleError } from '../src/index';
import { ASOF, catalogue, params } from './fixtures';

type Outcome = 'T' | 'F' | '?';
const STATUS: Record<Outcome, string> = { T: 'eligible', F: 'ineligible', '?': 'undetermined' };

// [operator case, atom (without id), facts, expected outcome] — evaluated on 2022-05-30.
const CASES: [string, Omit<Atom, 'id'>, FactRow, Outcome][] = [
  // numbers
  ['eq on an equal number', { fact: 'staff', op: 'eq', value: 1000 }, { staff: 1000 }, 'T'],
  ['eq on another number', { fact: 'staff', op: 'eq', value: 1000 }, { staff: 999 }, 'F'],
  ['eq on a missing number', { fact: 'staff', op: 'eq', value: 1000 }, {}, '?'],
  ['eq on a null number', { fact: 'staff', op: 'eq', value: 1000 }, { staff: null }, '?'],
  ['eq on a number given as text', { fact: 'staff', op: 'eq', value: 1000 }, { staff: '1000' }, '?'],
  ['ne on another number', { fact: 'staff', op: 'ne', value: 1000 }, { staff: 999 }, 'T'],
  ['ne on an equal number', { fact: 'staff', op: 'ne', value: 1000 }, { staff: 1000 }, 'F'],
  ['ne on a missing number is not true', { fact: 'staff', op: 'ne', value: 1000 }, {}, '?'],
  ['ne on a NaN number', { fact: 'staff', op: 'ne', value: 1000 }, { staff: Number.NaN }, '?'],
  ['in with a listed number', { fact: 'staff', op: 'in', value: [1, 2] }, { staff: 2 }, 'T'],
  ['in with an unlisted number', { fact: 'staff', op: 'in', value: [1, 2] }, { staff: 3 }, 'F'],
  ['in on a missing number', { fact: 'staff', op: 'in', value: [1, 2] }, {}, '?'],
  ['notIn with an unlisted number', { fact: 'staff', op: 'notIn', value: [1, 2] }, { staff: 3 }, 'T'],
  ['notIn with a listed number', { fact: 'staff', op: 'notIn', value: [1, 2] }, { staff: 1 }, 'F'],
  ['notIn on a missing number', { fact: 'staff', op: 'notIn', value: [1, 2] }, {}, '?'],
  ['lt below', { fact: 'staff', op: 'lt', value: 10 }, { staff: 9 }, 'T'],
  ['lt at the bound', { fact: 'staff', op: 'lt', value: 10 }, { staff: 10 }, 'F'],
  ['lt on wrong type', { fact: 'staff', op: 'lt', value: 10 }, { staff: true }, '?'],
  ['lte at the bound', { fact: 'staff', op: 'lte', value: 10 }, { staff: 10 }, 'T'],
  ['lte above', { fact: 'staff', op: 'lte', value: 10 }, { staff: 10.5 }, 'F'],
  ['gt above', { fact: 'staff', op: 'gt', value: 10 }, { staff: 11 }, 'T'],
  ['gt at the bound', { fact: 'staff', op: 'gt', value: 10 }, { staff: 10 }, 'F'],
  ['gt on a missing number does not count it as zero', { fact: 'vatCredit', op: 'gt', value: -1 }, {}, '?'],
  ['gte at the bound', { fact: 'staff', op: 'gte', value: 10 }, { staff: 10 }, 'T'],
  ['gte below', { fact: 'staff', op: 'gte', value: 10 }, { staff: 9 }, 'F'],
  ['gte on Infinity', { fact: 'staff', op: 'gte', value: 10 }, { staff: Number.POSITIVE_INFINITY }, '?'],
  ['between at the lower bound', { fact: 'staff', op: 'between', value: [10, 20] }, { staff: 10 }, 'T'],
  ['between at the upper bound', { fact: 'staff', op: 'between', value: [10, 20] }, { staff: 20 }, 'T'],
  ['between above', { fact: 'staff', op: 'between', value: [10, 20] }, { staff: 20.01 }, 'F'],
  ['between below', { fact: 'staff', op: 'between', value: [10, 20] }, { staff: 9.99 }, 'F'],
  ['between on a missing number', { fact: 'staff', op: 'between', value: [10, 20] }, {}, '?'],
  [
    'onMissing false on a missing number',
    { fact: 'staff', op: 'gte', value: 10, onMissing: 'false' },
    {},
    'F',
  ],
  ['onMissing true on a missing number', { fact: 'staff', op: 'gte', value: 10, onMissing: 'true' }, {}, 'T'],
  [
    'onMissing false on a wrong type',
    { fact: 'staff', op: 'gte', value: 10, onMissing: 'false' },
    { staff: 'x' },
    'F',
  ],
  [
    'onMissing true does not change a present value',
    { fact: 'staff', op: 'gte', value: 10, onMissing: 'true' },
    { staff: 9 },
    'F',
  ],
  // dates
  [
    'eq on the same date',
    { fact: 'lastTestOn', op: 'eq', value: '2022-05-28' },
    { lastTestOn: '2022-05-28' },
    'T',
  ],
  [
    'ne on the same date',
    { fact: 'lastTestOn', op: 'ne', value: '2022-05-28' },
    { lastTestOn: '2022-05-28' },
    'F',
  ],
  [
    'lt an earlier date',
    { fact: 'lastTestOn', op: 'lt', value: '2022-05-28' },
    { lastTestOn: '2022-05-27' },
    'T',
  ],
  [
    'lte the same date',
    { fact: 'lastTestOn', op: 'lte', value: '2022-05-28' },
    { lastTestOn: '2022-05-28' },
    'T',
  ],
  [
    'gt the same date',
    { fact: 'lastTestOn', op: 'gt', value: '2022-05-28' },
    { lastTestOn: '2022-05-28' },
    'F',
  ],
  [
    'gte a later date',
    { fact: 'lastTestOn', op: 'gte', value: '2022-05-28' },
    { lastTestOn: '2022-06-01' },
    'T',
  ],
  [
    'dateBetween at the end',
    { fact: 'lastTestOn', op: 'dateBetween', value: ['2022-05-01', '2022-05-31'] },
    { lastTestOn: '2022-05-31' },
    'T',
  ],
  [
    'dateBetween after the end',
    { fact: 'lastTestOn', op: 'dateBetween', value: ['2022-05-01', '2022-05-31'] },
    { lastTestOn: '2022-06-01' },
    'F',
  ],
  [
    'dateBetween on an impossible date',
    { fact: 'lastTestOn', op: 'dateBetween', value: ['2022-01-01', '2022-12-31'] },
    { lastTestOn: '2022-02-30' },
    '?',
  ],
  [
    'dateBetween on a number',
    { fact: 'lastTestOn', op: 'dateBetween', value: ['2022-01-01', '2022-12-31'] },
    { lastTestOn: 20220530 },
    '?',
  ],
  [
    'daysSinceLte today',
    { fact: 'lastTestOn', op: 'daysSinceLte', value: 2 },
    { lastTestOn: '2022-05-30' },
    'T',
  ],
  [
    'daysSinceLte exactly at the limit',
    { fact: 'lastTestOn', op: 'daysSinceLte', value: 2 },
    { lastTestOn: '2022-05-28' },
    'T',
  ],
  [
    'daysSinceLte one day over',
    { fact: 'lastTestOn', op: 'daysSinceLte', value: 2 },
    { lastTestOn: '2022-05-27' },
    'F',
  ],
  [
    'daysSinceLte on a future date',
    { fact: 'lastTestOn', op: 'daysSinceLte', value: 2 },
    { lastTestOn: '2022-05-31' },
    'F',
  ],
  ['daysSinceLte on a missing date', { fact: 'lastTestOn', op: 'daysSinceLte', value: 2 }, {}, '?'],
  [
    'daysSinceLte on a slashed date',
    { fact: 'lastTestOn', op: 'daysSinceLte', value: 2 },
    { lastTestOn: '30/05/2022' },
    '?',
  ],
  // booleans
  ['isTrue on true', { fact: 'closedLoop', op: 'isTrue' }, { closedLoop: true }, 'T'],
  ['isTrue on false', { fact: 'closedLoop', op: 'isTrue' }, { closedLoop: false }, 'F'],
  ['isTrue on missing', { fact: 'closedLoop', op: 'isTrue' }, {}, '?'],
  ['isTrue on the text "true"', { fact: 'closedLoop', op: 'isTrue' }, { closedLoop: 'true' }, '?'],
  ['isFalse on false', { fact: 'closedLoop', op: 'isFalse' }, { closedLoop: false }, 'T'],
  ['isFalse on true', { fact: 'closedLoop', op: 'isFalse' }, { closedLoop: true }, 'F'],
  ['isFalse on missing is not true', { fact: 'closedLoop', op: 'isFalse' }, {}, '?'],
  ['isFalse on 0', { fact: 'closedLoop', op: 'isFalse' }, { closedLoop: 0 }, '?'],
  ['eq false on false', { fact: 'closedLoop', op: 'eq', value: false }, { closedLoop: false }, 'T'],
  ['ne true on false', { fact: 'closedLoop', op: 'ne', value: true }, { closedLoop: false }, 'T'],
  // strings
  ['eq on the same text', { fact: 'name', op: 'eq', value: '郑州' }, { name: '郑州' }, 'T'],
  ['eq on other text', { fact: 'name', op: 'eq', value: '郑州' }, { name: '洛阳' }, 'F'],
  ['eq on an empty text', { fact: 'name', op: 'eq', value: '' }, { name: '' }, 'T'],
  ['eq on a number for a text', { fact: 'name', op: 'eq', value: '1' }, { name: 1 }, '?'],
  ['ne on a missing text', { fact: 'name', op: 'ne', value: '郑州' }, {}, '?'],
  ['in on a listed text', { fact: 'name', op: 'in', value: ['郑州', '洛阳'] }, { name: '洛阳' }, 'T'],
  ['notIn on a listed text', { fact: 'name', op: 'notIn', value: ['郑州', '洛阳'] }, { name: '洛阳' }, 'F'],
  // enums
  ['eq on the same enum value', { fact: 'sector', op: 'eq', value: 'industry' }, { sector: 'industry' }, 'T'],
  ['ne on another enum value', { fact: 'sector', op: 'ne', value: 'industry' }, { sector: 'commerce' }, 'T'],
  [
    'eq on a value outside the enum',
    { fact: 'sector', op: 'ne', value: 'industry' },
    { sector: 'farming' },
    '?',
  ],
  [
    'in on a listed enum value',
    { fact: 'sector', op: 'in', value: ['industry', 'transport'] },
    { sector: 'transport' },
    'T',
  ],
  [
    'notIn on an unlisted enum value',
    { fact: 'sector', op: 'notIn', value: ['industry'] },
    { sector: 'transport' },
    'T',
  ],
  ['notIn on a missing enum', { fact: 'sector', op: 'notIn', value: ['industry'] }, {}, '?'],
  // lists
  [
    'containsAny with a shared item',
    { fact: 'tags', op: 'containsAny', value: ['chain', 'bonded'] },
    { tags: ['supply', 'chain'] },
    'T',
  ],
  [
    'containsAny with no shared item',
    { fact: 'tags', op: 'containsAny', value: ['chain', 'bonded'] },
    { tags: ['supply'] },
    'F',
  ],
  ['containsAny on an empty list', { fact: 'tags', op: 'containsAny', value: ['chain'] }, { tags: [] }, 'F'],
  ['containsAny on a missing list', { fact: 'tags', op: 'containsAny', value: ['chain'] }, {}, '?'],
  [
    'containsAny on a list with an unknown item',
    { fact: 'tags', op: 'containsAny', value: ['chain'] },
    { tags: ['chain', 'zz'] },
    '?',
  ],
  [
    'containsAny on a bare string',
    { fact: 'tags', op: 'containsAny', value: ['chain'] },
    { tags: 'chain' },
    '?',
  ],
  // exists / missing: two-valued, a wrong type counts as missing, onMissing does not apply
  ['exists on a present fact', { fact: 'staff', op: 'exists' }, { staff: 0 }, 'T'],
  ['exists on a missing fact', { fact: 'staff', op: 'exists' }, {}, 'F'],
  ['exists on a wrongly typed fact', { fact: 'staff', op: 'exists' }, { staff: '12' }, 'F'],
  ['exists ignores onMissing', { fact: 'staff', op: 'exists', onMissing: 'true' }, {}, 'F'],
  ['missing on a missing fact', { fact: 'tags', op: 'missing' }, { tags: null }, 'T'],
  ['missing on a present fact', { fact: 'tags', op: 'missing' }, { tags: [] }, 'F'],
  ['missing on a wrongly typed fact', { fact: 'closedLoop', op: 'missing' }, { closedLoop: 'yes' }, 'T'],
  // parameters, read at the evaluation date
  [
    'gte a parameter (1000 until June)',
    { fact: 'staff', op: 'gte', value: { param: 'test.minStaff' } },
    { staff: 800 },
    'F',
  ],
  [
    'lte a named part of a parameter',
    { fact: 'hoursSinceTest', op: 'lte', value: { param: 'test.cadence', part: 'mobile' } },
    { hoursSinceTest: 24 },
    'T',
  ],
  [
    'lte a named part, over it',
    { fact: 'hoursSinceTest', op: 'lte', value: { param: 'test.cadence', part: 'mobile' } },
    { hoursSinceTest: 25 },
    'F',
  ],
  [
    'lte a date parameter',
    { fact: 'lastTestOn', op: 'lte', value: { param: 'test.deadline' } },
    { lastTestOn: '2022-05-31' },
    'T',
  ],
  [
    'dateBetween with a parameter end',
    { fact: 'lastTestOn', op: 'dateBetween', value: ['2022-05-01', { param: 'test.deadline' }] },
    { lastTestOn: '2022-06-01' },
    'F',
  ],
  [
    'daysSinceLte a parameter of 7 days',
    { fact: 'lastTestOn', op: 'daysSinceLte', value: { param: 'test.windowDays' } },
    { lastTestOn: '2022-05-23' },
    'T',
  ],
  [
    'daysSinceLte a parameter, 8 days ago',
    { fact: 'lastTestOn', op: 'daysSinceLte', value: { param: 'test.windowDays' } },
    { lastTestOn: '2022-05-22' },
    'F',
  ],
];

describe('operators on present, missing and wrongly typed facts', () => {
  it.each(CASES)('%s', (_name, atom, facts, outcome) => {
    const result = evaluate({ id: 'a', ...atom } as Atom, facts, { asOf: ASOF, catalogue, params });
    expect(result.status).toBe(STATUS[outcome]);
    expect(result.trace).toHaveLength(1);
    expect(result.trace[0]!.outcome).toBe(outcome === 'T' ? true : outcome === 'F' ? false : null);
    expect(result.missing).toEqual(outcome === '?' ? [atom.fact] : []);
  });

  it('reads a parameter at the evaluation date: the same facts pass after the threshold drops', () => {
    const rule: Atom = { id: 'a', fact: 'staff', op: 'gte', value: { param: 'test.minStaff' } };
    expect(evaluate(rule, { staff: 800 }, { asOf: '2022-05-31', catalogue, params }).status).toBe(
      'ineligible',
    );
    expect(evaluate(rule, { staff: 800 }, { asOf: '2022-06-01', catalogue, params }).status).toBe('eligible');
  });

  it('refuses to evaluate with a parameter outside its validity, on either side', () => {
    const before: Atom = { id: 'a', fact: 'staff', op: 'gte', value: { param: 'test.minStaff' } };
    expect(() => evaluate(before, { staff: 1 }, { asOf: '2021-12-31', catalogue, params })).toThrow(
      ParameterNotInForce,
    );
    const after: Atom = { id: 'a', fact: 'lastTestOn', op: 'lte', value: { param: 'test.deadline' } };
    expect(() =>
      evaluate(after, { lastTestOn: '2022-05-01' }, { asOf: '2023-01-01', catalogue, params }),
    ).toThrow(ParameterNotInForce);
  });

  it('reports a wrongly typed fact as invalid as well as missing', () => {
    const r = evaluate(
      { id: 'a', fact: 'staff', op: 'gte', value: 1 },
      { staff: '12' },
      { asOf: ASOF, catalogue },
    );
    expect(r.missing).toEqual(['staff']);
    expect(r.invalid).toEqual(['staff']);
    expect(r.trace[0]).toMatchObject({ state: 'invalid', actual: '12', outcome: null });
  });
});

describe('evaluate refuses malformed rules', () => {
  const cases: [string, unknown, string][] = [
    ['an unknown fact', { id: 'a', fact: 'nope', op: 'exists' }, 'UNKNOWN_FACT'],
    [
      'an operator not valid for the type',
      { id: 'a', fact: 'sector', op: 'gt', value: 'x' },
      'OP_NOT_VALID_FOR_TYPE',
    ],
    ['an unknown operator', { id: 'a', fact: 'staff', op: 'regex', value: '.*' }, 'BAD_SHAPE'],
    ['a value of the wrong type', { id: 'a', fact: 'staff', op: 'eq', value: '12' }, 'BAD_VALUE'],
    ['a value outside the enum', { id: 'a', fact: 'sector', op: 'eq', value: 'farming' }, 'BAD_VALUE'],
    ['a missing value', { id: 'a', fact: 'staff', op: 'gt' }, 'BAD_VALUE'],
    ['a value where none is taken', { id: 'a', fact: 'closedLoop', op: 'isTrue', value: true }, 'BAD_VALUE'],
    [
      'an unknown parameter',
      { id: 'a', fact: 'staff', op: 'gt', value: { param: 'no.such' } },
      'UNKNOWN_PARAM',
    ],
    [
      'a parameter with parts used whole',
      { id: 'a', fact: 'staff', op: 'gt', value: { param: 'test.cadence' } },
      'BAD_VALUE',
    ],
    ['an unknown ref', { ref: 'nothing' }, 'UNKNOWN_REF'],
    ['a node with two shapes', { all: [], any: [] }, 'BAD_SHAPE'],
    ['a group that is not a list', { all: { id: 'a' } }, 'BAD_SHAPE'],
    ['an empty object', {}, 'BAD_SHAPE'],
    [
      'duplicate atom ids',
      {
        all: [
          { id: 'a', fact: 'staff', op: 'exists' },
          { id: 'a', fact: 'name', op: 'exists' },
        ],
      },
      'DUPLICATE_ID',
    ],
  ];
  it.each(cases)('%s', (_name, rule, code) => {
    expect(() => evaluate(rule as Atom, {}, { asOf: ASOF, catalogue, params })).toThrow(
      expect.objectContaining({ code }) as unknown as Error,
    );
  });

  it('rejects a ref cycle and a rule nested past the depth limit', () => {
    const refs = { a: { any: [{ ref: 'b' }] }, b: { not: { ref: 'a' } } };
    expect(() => evaluate({ ref: 'a' }, {}, { asOf: ASOF, catalogue, refs })).toThrow(RuleError);
    let deep: unknown = { id: 'a', fact: 'staff', op: 'exists' };
    for (let i = 0; i < 20; i++) deep = { not: deep };
    expect(() => evaluate(deep as Atom, {}, { asOf: ASOF, catalogue })).toThrow(/LIMIT_EXCEEDED/);
  });
});
