import { isIsoDate, toIsoDate } from './dates';
import { hasOwn, isPlainObject, type Label } from './tree';

/**
 * Effective-dated parameters: every number the seed fixes (48 h, 7 days, 50 %, 7 : 3 …) is a timeline of
 * versions, each valid on the half-open interval `[from, to)`. Asking for a date outside every version is an
 * error (`ParameterNotInForce`), never "the last known value".
 */

export type PartValue = number | string;
export type ParameterValue = number | string | boolean | Readonly<Record<string, PartValue>>;

/**
 * - `number`, `integer`, `ratio` (0…1), `string`, `date` (ISO), `boolean`: one value;
 * - `parts`: named parts, all numbers or all ISO dates (`{ default: 48, mobile: 24 }`);
 * - `split`: named ratios that sum to 1 (`{ province: 0.7, cityCounty: 0.3 }`).
 */
export type ParameterType =
  | 'number'
  | 'integer'
  | 'ratio'
  | 'string'
  | 'date'
  | 'boolean'
  | 'parts'
  | 'split';

export type ParameterUnit = 'hour' | 'day' | 'perDay' | 'person' | 'ratio' | 'date' | 'fen' | 'count';

export const UNIT_LABELS: Readonly<Record<ParameterUnit, Label>> = {
  hour: { zh: '小时', en: 'hours' },
  day: { zh: '天', en: 'days' },
  perDay: { zh: '次/天', en: 'per day' },
  person: { zh: '人', en: 'persons' },
  ratio: { zh: '', en: '' },
  date: { zh: '', en: '' },
  fen: { zh: '分', en: 'fen' },
  count: { zh: '', en: '' },
};

export interface ParameterSource {
  /** The document, e.g. 河南省“四保”企业(项目)疫情防控工作指南. */
  readonly doc: string;
  /** Its section, e.g. 二(一). */
  readonly section: string;
}

export interface ParameterVersion {
  /** ISO date, inclusive. */
  readonly from: string;
  /** ISO date, exclusive; `null` = open-ended. */
  readonly to: string | null;
  readonly value: ParameterValue;
  readonly source: ParameterSource;
  /** Other places in the documents that fix the same value. */
  readonly alsoIn?: readonly ParameterSource[];
  /** 1, 2, 3 … increasing along the timeline. */
  readonly revision: number;
  readonly publishedBy?: string;
}

export interface ParameterTimeline {
  /** Dotted key, `<area>.<name>`: `workforce.testCadenceHours`. */
  readonly key: string;
  readonly label: Label;
  /** Inferred from the first version when absent (a number with unit `ratio` is a `ratio`, an object a `split`). */
  readonly type?: ParameterType;
  readonly unit?: ParameterUnit;
  /** Labels of named parts (`mobile` → 流动性、接触性岗位). */
  readonly parts?: Readonly<Record<string, Label>>;
  readonly versions: readonly ParameterVersion[];
}

export class ParameterNotInForce extends Error {
  override readonly name = 'ParameterNotInForce';
  readonly code = 'PARAMETER_NOT_IN_FORCE';
  constructor(
    readonly key: string,
    readonly date: string,
  ) {
    super(`parameter ${key} is not in force on ${date}`);
  }
}

export class UnknownParameter extends Error {
  override readonly name = 'UnknownParameter';
  readonly code = 'PARAMETER_UNKNOWN';
  constructor(readonly key: string) {
    super(`unknown parameter ${key}`);
  }
}

export class InvalidParameters extends Error {
  override readonly name = 'InvalidParameters';
  readonly code = 'PARAMETERS_INVALID';
  constructor(readonly issues: readonly ParameterIssue[]) {
    super(`invalid parameters: ${issues.map((i) => `${i.key}: ${i.message}`).join('; ')}`);
  }
}

export type ParameterIssueCode =
  | 'BAD_KEY'
  | 'DUPLICATE_KEY'
  | 'NO_VERSIONS'
  | 'BAD_DATE'
  | 'BAD_INTERVAL'
  | 'OVERLAP'
  | 'GAP'
  | 'BAD_TYPE'
  | 'SPLIT_NOT_ONE'
  | 'BAD_REVISION'
  | 'BAD_SOURCE';

