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
  return (
    <span>
      {def ? pick(def.label) : <Tag color="error">{cond.fact}</Tag>} {t(`crit.op.${cond.op}`)}{' '}
      {valueText(cond, i18n)}
    </span>
  );
}

/** The criteria a new draft starts from: the given version's content, or a one-criterion example. */
export function draftTemplate(from: Criteria | undefined) {
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
export { RuleCondSchema, TierTableSchema };
