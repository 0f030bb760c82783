/**
 * The rule language: plain JSON trees an official can build in a web form. No code, no regular expressions,
 * no JSON paths — facts are named columns of the fact catalogue, values are literals or `{ param }` references.
 */

/** A text in Chinese (always) and English (optional). */
export interface Label {
  readonly zh: string;
  readonly en?: string;
}

export type Locale = 'zh' | 'en';

export const OPS = [
  'eq',
  'ne',
  'in',
  'notIn',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'isTrue',
  'isFalse',
  'exists',
  'missing',
  'dateBetween',
  'daysSinceLte',
  'containsAny',
] as const;

export type Op = (typeof OPS)[number];

/** A value taken from the parameter registry at the evaluation date; `part` picks a named part. */
export interface ParamRef {
  readonly param: string;
  readonly part?: string;
}

export type Scalar = number | string | boolean;

export type Operand = Scalar | ParamRef | readonly (Scalar | ParamRef)[];

/**
 * What an atom answers when its fact is missing or wrongly typed: `unknown` (the default, Kleene logic),
 * or an explicit `false` / `true` chosen by the rule's author.
 */
export type OnMissing = 'unknown' | 'false' | 'true';

export interface Atom {
  readonly id: string;
  readonly fact: string;
  readonly op: Op;
  readonly value?: Operand;
  readonly onMissing?: OnMissing;
}

export interface AllCond {
  readonly all: readonly Cond[];
}
export interface AnyCond {
  readonly any: readonly Cond[];
}
export interface NotCond {
  readonly not: Cond;
}
export interface RefCond {
  readonly ref: string;
}

export type Cond = AllCond | AnyCond | NotCond | RefCond | Atom;

/** Named shared conditions, used by `{ ref: name }`. They must form a DAG. */
export type Refs = Readonly<Record<string, Cond>>;

export type FactType = 'number' | 'boolean' | 'string' | 'enum' | 'date' | 'list';

export interface FactDef {
  readonly type: FactType;
  readonly label: Label;
  /** Shown after numbers: `{ zh: '人', en: 'persons' }`. */
  readonly unit?: Label;
  /** For `enum` (required) and `list` (optional): the allowed values and their labels. */
  readonly values?: Readonly<Record<string, Label>>;
}

/** The facts a rule may use, with their types and labels. */
export interface Catalogue {
  readonly facts: Readonly<Record<string, FactDef>>;
}

/** One enterprise's facts (a JSON object); a fact that is absent, `null` or wrongly typed is missing. */
export type FactRow = Readonly<Record<string, unknown>>;

export interface Limits {
  /** Nesting depth of groups, counted through refs. */
  readonly maxDepth: number;
  /** Distinct atoms in a rule plus the refs it reaches. */
  readonly maxAtoms: number;
  /** Children of one group, and items of one value list. */
  readonly maxListSize: number;
  /** Named refs reachable from one rule. */
  readonly maxRefs: number;
}

export const DEFAULT_LIMITS: Limits = { maxDepth: 12, maxAtoms: 256, maxListSize: 500, maxRefs: 128 };

export type RuleErrorCode =
  | 'BAD_SHAPE'
  | 'UNKNOWN_FACT'
  | 'UNKNOWN_PARAM'
  | 'UNKNOWN_REF'
  | 'REF_CYCLE'
  | 'OP_NOT_VALID_FOR_TYPE'
  | 'BAD_VALUE'
  | 'CONTRADICTORY_RANGE'
  | 'DUPLICATE_ID'
  | 'LIMIT_EXCEEDED';

/** Thrown by `evaluate`, `matchAll` and friends when a rule cannot be evaluated at all. */
export class RuleError extends Error {
  override readonly name = 'RuleError';
  constructor(
    readonly code: RuleErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(`${code} at ${path || '/'}: ${message}`);
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const hasOwn = (o: object, key: string): boolean => Object.hasOwn(o, key);

export const isParamRef = (v: unknown): v is ParamRef =>
  isPlainObject(v) && typeof v.param === 'string' && hasOwn(v, 'param');

/** The kind of a condition node, or `undefined` when it has none of the known shapes. */
export function condKind(c: unknown): 'all' | 'any' | 'not' | 'ref' | 'atom' | undefined {
  if (!isPlainObject(c)) return undefined;
  if (hasOwn(c, 'all')) return 'all';
  if (hasOwn(c, 'any')) return 'any';
  if (hasOwn(c, 'not')) return 'not';
  if (hasOwn(c, 'ref')) return 'ref';
  if (hasOwn(c, 'op')) return 'atom';
  return undefined;
}
