/**
 * The rule tree in the browser: checking what an author typed (JSON → the contracts' schema → the fact
 * catalogue) and showing it readably. The server's `publishIssues` decides; this only shows problems early.
 */
import {
  type Criteria,
  type RuleCond,
  RuleCondSchema,
  RuleTestSchema,
  type SERVICE_TIERS,
  TIER_LABELS,
  type TierTable,
  TierTableSchema,
  WHITELIST_FACTS,
  type WhitelistFactDef,
} from '@sibao/contracts';
import { OP_SPECS } from '@sibao/rules';
import { Tag, Typography } from 'antd';
import { z } from 'zod';
import type { I18n } from '../../i18n';
import type { MessageKey } from '../../messages';

type Atom = Extract<RuleCond, { fact: string }>;

/** Which fact types each operator applies to: the rules engine's own table, so the editor cannot drift from it. */
const OP_TYPES = Object.fromEntries(Object.entries(OP_SPECS).map(([op, spec]) => [op, spec.types])) as Record<
  Atom['op'],
  readonly string[]
>;

const FACTS: Record<string, WhitelistFactDef> = WHITELIST_FACTS;

export const TestsSchema = z.array(RuleTestSchema).max(100);

/** What one JSON box holds: the parsed value when it fits the schema, else the reasons. */
export interface Checked<T> {
  value: T | undefined;
  errors: string[];
}

export function checkJson<T>(text: string, schema: z.ZodType<T>, t: I18n['t']): Checked<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { value: undefined, errors: [t('crit.json.syntax', { error: (error as Error).message })] };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { value: parsed.data, errors: [] };
  return {
    value: undefined,
    errors: parsed.error.issues
      .slice(0, 8)
      .map((issue) => t('crit.json.shape', { path: `/${issue.path.join('/')}`, message: issue.message })),
  };
}

/** Facts not in the catalogue and operators that do not fit their fact: what publishing would refuse. */
export function catalogueProblems(cond: RuleCond, path: string, t: I18n['t']): string[] {
  if ('all' in cond) return cond.all.flatMap((child, n) => catalogueProblems(child, `${path}/all/${n}`, t));
  if ('any' in cond) return cond.any.flatMap((child, n) => catalogueProblems(child, `${path}/any/${n}`, t));
  if ('not' in cond) return catalogueProblems(cond.not, `${path}/not`, t);
  const def = FACTS[cond.fact];
  if (!def) return [t('crit.unknownFact', { path, fact: cond.fact })];
  if (!OP_TYPES[cond.op].includes(def.type)) return [t('crit.badOp', { path, fact: cond.fact, op: cond.op })];
  return [];
}

function valueText(atom: Atom, i18n: I18n): string {
  const def = FACTS[atom.fact];
  const one = (value: unknown): string => {
    if (value && typeof value === 'object' && 'param' in value)
      return i18n.t('crit.param', { param: String((value as { param: string }).param) });
    if (typeof value === 'boolean') return i18n.t(value ? 'crit.yes' : 'crit.no');
    const label = typeof value === 'string' ? def?.values?.[value] : undefined;
    return label ? i18n.pick(label) : String(value);
  };
  if (atom.value === undefined) return '';
  const text = Array.isArray(atom.value) ? atom.value.map(one).join('、') : one(atom.value);
  return def?.unit && !Array.isArray(atom.value) && typeof atom.value === 'number'
    ? `${text} ${i18n.pick(def.unit)}`
    : text;
}

/** One condition as a nested list an official can read: groups, then "fact op value". */
export function RuleView({ cond, i18n }: { cond: RuleCond; i18n: I18n }) {
  const { t, pick } = i18n;
  const group = (key: MessageKey, children: RuleCond[]) => (
    <div className="crit-group">
      <Typography.Text strong>{t(key)}</Typography.Text>
      <ul>
        {children.map((child, n) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a rule's children have no identity but their place
          <li key={n}>
            <RuleView cond={child} i18n={i18n} />
          </li>
        ))}
      </ul>
    </div>
  );
  if ('all' in cond) return group('crit.all', cond.all);
  if ('any' in cond) return group('crit.any', cond.any);
  if ('not' in cond) return group('crit.not', [cond.not]);
  const def = FACTS[cond.fact];
  const filled = formOpOf(cond) === 'filled';
  return (
    <span>
      {def ? pick(def.label) : <Tag color="error">{cond.fact}</Tag>}{' '}
      {filled ? t('crit.form.op.filled') : `${t(`crit.op.${cond.op}`)} ${valueText(cond, i18n)}`}
    </span>
  );
}

