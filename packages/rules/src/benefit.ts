import { toIsoDate } from './dates';
import type { ParameterStore } from './parameters';
import {
  type Catalogue,
  type FactRow,
  hasOwn,
  isParamRef,
  isPlainObject,
  type ParamRef,
  RuleError,
  type RuleErrorCode,
} from './tree';

/**
 * Benefit amounts: small arithmetic over literals, `{ param }` and `{ fact }`, computed exactly (rational
 * numbers on BigInt, so 0.7 × 1,234,567 fen has no floating-point error) and rounded to integer fen.
 */

export type RoundMode = 'halfUp' | 'halfEven' | 'floor' | 'ceil' | 'trunc';

export type AmountExpr =
  | number
  | ParamRef
  | { readonly fact: string }
  | { readonly add: readonly AmountExpr[] }
  | { readonly sub: readonly [AmountExpr, AmountExpr] }
  | { readonly mul: readonly AmountExpr[] }
  | { readonly div: readonly [AmountExpr, AmountExpr] }
  | { readonly min: readonly AmountExpr[] }
  | { readonly max: readonly AmountExpr[] }
  /** Rounds to a multiple of `step` fen (default 1; 100 = whole yuan) with `mode` (default halfUp). */
  | { readonly round: AmountExpr; readonly mode?: RoundMode; readonly step?: number };

export type AmountResult =
  | { readonly status: 'known'; readonly amountFen: number }
  | { readonly status: 'unknown'; readonly missing: string[] }
  | { readonly status: 'invalid'; readonly reason: 'DIVISION_BY_ZERO' | 'OUT_OF_RANGE' };

export interface AmountOptions {
  readonly asOf: string | Date;
  readonly catalogue: Catalogue;
  readonly params?: ParameterStore;
}

interface Rational {
  readonly n: bigint;
  readonly d: bigint; // > 0
}

const abs = (x: bigint) => (x < 0n ? -x : x);
const gcd = (a: bigint, b: bigint): bigint => {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};
const rat = (n: bigint, d: bigint): Rational => {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
};

/** The exact value of a finite double's shortest decimal form: 0.7 → 7/10 (not 0.6999…). */
export function toRational(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new RangeError(`cannot read ${x}`);
  const frac = m[3] ?? '';
  let n = BigInt(`${m[2]}${frac}`);
  let d = 10n ** BigInt(frac.length);
  const exp = Number(m[4] ?? 0);
  if (exp > 0) n *= 10n ** BigInt(exp);
  else if (exp < 0) d *= 10n ** BigInt(-exp);
  return rat(m[1] === '-' ? -n : n, d);
}

const add = (a: Rational, b: Rational) => rat(a.n * b.d + b.n * a.d, a.d * b.d);
const mul = (a: Rational, b: Rational) => rat(a.n * b.n, a.d * b.d);
const cmp = (a: Rational, b: Rational) => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};

/** Rounds a rational to an integer. `halfUp` rounds halves away from zero (四舍五入). */
export function roundRational(x: Rational, mode: RoundMode): bigint {
  const q = x.n / x.d; // truncated toward zero
  const r = x.n - q * x.d; // same sign as n
  if (r === 0n) return q;
  const sign = x.n < 0n ? -1n : 1n;
  const floor = sign < 0n ? q - 1n : q;
  const twice = abs(r) * 2n;
  switch (mode) {
    case 'trunc':
      return q;
    case 'floor':
      return floor;
    case 'ceil':
      return floor + 1n;
    case 'halfUp':
      return twice >= x.d ? q + sign : q;
    case 'halfEven':
      if (twice > x.d) return q + sign;
      if (twice < x.d) return q;
      return q % 2n === 0n ? q : q + sign;
  }
}

type Value =
  | { readonly kind: 'ok'; readonly v: Rational }
  | { readonly kind: 'missing' }
  | { readonly kind: 'zeroDiv' };

