import {
  type CriteriaBody,
  type CriteriaResult,
  type RuleCond,
  SECTOR_LABELS,
  type Sector,
  type ServiceTier,
  type TierTable,
  WHITELIST_FACTS,
  type WhitelistAnswers,
} from '@sibao/contracts';
import {
  type Catalogue,
  type Cond,
  checkPublishable,
  type DecisionTable,
  decide,
  describeTraceEntry,
  type EvaluateOptions,
  evaluate,
  explain,
  type FactRow,
  groupDigits,
  type ParameterStore,
  type RuleTest,
  validateRule,
} from '@sibao/rules';

/** The fact catalogue of whitelist criteria, as `@sibao/rules` reads it. */
export const whitelistCatalogue: Catalogue = { facts: WHITELIST_FACTS };

export interface EnterpriseFacts {
  kind: string;
  headcount: number;
  annualValueFen: number;
  cityOperations: boolean;
}

/**
 * One applicant's facts: the registry's (headcount, output value in 万元, city operations), the answers, and
 * the derived ones (beds per employee, linked to a listed enterprise). An answer left out stays missing, so
 * the criteria it feeds are undetermined rather than failed.
 */
export function applicationFacts(
  enterprise: EnterpriseFacts,
  answers: WhitelistAnswers,
  linkedToListed: boolean,
): FactRow {
  const facts: Record<string, unknown> = {
    kind: enterprise.kind,
    headcount: enterprise.headcount,
    annualValueWan: enterprise.annualValueFen / 1_000_000,
    cityOperations: enterprise.cityOperations,
    linkedToListed,
    ...answers,
  };
  if (answers.dormitoryBeds !== undefined && enterprise.headcount > 0)
    facts.dormitoryBedRatio = Math.round((answers.dormitoryBeds / enterprise.headcount) * 1000) / 1000;
  return facts;
}

function tierTableOf(table: TierTable): DecisionTable<ServiceTier> {
  return {
    hitPolicy: 'first',
    rows: table.rows.map((r) => ({ when: r.when as Cond, output: r.output })),
    otherwise: table.otherwise,
  };
}

/** The top-level criteria of a rule: the children of a top-level `all`, else the rule itself. */
function criteriaOf(rule: RuleCond): RuleCond[] {
  return 'all' in rule ? rule.all : [rule];
}

/**
 * 达标即入: evaluates the published criteria at once — the status, what is missing (with Chinese labels), each
 * criterion's outcome and reason in Chinese, the whole explanation, and the tier the decision table assigns.
 */
export function evaluateCriteria(
  criteria: { id: string; version: number; rule: RuleCond; tierTable: TierTable },
  facts: FactRow,
  asOf: string,
  params: ParameterStore,
): CriteriaResult {
  const options: EvaluateOptions = { asOf, catalogue: whitelistCatalogue, params };
  const result = evaluate(criteria.rule as Cond, facts, options);
  const perCriterion = criteriaOf(criteria.rule).map((c, i) => {
    const r = evaluate(c as Cond, facts, options);
    const outcome = r.status === 'eligible' ? 'met' : r.status === 'ineligible' ? 'not_met' : 'unknown';
    const reason =
      'op' in c && r.trace[0]
        ? describeTraceEntry(r.trace[0], whitelistCatalogue, 'zh', r.asOf)
        : explain(r, whitelistCatalogue).split('\n').slice(1).join('；');
    return { id: 'id' in c ? c.id : `#${i + 1}`, outcome: outcome as 'met' | 'not_met' | 'unknown', reason };
  });
  const tier = decide(tierTableOf(criteria.tierTable), facts, options);
  return {
    status: result.status,
    criteriaId: criteria.id,
    criteriaVersion: criteria.version,
    asOf: result.asOf,
    missing: result.missing.map((fact) => ({
      fact,
      label: whitelistCatalogue.facts[fact]?.label.zh ?? fact,
    })),
    criteria: perCriterion,
    explanation: explain(result, whitelistCatalogue),
    suggestedTier: tier.status === 'matched' ? (tier.outputs[0] ?? null) : null,
  };
}

export interface PublishIssue {
  path: string;
  code: string;
  message: string;
}

/**
 * What publishing requires: the rule and every tier-table row validate (`validateRule`), and the rule's own
 * tests all pass (`runRuleTests`, through `checkPublishable`). Returns the problems, or [] when publishable.
 */
export function publishIssues(
  criteria: { rule: RuleCond; tests: CriteriaBody['tests']; tierTable: TierTable },
  params: ParameterStore,
): PublishIssue[] {
  const check = checkPublishable(
    { id: 'criteria', when: criteria.rule as Cond, tests: criteria.tests as RuleTest[] },
    { catalogue: whitelistCatalogue, params },
  );
  const issues: PublishIssue[] = check.issues.map((i) => ({
    path: `rule${i.path}`,
    code: i.code,
    message: i.message,
  }));
  criteria.tierTable.rows.forEach((row, n) => {
    for (const i of validateRule(row.when, whitelistCatalogue, { params }))
      issues.push({ path: `tierTable/rows/${n}${i.path}`, code: i.code, message: i.message });
  });
  if (check.tests.total === 0)
    issues.push({ path: 'tests', code: 'TESTS_REQUIRED', message: 'at least one rule test is required' });
  for (const t of check.tests.results)
    if (!t.passed)
      issues.push({ path: `tests/${t.name}`, code: 'TEST_FAILED', message: t.failures.join('; ') });
  return issues;
}

