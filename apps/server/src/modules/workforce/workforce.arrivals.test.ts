import {
  createParameterStore,
  henan2022Parameters,
  ParameterNotInForce,
  type ParameterTimeline,
} from '@sibao/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ArrivalFacts, assignArrivalCode, type RiskArea, riskLevelOn } from './workforce.arrivals';

/** An instant written in Asia/Shanghai local time: `sh('2022-06-01 08:00')`. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const henan = createParameterStore(henan2022Parameters);

/** Henan's parameters with one timeline's versions replaced. */
function replaced(
  key: string,
  versions: (v: ParameterTimeline['versions'][number]) => ParameterTimeline['versions'],
) {
  return createParameterStore(
    henan2022Parameters.map((t) => (t.key === key ? { ...t, versions: versions(t.versions[0]!) } : t)),
  );
}

const riskAreas: RiskArea[] = [
  { code: '310115', level: 'high', from: '2022-05-20', to: '2022-06-03' }, // 上海市浦东新区
  { code: '410100', level: 'medium', from: '2022-06-01', to: null }, // all of 郑州市
  { code: '110000', level: 'static', from: '2022-05-28', to: '2022-06-10' }, // all of 北京市
  { code: '410102', level: 'high', from: '2022-06-02', to: '2022-06-04' }, // 中原区, inside 郑州市
];

const arrival: ArrivalFacts = {
  arrivedAt: sh('2022-06-02 10:00'),
  originCountyCode: '330106', // 杭州市西湖区, low risk
  contactStatus: 'none',
  healthCode: 'green',
  itineraryCode: 'normal',
  negativeTestSampledAt: sh('2022-06-01 09:00'),
  whitelistedStaff: false,
};

describe('riskLevelOn', () => {
  it.each([
    ['310115', '2022-06-02', 'high', '310115'],
    ['310115', '2022-06-03', 'low', null], // `to` is exclusive
    ['310115', '2022-05-19', 'low', null],
    ['410105', '2022-06-02', 'medium', '410100'], // a county of a city-wide area
    ['410102', '2022-06-02', 'high', '410102'], // the most severe entry wins
    ['410102', '2022-06-04', 'medium', '410100'],
    ['110105', '2022-06-01', 'static', '110000'], // province-wide
    ['411729', '2022-06-02', 'low', null],
  ])('%s on %s is %s', (county, date, level, code) => {
    const risk = riskLevelOn(riskAreas, county, date);
    expect(risk.level).toBe(level);
    expect(risk.area?.code ?? null).toBe(code);
  });

  it('refuses a malformed table rather than reading it as low risk', () => {
    expect(() =>
      riskLevelOn([{ code: '3101', level: 'high', from: '2022-06-01', to: null }], '310115', '2022-06-02'),
    ).toThrow(RangeError);
    expect(() =>
      riskLevelOn([{ code: '310115', level: 'high', from: '2022-06-31', to: null }], '310115', '2022-06-02'),
    ).toThrow(RangeError);
  });
});

