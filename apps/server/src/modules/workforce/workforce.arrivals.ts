import type { ContactStatus, HealthCode, ItineraryCode } from '@sibao/contracts';
import {
  type Catalogue,
  type DecisionTable,
  decide,
  describeTraceEntry,
  type EvaluateOptions,
  evaluate,
  isIsoDate,
  type ParameterSource,
  type ParameterStore,
  toIsoDate,
} from '@sibao/rules';

/**
 * 差异化赋码 (指南 二(四)) for an `arrival`, with 赋码保护 for whitelisted staff (指南 三(二)), as a
 * `@sibao/rules` decision table over the arrival's facts and the parameters in force on the arrival date
 * (Asia/Shanghai). Pure: no I/O; the risk-area table and the parameters are passed in.
 *
 * First matching row wins:
 * 1. `contact` — infected, close or secondary contact → `control` (就地赋码、管控、隔离), at once;
 * 2. `protected` — staff of a whitelisted enterprise (赋码保护): the code stays green and there is no
 *    quarantine, even from a risk area ("除核酸检测阳性、密接、次密接外，免予赋红黄码…原则上不予隔离"), but
 *    the arrival test is still required ("在严格落实健康监测、核酸检测的基础上");
 * 3. `risk_area` — origin county medium/high-risk or under static management on the arrival date → red
 *    code and `central_quarantine` for `arrivals.quarantineDays`;
 * 4. `two_codes` — holds 两码一证 (green health code, itinerary normal or starred, a negative sampled within
 *    `workforce.testCadenceHours.default` before arrival — the seed's 48小时核酸阴性证明) → `arrival_test`
 *    within `arrivals.testWithinHours`;
 * otherwise `refer` — no valid 两码一证 and no rule above: the seed is silent, so the platform reports the
 *    person to the local epidemic-prevention office at once and keeps them out (指南 二(三) 分类落实管控措施,
 *    三(三) 严禁红黄码人员…进入企业).
 */

export type RiskLevel = 'low' | 'medium' | 'high' | 'static';
export type ArrivalAction = 'control' | 'central_quarantine' | 'arrival_test' | 'refer';

/**
 * One entry of the imported risk-area table: a county (`410102`), a whole city (`410100`) or a province
 * (`410000`) at a level, valid on the business days `from <= day < to` (`to` null = still in force).
 */
export interface RiskArea {
  readonly code: string;
  readonly level: Exclude<RiskLevel, 'low'>;
  readonly from: string;
  readonly to: string | null;
}

export interface ArrivalFacts {
  readonly arrivedAt: Date;
  readonly originCountyCode: string;
  readonly contactStatus: ContactStatus;
  readonly healthCode: HealthCode;
  readonly itineraryCode: ItineraryCode;
  /** Sample time of the negative they carry, or null. */
  readonly negativeTestSampledAt: Date | null;
  /** Staff of a whitelisted enterprise reported to the provincial platform (赋码保护, 指南 三(二)). */
  readonly whitelistedStaff: boolean;
}

export interface ParameterUse {
  readonly key: string;
  readonly value: number;
  readonly source: ParameterSource;
}

export interface CodeAssignment {
  /** The table row that decided (`otherwise` when none held). */
  readonly rule: 'contact' | 'protected' | 'risk_area' | 'two_codes' | 'otherwise';
  readonly action: ArrivalAction;
  /** What happens to the health code: assigned on the spot by the authority, turned red, or kept. */
  readonly healthCode: 'assign_on_site' | 'red' | 'keep';
  /** 赋码保护: the code must not be turned red or yellow. */
  readonly codeProtected: boolean;
  /** By when the action must be done (control, quarantine transfer and referral: at once, i.e. on arrival). */
  readonly dueAt: Date;
  /** End of the central quarantine, else null. */
  readonly endsAt: Date | null;
  readonly riskLevel: RiskLevel;
  /** The risk-area entry that made the origin risky, if any. */
  readonly riskArea: RiskArea | null;
  /** The parameters read, with values and sources, on the arrival date. */
  readonly parameters: readonly ParameterUse[];
  /** Why, in Chinese, citing the seed. */
  readonly explain: string;
}

export const ARRIVAL_TEST_PARAMETER = 'arrivals.testWithinHours';
export const QUARANTINE_PARAMETER = 'arrivals.quarantineDays';
const CERTIFICATE_PARAMETER = 'workforce.testCadenceHours';

const HOUR_MS = 3_600_000;
const SEVERITY: Readonly<Record<RiskLevel, number>> = { low: 0, static: 1, medium: 2, high: 3 };
const RISK_LABEL: Readonly<Record<RiskLevel, string>> = {
  low: '低风险',
  medium: '中风险地区',
  high: '高风险地区',
  static: '静态管理区域',
};

/** The code prefix an area covers: `410102` → itself, `410100` → `4101`, `410000` → `41`. */
function areaPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/**
 * The risk level of a county on a business date (ISO) from the imported risk-area table: the most severe
 * entry in force that covers the county (itself, its city or its province); `low` when none does.
 * Throws `RangeError` for a malformed entry (a table that cannot be read must not read as "low").
 */
