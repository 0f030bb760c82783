import {
  atomOutcome,
  type FactState,
  INVALID,
  normalizeFact,
  type ParamUse,
  type PathOf,
  type ResolveContext,
  resolveAtom,
  throwingReport,
} from './atoms';
import { dayNumber, toIsoDate } from './dates';
import type { ParameterStore } from './parameters';
import {
  type Atom,
  type Catalogue,
  type Cond,
  condKind,
  DEFAULT_LIMITS,
  type FactRow,
  hasOwn,
  type Limits,
  type NotCond,
  type OnMissing,
  type Op,
  type Refs,
  RuleError,
  type RuleErrorCode,
} from './tree';

export type Status = 'eligible' | 'ineligible' | 'undetermined';

export interface EvaluateOptions {
  /** The evaluation date: parameters are read as of this day, `daysSinceLte` counts up to it. */
  readonly asOf: string | Date;
  readonly catalogue: Catalogue;
  readonly params?: ParameterStore;
  readonly refs?: Refs;
  readonly limits?: Partial<Limits>;
}

/** What one atom saw and answered. */
export interface TraceEntry {
  /** The atom id, prefixed `ref/` for atoms inside the named ref `ref`. */
  readonly key: string;
  readonly id: string;
  readonly ref?: string;
  readonly fact: string;
  readonly op: Op;
  readonly onMissing: OnMissing;
  readonly state: FactState;
  /** The raw fact value (`undefined` when missing). */
  readonly actual: unknown;
  /** The operand as resolved on the evaluation date (dates as ISO strings). */
  readonly expected: unknown;
  /** Parameters the operand was read from, with their value and source. */
  readonly params: readonly ParamUse[];
  /** `true`, `false`, or `null` for unknown. */
  readonly outcome: boolean | null;
}

export interface Evaluation {
  readonly status: Status;
  readonly asOf: string;
  /** Facts whose absence (or wrong type) keeps the answer open — empty unless `undetermined`. */
  readonly missing: string[];
  /** The subset of `missing` that was present but wrongly typed. */
  readonly invalid: string[];
  readonly trace: TraceEntry[];
  /**
   * The rule simplified by the known facts: `true`/`false` when decided, otherwise a condition over the
   * unknown atoms only ("would be eligible if …"). Refs are inlined, their atoms renamed `ref/id`.
   */
  readonly residual: Cond | boolean;
}

interface Node {
  readonly v: boolean | null;
  readonly res: Cond | boolean;
}

const TRUE: Node = { v: true, res: true };
const NO_REFS: Refs = {};
const FALSE: Node = { v: false, res: false };

export function statusOf(v: boolean | null): Status {
  return v === true ? 'eligible' : v === false ? 'ineligible' : 'undetermined';
}

export function resolveContext(
  catalogue: Catalogue,
  params: ParameterStore | undefined,
  asOf: string | Date,
  limits: Limits,
): ResolveContext {
  const day = toIsoDate(asOf);
  return {
    catalogue,
    params,
    asOf: day,
    asOfDay: dayNumber(day)!,
    maxListSize: limits.maxListSize,
    validating: false,
  };
}

/** Checks that a group / not / ref node has exactly one key. */
export function checkSingleKey(c: object, path: PathOf): void {
  let n = 0;
  for (const k in c) if (hasOwn(c, k)) n++;
  if (n !== 1) {
    throw new RuleError(
      'BAD_SHAPE',
      path(),
      'a condition has exactly one of all / any / not / ref, or is an atom',
    );
  }
}

/** One evaluation's state; a class so that the hot path creates no closures per call. */
class Evaluator {
  readonly trace: TraceEntry[] = [];
  readonly traceByKey = new Map<string, TraceEntry>();
  private readonly refMemo = new Map<string, Node>();
  private readonly atomMemo = new Map<string, { atom: Atom; node: Node }>();
  private readonly onStack = new Set<string>();
  /** The path of the node being visited, joined only when an error is thrown. */
  private readonly segs: (string | number)[] = [];
  readonly pathOf: PathOf = () => (this.segs.length === 0 ? '' : `/${this.segs.join('/')}`);

  constructor(
    private readonly facts: FactRow,
    private readonly refs: Refs,
    readonly ctx: ResolveContext,
    private readonly limits: Limits,
  ) {}

  private fail(code: RuleErrorCode, message: string): never {
    throw new RuleError(code, this.pathOf(), message);
  }