const OP_TEXT: Record<string, string> = {
  eq: '为',
  ne: '不为',
  in: '属于',
  notIn: '不属于',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  between: '介于',
};

function valueText(fact: string, value: unknown): string {
  const def = whitelistCatalogue.facts[fact];
  const one = (v: unknown) => {
    if (v && typeof v === 'object' && 'param' in v) return `参数 ${(v as { param: string }).param}`;
    if (typeof v === 'number') return `${groupDigits(v)}${def?.unit ? ` ${def.unit.zh}` : ''}`;
    if (typeof v === 'string' && def?.values?.[v]) return def.values[v].zh;
    return String(v);
  };
  return Array.isArray(value) ? value.map(one).join('、') : one(value);
}

/** A criterion in Chinese without any applicant's facts, for the public criteria page. */
export function describeCriterion(c: RuleCond): string {
  if ('all' in c) return `同时满足：${c.all.map(describeCriterion).join('；')}`;
  if ('any' in c) return `满足其一：${c.any.map(describeCriterion).join('；')}`;
  if ('not' in c) return `不满足：${describeCriterion(c.not)}`;
  const label = whitelistCatalogue.facts[c.fact]?.label.zh ?? c.fact;
  if (c.op === 'isTrue') return `${label}：是`;
  if (c.op === 'isFalse') return `${label}：否`;
  if (c.op === 'exists') return `已填报${label}`;
  if (c.op === 'missing') return `未填报${label}`;
  if (c.op === 'ne' && c.value === '') return `已填报${label}`;
  return `${label} ${OP_TEXT[c.op] ?? c.op} ${valueText(c.fact, c.value)}`;
}

export function describeCriteria(rule: RuleCond): string[] {
  return criteriaOf(rule).map(describeCriterion);
}

/**
 * The standard criteria of the guideline (指南 二(七) 常态常备, 三(三) 闭环管理) for a sector — the demo
 * publishes them, and tests start from them. Departments edit their own versions.
 */
export function standardCriteria(sector: Sector): CriteriaBody {
  const label = SECTOR_LABELS[sector].zh;
  const twoPoints = sector === 'commerce' || sector === 'transport' || sector === 'city_operations';
  const rule: RuleCond = {
    all: [
      { id: 'taskForce', fact: 'taskForce', op: 'isTrue' },
      { id: 'taskForceLeader', fact: 'taskForceLeader', op: 'ne', value: '' },
      { id: 'closedLoop', fact: 'closedLoopMode', op: 'in', value: ['bubble', 'two_points_one_line'] },
      twoPoints
        ? {
            any: [
              { id: 'beds', fact: 'dormitoryBedRatio', op: 'gte', value: 0.5 },
              { id: 'twoPoints', fact: 'closedLoopMode', op: 'eq', value: 'two_points_one_line' },
            ],
          }
        : { id: 'beds', fact: 'dormitoryBedRatio', op: 'gte', value: 0.8 },
      { id: 'canteen', fact: 'canteen', op: 'isTrue' },
      { id: 'stockpile', fact: 'stockpileDays', op: 'gte', value: 14 },
      { id: 'observation', fact: 'observationRooms', op: 'gte', value: 1 },
      { id: 'sampling', fact: 'samplingArrangement', op: 'in', value: ['own_booth', 'local_network'] },
      { id: 'emergencyPlan', fact: 'emergencyPlan', op: 'isTrue' },
    ],
  };
  const good = {
    headcount: 200,
    taskForce: true,
    taskForceLeader: '王副总经理',
    closedLoopMode: 'bubble',
    dormitoryBedRatio: 1,
    canteen: true,
    stockpileDays: 21,
    observationRooms: 3,
    samplingArrangement: 'local_network',
    emergencyPlan: true,
  };
  return {
    sector,
    title: `${label}领域“四保”白名单遴选标准`,
    rule,
    tests: [
      { name: '全部达标', asOf: '2022-06-01', facts: good, expect: { status: 'eligible' } },
      {
        name: '未设立防疫专班',
        asOf: '2022-06-01',
        facts: { ...good, taskForce: false },
        expect: { status: 'ineligible' },
      },
      {
        name: '未填报物资储备天数',
        asOf: '2022-06-01',
        facts: Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'stockpileDays')),
        expect: { status: 'undetermined', missing: ['stockpileDays'] },
      },
    ],
    tierTable: {
      rows: [
        {
          when: {
            any: [
              { id: 'provinceValue', fact: 'annualValueWan', op: 'gte', value: 500_000 },
              { id: 'provinceStaff', fact: 'headcount', op: 'gte', value: 5_000 },
            ],
          },
          output: 'province',
        },
        { when: { id: 'cityValue', fact: 'annualValueWan', op: 'gte', value: 50_000 }, output: 'city' },
      ],
      otherwise: 'county',
    },
    managementText: [
      `一、适用范围：本省${label}领域自愿申报纳入“四保”白名单的企业(项目)。`,
      '二、申报条件：落实疫情防控专班和班子成员专职负责，具备闭环管理条件(宿舍、食堂等生活保障设施)，防疫物资储备不少于14天，设置临时留观点，核酸采样有安排，制定应急处置预案。',
      '三、动态管理：行业主管部门会同疫情防控指挥部办公室定期抽查，未按要求落实防控措施导致疫情输入(扩散)的，及时移出白名单(熔断)。',
      '四、分级保障：年产值(投资额)50亿元以上或员工5000人以上的由省级保障，5亿元以上的由市级保障，其余由县级保障。',
    ].join('\n'),
  };
}