export function riskLevelOn(
  areas: readonly RiskArea[],
  countyCode: string,
  date: string,
): { level: RiskLevel; area: RiskArea | null } {
  let best: { level: RiskLevel; area: RiskArea | null } = { level: 'low', area: null };
  for (const area of areas) {
    if (!/^\d{6}$/.test(area.code) || !isIsoDate(area.from) || (area.to !== null && !isIsoDate(area.to)))
      throw new RangeError(`malformed risk area ${JSON.stringify(area)}`);
    const inForce = area.from <= date && (area.to === null || date < area.to);
    if (
      inForce &&
      countyCode.startsWith(areaPrefix(area.code)) &&
      SEVERITY[area.level] > SEVERITY[best.level]
    )
      best = { level: area.level, area };
  }
  return best;
}

/** The facts the table reads, with their Chinese labels for the explanation. */
export const arrivalCatalogue: Catalogue = {
  facts: {
    contactStatus: {
      type: 'enum',
      label: { zh: '人员判定', en: 'Contact status' },
      values: {
        none: { zh: '无', en: 'none' },
        infected: { zh: '感染者', en: 'infected' },
        close_contact: { zh: '密接', en: 'close contact' },
        secondary_contact: { zh: '次密接', en: 'secondary contact' },
      },
    },
    whitelistedStaff: {
      type: 'boolean',
      label: { zh: '白名单企业员工（赋码保护）', en: 'Whitelisted staff' },
    },
    originRisk: {
      type: 'enum',
      label: { zh: '来源县(市、区)风险等级', en: 'Risk level of the origin county' },
      values: {
        low: { zh: '低风险', en: 'low' },
        medium: { zh: '中风险', en: 'medium' },
        high: { zh: '高风险', en: 'high' },
        static: { zh: '静态管理', en: 'static management' },
      },
    },
    healthCode: {
      type: 'enum',
      label: { zh: '健康码', en: 'Health code' },
      values: { green: { zh: '绿码' }, yellow: { zh: '黄码' }, red: { zh: '红码' } },
    },
    itineraryCode: {
      type: 'enum',
      label: { zh: '行程码', en: 'Itinerary code' },
      values: { normal: { zh: '正常' }, starred: { zh: '带*号' }, abnormal: { zh: '异常' } },
    },
    hoursSinceNegativeTest: {
      type: 'number',
      label: { zh: '核酸阴性采样距到达', en: 'Hours from negative sample to arrival' },
      unit: { zh: '小时', en: 'hours' },
    },
  },
};

interface RowOutput {
  readonly rule: CodeAssignment['rule'];
  readonly action: ArrivalAction;
}

/** The code-assignment table (指南 二(四), 三(二)); see the module comment for each row's reason. */
export const arrivalCodeTable: DecisionTable<RowOutput> = {
  hitPolicy: 'first',
  rows: [
    {
      id: 'contact',
      when: {
        id: 'contact',
        fact: 'contactStatus',
        op: 'in',
        value: ['infected', 'close_contact', 'secondary_contact'],
      },
      output: { rule: 'contact', action: 'control' },
    },
    {
      id: 'protected',
      when: { id: 'protected', fact: 'whitelistedStaff', op: 'isTrue' },
      output: { rule: 'protected', action: 'arrival_test' },
    },
    {
      id: 'risk_area',
      when: { id: 'riskArea', fact: 'originRisk', op: 'in', value: ['medium', 'high', 'static'] },
      output: { rule: 'risk_area', action: 'central_quarantine' },
    },
    {
      id: 'two_codes',
      when: {
        all: [
          { id: 'green', fact: 'healthCode', op: 'eq', value: 'green' },
          { id: 'itinerary', fact: 'itineraryCode', op: 'in', value: ['normal', 'starred'] },
          {
            id: 'certificate',
            fact: 'hoursSinceNegativeTest',
            op: 'between',
            value: [0, { param: CERTIFICATE_PARAMETER, part: 'default' }],
            onMissing: 'false',
          },
        ],
      },
      output: { rule: 'two_codes', action: 'arrival_test' },
    },
  ],
  otherwise: { rule: 'otherwise', action: 'refer' },
};

function numberParam(params: ParameterStore, key: string, date: string): ParameterUse {
  const version = params.versionAt(key, date);
  if (typeof version.value !== 'number') throw new RangeError(`${key} is not a number`);
  return { key, value: version.value, source: version.source };
}

