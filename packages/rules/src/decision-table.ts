import { type EvaluateOptions, evaluate } from './evaluate';
import type { FactTable } from './fact-table';
import { matchAll } from './match-all';
import type { Cond, FactRow } from './tree';

/**
 * Decision tables (DMN-style) over rule conditions, e.g. which tier serves an enterprise. `first`: the
 * output of the first row whose condition holds; `collect`: the outputs of all rows that hold. With
 * missing facts the answer may be `undetermined`, with the outputs still possible.
 */

export interface DecisionRow<O> {
  readonly id?: string;
  readonly when: Cond;
  readonly output: O;
}

export interface DecisionTable<O> {
  readonly hitPolicy: 'first' | 'collect';
  readonly rows: readonly DecisionRow<O>[];
  /** Output when no row holds (first-match only). */
  readonly otherwise?: O;
}

export interface Decision<O> {
  /** `matched`: the outputs are certain; `noMatch`: no row holds (and no `otherwise`); `undetermined`. */
  readonly status: 'matched' | 'noMatch' | 'undetermined';
  /** first: the chosen output (or `otherwise`); collect: the outputs of rows that hold. */
  readonly outputs: O[];
  /** Indexes of the rows that hold (first: at most one; −1 for `otherwise`). */
  readonly rows: number[];
  /** When undetermined: outputs that could still apply once the missing facts are known. */
  readonly possible: O[];
  readonly missing: string[];
}

/** Decides one enterprise's row of the table. */
export function decide<O>(table: DecisionTable<O>, facts: FactRow, options: EvaluateOptions): Decision<O> {
  const missing: string[] = [];
  const addMissing = (m: readonly string[]) => {
    for (const f of m) if (!missing.includes(f)) missing.push(f);
  };
  if (table.hitPolicy === 'collect') {
    const outputs: O[] = [];
    const rows: number[] = [];
    const possible: O[] = [];
    table.rows.forEach((row, i) => {
      const r = evaluate(row.when, facts, options);
      if (r.status === 'eligible') {
        outputs.push(row.output);
        rows.push(i);
      } else if (r.status === 'undetermined') {
        possible.push(row.output);
        addMissing(r.missing);
      }
    });
    return { status: possible.length > 0 ? 'undetermined' : 'matched', outputs, rows, possible, missing };
  }
  const possible: O[] = [];
  for (let i = 0; i < table.rows.length; i++) {
    const row = table.rows[i]!;
    const r = evaluate(row.when, facts, options);
    if (r.status === 'eligible') {
      if (possible.length === 0)
        return { status: 'matched', outputs: [row.output], rows: [i], possible, missing };
      possible.push(row.output);
      return { status: 'undetermined', outputs: [], rows: [], possible, missing };
    }
    if (r.status === 'undetermined') {
      possible.push(row.output);
      addMissing(r.missing);
    }
  }
  const hasOtherwise = table.otherwise !== undefined;
  if (possible.length > 0) {
    if (hasOtherwise) possible.push(table.otherwise as O);
    return { status: 'undetermined', outputs: [], rows: [], possible, missing };
  }
  if (hasOtherwise)
    return { status: 'matched', outputs: [table.otherwise as O], rows: [-1], possible, missing };
  return { status: 'noMatch', outputs: [], rows: [], possible, missing };
}

/** `decideAll` codes for rows that got no row index. */
export const NO_MATCH = -1;
export const UNDETERMINED = -2;

/**
 * First-match decisions for every row of a fact table in batch: for each enterprise the index of the
 * chosen table row, `NO_MATCH` (then `otherwise` applies, if any) or `UNDETERMINED`. Agrees with `decide`.
 */
export function decideAll<O>(
  table: DecisionTable<O>,
  facts: FactTable | readonly FactRow[],
  options: EvaluateOptions,
): Int32Array {
  if (table.hitPolicy !== 'first')
    throw new RangeError('decideAll is for first-match tables; use matchAll for collect');
  const m = matchAll(
    table.rows.map((r) => r.when),
    facts,
    options,
  );
  const out = new Int32Array(m.rowCount).fill(NO_MATCH);
  for (let w = 0, words = (m.rowCount + 31) >>> 5; w < words; w++) {
    // Rows still open in this word: neither decided nor blocked by an undetermined earlier table row.
    let open = w === words - 1 && m.rowCount % 32 !== 0 ? (1 << (m.rowCount % 32)) - 1 : 0xffffffff;
    for (let k = 0; k < m.ruleCount && open !== 0; k++) {
      const t = m.eligible[k]![w]! & open;
      const u = m.undetermined[k]![w]! & open;
      for (let bits = t | u; bits !== 0; bits &= bits - 1) {
        const b = 31 - Math.clz32(bits & -bits);
        out[(w << 5) + b] = (t >>> b) & 1 ? k : UNDETERMINED;
      }
      open &= ~(t | u);
    }
  }
  return out;
}