export interface ParameterIssue {
  readonly key: string;
  readonly code: ParameterIssueCode;
  /** Overlaps and bad values are errors; a gap between versions is a warning. */
  readonly severity: 'error' | 'warning';
  readonly version?: number;
  readonly message: string;
}

export interface ParameterStore {
  keys(): string[];
  has(key: string): boolean;
  timeline(key: string): ParameterTimeline | undefined;
  /** The declared or inferred type of a parameter. Throws `UnknownParameter`. */
  typeOf(key: string): ParameterType;
  /** The version in force on `date`. Throws `UnknownParameter` or `ParameterNotInForce`. */
  versionAt(key: string, date: string | Date): ParameterVersion;
  /** The value in force on `date`. Throws `UnknownParameter` or `ParameterNotInForce`. */
  valueAt(key: string, date: string | Date): ParameterValue;
}

const KEY = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/;
const SPLIT_TOLERANCE = 1e-9;

/** The type a timeline declares, or the one its first version implies. */
export function parameterTypeOf(t: ParameterTimeline): ParameterType {
  if (t.type) return t.type;
  const v = t.versions[0]?.value;
  if (typeof v === 'number') return t.unit === 'ratio' ? 'ratio' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return isIsoDate(v) ? 'date' : 'string';
  return t.unit === 'ratio' ? 'split' : 'parts';
}

function valueProblem(
  type: ParameterType,
  v: ParameterValue,
): { code: ParameterIssueCode; msg: string } | null {
  const bad = (msg: string) => ({ code: 'BAD_TYPE' as const, msg });
  switch (type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : bad('expected a finite number');
    case 'integer':
      return Number.isSafeInteger(v) ? null : bad('expected an integer');
    case 'ratio':
      return typeof v === 'number' && v >= 0 && v <= 1 ? null : bad('expected a ratio between 0 and 1');
    case 'string':
      return typeof v === 'string' ? null : bad('expected a string');
    case 'date':
      return isIsoDate(v) ? null : bad('expected an ISO date');
    case 'boolean':
      return typeof v === 'boolean' ? null : bad('expected a boolean');
    case 'parts': {
      if (!isPlainObject(v) || Object.keys(v).length === 0) return bad('expected an object with named parts');
      const parts = Object.values(v);
      const numbers = parts.every((p) => typeof p === 'number' && Number.isFinite(p));
      const dates = parts.every((p) => isIsoDate(p));
      return numbers || dates ? null : bad('parts must be all numbers or all ISO dates');
    }
    case 'split': {
      if (!isPlainObject(v) || Object.keys(v).length === 0)
        return bad('expected an object with named shares');
      const shares = Object.values(v);
      if (!shares.every((p) => typeof p === 'number' && p >= 0 && p <= 1)) {
        return bad('shares must be ratios between 0 and 1');
      }
      const sum = (shares as number[]).reduce((a, b) => a + b, 0);
      return Math.abs(sum - 1) <= SPLIT_TOLERANCE
        ? null
        : { code: 'SPLIT_NOT_ONE', msg: `shares sum to ${sum}` };
    }
  }
}

/**
 * Checks parameter timelines: key format and uniqueness, ISO dates, `from < to`, overlapping versions
 * (error), gaps between versions (warning), values of the wrong type, splits not summing to 1, parts that
 * change names between versions, revisions not increasing, missing sources.
 */