/** `2022-06-01 10:00` in Asia/Shanghai. */
function shanghaiTime(at: Date): string {
  return new Date(at.getTime() + 8 * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Decides the code and the required action for one arrival (指南 二(四), 三(二)): the action, its deadline,
 * the quarantine end, and a Chinese explanation. Both arrival parameters are read on the arrival's business
 * date even when the row that decides needs neither: the table is one rule set, in force only while its
 * parameters are. Throws `ParameterNotInForce` outside their validity, `RangeError` for a malformed
 * risk-area table.
 */
export function assignArrivalCode(
  facts: ArrivalFacts,
  riskAreas: readonly RiskArea[],
  params: ParameterStore,
): CodeAssignment {
  const date = toIsoDate(facts.arrivedAt);
  const testWithin = numberParam(params, ARRIVAL_TEST_PARAMETER, date);
  const quarantine = numberParam(params, QUARANTINE_PARAMETER, date);
  const risk = riskLevelOn(riskAreas, facts.originCountyCode, date);
  const arrived = facts.arrivedAt.getTime();
  const row: Record<string, unknown> = {
    contactStatus: facts.contactStatus,
    whitelistedStaff: facts.whitelistedStaff,
    originRisk: risk.level,
    healthCode: facts.healthCode,
    itineraryCode: facts.itineraryCode,
    ...(facts.negativeTestSampledAt
      ? { hoursSinceNegativeTest: (arrived - facts.negativeTestSampledAt.getTime()) / HOUR_MS }
      : {}),
  };
  const options: EvaluateOptions = { asOf: date, catalogue: arrivalCatalogue, params };
  const decision = decide(arrivalCodeTable, row, options);
  const chosen = decision.outputs[0];
  // Every fact is supplied and the only optional one reads as false, so the table always decides.
  if (decision.status !== 'matched' || !chosen) throw new Error('arrival code table did not decide');

  // The trace of the row that decided; for `otherwise`, of the 两码一证 row, to show what was missing.
  const decidingRow = arrivalCodeTable.rows[decision.rows[0] ?? -1] ?? arrivalCodeTable.rows.at(-1)!;
  const trace = evaluate(decidingRow.when, row, options).trace.map((e) =>
    describeTraceEntry(e, arrivalCatalogue, 'zh', date),
  );
  const base = { rule: chosen.rule, action: chosen.action, riskLevel: risk.level, riskArea: risk.area };
  const testDue = new Date(arrived + testWithin.value * HOUR_MS);
  const riskText = risk.area
    ? `来源地 ${facts.originCountyCode} 于 ${date} 属${RISK_LABEL[risk.level]}（${risk.area.code}，自 ${risk.area.from} 起）`
    : '';
  const testText = `须于落地后${testWithin.value}小时内（${shanghaiTime(testDue)} 前）再进行一次核酸检测，在豫期间落实常态化核酸检测`;

  let result: Omit<CodeAssignment, 'explain'> & { lines: string[] };
  switch (chosen.rule) {
    case 'contact':
      result = {
        ...base,
        healthCode: 'assign_on_site',
        codeProtected: false,
        dueAt: new Date(arrived),
        endsAt: null,
        parameters: [],
        lines: [
          '结论：立即管控',
          '来访或返回途中被判定为感染者、密接或次密接，经企业报属地疫情防控机构，第一时间就地赋码、管控、隔离，并结合场所码扫码记录追溯风险人员（指南 二(四)）。',
        ],
      };
      break;
    case 'protected':
      result = {
        ...base,
        healthCode: 'keep',
        codeProtected: true,
        dueAt: testDue,
        endsAt: null,
        parameters: [testWithin],
        lines: [
          '结论：赋码保护，落地核酸检测',
          `白名单企业员工实施赋码保护，除核酸检测阳性、密接、次密接外免予赋红黄码，原则上不予隔离（指南 三(二)）${riskText ? `；${riskText}，亦不赋红码` : ''}。`,
          `${testText}（指南 二(四)）。`,
        ],
      };
      break;
    case 'risk_area': {
      const endsAt = new Date(arrived + quarantine.value * 24 * HOUR_MS);
      result = {
        ...base,
        healthCode: 'red',
        codeProtected: false,
        dueAt: new Date(arrived),
        endsAt,
        parameters: [quarantine],
        lines: [
          '结论：赋红码，集中隔离',
          `${riskText}，赋红码，实施${quarantine.value}天集中隔离，至 ${shanghaiTime(endsAt)} 止（指南 二(四)）。`,
        ],
      };
      break;
    }
    case 'two_codes':
      result = {
        ...base,
        healthCode: 'keep',
        codeProtected: false,
        dueAt: testDue,
        endsAt: null,
        parameters: [testWithin],
        lines: ['结论：落地核酸检测', `持“两码一证”，${testText}，未按要求检测的及时提醒（指南 二(四)）。`],
      };
      break;
    case 'otherwise':
      result = {
        ...base,
        healthCode: 'keep',
        codeProtected: false,
        dueAt: new Date(arrived),
        endsAt: null,
        parameters: [],
        lines: [
          '结论：报属地研判',
          '未持有效“两码一证”（绿码、行程码正常、核酸阴性证明），立即报属地疫情防控机构研判并落实管控措施，不得进入企业（指南 二(三)、三(三)）。',
        ],
      };
      break;
  }
  const { lines, ...assignment } = result;
  return { ...assignment, explain: [...lines, ...trace].join('\n') };
}
