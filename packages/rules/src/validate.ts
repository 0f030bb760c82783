import { type Normalized, type Report, type ResolveContext, type ResolvedAtom, resolveAtom } from './atoms';
import { dayNumber, isoDateOfDay, toIsoDate } from './dates';
import type { ParameterStore } from './parameters';
import {
  type Atom,
  type Catalogue,
  type Cond,
  condKind,
  DEFAULT_LIMITS,
  hasOwn,
  type Limits,
  type Refs,
  type RuleErrorCode,
} from './tree';

export interface ValidationIssue {
  readonly code: RuleErrorCode;
  /** Where in the rule: `/all/2/value`; inside a named ref `#name/any/0`. */
  readonly path: string;
  readonly message: string;
}

export interface ValidateOptions {
  /** Without a store, `{ param }` operands are not checked. */
  readonly params?: ParameterStore;
  readonly refs?: Refs;
  /**
   * With a date, parameters must be in force on it and their values take part in the contradiction check;
   * without one, every version of every parameter used must suit the atom.
   */
  readonly asOf?: string | Date;
  readonly limits?: Partial<Limits>;
}

const AUTHORED_ID = /^[^/\s]{1,64}$/;

interface Bound {
  readonly value: number;
  readonly strict: boolean;
}

/**
 * Everything wrong with a rule, or `[]`: bad shape, unknown fact / parameter / ref, operator not valid for
 * the fact's type, operand of the wrong type, ref cycles, duplicate atom ids, limits exceeded, and
 * contradictory conditions on one fact inside one `all` (which can then never be true).
 */
export function validateRule(
  rule: unknown,
  catalogue: Catalogue,
  options: ValidateOptions = {},
): ValidationIssue[] {
  const v = createValidator(catalogue, options);
  v.root(rule, '', undefined);
  return v.issues;
}

/** Validates every named ref on its own (including unreachable ones) and rejects cycles among them. */
export function validateRefs(
  refs: Refs,
  catalogue: Catalogue,
  options: ValidateOptions = {},
): ValidationIssue[] {
  const v = createValidator(catalogue, { ...options, refs });
  for (const name of Object.keys(refs)) v.ref(name, `#${name}`);
  return v.issues;
}