const LISTS = ['add', 'mul', 'min', 'max'] as const;
const PAIRS = ['sub', 'div'] as const;

/**
 * Computes an amount in integer fen. A missing (or non-numeric) fact makes it `unknown` with the facts to
 * supply; a division by zero makes it `invalid`. The exact result is rounded half away from zero at the end.
 * Throws `RuleError` for a malformed expression, `ParameterNotInForce` for a parameter not in force.
 */
export function evaluateAmount(expr: AmountExpr, facts: FactRow, options: AmountOptions): AmountResult {
  const asOf = toIsoDate(options.asOf);
  const missing: string[] = [];
  const fail = (code: RuleErrorCode, path: string, msg: string): never => {
    throw new RuleError(code, path, msg);
  };
  const walk = (e: unknown, path: string, depth: number): Value => {
    if (depth > 32) fail('LIMIT_EXCEEDED', path, 'expression nested too deep');
    if (typeof e === 'number') {
      if (!Number.isFinite(e)) fail('BAD_VALUE', path, 'literals must be finite numbers');
      return { kind: 'ok', v: toRational(e) };
    }
    if (!isPlainObject(e))
      return fail('BAD_SHAPE', path, 'an amount is a number, { param }, { fact } or an operation');
    if (isParamRef(e)) {
      const store = options.params ?? fail('UNKNOWN_PARAM', path, `no parameter store to read ${e.param}`);
      if (!store.has(e.param)) fail('UNKNOWN_PARAM', path, `unknown parameter ${e.param}`);
      let value: unknown = store.valueAt(e.param, asOf);
      if (e.part !== undefined) {
        value = isPlainObject(value) && hasOwn(value, e.part) ? value[e.part] : undefined;
      }
      if (typeof value !== 'number')
        return fail('BAD_VALUE', path, `parameter ${e.param} is not a number here`);
      return { kind: 'ok', v: toRational(value) };
    }
    if (hasOwn(e, 'fact')) {
      const name = e.fact;
      if (typeof name !== 'string' || !hasOwn(options.catalogue.facts, name)) {
        return fail('UNKNOWN_FACT', path, `unknown fact ${String(name)}`);
      }
      if (options.catalogue.facts[name]!.type !== 'number')
        fail('OP_NOT_VALID_FOR_TYPE', path, `${name} is not a number`);
      const raw = hasOwn(facts, name) ? facts[name] : undefined;
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        if (!missing.includes(name)) missing.push(name);
        return { kind: 'missing' };
      }
      return { kind: 'ok', v: toRational(raw) };
    }
    const keys = Object.keys(e);
    const op = keys.find(
      (k) =>
        (LISTS as readonly string[]).includes(k) || (PAIRS as readonly string[]).includes(k) || k === 'round',
    );
    if (op === undefined) return fail('BAD_SHAPE', path, `unknown operation ${keys.join(', ')}`);
    if (op === 'round') {
      for (const k of keys)
        if (!['round', 'mode', 'step'].includes(k)) fail('BAD_SHAPE', path, `unexpected key ${k}`);
      const mode = (e.mode ?? 'halfUp') as RoundMode;
      if (!['halfUp', 'halfEven', 'floor', 'ceil', 'trunc'].includes(mode))
        fail('BAD_VALUE', `${path}/mode`, 'unknown mode');
      const step = e.step ?? 1;
      if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 1) {
        fail('BAD_VALUE', `${path}/step`, 'step is a whole number of fen ≥ 1');
      }
      const inner = walk(e.round, `${path}/round`, depth + 1);
      if (inner.kind !== 'ok') return inner;
      const s = BigInt(step as number);
      return { kind: 'ok', v: rat(roundRational(rat(inner.v.n, inner.v.d * s), mode) * s, 1n) };
    }
    if (keys.length !== 1) fail('BAD_SHAPE', path, 'an operation has exactly one key');
    const args = e[op];
    if (!Array.isArray(args) || args.length === 0)
      return fail('BAD_SHAPE', path, `${op} needs a list of operands`);
    if ((PAIRS as readonly string[]).includes(op) && args.length !== 2)
      fail('BAD_SHAPE', path, `${op} needs two operands`);
    const vals = args.map((a: unknown, i: number) => walk(a, `${path}/${op}/${i}`, depth + 1));
    if (vals.some((v) => v.kind === 'zeroDiv')) return { kind: 'zeroDiv' };
    if (vals.some((v) => v.kind === 'missing')) return { kind: 'missing' };
    const xs = vals.map((v) => (v as { v: Rational }).v);
    switch (op) {
      case 'add':
        return { kind: 'ok', v: xs.reduce(add) };
      case 'mul':
        return { kind: 'ok', v: xs.reduce(mul) };
      case 'min':
        return { kind: 'ok', v: xs.reduce((a, b) => (cmp(a, b) <= 0 ? a : b)) };
      case 'max':
        return { kind: 'ok', v: xs.reduce((a, b) => (cmp(a, b) >= 0 ? a : b)) };
      case 'sub':
        return { kind: 'ok', v: add(xs[0]!, rat(-xs[1]!.n, xs[1]!.d)) };
      default: {
        const [a, b] = xs as [Rational, Rational];
        if (b.n === 0n) return { kind: 'zeroDiv' };
        return { kind: 'ok', v: rat(a.n * b.d, a.d * b.n) };
      }
    }
  };
  const result = walk(expr, '', 0);
  if (result.kind === 'zeroDiv') return { status: 'invalid', reason: 'DIVISION_BY_ZERO' };
  if (result.kind === 'missing') return { status: 'unknown', missing };
  const fen = roundRational(result.v, 'halfUp');
  if (abs(fen) > BigInt(Number.MAX_SAFE_INTEGER)) return { status: 'invalid', reason: 'OUT_OF_RANGE' };
  return { status: 'known', amountFen: Number(fen) };
}

