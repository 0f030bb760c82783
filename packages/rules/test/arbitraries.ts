import fc from 'fast-check';
import {
  type Atom,
  type Catalogue,
  type Cond,
  createParameterStore,
  type FactRow,
  type FactType,
  type OnMissing,
  type Op,
  type Refs,
} from '../src/index';

/**
 * Random rule trees, refs and fact rows over a small catalogue with one or two facts of each type. The
 * value domains are tiny so that equalities, bounds and sharing actually happen.
 */

export const ASOF = '2022-05-30';

export const propCatalogue: Catalogue = {
  facts: {
    n1: { type: 'number', label: { zh: '数一' } },
    n2: { type: 'number', label: { zh: '数二' } },
    d: { type: 'date', label: { zh: '日期' } },
    b: { type: 'boolean', label: { zh: '是否' } },
    s: { type: 'string', label: { zh: '文本' } },
    e: { type: 'enum', label: { zh: '类别' }, values: { x: { zh: '甲' }, y: { zh: '乙' }, z: { zh: '丙' } } },
    l: { type: 'list', label: { zh: '标签' }, values: { p: { zh: 'P' }, q: { zh: 'Q' }, r: { zh: 'R' } } },
  },
};

const source = { doc: '测试', section: '一' };
export const propParams = createParameterStore([
  {
    key: 'p.num',
    label: { zh: '数' },
    versions: [{ from: '2022-01-01', to: null, value: 2, source, revision: 1 }],
  },
  {
    key: 'p.parts',
    label: { zh: '分' },
    versions: [{ from: '2022-01-01', to: null, value: { lo: 1, hi: 3 }, source, revision: 1 }],
  },
  {
    key: 'p.date',
    label: { zh: '日' },
    versions: [{ from: '2022-01-01', to: null, value: '2022-05-28', source, revision: 1 }],
  },
  {
    key: 'p.days',
    label: { zh: '天' },
    type: 'integer',
    versions: [{ from: '2022-01-01', to: null, value: 3, source, revision: 1 }],
  },
]);

const NUMS = [-1, 0, 1, 2, 2.5, 3];
const DATES = [
  '2022-05-25',
  '2022-05-26',
  '2022-05-27',
  '2022-05-28',
  '2022-05-29',
  '2022-05-30',
  '2022-05-31',
  '2022-06-01',
];
const STRS = ['a', 'b', 'c', ''];
const ENUMS = ['x', 'y', 'z'];
const ITEMS = ['p', 'q', 'r'];

const FACTS_BY_TYPE: Record<FactType, string[]> = {
  number: ['n1', 'n2'],
  date: ['d'],
  boolean: ['b'],
  string: ['s'],
  enum: ['e'],
  list: ['l'],
};

const num = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NUMS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { param: 'p.num' },
      { param: 'p.parts', part: 'lo' },
      { param: 'p.parts', part: 'hi' },
    ),
  },
);
const date = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...DATES) },
  { weight: 1, arbitrary: fc.constant({ param: 'p.date' }) },
);
const listOf = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: 1, maxLength: 3 });

/** Operators valid for each type with an arbitrary operand (`undefined` = no operand). */
const OPERANDS: Record<FactType, [Op, fc.Arbitrary<unknown>][]> = {
  number: [
    ['eq', num],
    ['ne', num],
    ['lt', num],
    ['lte', num],
    ['gt', num],
    ['gte', num],
    ['in', listOf(fc.constantFrom(...NUMS))],
    ['notIn', listOf(fc.constantFrom(...NUMS))],
    ['between', fc.tuple(num, num)],
  ],
  date: [
    ['eq', date],
    ['ne', date],
    ['lt', date],
    ['lte', date],
    ['gt', date],
    ['gte', date],
    ['dateBetween', fc.tuple(date, date)],
    ['daysSinceLte', fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant({ param: 'p.days' }))],
  ],
  boolean: [
    ['isTrue', fc.constant(undefined)],
    ['isFalse', fc.constant(undefined)],
    ['eq', fc.boolean()],
    ['ne', fc.boolean()],
  ],
  string: [
    ['eq', fc.constantFrom(...STRS)],
    ['ne', fc.constantFrom(...STRS)],
    ['in', listOf(fc.constantFrom(...STRS))],
    ['notIn', listOf(fc.constantFrom(...STRS))],
  ],
  enum: [
    ['eq', fc.constantFrom(...ENUMS)],
    ['ne', fc.constantFrom(...ENUMS)],
    ['in', listOf(fc.constantFrom(...ENUMS))],
    ['notIn', listOf(fc.constantFrom(...ENUMS))],
  ],
  list: [['containsAny', listOf(fc.constantFrom(...ITEMS))]],
};

export interface AtomOptions {
  /** Allow `exists` / `missing` and `onMissing: 'false' | 'true'` (atoms that are not monotone). */
  readonly nonMonotone: boolean;
}