/** What the editor edits besides the texts: the rule, the tier table and the rule tests. */
export interface CriteriaDoc {
  title: string;
  managementText: string;
  rule: RuleCond;
  tierTable: TierTable;
  tests: z.infer<typeof TestsSchema>;
}

/** The criteria a new draft starts from: the given version's content, or a one-criterion example. */
export function draftTemplate(from: Criteria | undefined): CriteriaDoc {
  if (from)
    return {
      title: from.title,
      managementText: from.managementText,
      rule: from.rule,
      tierTable: from.tierTable,
      tests: from.tests,
    };
  return {
    title: '',
    managementText: '',
    rule: {
      all: [
        { id: 'closed_loop', fact: 'closedLoopMode', op: 'in', value: ['bubble', 'two_points_one_line'] },
      ],
    } satisfies RuleCond,
    tierTable: { rows: [], otherwise: 'county' } satisfies z.input<typeof TierTableSchema>,
    tests: [
      {
        name: '气泡式闭环达标',
        asOf: '2022-05-25',
        facts: { closedLoopMode: 'bubble' },
        expect: { status: 'eligible' },
      },
    ] satisfies z.input<typeof TestsSchema>,
  };
}

export const tierLabel = (tier: (typeof SERVICE_TIERS)[number], i18n: I18n) => i18n.pick(TIER_LABELS[tier]);
export type { RuleCond };
export { RuleCondSchema, TierTableSchema };

// ---------------------------------------------------------------------------------------------------------
// The form builder's model: the rule as a list of criteria, each an atom the form edits (or a composite
// condition it shows and leaves to the JSON view), and the tier table as rows of atoms.

export type { Atom };
export type FactName = keyof typeof WHITELIST_FACTS;
export const FACT_NAMES = Object.keys(WHITELIST_FACTS) as FactName[];
export const factDef = (fact: string): WhitelistFactDef | undefined => FACTS[fact];

/** `ne ''` on a text fact reads "is given": the form offers it as its own choice. */
export type FormOp = Atom['op'] | 'filled';

/** The operators the form offers for a fact type, most useful first. */
const FORM_OPS: Record<WhitelistFactDef['type'], FormOp[]> = {
  number: ['gte', 'lte', 'gt', 'lt', 'eq', 'between'],
  boolean: ['isTrue', 'isFalse'],
  enum: ['in', 'notIn', 'eq', 'ne'],
  string: ['filled', 'eq', 'ne'],
  date: ['gte', 'lte', 'dateBetween', 'daysSinceLte'],
  list: ['containsAny'],
};

export function formOpOf(atom: Atom): FormOp {
  return atom.op === 'ne' && atom.value === '' && factDef(atom.fact)?.type === 'string' ? 'filled' : atom.op;
}

/** The operators offered for a fact, with the atom's current one kept even when it is not the usual. */
export function opsFor(fact: string, current?: FormOp): FormOp[] {
  const def = factDef(fact);
  const ops = def ? [...FORM_OPS[def.type]] : [];
  if (current && !ops.includes(current)) ops.push(current);
  return ops;
}

/** What a value input edits for an operator: nothing, one value, a list, or a range of two. */
export function operandOf(op: FormOp): 'none' | 'scalar' | 'list' | 'range' {
  if (op === 'filled') return 'none';
  const shape = OP_SPECS[op].operand;
  return shape === 'days' ? 'scalar' : shape;
}

/** A param reference ({ param }) cannot be edited in the form; it is shown and kept. */
export const hasParam = (value: unknown): boolean =>
  Array.isArray(value)
    ? value.some(hasParam)
    : typeof value === 'object' && value !== null && 'param' in value;