function createValidator(catalogue: Catalogue, options: ValidateOptions) {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const refs: Refs = options.refs ?? {};
  const issues: ValidationIssue[] = [];
  const report: Report = (code, path, message) => {
    issues.push({ code, path, message });
  };
  const asOf = options.asOf === undefined ? undefined : toIsoDate(options.asOf);
  const ctx: ResolveContext = {
    catalogue,
    params: options.params,
    asOf,
    asOfDay: asOf === undefined ? undefined : dayNumber(asOf),
    maxListSize: limits.maxListSize,
    validating: true,
  };
  // Per ref: height of its tree and the atoms it reaches (by key), computed once.
  const refInfo = new Map<string, { height: number; atoms: Set<string>; refs: Set<string> }>();
  const onStack: string[] = [];

  interface Scan {
    atoms: Set<string>;
    refs: Set<string>;
    ids: Set<string>;
  }

  const visit = (c: unknown, path: string, scope: string | undefined, scan: Scan): number => {
    const kind = condKind(c);
    if (kind === undefined) {
      report(
        'BAD_SHAPE',
        path,
        'a condition is { all }, { any }, { not }, { ref } or an atom { id, fact, op, value? }',
      );
      return 0;
    }
    const node = c as Record<string, unknown>;
    if (kind !== 'atom' && Object.keys(node).length !== 1) {
      report('BAD_SHAPE', path, `a ${kind} node has exactly one key`);
    }
    switch (kind) {
      case 'all':
      case 'any': {
        const children = node[kind];
        if (!Array.isArray(children) || children.length === 0) {
          report('BAD_SHAPE', `${path}/${kind}`, `${kind} needs a non-empty list of conditions`);
          return 1;
        }
        if (children.length > limits.maxListSize) {
          report(
            'LIMIT_EXCEEDED',
            `${path}/${kind}`,
            `more than ${limits.maxListSize} conditions in one group`,
          );
        }
        let h = 0;
        children.forEach((child: unknown, i: number) => {
          h = Math.max(h, visit(child, `${path}/${kind}/${i}`, scope, scan));
        });
        if (kind === 'all') checkContradictions(children as Cond[], path, scope);
        return h + 1;
      }
      case 'not':
        return visit(node.not, `${path}/not`, scope, scan) + 1;
      case 'ref': {
        const name = node.ref;
        if (typeof name !== 'string' || !hasOwn(refs, name)) {
          report('UNKNOWN_REF', `${path}/ref`, `unknown ref ${JSON.stringify(name)}`);
          return 1;
        }
        const info = ref(name, `${path}/ref`);
        if (!info) return 1;
        scan.refs.add(name);
        for (const r of info.refs) scan.refs.add(r);
        for (const a of info.atoms) scan.atoms.add(a);
        return info.height + 1;
      }
      case 'atom': {
        const atom = c as Atom;
        const key = scope === undefined ? String(atom.id) : `${scope}/${String(atom.id)}`;
        if (typeof atom.id === 'string' && !AUTHORED_ID.test(atom.id)) {
          report('BAD_SHAPE', `${path}/id`, 'an atom id is 1–64 characters without "/" or spaces');
        }
        if (typeof atom.id === 'string') {
          if (scan.ids.has(atom.id)) report('DUPLICATE_ID', `${path}/id`, `atom id ${atom.id} is used twice`);
          scan.ids.add(atom.id);
        }
        scan.atoms.add(key);
        resolveAtom(atom, key, () => path, ctx, report);
        return 0;
      }
    }
  };

  const ref = (name: string, path: string) => {
    const known = refInfo.get(name);
    if (known) return known;
    if (onStack.includes(name)) {
      const cycle = [...onStack.slice(onStack.indexOf(name)), name].join(' → ');
      report('REF_CYCLE', path, `refs form a cycle: ${cycle}`);
      return undefined;
    }
    onStack.push(name);
    const scan: Scan = { atoms: new Set(), refs: new Set(), ids: new Set() };
    const height = visit(refs[name], `#${name}`, name, scan);
    onStack.pop();
    const info = { height, atoms: scan.atoms, refs: scan.refs };
    refInfo.set(name, info);
    return info;
  };

  const root = (rule: unknown, path: string, scope: string | undefined) => {
    const scan: Scan = { atoms: new Set(), refs: new Set(), ids: new Set() };
    const height = visit(rule, path, scope, scan);
    if (height > limits.maxDepth)
      report('LIMIT_EXCEEDED', path, `nested ${height} deep (limit ${limits.maxDepth})`);
    if (scan.atoms.size > limits.maxAtoms) {
      report('LIMIT_EXCEEDED', path, `${scan.atoms.size} atoms (limit ${limits.maxAtoms})`);
    }
    if (scan.refs.size > limits.maxRefs)
      report('LIMIT_EXCEEDED', path, `${scan.refs.size} refs (limit ${limits.maxRefs})`);
  };

  /** Atoms that must all hold together: direct children of an `all`, and of `all`s nested in it. */
  const conjuncts = (children: readonly Cond[], out: Atom[]): Atom[] => {
    for (const c of children) {
      const kind = condKind(c);
      if (kind === 'atom') out.push(c as Atom);
      else if (kind === 'all' && Array.isArray((c as { all: unknown }).all))
        conjuncts((c as { all: Cond[] }).all, out);
    }
    return out;
  };

  const checkContradictions = (children: readonly Cond[], path: string, scope: string | undefined) => {
    const silent: Report = () => {};
    const byFact = new Map<string, ResolvedAtom[]>();
    for (const atom of conjuncts(children, [])) {
      const r = resolveAtom(atom, String(atom.id), () => path, ctx, silent);
      // An atom that is true on a missing fact can hold whatever the other atoms say.
      if (!r || r.onMissing === 'true') continue;
      const list = byFact.get(atom.fact) ?? [];
      list.push(r);
      byFact.set(atom.fact, list);
    }
    for (const [fact, atoms] of byFact) {
      if (atoms.length < 2) continue;
      const why = contradiction(atoms);
      if (why) {
        const ids = atoms.map((a) => (scope === undefined ? a.atom.id : `${scope}/${a.atom.id}`)).join(', ');
        report('CONTRADICTORY_RANGE', path, `conditions ${ids} on ${fact} can never hold together: ${why}`);
      }
    }
  };

  return { issues, root, ref };
}

