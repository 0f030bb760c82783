import { dayNumber, isoDateOfDay } from './dates';
import {
  ParameterNotInForce,
  type ParameterSource,
  type ParameterStore,
  type ParameterUnit,
  type ParameterValue,
  type PartValue,
} from './parameters';
import {
  type Atom,
  type Catalogue,
  type FactDef,
  type FactType,
  hasOwn,
  isParamRef,
  isPlainObject,
  type Label,
  type OnMissing,
  type Op,
  type ParamRef,
  RuleError,
  type RuleErrorCode,
} from './tree';

/**
 * One atom's semantics, shared by `evaluate` (one row) and `matchAll` (a column), so that the two cannot
 * disagree: fact normalisation, operand resolution (literals and `{ param }`) and the test itself.
 */

/** A present, well-typed fact value: numbers, day numbers for dates, strings, booleans, string lists. */
export type Normalized = number | string | boolean | readonly string[];

export const INVALID: unique symbol = Symbol('invalid');
export type FactState = 'present' | 'missing' | 'invalid';

type OperandShape = 'none' | 'scalar' | 'list' | 'range' | 'days';

interface OpSpec {
  readonly types: readonly FactType[];
  readonly operand: OperandShape;
}

export const OP_SPECS: Readonly<Record<Op, OpSpec>> = {
  eq: { types: ['number', 'date', 'boolean', 'string', 'enum'], operand: 'scalar' },
  ne: { types: ['number', 'date', 'boolean', 'string', 'enum'], operand: 'scalar' },
  in: { types: ['number', 'string', 'enum'], operand: 'list' },
  notIn: { types: ['number', 'string', 'enum'], operand: 'list' },
  lt: { types: ['number', 'date'], operand: 'scalar' },
  lte: { types: ['number', 'date'], operand: 'scalar' },
  gt: { types: ['number', 'date'], operand: 'scalar' },
  gte: { types: ['number', 'date'], operand: 'scalar' },
  between: { types: ['number'], operand: 'range' },
  dateBetween: { types: ['date'], operand: 'range' },
  daysSinceLte: { types: ['date'], operand: 'days' },
  isTrue: { types: ['boolean'], operand: 'none' },
  isFalse: { types: ['boolean'], operand: 'none' },
  exists: { types: ['number', 'date', 'boolean', 'string', 'enum', 'list'], operand: 'none' },
  missing: { types: ['number', 'date', 'boolean', 'string', 'enum', 'list'], operand: 'none' },
  containsAny: { types: ['list'], operand: 'list' },
};

/** `undefined` when the fact is absent or null, `INVALID` when it does not have the catalogue's type. */
export function normalizeFact(def: FactDef, raw: unknown): Normalized | undefined | typeof INVALID {
  if (raw === undefined || raw === null) return undefined;
  switch (def.type) {
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? raw : INVALID;
    case 'boolean':
      return typeof raw === 'boolean' ? raw : INVALID;
    case 'string':
      return typeof raw === 'string' ? raw : INVALID;
    case 'enum':
      return typeof raw === 'string' && def.values !== undefined && hasOwn(def.values, raw) ? raw : INVALID;
    case 'date':
      return dayNumber(raw) ?? INVALID;
    case 'list': {
      if (!Array.isArray(raw)) return INVALID;
      const values = def.values;
      for (const x of raw) {
        if (typeof x !== 'string' || (values !== undefined && !hasOwn(values, x))) return INVALID;
      }
      return raw as readonly string[];
    }
  }
}

/** A parameter read while resolving an atom, with what an explanation needs to cite it. */
export interface ParamUse {
  readonly key: string;
  readonly part?: string;
  readonly value: PartValue | boolean;
  readonly label: Label;
  readonly unit?: ParameterUnit;
  readonly source: ParameterSource;
  readonly revision: number;
}

export interface ResolvedAtom {
  readonly atom: Atom;
  /** Unique within one evaluation: the atom id, prefixed by `ref/` for atoms inside a named ref. */
  readonly key: string;
  readonly def: FactDef;
  readonly op: Op;
  readonly onMissing: OnMissing;
  /** Bounds for `lt … gte`, `between`, `dateBetween` and `daysSinceLte` (dates as day numbers). */
  readonly lo: number;
  readonly hi: number;
  /** Operand of `eq`, `ne`, `isTrue`, `isFalse`. */
  readonly scalar: Normalized | undefined;
  /** Operand of `in`, `notIn`, `containsAny` (membership is SameValueZero, like `Set`). */
  readonly list: readonly Normalized[] | undefined;
  /** The operand as shown to people: dates as ISO strings, `daysSinceLte` as the number of days. */
  readonly expected: unknown;
  readonly params: readonly ParamUse[];
}