describe('assignArrivalCode (指南 二(四), 三(二))', () => {
  it.each([
    {
      name: 'a close contact is controlled at once',
      change: { contactStatus: 'close_contact' },
      expected: {
        rule: 'contact',
        action: 'control',
        healthCode: 'assign_on_site',
        dueAt: sh('2022-06-02 10:00'),
      },
    },
    {
      name: 'an infected person is controlled at once',
      change: { contactStatus: 'infected' },
      expected: { rule: 'contact', action: 'control' },
    },
    {
      name: 'a secondary contact is controlled at once',
      change: { contactStatus: 'secondary_contact' },
      expected: { rule: 'contact', action: 'control' },
    },
    {
      name: 'code protection does not cover a close contact',
      change: { contactStatus: 'close_contact', whitelistedStaff: true, originCountyCode: '310115' },
      expected: { rule: 'contact', action: 'control', codeProtected: false },
    },
    {
      name: 'an arrival from a high-risk county: red code, 7 days central quarantine',
      change: { originCountyCode: '310115' },
      expected: {
        rule: 'risk_area',
        action: 'central_quarantine',
        healthCode: 'red',
        dueAt: sh('2022-06-02 10:00'),
        endsAt: sh('2022-06-09 10:00'),
        riskLevel: 'high',
      },
    },
    {
      name: 'an arrival from a county of a medium-risk city: quarantine',
      change: { originCountyCode: '410105' },
      expected: { rule: 'risk_area', action: 'central_quarantine', riskLevel: 'medium' },
    },
    {
      name: 'an arrival from a static-management area: quarantine',
      change: { originCountyCode: '110105' },
      expected: { rule: 'risk_area', action: 'central_quarantine', riskLevel: 'static' },
    },
    {
      name: 'the county’s risk is read on the Shanghai business date (23:30 still inside)',
      change: { originCountyCode: '310115', arrivedAt: sh('2022-06-02 23:30') },
      expected: { rule: 'risk_area', riskLevel: 'high' },
    },
    {
      name: 'after the area’s validity ends (00:30 next day) the same county is low risk',
      change: {
        originCountyCode: '310115',
        arrivedAt: sh('2022-06-03 00:30'),
        negativeTestSampledAt: sh('2022-06-02 09:00'),
      },
      expected: {
        rule: 'two_codes',
        action: 'arrival_test',
        riskLevel: 'low',
        dueAt: sh('2022-06-04 00:30'),
      },
    },
    {
      name: 'whitelisted staff from a high-risk county keep their green code and are tested within 24 h',
      change: { whitelistedStaff: true, originCountyCode: '310115' },
      expected: {
        rule: 'protected',
        action: 'arrival_test',
        healthCode: 'keep',
        codeProtected: true,
        dueAt: sh('2022-06-03 10:00'),
        endsAt: null,
      },
    },
    {
      name: 'an arrival holding 两码一证: a test within 24 h of arrival',
      change: {},
      expected: {
        rule: 'two_codes',
        action: 'arrival_test',
        healthCode: 'keep',
        dueAt: sh('2022-06-03 10:00'),
      },
    },
    {
      name: 'a starred itinerary code still counts as normal',
      change: { itineraryCode: 'starred' },
      expected: { rule: 'two_codes', action: 'arrival_test' },
    },
    {
      name: 'a negative sampled 48 h before arrival is still a certificate',
      change: { negativeTestSampledAt: sh('2022-05-31 10:00') },
      expected: { rule: 'two_codes' },
    },
    {
      name: 'a negative sampled 49 h before arrival is not',
      change: { negativeTestSampledAt: sh('2022-05-31 09:00') },
      expected: { rule: 'otherwise', action: 'refer', dueAt: sh('2022-06-02 10:00') },
    },
    {
      name: 'no negative test: referred',
      change: { negativeTestSampledAt: null },
      expected: { rule: 'otherwise', action: 'refer' },
    },
    {
      name: 'a sample taken after arrival is not a certificate held on arrival',
      change: { negativeTestSampledAt: sh('2022-06-02 11:00') },
      expected: { rule: 'otherwise', action: 'refer' },
    },
    {
      name: 'a yellow code: referred',
      change: { healthCode: 'yellow' },
      expected: { rule: 'otherwise', action: 'refer' },
    },
    {
      name: 'an abnormal itinerary code: referred',
      change: { itineraryCode: 'abnormal' },
      expected: { rule: 'otherwise', action: 'refer' },
    },
  ] as { name: string; change: Partial<ArrivalFacts>; expected: Record<string, unknown> }[])(
    '$name',
    ({ change, expected }) => {
      expect(assignArrivalCode({ ...arrival, ...change }, riskAreas, henan)).toMatchObject(expected);
    },
  );

  it('explains in Chinese, citing the seed and the parameters', () => {
    const quarantine = assignArrivalCode({ ...arrival, originCountyCode: '310115' }, riskAreas, henan);
    expect(quarantine.explain).toContain('赋红码，实施7天集中隔离，至 2022-06-09 10:00 止（指南 二(四)）');
    expect(quarantine.explain).toContain('来源地 310115 于 2022-06-02 属高风险地区');
    expect(quarantine.parameters).toEqual([
      { key: 'arrivals.quarantineDays', value: 7, source: { doc: expect.any(String), section: '二(四)' } },
    ]);

    const test = assignArrivalCode(arrival, riskAreas, henan);
    expect(test.explain.split('\n')[0]).toBe('结论：落地核酸检测');
    expect(test.explain).toContain('须于落地后24小时内（2022-06-03 10:00 前）再进行一次核酸检测');
    expect(test.explain).toMatch(/健康码.*✓/);

    const protectedStaff = assignArrivalCode(
      { ...arrival, whitelistedStaff: true, originCountyCode: '310115' },
      riskAreas,
      henan,
    );
    expect(protectedStaff.explain).toContain('赋码保护');
    expect(protectedStaff.explain).toContain('亦不赋红码');

    const referred = assignArrivalCode({ ...arrival, healthCode: 'yellow' }, riskAreas, henan);
    expect(referred.explain).toContain('报属地疫情防控机构研判');
    expect(referred.explain).toMatch(/健康码.*黄码.*✗/);
  });

  describe('parameters on dates inside and outside their validity', () => {
    const shorter = replaced('arrivals.testWithinHours', (v) => [
      { ...v, to: '2022-07-01' },
      { ...v, from: '2022-07-01', value: 12, revision: 2 },
    ]);
    const ending = replaced('arrivals.quarantineDays', (v) => [{ ...v, to: '2022-07-01' }]);

    it('uses the version in force on the arrival date', () => {
      const before = assignArrivalCode(
        { ...arrival, arrivedAt: sh('2022-06-30 23:00'), negativeTestSampledAt: sh('2022-06-30 08:00') },
        [],
        shorter,
      );
      expect(before.dueAt).toEqual(sh('2022-07-01 23:00'));
      const after = assignArrivalCode(
        { ...arrival, arrivedAt: sh('2022-07-01 01:00'), negativeTestSampledAt: sh('2022-06-30 08:00') },
        [],
        shorter,
      );
      expect(after.dueAt).toEqual(sh('2022-07-01 13:00'));
      expect(after.explain).toContain('须于落地后12小时内');
    });

    it.each([
      ['before the seed took effect', { arrivedAt: sh('2022-05-24 20:00') }, henan],
      [
        'before the seed took effect, even for a close contact',
        { arrivedAt: sh('2022-05-24 20:00'), contactStatus: 'close_contact' },
        henan,
      ],
      [
        'after a parameter of the rule set ends, even for a low-risk arrival',
        { arrivedAt: sh('2022-07-01 09:00') },
        ending,
      ],
    ] as [string, Partial<ArrivalFacts>, typeof henan][])(
      'throws ParameterNotInForce %s',
      (_name, change, params) => {
        expect(() => assignArrivalCode({ ...arrival, ...change }, riskAreas, params)).toThrow(
          ParameterNotInForce,
        );
      },
    );
  });

  it('properties: contacts are always controlled; protected staff never get a red code otherwise', () => {
    const facts = fc.record({
      arrivedAt: fc
        .integer({ min: sh('2022-05-25 00:00').getTime(), max: sh('2022-12-31 00:00').getTime() })
        .map((t) => new Date(t)),
      originCountyCode: fc.constantFrom('310115', '410102', '410105', '110105', '330106'),
      contactStatus: fc.constantFrom('none', 'infected', 'close_contact', 'secondary_contact'),
      healthCode: fc.constantFrom('green', 'yellow', 'red'),
      itineraryCode: fc.constantFrom('normal', 'starred', 'abnormal'),
      negativeTestSampledAt: fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }),
      whitelistedStaff: fc.boolean(),
    });
    fc.assert(
      fc.property(facts, (f) => {
        const input: ArrivalFacts = {
          ...f,
          negativeTestSampledAt:
            f.negativeTestSampledAt === null
              ? null
              : new Date(f.arrivedAt.getTime() - f.negativeTestSampledAt * 3_600_000),
        };
        const result = assignArrivalCode(input, riskAreas, henan);
        if (f.contactStatus !== 'none') expect(result.action).toBe('control');
        else if (f.whitelistedStaff) {
          expect(result).toMatchObject({
            action: 'arrival_test',
            healthCode: 'keep',
            codeProtected: true,
            endsAt: null,
          });
        } else expect(result.healthCode).not.toBe('assign_on_site');
        expect(result.dueAt.getTime()).toBeGreaterThanOrEqual(f.arrivedAt.getTime());
      }),
    );
  });
});