/** Reshapes an atom for a new operator, keeping what still fits of the old value. */
export function withOp(atom: Atom, op: FormOp): Atom {
  const { value: old, ...rest } = atom;
  if (op === 'filled') return { ...rest, op: 'ne', value: '' };
  const shape = operandOf(op);
  if (shape === 'none') return { ...rest, op };
  if (shape === 'list') {
    const list = Array.isArray(old) ? old : old === undefined || old === '' ? [] : [old];
    return { ...rest, op, value: list };
  }
  if (shape === 'range') {
    const first = Array.isArray(old) ? old[0] : old;
    const second = Array.isArray(old) ? old[1] : undefined;
    return { ...rest, op, value: [first, second] as Atom['value'] };
  }
  const one = Array.isArray(old) ? old[0] : old;
  return one === undefined || one === '' ? { ...rest, op } : { ...rest, op, value: one };
}

/** The label an official reads as an atom id: the fact's Chinese label without spaces or "/". */
export function labelOf(fact: string): string {
  const def = factDef(fact);
  return (def ? def.label.zh : fact).replace(/[\s/]+/g, '').slice(0, 64) || fact;
}

/** A label not yet used, adding 2, 3 … when it is. */
export function freshLabel(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`;
}

/** A new criterion on a fact, with the fact's first operator. */
export function newAtom(fact: string, taken: Iterable<string>): Atom {
  const ops = opsFor(fact);
  return withOp({ id: freshLabel(labelOf(fact), taken), fact, op: 'eq' }, ops[0] ?? 'eq');
}

/** Changes an atom's fact: the operator and value start afresh, and an id that was the old default follows. */
export function withFact(atom: Atom, fact: string, taken: Iterable<string>): Atom {
  const others = [...taken].filter((id) => id !== atom.id);
  const fresh = newAtom(fact, others);
  const base = labelOf(atom.fact);
  const wasDefault = atom.id.startsWith(base) && /^\d*$/.test(atom.id.slice(base.length));
  const { onMissing } = atom;
  return { ...fresh, id: wasDefault ? fresh.id : atom.id, ...(onMissing ? { onMissing } : {}) };
}

/** What is wrong with an atom's id in the form: empty, spaces or "/", or used twice. */
export function idProblem(id: string, duplicate: boolean, t: I18n['t']): string | undefined {
  if (!/^[^/\s]{1,64}$/.test(id)) return t('crit.form.labelBad');
  if (duplicate) return t('crit.form.labelDup', { label: id });
  return undefined;
}

/** Whether the atom still needs a value before it means anything. */
export function valueMissing(atom: Atom): boolean {
  const shape = operandOf(formOpOf(atom));
  if (shape === 'none') return false;
  const v = atom.value;
  if (shape === 'list') return !Array.isArray(v) || v.length === 0;
  if (shape === 'range')
    return !Array.isArray(v) || v.length !== 2 || v.some((x) => x === undefined || x === null);
  return v === undefined || v === null || v === '';
}

/** The top-level criteria of a rule: the children of a top-level `all`, else the rule itself. */
export const criteriaOf = (rule: RuleCond): RuleCond[] => ('all' in rule ? rule.all : [rule]);
export const isAtom = (cond: RuleCond): cond is Atom => 'fact' in cond;

/** Every atom id in a condition tree. */
export function atomIds(cond: RuleCond): string[] {
  if ('all' in cond) return cond.all.flatMap(atomIds);
  if ('any' in cond) return cond.any.flatMap(atomIds);
  if ('not' in cond) return atomIds(cond.not);
  return [cond.id];
}

/** A tier-table row the form can edit: one atom, or an `all` / `any` of atoms. */
export function tierRowAtoms(when: RuleCond): { match: 'all' | 'any'; atoms: Atom[] } | null {
  if (isAtom(when)) return { match: 'all', atoms: [when] };
  if ('all' in when && when.all.every(isAtom)) return { match: 'all', atoms: when.all };
  if ('any' in when && when.any.every(isAtom)) return { match: 'any', atoms: when.any };
  return null;
}

export function tierRowWhen(match: 'all' | 'any', atoms: Atom[]): RuleCond {
  if (atoms.length === 1 && atoms[0]) return atoms[0];
  return match === 'all' ? { all: atoms } : { any: atoms };
}
