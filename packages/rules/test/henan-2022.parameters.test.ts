import { describe, expect, it } from 'vitest';
import {
  createParameterStore,
  evaluate,
  evaluateAmount,
  GUIDE_DOC,
  henan2022Parameters,
  lintParameters,
  ParameterNotInForce,
  PLAN_DOC,
  PLATFORM_DEFAULT_DOC,
  splitFen,
} from '../src/index';
import { catalogue } from './fixtures';

const store = createParameterStore(henan2022Parameters);

// The seed's numbers (DESIGN.md §3), as the documents state them.
const SEED: [string, unknown, string, string][] = [
  [
    'workforce.testCadenceHours',
    { default: 48, mobile: 24, closedLoop: 24, citySupply: 24 },
    GUIDE_DOC,
    '二(一)',
  ],
  ['arrivals.testWithinHours', 24, GUIDE_DOC, '二(四)'],
  ['arrivals.quarantineDays', 7, GUIDE_DOC, '二(四)'],
  ['incidents.pooledRetestHours', 6, GUIDE_DOC, '三(七)'],
  ['incidents.silentPeriodTestsPerDay', 1, GUIDE_DOC, '三(七)'],
  ['operations.shutdownMaxDays', 3, GUIDE_DOC, '三(七)'],
  ['subsidies.samplingBoothRate', 0.5, PLAN_DOC, '六(二)'],
  ['subsidies.samplingBoothMinStaff', 1000, PLAN_DOC, '六(二)'],
  ['subsidies.samplingBoothSplit', { province: 0.7, cityCounty: 0.3 }, PLAN_DOC, '六(二)'],
  [
    'preparedness.samplingBoothDeadline',
    { cityDistricts: '2022-05-31', counties: '2022-06-30' },
    GUIDE_DOC,
    '二(一)',
  ],
  ['whitelist.coverageTarget', 0.7, PLAN_DOC, '二(一)'],
  ['whitelist.firstBatchDeadline', '2022-05-31', PLAN_DOC, '九(三)'],
  ['whitelist.coverageDeadline', '2022-06-30', PLAN_DOC, '九(三)'],
  // Not in the seed: platform defaults, and their source says so.
  ['whitelist.reviewDays', 5, PLATFORM_DEFAULT_DOC, '白名单审核 whitelist review'],
  ['whitelist.reapplyAfterCircuitBreakerDays', 30, PLATFORM_DEFAULT_DOC, '熔断 circuit breaker'],
  ['workforce.dailyReportDeadline', '10:00', PLATFORM_DEFAULT_DOC, '零报告截止时间 daily report deadline'],
  ['workforce.sentinelResponseHours', 24, PLATFORM_DEFAULT_DOC, '电子哨预警处置时限 sentinel alert deadline'],
  ['workforce.dailyReportReminderHours', 1, PLATFORM_DEFAULT_DOC, '零报告提醒 daily report reminder'],
  ['workforce.dueSoonHours', 12, PLATFORM_DEFAULT_DOC, '核酸即将到期 test due soon'],
];

describe('the Henan 2022 parameters', () => {
  it('lint clean and cover exactly the seed table', () => {
    expect(lintParameters(henan2022Parameters)).toEqual([]);
    expect(store.keys().sort()).toEqual(SEED.map(([k]) => k).sort());
  });

  it.each(SEED)(
    '%s reads back as the seed value with its source, from the seed date on',
    (key, value, doc, section) => {
      for (const date of ['2022-05-25', '2022-06-30', '2023-12-31']) {
        expect(store.valueAt(key, date)).toEqual(value);
      }
      expect(store.versionAt(key, '2022-06-01').source).toEqual({ doc, section });
      expect(store.timeline(key)!.label.en).toBeTruthy();
    },
  );

  it.each(SEED.map(([key]) => key))('%s is not in force before the documents were issued', (key) => {
    expect(() => store.valueAt(key, '2022-05-24')).toThrow(ParameterNotInForce);
  });

  it('drives the test-cadence check for a mobile role (指南 二(一): every 24 h)', () => {
    const rule = {
      id: 'c',
      fact: 'hoursSinceTest',
      op: 'lte',
      value: { param: 'workforce.testCadenceHours', part: 'mobile' },
    } as const;
    expect(
      evaluate(rule, { hoursSinceTest: 24 }, { asOf: '2022-06-01', catalogue, params: store }).status,
    ).toBe('eligible');
    expect(
      evaluate(rule, { hoursSinceTest: 30 }, { asOf: '2022-06-01', catalogue, params: store }).status,
    ).toBe('ineligible');
    expect(() =>
      evaluate(rule, { hoursSinceTest: 30 }, { asOf: '2022-05-01', catalogue, params: store }),
    ).toThrow(ParameterNotInForce);
  });

  it('computes the sampling-booth subsidy and its 7 : 3 split (方案 六(二))', () => {
    const amountCatalogue = {
      facts: { boothCostFen: { type: 'number' as const, label: { zh: '采样屋购置费用' } } },
    };
    const subsidy = evaluateAmount(
      { mul: [{ fact: 'boothCostFen' }, { param: 'subsidies.samplingBoothRate' }] },
      { boothCostFen: 8_888_889 },
      { asOf: '2022-06-01', catalogue: amountCatalogue, params: store },
    );
    expect(subsidy).toEqual({ status: 'known', amountFen: 4_444_445 });
    const split = store.valueAt('subsidies.samplingBoothSplit', '2022-06-01') as Record<string, number>;
    expect(splitFen(4_444_445, split)).toEqual({ province: 3_111_112, cityCounty: 1_333_333 });
  });
});
