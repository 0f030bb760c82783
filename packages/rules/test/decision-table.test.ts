import { describe, expect, it } from 'vitest';
import { type Catalogue, type DecisionTable, decide, decideAll, NO_MATCH, UNDETERMINED } from '../src/index';

const catalogue: Catalogue = {
  facts: {
    outputValue: { type: 'number', label: { zh: '年产值（亿元）' } },
    staff: { type: 'number', label: { zh: '员工人数' } },
    keyProject: { type: 'boolean', label: { zh: '省重点项目' } },
    tags: { type: 'list', label: { zh: '标签' } },
  },
};
const options = { asOf: '2022-06-01', catalogue };

// 分级保障 (方案 二(三)): which tier serves an enterprise — an example table, not the seed's numbers.
const tiers: DecisionTable<'province' | 'city' | 'county'> = {
  hitPolicy: 'first',
  rows: [
    {
      id: 'province',
      when: {
        any: [
          { id: 'big', fact: 'outputValue', op: 'gte', value: 10 },
          { id: 'key', fact: 'keyProject', op: 'isTrue' },
        ],
      },
      output: 'province',
    },
    { id: 'city', when: { id: 'mid', fact: 'outputValue', op: 'gte', value: 1 }, output: 'city' },
  ],
  otherwise: 'county',
};

describe('a first-match decision table', () => {
  it.each([
    ['a large enterprise', { outputValue: 12, keyProject: false }, 'matched', ['province'], []],
    ['a key project of any size', { outputValue: 0.2, keyProject: true }, 'matched', ['province'], []],
    ['a mid-sized enterprise', { outputValue: 3, keyProject: false }, 'matched', ['city'], []],
    ['a small enterprise (otherwise)', { outputValue: 0.5, keyProject: false }, 'matched', ['county'], []],
  ] as const)('serves %s', (_name, facts, status, outputs, possible) => {
    expect(decide(tiers, facts, options)).toMatchObject({ status, outputs, possible });
  });

  it('is undetermined while an earlier row cannot be decided, listing what is still possible', () => {
    const d = decide(tiers, { outputValue: 3 }, options);
    expect(d).toEqual({
      status: 'undetermined',
      outputs: [],
      rows: [],
      possible: ['province', 'city'],
      missing: ['keyProject'],
    });
    const none = decide(tiers, { keyProject: false }, options);
    expect(none).toMatchObject({
      status: 'undetermined',
      possible: ['province', 'city', 'county'],
      missing: ['outputValue'],
    });
  });

  it('answers noMatch without an otherwise row', () => {
    const d = decide({ ...tiers, otherwise: undefined }, { outputValue: 0.5, keyProject: false }, options);
    expect(d).toMatchObject({ status: 'noMatch', outputs: [] });
  });

  it('decides a whole table of enterprises in batch', () => {
    const rows = [
      { outputValue: 12, keyProject: false },
      { outputValue: 3, keyProject: false },
      { outputValue: 0.5, keyProject: false },
      { outputValue: 3 },
      { keyProject: true },
    ];
    expect([...decideAll(tiers, rows, options)]).toEqual([0, 1, NO_MATCH, UNDETERMINED, 0]);
    expect(() => decideAll({ ...tiers, hitPolicy: 'collect' }, rows, options)).toThrow(RangeError);
  });
});

describe('a collect decision table', () => {
  const supports: DecisionTable<string> = {
    hitPolicy: 'collect',
    rows: [
      { when: { id: 'booth', fact: 'staff', op: 'gte', value: 1000 }, output: 'samplingBoothSubsidy' },
      { when: { id: 'chain', fact: 'tags', op: 'containsAny', value: ['chain'] }, output: 'chainPriority' },
      { when: { id: 'key', fact: 'keyProject', op: 'isTrue' }, output: 'provinceLiaison' },
    ],
  };

  it('collects every row that holds', () => {
    expect(decide(supports, { staff: 1500, tags: ['chain'], keyProject: false }, options)).toEqual({
      status: 'matched',
      outputs: ['samplingBoothSubsidy', 'chainPriority'],
      rows: [0, 1],
      possible: [],
      missing: [],
    });
  });

  it('keeps undecided rows apart as possible', () => {
    expect(decide(supports, { staff: 1500, keyProject: true }, options)).toEqual({
      status: 'undetermined',
      outputs: ['samplingBoothSubsidy', 'provinceLiaison'],
      rows: [0, 2],
      possible: ['chainPriority'],
      missing: ['tags'],
    });
  });
});
