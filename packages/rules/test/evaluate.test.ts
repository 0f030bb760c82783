import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Atom, type Cond, evaluate, type FactRow } from '../src/index';
import {
  ASOF as PROP_ASOF,
  propCatalogue,
  propParams,
  refsArb,
  rowArb,
  treeArb,
  validValueArb,
} from './arbitraries';
import { ASOF, catalogue, params } from './fixtures';

// Atoms whose value is fixed by the facts below: T is true, F is false, U is unknown (fact missing).
const facts: FactRow = { staff: 1250, sector: 'commerce' };
const T: Atom = { id: 't', fact: 'staff', op: 'gte', value: 1000 };
const F: Atom = { id: 'f', fact: 'sector', op: 'eq', value: 'industry' };
const U: Atom = { id: 'u', fact: 'vatCredit', op: 'gt', value: 0 };
const atoms = { T, F, U } as const;
const status = { T: 'eligible', F: 'ineligible', U: 'undetermined' } as const;
type V = keyof typeof atoms;

// Kleene's strong three-valued logic, written out.
const AND: [V, V, V][] = [
  ['T', 'T', 'T'],
  ['T', 'F', 'F'],
  ['T', 'U', 'U'],
  ['F', 'T', 'F'],
  ['F', 'F', 'F'],
  ['F', 'U', 'F'],
  ['U', 'T', 'U'],
  ['U', 'F', 'F'],
  ['U', 'U', 'U'],
];
const OR: [V, V, V][] = [
  ['T', 'T', 'T'],
  ['T', 'F', 'T'],
  ['T', 'U', 'T'],
  ['F', 'T', 'T'],
  ['F', 'F', 'F'],
  ['F', 'U', 'U'],
  ['U', 'T', 'T'],
  ['U', 'F', 'U'],
  ['U', 'U', 'U'],
];
const NOT: [V, V][] = [
  ['T', 'F'],
  ['F', 'T'],
  ['U', 'U'],
];

const run = (rule: Cond, row: FactRow = facts, refs = {}) =>
  evaluate(rule, row, { asOf: ASOF, catalogue, params, refs });
// Gives the second copy of an atom its own id.
const second = (a: Atom): Atom => ({ ...a, id: `${a.id}2` });

describe('Kleene logic', () => {
  it.each(AND)('all [%s, %s] is %s', (a, b, out) => {
    expect(run({ all: [atoms[a], second(atoms[b])] }).status).toBe(status[out]);
  });
  it.each(OR)('any [%s, %s] is %s', (a, b, out) => {
    expect(run({ any: [atoms[a], second(atoms[b])] }).status).toBe(status[out]);
  });
  it.each(NOT)('not %s is %s', (a, out) => {
    expect(run({ not: atoms[a] }).status).toBe(status[out]);
  });
  it('treats an empty all as true and an empty any as false', () => {
    expect(run({ all: [] }).status).toBe('eligible');
    expect(run({ any: [] }).status).toBe('ineligible');
  });
});