/**
 * Splits an amount in fen by shares (`{ province: 0.7, cityCounty: 0.3 }` or `{ a: 7, b: 3 }`) so that the
 * parts always sum to the total: each part gets the floor of its exact share, and the fen left over go one
 * each to the parts with the largest remainders (ties: the order the shares are listed in). A zero share
 * gets nothing; every part is within one fen of its exact share.
 */
export function splitFen<K extends string>(
  totalFen: number,
  shares: Readonly<Record<K, number>>,
): Record<K, number> {
  if (!Number.isSafeInteger(totalFen)) throw new RangeError('the total must be a whole number of fen');
  const names = Object.keys(shares) as K[];
  if (names.length === 0) throw new RangeError('no shares');
  const rats = names.map((k) => {
    const s = shares[k];
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) throw new RangeError(`share ${k} must be ≥ 0`);
    return toRational(s);
  });
  // Bring the shares to a common denominator: share_i = a_i / D.
  const D = rats.reduce((acc, r) => (acc / gcd(acc, r.d)) * r.d, 1n);
  const a = rats.map((r) => (r.n * D) / r.d);
  const A = a.reduce((x, y) => x + y, 0n);
  if (A === 0n) throw new RangeError('shares sum to zero');
  const total = BigInt(Math.abs(totalFen));
  const floors = a.map((ai) => (total * ai) / A);
  const rems = a.map((ai) => (total * ai) % A);
  let left = total - floors.reduce((x, y) => x + y, 0n);
  const order = names
    .map((_, i) => i)
    .sort((i, j) => (rems[i]! > rems[j]! ? -1 : rems[i]! < rems[j]! ? 1 : i - j));
  for (const i of order) {
    if (left === 0n) break;
    floors[i]! += 1n;
    left -= 1n;
  }
  const sign = totalFen < 0 ? -1 : 1;
  const out = {} as Record<K, number>;
  names.forEach((k, i) => {
    out[k] = sign * Number(floors[i]!) || 0;
  });
  return out;
}