export function lintParameters(timelines: readonly ParameterTimeline[]): ParameterIssue[] {
  const issues: ParameterIssue[] = [];
  const seen = new Set<string>();
  for (const t of timelines) {
    const key = t.key;
    const err = (code: ParameterIssueCode, message: string, version?: number) =>
      issues.push({ key, code, severity: code === 'GAP' ? 'warning' : 'error', message, version });
    if (!KEY.test(key)) err('BAD_KEY', 'key must be dotted camelCase, like workforce.testCadenceHours');
    if (seen.has(key)) err('DUPLICATE_KEY', 'key appears more than once');
    seen.add(key);
    if (t.versions.length === 0) {
      err('NO_VERSIONS', 'a timeline needs at least one version');
      continue;
    }
    const type = parameterTypeOf(t);
    let firstPartNames: string | undefined;
    t.versions.forEach((v, i) => {
      if (!isIsoDate(v.from)) err('BAD_DATE', `from ${String(v.from)} is not an ISO date`, i);
      if (v.to !== null && !isIsoDate(v.to)) err('BAD_DATE', `to ${String(v.to)} is not an ISO date`, i);
      else if (v.to !== null && isIsoDate(v.from) && v.to <= v.from) {
        err('BAD_INTERVAL', `to ${v.to} is not after from ${v.from}`, i);
      }
      const problem = valueProblem(type, v.value);
      if (problem) err(problem.code, problem.msg, i);
      if ((type === 'parts' || type === 'split') && isPlainObject(v.value)) {
        const names = Object.keys(v.value).sort().join(',');
        firstPartNames ??= names;
        if (names !== firstPartNames) err('BAD_TYPE', `parts ${names} differ from ${firstPartNames}`, i);
        const labelled = t.parts ? Object.keys(t.parts).sort().join(',') : names;
        if (labelled !== names) err('BAD_TYPE', `part labels ${labelled} do not match parts ${names}`, i);
      }
      if (!Number.isSafeInteger(v.revision) || v.revision < 1) {
        err('BAD_REVISION', 'revision must be a positive integer', i);
      }
      if (!v.source?.doc || !v.source.section) err('BAD_SOURCE', 'source needs doc and section', i);
    });
    const ordered = t.versions
      .map((v, i) => ({ v, i }))
      .filter(({ v }) => isIsoDate(v.from))
      .sort((a, b) => (a.v.from < b.v.from ? -1 : a.v.from > b.v.from ? 1 : 0));
    for (let k = 1; k < ordered.length; k++) {
      const prev = ordered[k - 1]!;
      const next = ordered[k]!;
      if (prev.v.to === null || prev.v.to > next.v.from) {
        err(
          'OVERLAP',
          `version ${prev.i} (${prev.v.from}…${prev.v.to ?? '∞'}) overlaps ${next.v.from}`,
          next.i,
        );
      } else if (prev.v.to < next.v.from) {
        err('GAP', `no version in force from ${prev.v.to} to ${next.v.from}`, next.i);
      }
      if (next.v.revision <= prev.v.revision) {
        err('BAD_REVISION', 'revisions must increase along the timeline', next.i);
      }
    }
  }
  return issues;
}

/**
 * Builds the registry. Throws `InvalidParameters` when `lintParameters` reports an error (gaps are allowed:
 * inside a gap the parameter is simply not in force).
 */
export function createParameterStore(timelines: readonly ParameterTimeline[]): ParameterStore {
  const errors = lintParameters(timelines).filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new InvalidParameters(errors);
  const byKey = new Map<string, ParameterTimeline>();
  const types = new Map<string, ParameterType>();
  for (const t of timelines) {
    byKey.set(t.key, t);
    types.set(t.key, parameterTypeOf(t));
  }
  const timelineOf = (key: string): ParameterTimeline => {
    const t = byKey.get(key);
    if (!t) throw new UnknownParameter(key);
    return t;
  };
  const versionAt = (key: string, date: string | Date): ParameterVersion => {
    const t = timelineOf(key);
    const day = toIsoDate(date);
    for (const v of t.versions) {
      if (v.from <= day && (v.to === null || day < v.to)) return v;
    }
    throw new ParameterNotInForce(key, day);
  };
  return {
    keys: () => [...byKey.keys()],
    has: (key) => byKey.has(key),
    timeline: (key) => byKey.get(key),
    typeOf: (key) => {
      timelineOf(key);
      return types.get(key)!;
    },
    versionAt,
    valueAt: (key, date) => versionAt(key, date).value,
  };
}

/** A named part of a `parts` or `split` value; throws `RangeError` when it has no such part. */
export function partOf(value: ParameterValue, part: string): PartValue {
  if (!isPlainObject(value) || !hasOwn(value, part)) throw new RangeError(`no part ${part}`);
  return value[part] as PartValue;
}