export type Report = (code: RuleErrorCode, path: string, message: string) => void;

/** Where an atom sits in its rule; only turned into a string when a problem is reported. */
export type PathOf = () => string;

export interface ResolveContext {
  readonly catalogue: Catalogue;
  readonly params: ParameterStore | undefined;
  /** ISO date and day number of the evaluation; absent when validating without a date. */
  readonly asOf: string | undefined;
  readonly asOfDay: number | undefined;
  readonly maxListSize: number;
  /** Validation reports a parameter not in force on `asOf`; evaluation throws `ParameterNotInForce`. */
  readonly validating: boolean;
}

/** Collects problems for one atom (a plain object rather than closures: this runs on every evaluation). */
interface Sink {
  ok: boolean;
  readonly report: Report;
  readonly path: PathOf;
}

function flag(sink: Sink, code: RuleErrorCode, suffix: string, message: string): void {
  sink.ok = false;
  sink.report(code, sink.path() + suffix, message);
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v;
}

/** Converts one operand item into the fact's domain, or reports why it cannot be. */
function toDomain(
  v: unknown,
  def: FactDef,
  shape: OperandShape,
  sink: Sink,
  suffix: string,
): Normalized | undefined {
  if (shape === 'days') {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    flag(sink, 'BAD_VALUE', suffix, `expected a whole number of days ≥ 0, got ${JSON.stringify(v)}`);
    return undefined;
  }
  const type = def.type;
  switch (type) {
    case 'number':
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      break;
    case 'date': {
      const d = dayNumber(v);
      if (d !== undefined) return d;
      break;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      break;
    case 'string':
      if (typeof v === 'string') return v;
      break;
    case 'enum':
    case 'list':
      if (typeof v === 'string') {
        if (def.values === undefined || hasOwn(def.values, v)) return v;
        flag(sink, 'BAD_VALUE', suffix, `${JSON.stringify(v)} is not one of the values of this fact`);
        return undefined;
      }
      break;
  }
  const want = type === 'list' || type === 'enum' ? 'string' : type;
  flag(sink, 'BAD_VALUE', suffix, `expected a ${want}, got ${typeName(v)}`);
  return undefined;
}

/** A literal already in the fact's domain, or `undefined` (then `toDomain` says why). */
function literalInDomain(v: unknown, def: FactDef): Normalized | undefined {
  switch (def.type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    case 'string':
      return typeof v === 'string' ? v : undefined;
    case 'enum':
    case 'list':
      return typeof v === 'string' && (def.values === undefined || hasOwn(def.values, v)) ? v : undefined;
    case 'date':
      return dayNumber(v);
    case 'boolean':
      return typeof v === 'boolean' ? v : undefined;
  }
}

interface Resolved {
  readonly display: unknown;
  readonly value: Normalized | undefined;
}

const NOTHING: Resolved = { display: undefined, value: undefined };

/** The value of a parameter, or of its named part, as the operand needs it. */
function pickPart(ref: ParamRef, value: ParameterValue, sink: Sink, suffix: string, where: string): unknown {
  if (ref.part !== undefined) {
    if (isPlainObject(value) && hasOwn(value, ref.part)) return value[ref.part];
    flag(sink, 'BAD_VALUE', suffix, `parameter ${ref.param}${where} has no part ${ref.part}`);
    return undefined;
  }
  if (isPlainObject(value)) {
    flag(sink, 'BAD_VALUE', suffix, `parameter ${ref.param} has named parts; choose one with "part"`);
    return undefined;
  }
  return value;
}

/**
 * Resolves a literal or `{ param }` operand item. With an evaluation date the parameter's value on that date
 * is used; without one (validation) every version of the timeline is checked.
 */
function resolveItem(
  item: unknown,
  def: FactDef,
  shape: OperandShape,
  suffix: string,
  ctx: ResolveContext,
  sink: Sink,
  uses: ParamUse[],
): Resolved {
  if (!isParamRef(item)) {
    if (isPlainObject(item)) {
      flag(sink, 'BAD_SHAPE', suffix, 'an operand object must be { param, part? }');
      return NOTHING;
    }
    return { display: item, value: toDomain(item, def, shape, sink, suffix) };
  }
  const ref: ParamRef = item;
  const store = ctx.params;
  if (store === undefined) {
    if (ctx.asOf !== undefined)
      flag(sink, 'UNKNOWN_PARAM', suffix, `no parameter store to read ${ref.param}`);
    return NOTHING;
  }
  if (!store.has(ref.param)) {
    flag(sink, 'UNKNOWN_PARAM', suffix, `unknown parameter ${ref.param}`);
    return NOTHING;
  }
  if (ctx.asOf === undefined) {
    const timeline = store.timeline(ref.param)!;
    timeline.versions.forEach((v, i) => {
      const raw = pickPart(ref, v.value, sink, suffix, ` (version ${i})`);
      if (raw !== undefined) toDomain(raw, def, shape, sink, suffix);
    });
    return NOTHING;
  }
  let version: ReturnType<ParameterStore['versionAt']>;
  try {
    version = store.versionAt(ref.param, ctx.asOf);
  } catch (e) {
    if (e instanceof ParameterNotInForce && ctx.validating) {
      flag(sink, 'BAD_VALUE', suffix, e.message);
      return NOTHING;
    }
    throw e;
  }
  const raw = pickPart(ref, version.value, sink, suffix, '');
  if (raw === undefined) return NOTHING;
  const timeline = store.timeline(ref.param)!;
  const use: ParamUse = {
    key: ref.param,
    value: raw as PartValue | boolean,
    label: timeline.label,
    source: version.source,
    revision: version.revision,
  };
  uses.push(
    ref.part === undefined && timeline.unit === undefined
      ? use
      : {
          ...use,
          ...(ref.part !== undefined ? { part: ref.part } : {}),
          ...(timeline.unit !== undefined ? { unit: timeline.unit } : {}),
        },
  );
  return { display: raw, value: toDomain(raw, def, shape, sink, suffix) };
}

/** A `Report` that throws the first problem as a `RuleError`. */
export const throwingReport: Report = (code, path, message) => {
  throw new RuleError(code, path, message);
};

const ATOM_KEYS = new Set(['id', 'fact', 'op', 'value', 'onMissing']);

const shown = (def: FactDef, r: Resolved) =>
  def.type === 'date' && typeof r.value === 'number' ? isoDateOfDay(r.value) : r.display;

/**
 * Checks an atom against the catalogue and resolves its operand. Problems go to `report`; when it returns
 * (a collecting report) the result is `undefined` if the atom cannot be evaluated.
 */
export function resolveAtom(
  atom: Atom,
  key: string,
  path: PathOf,
  ctx: ResolveContext,
  report: Report,
): ResolvedAtom | undefined {
  const raw = atom as unknown as Record<string, unknown>;
  const sink: Sink = { ok: true, report, path };
  for (const k in raw) {
    if (hasOwn(raw, k) && !ATOM_KEYS.has(k)) flag(sink, 'BAD_SHAPE', '', `unexpected key "${k}" in an atom`);
  }
  // Residuals rename ref atoms `ref/id`, so evaluation accepts "/"; validateRule refuses it in authored ids.
  const id = raw.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 200 || /\s/.test(id)) {
    flag(sink, 'BAD_SHAPE', '/id', 'an atom needs an id without spaces');
  }
  if (typeof raw.fact !== 'string') {
    flag(sink, 'BAD_SHAPE', '/fact', 'an atom needs a fact name');
    return undefined;
  }
  if (typeof raw.op !== 'string' || !hasOwn(OP_SPECS, raw.op)) {
    flag(sink, 'BAD_SHAPE', '/op', `unknown operator ${JSON.stringify(raw.op)}`);
    return undefined;
  }
  const onMissing = raw.onMissing ?? 'unknown';
  if (onMissing !== 'unknown' && onMissing !== 'false' && onMissing !== 'true') {
    flag(sink, 'BAD_SHAPE', '/onMissing', 'onMissing must be "unknown", "false" or "true"');
  }
  const facts = ctx.catalogue.facts;
  if (!hasOwn(facts, raw.fact)) {
    flag(sink, 'UNKNOWN_FACT', '/fact', `unknown fact ${raw.fact}`);
    return undefined;
  }
  const def = facts[raw.fact]!;
  const op = raw.op as Op;
  const spec = OP_SPECS[op];
  if (!spec.types.includes(def.type)) {
    flag(sink, 'OP_NOT_VALID_FOR_TYPE', '/op', `${op} does not apply to a ${def.type} fact (${raw.fact})`);
    return undefined;
  }
  const uses: ParamUse[] = [];
  let lo = Number.NaN;
  let hi = Number.NaN;
  let scalar: Normalized | undefined;
  let list: Normalized[] | undefined;
  let expected: unknown;
  const value = raw.value;
  switch (spec.operand) {
    case 'none':
      if (value !== undefined) flag(sink, 'BAD_VALUE', '/value', `${op} takes no value`);
      if (op === 'isTrue') scalar = true;
      if (op === 'isFalse') scalar = false;
      break;
    case 'scalar': {
      if (value === undefined || Array.isArray(value)) {
        flag(sink, 'BAD_VALUE', '/value', `${op} needs one value`);
        break;
      }
      const r = resolveItem(value, def, 'scalar', '/value', ctx, sink, uses);
      scalar = r.value;
      expected = shown(def, r);
      if (typeof r.value === 'number') lo = hi = r.value;
      break;
    }
    case 'days': {
      const r = resolveItem(value, def, 'days', '/value', ctx, sink, uses);
      expected = r.display;
      if (typeof r.value === 'number' && ctx.asOfDay !== undefined) {
        lo = ctx.asOfDay - r.value;
        hi = ctx.asOfDay;
      }
      break;
    }
    case 'range': {
      if (!Array.isArray(value) || value.length !== 2) {
        flag(sink, 'BAD_VALUE', '/value', `${op} needs [from, to]`);
        break;
      }
      const a = resolveItem(value[0], def, 'scalar', '/value/0', ctx, sink, uses);
      const b = resolveItem(value[1], def, 'scalar', '/value/1', ctx, sink, uses);
      expected = [shown(def, a), shown(def, b)];
      if (typeof a.value === 'number' && typeof b.value === 'number') {
        lo = a.value;
        hi = b.value;
        // An empty range is simply never true; validation reports it, evaluation does not refuse it.
        if (lo > hi && ctx.validating) {
          report('CONTRADICTORY_RANGE', `${path()}/value`, `${op} ${String(expected)} is empty`);
        }
      }
      break;
    }
    case 'list': {
      if (!Array.isArray(value) || value.length === 0) {
        flag(sink, 'BAD_VALUE', '/value', `${op} needs a non-empty list`);
        break;
      }
      if (value.length > ctx.maxListSize) {
        flag(sink, 'LIMIT_EXCEEDED', '/value', `list of ${value.length} items exceeds ${ctx.maxListSize}`);
        break;
      }
      list = [];
      const display: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        // Fast path for a valid literal (the common case, run on every evaluation); anything else goes
        // through resolveItem, which reads parameters and reports problems.
        const fast = literalInDomain(item, def);
        if (fast !== undefined) {
          list.push(fast);
          display.push(item);
          continue;
        }
        const r = resolveItem(item, def, 'scalar', `/value/${i}`, ctx, sink, uses);
        if (r.value !== undefined) list.push(r.value);
        display.push(shown(def, r));
      }
      expected = display;
      break;
    }
  }
  if (!sink.ok) return undefined;
  return {
    atom,
    key,
    def,
    op,
    onMissing: onMissing as OnMissing,
    lo,
    hi,
    scalar,
    list,
    expected,
    params: uses,
  };
}

