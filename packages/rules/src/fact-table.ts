import { normalizeFact } from './atoms';
import { type Catalogue, type FactRow, hasOwn, RuleError } from './tree';

/**
 * Columnar fact storage for `matchAll`: one typed array per fact, built lazily on first use with the same
 * normalisation as `evaluate` (a missing or wrongly typed value is missing).
 */

/** Numbers and dates (as day numbers); `NaN` = missing. */
export interface NumberColumn {
  readonly kind: 'number';
  readonly values: Float64Array;
}
/** 1 = true, 0 = false, −1 = missing. */
export interface BooleanColumn {
  readonly kind: 'boolean';
  readonly values: Int8Array;
}
/** Strings and enums, dictionary-encoded; −1 = missing. */
export interface CodeColumn {
  readonly kind: 'code';
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}
/** String lists: row r holds `codes[offsets[r] … offsets[r + 1])`; `present[r] = 0` = missing. */
export interface ListColumn {
  readonly kind: 'list';
  readonly offsets: Int32Array;
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
  readonly present: Uint8Array;
  /** With at most 32 distinct items: per row, bit k set ⇔ the row holds dictionary item k. */
  readonly masks: Uint32Array | undefined;
}
export type Column = NumberColumn | BooleanColumn | CodeColumn | ListColumn;

/** Facts given column by column: `columns[fact][row]`. */
export interface FactColumns {
  readonly rowCount: number;
  readonly columns: Readonly<Record<string, readonly unknown[]>>;
}

export interface FactTable {
  readonly rowCount: number;
  readonly catalogue: Catalogue;
  /** Throws `RuleError` UNKNOWN_FACT for a fact not in the catalogue. */
  column(fact: string): Column;
  /** Bitset (32 rows per word) of the rows where the fact is missing or wrongly typed. */
  missingBits(fact: string): Uint32Array;
  /** Builds the columns of these facts (default: all) now rather than on first use. */
  prepare(facts?: readonly string[]): void;
}

export const wordsFor = (rows: number): number => (rows + 31) >>> 5;

/** Builds a fact table from rows (objects) or from columns (arrays per fact). */
export function createFactTable(source: readonly FactRow[] | FactColumns, catalogue: Catalogue): FactTable {
  const rowCount = Array.isArray(source) ? source.length : (source as FactColumns).rowCount;
  const rowsSource = Array.isArray(source) ? (source as readonly FactRow[]) : undefined;
  const colsSource = Array.isArray(source) ? undefined : (source as FactColumns).columns;
  const columns = new Map<string, Column>();
  const missing = new Map<string, Uint32Array>();

  const rawAt = (fact: string): ((row: number) => unknown) => {
    if (rowsSource) {
      return (row) => {
        const r = rowsSource[row]!;
        return hasOwn(r, fact) ? r[fact] : undefined;
      };
    }
    const col = colsSource && hasOwn(colsSource, fact) ? colsSource[fact] : undefined;
    return (row) => col?.[row];
  };

  const build = (fact: string): Column => {
    if (!hasOwn(catalogue.facts, fact)) throw new RuleError('UNKNOWN_FACT', '', `unknown fact ${fact}`);
    const def = catalogue.facts[fact]!;
    const raw = rawAt(fact);
    switch (def.type) {
      case 'number':
      case 'date': {
        const values = new Float64Array(rowCount);
        for (let i = 0; i < rowCount; i++) {
          const v = normalizeFact(def, raw(i));
          values[i] = typeof v === 'number' ? v : Number.NaN;
        }
        return { kind: 'number', values };
      }
      case 'boolean': {
        const values = new Int8Array(rowCount);
        for (let i = 0; i < rowCount; i++) {
          const v = normalizeFact(def, raw(i));
          values[i] = v === true ? 1 : v === false ? 0 : -1;
        }
        return { kind: 'boolean', values };
      }
      case 'string':
      case 'enum': {
        const codes = new Int32Array(rowCount);
        const dictionary: string[] = [];
        const index = new Map<string, number>();
        for (let i = 0; i < rowCount; i++) {
          const v = normalizeFact(def, raw(i));
          if (typeof v !== 'string') {
            codes[i] = -1;
            continue;
          }
          let code = index.get(v);
          if (code === undefined) {
            code = dictionary.length;
            dictionary.push(v);
            index.set(v, code);
          }
          codes[i] = code;
        }
        return { kind: 'code', codes, dictionary };
      }
      case 'list': {
        const offsets = new Int32Array(rowCount + 1);
        const present = new Uint8Array(rowCount);
        const dictionary: string[] = [];
        const index = new Map<string, number>();
        const codes: number[] = [];
        for (let i = 0; i < rowCount; i++) {
          const v = normalizeFact(def, raw(i));
          if (Array.isArray(v)) {
            present[i] = 1;
            for (const x of v as readonly string[]) {
              let code = index.get(x);
              if (code === undefined) {
                code = dictionary.length;
                dictionary.push(x);
                index.set(x, code);
              }
              codes.push(code);
            }
          }
          offsets[i + 1] = codes.length;
        }
        let masks: Uint32Array | undefined;
        if (dictionary.length <= 32) {
          masks = new Uint32Array(rowCount);
          for (let i = 0; i < rowCount; i++) {
            let m = 0;
            for (let j = offsets[i]!; j < offsets[i + 1]!; j++) m |= 1 << codes[j]!;
            masks[i] = m;
          }
        }
        return { kind: 'list', offsets, codes: Int32Array.from(codes), dictionary, present, masks };
      }
    }
  };

  const column = (fact: string): Column => {
    let c = columns.get(fact);
    if (!c) {
      c = build(fact);
      columns.set(fact, c);
    }
    return c;
  };

  const missingBits = (fact: string): Uint32Array => {
    let bits = missing.get(fact);
    if (bits) return bits;
    const c = column(fact);
    bits = new Uint32Array(wordsFor(rowCount));
    for (let i = 0; i < rowCount; i++) {
      let absent: boolean;
      switch (c.kind) {
        case 'number':
          absent = Number.isNaN(c.values[i]!);
          break;
        case 'boolean':
          absent = c.values[i]! < 0;
          break;
        case 'code':
          absent = c.codes[i]! < 0;
          break;
        case 'list':
          absent = c.present[i] === 0;
          break;
      }
      if (absent) bits[i >>> 5]! |= 1 << (i & 31);
    }
    missing.set(fact, bits);
    return bits;
  };

  return {
    rowCount,
    catalogue,
    column,
    missingBits,
    prepare: (facts = Object.keys(catalogue.facts)) => {
      for (const f of facts) missingBits(f);
    },
  };
}
