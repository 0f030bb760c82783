import { describe, expect, it } from 'vitest';
import {
  type Catalogue,
  checkPublishable,
  createParameterStore,
  henan2022Parameters,
  type PolicyRule,
  runRuleTests,
} from '../src/index';

const catalogue: Catalogue = {
  facts: {
    staff: { type: 'number', label: { zh: '员工人数' }, unit: { zh: '人' } },
    boothCostFen: { type: 'number', label: { zh: '采样屋购置费用' } },
    region: {
      type: 'enum',
      label: { zh: '所在地' },
      values: { city: { zh: '主城区' }, county: { zh: '县(市)' } },
    },
  },
};
const params = createParameterStore(henan2022Parameters);
const context = { catalogue, params };

// 方案 六(二): enterprises of ≥ 1000 staff get 50 % of the booth's purchase price.
const boothSubsidy: PolicyRule = {
  id: 'sampling-booth-subsidy',
  title: { zh: '核酸采样屋购置补贴', en: 'Sampling-booth subsidy' },
  when: { id: 'staff', fact: 'staff', op: 'gte', value: { param: 'subsidies.samplingBoothMinStaff' } },
  amount: { mul: [{ fact: 'boothCostFen' }, { param: 'subsidies.samplingBoothRate' }] },
  tests: [
    {
      name: '1,200 staff get half the price',
      asOf: '2022-06-01',
      facts: { staff: 1200, boothCostFen: 3_000_001 },
      expect: { status: 'eligible', amountFen: 1_500_001 },
    },
    {
      name: 'exactly 1,000 staff qualify',
      asOf: '2022-06-01',
      facts: { staff: 1000 },
      expect: { status: 'eligible' },
    },
    { name: '999 staff do not', asOf: '2022-06-01', facts: { staff: 999 }, expect: { status: 'ineligible' } },
    {
      name: 'unknown staff',
      asOf: '2022-06-01',
      facts: {},
      expect: { status: 'undetermined', missing: ['staff'] },
    },
  ],
};

describe('runRuleTests', () => {
  it('passes a rule whose tests all hold', () => {
    const report = runRuleTests(boothSubsidy, context);
    expect(report).toMatchObject({ passed: true, total: 4, failed: 0 });
    expect(report.results[0]!.actual).toEqual({ status: 'eligible', missing: [], amountFen: 1_500_001 });
  });

  it('reports each mismatch of status, missing facts and amount', () => {
    const broken: PolicyRule = {
      ...boothSubsidy,
      tests: [
        { name: 'wrong status', asOf: '2022-06-01', facts: { staff: 999 }, expect: { status: 'eligible' } },
        {
          name: 'wrong missing',
          asOf: '2022-06-01',
          facts: {},
          expect: { status: 'undetermined', missing: ['boothCostFen'] },
        },
        {
          name: 'wrong amount',
          asOf: '2022-06-01',
          facts: { staff: 1200, boothCostFen: 100 },
          expect: { status: 'eligible', amountFen: 100 },
        },
        {
          name: 'amount unknown',
          asOf: '2022-06-01',
          facts: { staff: 1200 },
          expect: { status: 'eligible', amountFen: 100 },
        },
        {
          name: 'before the documents',
          asOf: '2022-05-01',
          facts: { staff: 1200 },
          expect: { status: 'eligible' },
        },
      ],
    };
    const report = runRuleTests(broken, context);
    expect(report).toMatchObject({ passed: false, total: 5, failed: 5 });
    expect(report.results.map((r) => r.failures)).toEqual([
      ['status: expected eligible, got ineligible'],
      ['missing: expected [boothCostFen], got [staff]'],
      ['amountFen: expected 100, got 50'],
      ['amountFen: expected 100, got unknown (missing boothCostFen)'],
      ['error: parameter subsidies.samplingBoothMinStaff is not in force on 2022-05-01'],
    ]);
  });

  it('does not pass a rule without tests', () => {
    expect(runRuleTests({ ...boothSubsidy, tests: [] }, context)).toMatchObject({ passed: false, total: 0 });
  });
});

describe('checkPublishable', () => {
  it('allows a valid rule with passing tests', () => {
    expect(checkPublishable(boothSubsidy, context)).toMatchObject({ ok: true, issues: [] });
  });

  it('blocks a rule with a failing test', () => {
    const failing = {
      ...boothSubsidy,
      tests: [{ ...boothSubsidy.tests![0]!, expect: { status: 'ineligible' as const } }],
    };
    expect(checkPublishable(failing, context)).toMatchObject({
      ok: false,
      issues: [],
      tests: { passed: false },
    });
  });

  it('blocks an invalid rule, including a parameter not in force on a test date', () => {
    const invalid: PolicyRule = {
      ...boothSubsidy,
      when: { id: 'r', fact: 'region', op: 'gt', value: 'city' },
    };
    expect(checkPublishable(invalid, context).issues.map((i) => i.code)).toEqual(['OP_NOT_VALID_FOR_TYPE']);
    const early: PolicyRule = {
      ...boothSubsidy,
      tests: [{ ...boothSubsidy.tests![2]!, asOf: '2022-05-20' }],
    };
    const check = checkPublishable(early, context);
    expect(check.ok).toBe(false);
    expect(check.issues.map((i) => i.code)).toEqual(['BAD_VALUE']);
  });
});