/** Same canonical key ⇔ same answer on every row; `matchAll` computes each distinct key once. */
export function canonOf(r: ResolvedAtom): string {
  const list = r.list
    ? r.list
        .map((x) => JSON.stringify(x))
        .sort()
        .join(',')
    : '';
  return [r.atom.fact, r.op, r.onMissing, r.lo, r.hi, JSON.stringify(r.scalar), list].join('\u0000');
}

/** The test on a present, well-typed value. */
export function testPresent(r: ResolvedAtom, v: Normalized): boolean {
  switch (r.op) {
    case 'eq':
    case 'isTrue':
    case 'isFalse':
      return v === r.scalar;
    case 'ne':
      return v !== r.scalar;
    case 'in':
      return r.list!.includes(v);
    case 'notIn':
      return !r.list!.includes(v);
    case 'lt':
      return (v as number) < r.lo;
    case 'lte':
      return (v as number) <= r.lo;
    case 'gt':
      return (v as number) > r.lo;
    case 'gte':
      return (v as number) >= r.lo;
    case 'between':
    case 'dateBetween':
    case 'daysSinceLte':
      return (v as number) >= r.lo && (v as number) <= r.hi;
    case 'containsAny': {
      const items = v as readonly string[];
      for (let i = 0; i < items.length; i++) if (r.list!.includes(items[i]!)) return true;
      return false;
    }
    case 'exists':
      return true;
    case 'missing':
      return false;
  }
}

/** The atom's three-valued answer for a normalised fact: `null` = unknown. */
export function atomOutcome(r: ResolvedAtom, v: Normalized | undefined | typeof INVALID): boolean | null {
  const present = v !== undefined && v !== INVALID;
  if (r.op === 'exists') return present;
  if (r.op === 'missing') return !present;
  if (!present) return r.onMissing === 'false' ? false : r.onMissing === 'true' ? true : null;
  return testPresent(r, v);
}