/** Why these atoms on one fact cannot all be true for any value, or `undefined` if they can. */
function contradiction(atoms: readonly ResolvedAtom[]): string | undefined {
  const hasMissing = atoms.some((a) => a.op === 'missing');
  if (hasMissing && atoms.some((a) => a.op !== 'missing'))
    return 'the fact must be missing and present at once';
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  let allowed: Set<Normalized> | undefined;
  const excluded = new Set<Normalized>();
  const tighten = (b: Bound, isLower: boolean) => {
    const cur = isLower ? lower : upper;
    const better =
      cur === undefined ||
      (isLower ? b.value > cur.value : b.value < cur.value) ||
      (b.value === cur.value && b.strict && !cur.strict);
    if (!better) return;
    if (isLower) lower = b;
    else upper = b;
  };
  const allow = (values: Iterable<Normalized>) => {
    const next = new Set(values);
    allowed = allowed === undefined ? next : new Set([...allowed].filter((x) => next.has(x)));
  };
  for (const a of atoms) {
    if (
      Number.isNaN(a.lo) &&
      ['lt', 'lte', 'gt', 'gte', 'between', 'dateBetween', 'daysSinceLte'].includes(a.op)
    ) {
      continue; // operand depends on a parameter or date not known here
    }
    switch (a.op) {
      case 'eq':
      case 'isTrue':
      case 'isFalse':
        if (a.scalar !== undefined) allow([a.scalar]);
        break;
      case 'in':
        if (a.list) allow(a.list);
        break;
      case 'ne':
        if (a.scalar !== undefined) excluded.add(a.scalar);
        break;
      case 'notIn':
        for (const x of a.list ?? []) excluded.add(x);
        break;
      case 'gt':
      case 'gte':
        tighten({ value: a.lo, strict: a.op === 'gt' }, true);
        break;
      case 'lt':
      case 'lte':
        tighten({ value: a.lo, strict: a.op === 'lt' }, false);
        break;
      case 'between':
      case 'dateBetween':
      case 'daysSinceLte':
        tighten({ value: a.lo, strict: false }, true);
        tighten({ value: a.hi, strict: false }, false);
        break;
      default:
        break;
    }
  }
  const inBounds = (x: Normalized) =>
    typeof x !== 'number' ||
    ((lower === undefined || (lower.strict ? x > lower.value : x >= lower.value)) &&
      (upper === undefined || (upper.strict ? x < upper.value : x <= upper.value)));
  if (allowed !== undefined) {
    const left = [...allowed].filter((x) => !excluded.has(x) && inBounds(x));
    return left.length === 0 ? 'no value satisfies all of them' : undefined;
  }
  if (lower !== undefined && upper !== undefined) {
    if (lower.value > upper.value || (lower.value === upper.value && (lower.strict || upper.strict))) {
      const show = (x: number) => (atoms[0]!.def.type === 'date' ? isoDateOfDay(x) : String(x));
      return `the range is empty (${show(lower.value)} … ${show(upper.value)})`;
    }
  }
  return undefined;
}