export function atomArb({ nonMonotone }: AtomOptions): fc.Arbitrary<Atom> {
  const typed = fc
    .constantFrom(...(Object.keys(OPERANDS) as FactType[]))
    .chain((type) =>
      fc
        .tuple(fc.constantFrom(...FACTS_BY_TYPE[type]), fc.constantFrom(...OPERANDS[type]))
        .chain(([fact, [op, operand]]) => operand.map((value) => ({ fact, op, value }))),
    );
  const onMissing: fc.Arbitrary<OnMissing | undefined> = nonMonotone
    ? fc.constantFrom(undefined, 'unknown', 'false', 'true')
    : fc.constantFrom(undefined, 'unknown');
  const twoValued = fc
    .tuple(
      fc.constantFrom('exists', 'missing') as fc.Arbitrary<Op>,
      fc.constantFrom(...Object.keys(propCatalogue.facts)),
    )
    .map(([op, fact]) => ({ fact, op, value: undefined }));
  const body = nonMonotone
    ? fc.oneof({ weight: 6, arbitrary: typed }, { weight: 1, arbitrary: twoValued })
    : typed;
  return fc.tuple(body, onMissing).map(([b, m]) => {
    const atom: Record<string, unknown> = { id: 'x', fact: b.fact, op: b.op };
    if (b.value !== undefined) atom.value = b.value;
    if (m !== undefined) atom.onMissing = m;
    return atom as unknown as Atom;
  });
}

/** Gives the atoms of a tree unique ids a0, a1 … */
export function withIds(c: Cond, next = { n: 0 }): Cond {
  if ('all' in c) return { all: c.all.map((x) => withIds(x, next)) };
  if ('any' in c) return { any: c.any.map((x) => withIds(x, next)) };
  if ('not' in c) return { not: withIds(c.not, next) };
  if ('ref' in c) return c;
  return { ...c, id: `a${next.n++}` };
}

export function treeArb(refNames: readonly string[], options: AtomOptions, maxDepth = 4): fc.Arbitrary<Cond> {
  const { tree } = fc.letrec<{ tree: Cond; group: Cond }>((tie) => ({
    tree: fc.oneof(
      { maxDepth, depthIdentifier: 'rule' },
      { weight: 3, arbitrary: atomArb(options) },
      { weight: 2, arbitrary: tie('group') },
      { weight: 1, arbitrary: tie('tree').map((x) => ({ not: x })) },
      ...(refNames.length > 0
        ? [{ weight: 1, arbitrary: fc.constantFrom(...refNames).map((ref) => ({ ref })) }]
        : []),
    ),
    group: fc
      .tuple(fc.boolean(), fc.array(tie('tree'), { minLength: 0, maxLength: 4, depthIdentifier: 'rule' }))
      .map(([isAll, children]) => (isAll ? { all: children } : { any: children })),
  }));
  return tree.map((t) => withIds(t));
}

/** Three refs r0, r1, r2; each may use the ones before it, so they form a DAG. */
export function refsArb(options: AtomOptions): fc.Arbitrary<Refs> {
  return fc
    .tuple(treeArb([], options, 2), treeArb(['r0'], options, 2), treeArb(['r0', 'r1'], options, 2))
    .map(([r0, r1, r2]) => ({ r0, r1, r2 }));
}

const WRONG: Record<FactType, unknown[]> = {
  number: ['1', true, Number.NaN, Number.POSITIVE_INFINITY, [1]],
  date: ['2022-13-01', 20220530, '30/05/2022', '2022-02-30'],
  boolean: [1, 'true', 0],
  string: [1, false, ['a']],
  enum: ['w', 1, 'X'],
  list: ['p', [1], ['p', 'zz'], {}],
};

const VALID: Record<FactType, fc.Arbitrary<unknown>> = {
  number: fc.constantFrom(...NUMS),
  date: fc.constantFrom(...DATES),
  boolean: fc.boolean(),
  string: fc.constantFrom(...STRS),
  enum: fc.constantFrom(...ENUMS),
  list: fc.subarray(ITEMS),
};

export function validValueArb(fact: string): fc.Arbitrary<unknown> {
  return VALID[propCatalogue.facts[fact]!.type];
}

/** A value that is valid, absent (`undefined`), `null`, or wrongly typed. */
function cellArb(type: FactType): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: VALID[type] },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom(...WRONG[type]) },
  );
}

export function rowArb(): fc.Arbitrary<FactRow> {
  const entries = Object.entries(propCatalogue.facts).map(([fact, def]) =>
    cellArb(def.type).map((v) => [fact, v] as const),
  );
  return fc.tuple(...entries).map((pairs) => {
    const row: Record<string, unknown> = {};
    for (const [fact, v] of pairs) if (v !== undefined) row[fact] = v;
    return row;
  });
}

/** Rows with every fact present and well typed. */
export function completeRowArb(): fc.Arbitrary<FactRow> {
  const entries = Object.keys(propCatalogue.facts).map((fact) =>
    validValueArb(fact).map((v) => [fact, v] as const),
  );
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs));
}
