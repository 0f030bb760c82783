import type { ParameterSource, ParameterTimeline, ParameterVersion } from './parameters';

/**
 * The numbers fixed by the seed documents (河南省人民政府办公厅, 2022-05-25), as parameter timelines valid
 * from that date, open-ended. Keys are `<module>.<name>`:
 *
 * | key | value | source |
 * |---|---|---|
 * | `workforce.testCadenceHours` | { default 48, mobile 24, closedLoop 24, citySupply 24 } h | 指南 二(一), 三(三), 三(六); 方案 三(一), 六(二) |
 * | `arrivals.testWithinHours` | 24 h | 指南 二(四) |
 * | `arrivals.quarantineDays` | 7 days | 指南 二(四) |
 * | `incidents.pooledRetestHours` | 6 h | 指南 三(七) |
 * | `incidents.silentPeriodTestsPerDay` | 1 | 指南 三(七) |
 * | `operations.shutdownMaxDays` | 3 days | 指南 三(七); 方案 四(三) |
 * | `subsidies.samplingBoothRate` | 0.5 | 方案 六(二); 指南 二(一) |
 * | `subsidies.samplingBoothMinStaff` | 1000 persons | 方案 六(二); 指南 二(一) |
 * | `subsidies.samplingBoothSplit` | { province 0.7, cityCounty 0.3 } | 方案 六(二); 指南 二(一) |
 * | `preparedness.samplingBoothDeadline` | { cityDistricts 2022-05-31, counties 2022-06-30 } | 指南 二(一) |
 * | `whitelist.coverageTarget` | 0.7 (more than 70 %) | 方案 二(一), 九(三) |
 * | `whitelist.firstBatchDeadline` | 2022-05-31 | 方案 九(三) |
 * | `whitelist.coverageDeadline` | 2022-06-30 | 方案 九(三) |
 *
 * More the seed does NOT fix, which the workflows need; their source says so honestly
 * (`PLATFORM_DEFAULT_DOC`), and officials replace them by publishing a version of their own:
 *
 * | key | value | source |
 * |---|---|---|
 * | `whitelist.reviewDays` | 5 days to review an application | platform default |
 * | `whitelist.reapplyAfterCircuitBreakerDays` | 30 days before a 熔断-removed enterprise may re-apply | platform default |
 * | `workforce.dailyReportDeadline` | `10:00` Asia/Shanghai: time of day by which the day's 零报告/日报告 is due | platform default |
 * | `workforce.sentinelResponseHours` | 24 h for the enterprise to act on a drug-purchase, unregistered-arrival or missed-arrival-test alert | platform default |
 * | `workforce.dailyReportReminderHours` | 1 h: how long before the daily-report deadline an enterprise without a report is reminded | platform default |
 * | `workforce.dueSoonHours` | 12 h: a person whose next PCR test falls due within this window counts as "due soon" | platform default |
 */

export const GUIDE_DOC = '河南省“四保”企业(项目)疫情防控工作指南';
export const PLAN_DOC = '河南省高效统筹疫情防控和经济社会发展工作方案';
/** The date of the seed documents. */
export const HENAN_2022_FROM = '2022-05-25';
/** Source of values the seed does not fix: chosen by the platform team, to be replaced by the province. */
export const PLATFORM_DEFAULT_DOC =
  '四保平台默认值(种子文件未规定) / platform default, not fixed by the seed';

const guide = (section: string): ParameterSource => ({ doc: GUIDE_DOC, section });
const plan = (section: string): ParameterSource => ({ doc: PLAN_DOC, section });

const fromSeed = (
  value: ParameterVersion['value'],
  source: ParameterSource,
  alsoIn: readonly ParameterSource[] = [],
): ParameterVersion[] => [
  {
    from: HENAN_2022_FROM,
    to: null,
    value,
    source,
    ...(alsoIn.length > 0 ? { alsoIn } : {}),
    revision: 1,
    publishedBy: '河南省人民政府办公厅',
  },
];