describe('evaluate', () => {
  const rule: Cond = {
    all: [
      { id: 'staff', fact: 'staff', op: 'gte', value: 1000 },
      { id: 'vat', fact: 'vatCredit', op: 'gt', value: 0 },
      {
        any: [
          { id: 'loop', fact: 'closedLoop', op: 'isTrue' },
          { id: 'ind', fact: 'sector', op: 'eq', value: 'industry' },
        ],
      },
    ],
  };

  it('names the missing facts and keeps only the open conditions in the residual', () => {
    const r = run(rule);
    expect(r.status).toBe('undetermined');
    expect(r.missing).toEqual(['vatCredit', 'closedLoop']);
    expect(r.residual).toEqual({
      all: [
        { id: 'vat', fact: 'vatCredit', op: 'gt', value: 0 },
        { id: 'loop', fact: 'closedLoop', op: 'isTrue' },
      ],
    });
  });

  it('has no missing facts and a constant residual once decided, even with other facts missing', () => {
    const r = run(rule, { ...facts, staff: 10 });
    expect(r).toMatchObject({ status: 'ineligible', missing: [], residual: false });
    expect(run(rule, { ...facts, vatCredit: 5, closedLoop: true })).toMatchObject({
      status: 'eligible',
      residual: true,
    });
  });

  it('traces every atom with the actual value, the resolved expectation and its parameter source', () => {
    const r = run(
      {
        all: [
          {
            id: 'cadence',
            fact: 'hoursSinceTest',
            op: 'lte',
            value: { param: 'test.cadence', part: 'default' },
          },
          { id: 'sector', fact: 'sector', op: 'in', value: ['industry', 'commerce'] },
        ],
      },
      { hoursSinceTest: 30, sector: 'commerce' },
    );
    expect(r.trace).toEqual([
      {
        key: 'cadence',
        id: 'cadence',
        fact: 'hoursSinceTest',
        op: 'lte',
        onMissing: 'unknown',
        state: 'present',
        actual: 30,
        expected: 48,
        params: [
          {
            key: 'test.cadence',
            part: 'default',
            value: 48,
            label: { zh: '核酸检测频次', en: 'Test cadence' },
            unit: 'hour',
            source: { doc: '河南省“四保”企业(项目)疫情防控工作指南', section: '二(一)' },
            revision: 1,
          },
        ],
        outcome: true,
      },
      {
        key: 'sector',
        id: 'sector',
        fact: 'sector',
        op: 'in',
        onMissing: 'unknown',
        state: 'present',
        actual: 'commerce',
        expected: ['industry', 'commerce'],
        params: [],
        outcome: true,
      },
    ]);
  });

  it('evaluates a ref used twice once, and inlines it in the residual under ref/id', () => {
    const refs = { vat: { id: 'v', fact: 'vatCredit', op: 'gt', value: 0 } as Atom };
    const r = run(
      {
        any: [
          { all: [{ ref: 'vat' }, T] },
          { all: [{ ref: 'vat' }, { id: 'x', fact: 'name', op: 'exists' }] },
        ],
      },
      facts,
      refs,
    );
    expect(r.trace.map((e) => e.key)).toEqual(['vat/v', 't', 'x']);
    expect(r.trace[0]!.ref).toBe('vat');
    expect(r.residual).toEqual({ id: 'vat/v', fact: 'vatCredit', op: 'gt', value: 0 });
  });

  it('simplifies a double negation in the residual', () => {
    expect(run({ not: { not: U } }).residual).toEqual(U);
    expect(run({ not: { all: [U, T] } }).residual).toEqual({ not: U });
  });
});

describe('the residual (properties over random monotone rules)', () => {
  const options = { asOf: PROP_ASOF, catalogue: propCatalogue, params: propParams };
  const monotone = { nonMonotone: false };
  // Fills every missing or wrongly typed fact of a row with a random valid value.
  const completion = (row: FactRow) =>
    fc
      .tuple(...Object.keys(propCatalogue.facts).map((f) => validValueArb(f).map((v) => [f, v] as const)))
      .map((pairs) => {
        const out: Record<string, unknown> = { ...row };
        const probe = (f: string) =>
          evaluate({ id: 'p', fact: f, op: 'exists' }, row, options).status === 'eligible';
        for (const [f, v] of pairs) if (!probe(f)) out[f] = v;
        return out;
      });

  it('a decided answer never changes when missing facts are supplied, and an open one follows its residual', () => {
    fc.assert(
      fc.property(
        refsArb(monotone).chain((refs) =>
          fc
            .tuple(fc.constant(refs), treeArb(['r0', 'r1', 'r2'], monotone), rowArb())
            .chain(([refs, rule, row]) =>
              fc.tuple(fc.constant(refs), fc.constant(rule), fc.constant(row), completion(row)),
            ),
        ),
        ([refs, rule, row, full]) => {
          const before = evaluate(rule, row, { ...options, refs });
          const after = evaluate(rule, full, { ...options, refs });
          expect(after.status).not.toBe('undetermined');
          if (before.status !== 'undetermined') expect(after.status).toBe(before.status);
          else {
            expect(typeof before.residual).toBe('object');
            expect(evaluate(before.residual as Cond, full, options).status).toBe(after.status);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('lists as missing exactly the facts of the residual, all of them missing or invalid in the row', () => {
    fc.assert(
      fc.property(treeArb([], { nonMonotone: true }), rowArb(), (rule, row) => {
        const r = evaluate(rule, row, options);
        expect(r.missing.length > 0).toBe(r.status === 'undetermined');
        for (const f of r.missing) {
          expect(evaluate({ id: 'p', fact: f, op: 'missing' }, row, options).status).toBe('eligible');
        }
        for (const f of r.invalid) expect(row[f]).not.toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