  walk(c: Cond, scope: string | undefined, depth: number): Node {
    if (depth > this.limits.maxDepth) this.fail('LIMIT_EXCEEDED', `deeper than ${this.limits.maxDepth}`);
    const kind = condKind(c);
    const segs = this.segs;
    switch (kind) {
      case 'all':
      case 'any': {
        checkSingleKey(c, this.pathOf);
        const children = (c as unknown as Record<string, unknown>)[kind];
        if (!Array.isArray(children)) return this.fail('BAD_SHAPE', `${kind} needs a list`);
        if (children.length > this.limits.maxListSize) {
          this.fail('LIMIT_EXCEEDED', `more than ${this.limits.maxListSize} children`);
        }
        // all: a false child decides; any: a true child decides.
        const decisive = kind === 'any';
        let decided = false;
        let open: Cond[] | undefined;
        segs.push(kind, 0);
        for (let i = 0; i < children.length; i++) {
          segs[segs.length - 1] = i;
          const n = this.walk(children[i] as Cond, scope, depth + 1);
          if (n.v === decisive) decided = true;
          else if (n.v === null) {
            open ??= [];
            open.push(n.res as Cond);
          }
        }
        segs.length -= 2;
        if (decided) return decisive ? TRUE : FALSE;
        if (open === undefined) return decisive ? FALSE : TRUE;
        const res: Cond = open.length === 1 ? open[0]! : kind === 'all' ? { all: open } : { any: open };
        return { v: null, res };
      }
      case 'not': {
        checkSingleKey(c, this.pathOf);
        segs.push('not');
        const n = this.walk((c as NotCond).not, scope, depth + 1);
        segs.length -= 1;
        if (n.v !== null) return n.v ? FALSE : TRUE;
        const inner = n.res as Cond;
        return { v: null, res: condKind(inner) === 'not' ? (inner as NotCond).not : { not: inner } };
      }
      case 'ref': {
        checkSingleKey(c, this.pathOf);
        const name = (c as { ref: unknown }).ref;
        if (typeof name !== 'string' || !Object.hasOwn(this.refs, name)) {
          return this.fail('UNKNOWN_REF', `unknown ref ${String(name)}`);
        }
        const memo = this.refMemo.get(name);
        if (memo) return memo;
        if (this.onStack.has(name)) this.fail('REF_CYCLE', `ref ${name} refers to itself`);
        this.onStack.add(name);
        segs.push('ref', `#${name}`);
        const n = this.walk(this.refs[name]!, name, depth + 1);
        segs.length -= 2;
        this.onStack.delete(name);
        this.refMemo.set(name, n);
        return n;
      }
      case 'atom':
        return this.atom(c as Atom, scope);
      default:
        return this.fail('BAD_SHAPE', 'not a condition');
    }
  }

  private atom(atom: Atom, scope: string | undefined): Node {
    const key = scope === undefined ? atom.id : `${scope}/${atom.id}`;
    // The same atom object met twice (a residual that inlines one ref in two places) is one atom.
    const seen = this.atomMemo.get(key);
    if (seen)
      return seen.atom === atom ? seen.node : this.fail('DUPLICATE_ID', `atom id ${key} is used twice`);
    const r = resolveAtom(atom, key, this.pathOf, this.ctx, throwingReport)!;
    const facts = this.facts;
    const fact = atom.fact;
    const actual = Object.hasOwn(facts, fact) ? facts[fact] : undefined;
    const v = normalizeFact(r.def, actual);
    const outcome = atomOutcome(r, v);
    const state: FactState = v === undefined ? 'missing' : v === INVALID ? 'invalid' : 'present';
    const { op, onMissing, expected, params } = r;
    const id = atom.id;
    const entry: TraceEntry =
      scope === undefined
        ? { key, id, fact, op, onMissing, state, actual, expected, params, outcome }
        : { key, id, ref: scope, fact, op, onMissing, state, actual, expected, params, outcome };
    this.trace.push(entry);
    this.traceByKey.set(key, entry);
    const node: Node =
      outcome !== null
        ? outcome
          ? TRUE
          : FALSE
        : { v: null, res: scope === undefined ? atom : { ...atom, id: key } };
    this.atomMemo.set(key, { atom, node });
    return node;
  }

  /** Facts of the residual's atoms, in order, and those among them that were wrongly typed. */
  collect(c: Cond | boolean, missing: string[], invalid: string[]): void {
    if (typeof c === 'boolean') return;
    if ('all' in c) for (const x of c.all) this.collect(x, missing, invalid);
    else if ('any' in c) for (const x of c.any) this.collect(x, missing, invalid);
    else if ('not' in c) this.collect(c.not, missing, invalid);
    else if ('fact' in c && !missing.includes(c.fact)) {
      missing.push(c.fact);
      if (this.traceByKey.get(c.id)?.state === 'invalid') invalid.push(c.fact);
    }
  }
}

/**
 * Evaluates one rule against one enterprise's facts under Kleene's three-valued logic. An atom on a missing
 * or wrongly typed fact is unknown (unless its `onMissing` says otherwise); `all` is false if any child is
 * false, else unknown if any is unknown; `any` is true if any child is true, else unknown if any is
 * unknown; `not` swaps true and false. `exists` / `missing` are always two-valued.
 *
 * Throws `RuleError` for a malformed rule (unknown fact, ref cycle …) and `ParameterNotInForce` when a
 * `{ param }` is not in force on `asOf`.
 */
export function evaluate(rule: Cond, facts: FactRow, options: EvaluateOptions): Evaluation {
  const limits: Limits = options.limits ? { ...DEFAULT_LIMITS, ...options.limits } : DEFAULT_LIMITS;
  const ctx = resolveContext(options.catalogue, options.params, options.asOf, limits);
  const e = new Evaluator(facts, options.refs ?? NO_REFS, ctx, limits);
  const root = e.walk(rule, undefined, 0);
  const missing: string[] = [];
  const invalid: string[] = [];
  e.collect(root.res, missing, invalid);
  return { status: statusOf(root.v), asOf: ctx.asOf!, missing, invalid, trace: e.trace, residual: root.res };
}