export const henan2022Parameters: readonly ParameterTimeline[] = [
  {
    key: 'workforce.testCadenceHours',
    label: { zh: '核酸检测频次', en: 'PCR test cadence' },
    type: 'parts',
    unit: 'hour',
    parts: {
      default: { zh: '常态化检测', en: 'default' },
      mobile: { zh: '流动性、接触性岗位', en: 'mobile and contact roles' },
      closedLoop: { zh: '闭环管理人员', en: 'closed-loop staff' },
      citySupply: { zh: '城市保供人员', en: 'city-supply staff' },
    },
    // 指南 二(一): 48 h, 24 h for 物流、销售; 三(三): closed loop 每日; 三(六): city supply 每天1次.
    versions: fromSeed({ default: 48, mobile: 24, closedLoop: 24, citySupply: 24 }, guide('二(一)'), [
      guide('三(三)'),
      guide('三(六)'),
      plan('三(一)'),
      plan('六(二)'),
    ]),
  },
  {
    key: 'arrivals.testWithinHours',
    label: { zh: '到访返回人员落地后核酸检测时限', en: 'Arrival PCR test within' },
    type: 'integer',
    unit: 'hour',
    versions: fromSeed(24, guide('二(四)')),
  },
  {
    key: 'arrivals.quarantineDays',
    label: {
      zh: '中高风险地区到访返回人员集中隔离天数',
      en: 'Central quarantine for medium/high-risk arrivals',
    },
    type: 'integer',
    unit: 'day',
    versions: fromSeed(7, guide('二(四)')),
  },
  {
    key: 'incidents.pooledRetestHours',
    label: { zh: '混检阳性单采复核时限', en: 'Single-tube re-test of a pooled positive within' },
    type: 'integer',
    unit: 'hour',
    versions: fromSeed(6, guide('三(七)')),
  },
  {
    key: 'incidents.silentPeriodTestsPerDay',
    label: { zh: '静默期每日检测次数', en: 'Tests per day in the silent period' },
    type: 'integer',
    unit: 'perDay',
    versions: fromSeed(1, guide('三(七)')),
  },
  {
    key: 'operations.shutdownMaxDays',
    label: { zh: '白名单企业停工停产天数上限', en: 'Longest shutdown of a whitelisted enterprise' },
    type: 'integer',
    unit: 'day',
    versions: fromSeed(3, guide('三(七)'), [plan('四(三)')]),
  },
  {
    key: 'subsidies.samplingBoothRate',
    label: { zh: '核酸采样屋购置补贴比例', en: 'Sampling-booth purchase subsidy rate' },
    type: 'ratio',
    unit: 'ratio',
    versions: fromSeed(0.5, plan('六(二)'), [guide('二(一)')]),
  },
  {
    key: 'subsidies.samplingBoothMinStaff',
    label: { zh: '核酸采样屋补贴企业用工人数下限', en: 'Minimum staff for the sampling-booth subsidy' },
    type: 'integer',
    unit: 'person',
    versions: fromSeed(1000, plan('六(二)'), [guide('二(一)')]),
  },
  {
    key: 'subsidies.samplingBoothSplit',
    label: { zh: '核酸采样屋补贴省与市县分担比例', en: 'Sampling-booth subsidy split' },
    type: 'split',
    unit: 'ratio',
    parts: {
      province: { zh: '省级', en: 'province' },
      cityCounty: { zh: '市级或县(市)', en: 'city or county' },
    },
    versions: fromSeed({ province: 0.7, cityCounty: 0.3 }, plan('六(二)'), [guide('二(一)')]),
  },
  {
    key: 'preparedness.samplingBoothDeadline',
    label: { zh: '核酸采样屋布设完成时限', en: 'Sampling-booth roll-out deadline' },
    type: 'parts',
    unit: 'date',
    parts: {
      cityDistricts: { zh: '省辖市主城区', en: 'city districts' },
      counties: { zh: '县(市)', en: 'counties' },
    },
    versions: fromSeed({ cityDistricts: '2022-05-31', counties: '2022-06-30' }, guide('二(一)')),
  },
  {
    key: 'whitelist.coverageTarget',
    label: {
      zh: '白名单总产值(投资额)覆盖率目标',
      en: 'Whitelist coverage target (output value / investment)',
    },
    type: 'ratio',
    unit: 'ratio',
    // 方案 二(一), 九(三): 覆盖率超过70% — the target is exceeded, not met, at exactly 0.7.
    versions: fromSeed(0.7, plan('二(一)'), [plan('九(三)')]),
  },
  {
    key: 'whitelist.firstBatchDeadline',
    label: { zh: '第一批白名单向社会公布时限', en: 'First whitelist batch published by' },
    type: 'date',
    unit: 'date',
    versions: fromSeed('2022-05-31', plan('九(三)')),
  },
  {
    key: 'whitelist.coverageDeadline',
    label: { zh: '白名单覆盖率达标时限', en: 'Coverage target reached by' },
    type: 'date',
    unit: 'date',
    versions: fromSeed('2022-06-30', plan('九(三)')),
  },
  {
    key: 'whitelist.reviewDays',
    label: { zh: '白名单申报审核时限', en: 'Whitelist application review deadline' },
    type: 'integer',
    unit: 'day',
    // The seed asks for a simplified procedure (方案 二(二)) but fixes no deadline: a platform default.
    versions: [
      {
        from: HENAN_2022_FROM,
        to: null,
        value: 5,
        source: { doc: PLATFORM_DEFAULT_DOC, section: '白名单审核 whitelist review' },
        revision: 1,
        publishedBy: '四保平台',
      },
    ],
  },
  {
    key: 'whitelist.reapplyAfterCircuitBreakerDays',
    label: {
      zh: '熔断移出后重新申报间隔',
      en: 'Days before re-applying after a circuit-breaker removal',
    },
    type: 'integer',
    unit: 'day',
    // 方案 四(三) sets up the 熔断 mechanism but no waiting period: a platform default.
    versions: [
      {
        from: HENAN_2022_FROM,
        to: null,
        value: 30,
        source: { doc: PLATFORM_DEFAULT_DOC, section: '熔断 circuit breaker' },
        revision: 1,
        publishedBy: '四保平台',
      },
    ],
  },
  {
    key: 'workforce.dailyReportDeadline',
    label: { zh: '每日健康零报告/日报告截止时间', en: 'Daily health report deadline (time of day)' },
    type: 'string',
    // 指南 二(六) asks for a daily 零报告/日报告 but fixes no hour: a platform default (HH:MM, Asia/Shanghai).
    versions: [
      {
        from: HENAN_2022_FROM,
        to: null,
        value: '10:00',
        source: { doc: PLATFORM_DEFAULT_DOC, section: '零报告截止时间 daily report deadline' },
        revision: 1,
        publishedBy: '四保平台',
      },
    ],
  },
  {
    key: 'workforce.sentinelResponseHours',
    label: { zh: '电子哨预警处置时限', en: 'Time to act on a sentinel alert' },
    type: 'integer',
    unit: 'hour',
    // 指南 二(五) asks that the enterprise be reminded ("及时提醒") but fixes no time: a platform default, the
    // deadline of drug-purchase, unregistered-arrival and missed-arrival-test alerts.
    versions: [
      {
        from: HENAN_2022_FROM,
        to: null,
        value: 24,
        source: { doc: PLATFORM_DEFAULT_DOC, section: '电子哨预警处置时限 sentinel alert deadline' },
        revision: 1,
        publishedBy: '四保平台',
      },
    ],
  },
  {
    key: 'workforce.dailyReportReminderHours',
    label: { zh: '零报告截止前提醒时间', en: 'Daily report reminder, hours before the deadline' },
    type: 'integer',
    unit: 'hour',
    // 指南 二(六) asks for the daily report, issue 5 for a reminder before its deadline; the seed fixes no lead
    // time: a platform default (an enterprise with no report that day is reminded from deadline − this on).
    versions: [
      {
        from: HENAN_2022_FROM,
        to: null,
        value: 1,
        source: { doc: PLATFORM_DEFAULT_DOC, section: '零报告提醒 daily report reminder' },
        revision: 1,
        publishedBy: '四保平台',
      },
    ],
  },
  {
    key: 'workforce.dueSoonHours',
    label: { zh: '核酸检测即将到期提示时间', en: 'PCR test due soon, hours before it falls due' },
    type: 'integer',
    unit: 'hour',
    // 指南 二(一) fixes the cadence (48 h, mobile 24 h), issue 5 asks to see who is about to fall due; the seed
    // fixes no window: a platform default (active staff not overdue whose next test falls due within this
    // many hours are counted "due soon" on the compliance view and listed by the roster's due-soon filter).
    versions: [
      {
        from: HENAN_2022_FROM,
        to: null,
        value: 12,
        source: { doc: PLATFORM_DEFAULT_DOC, section: '核酸即将到期 test due soon' },
        revision: 1,
        publishedBy: '四保平台',
      },
    ],
  },
];
