import { type Catalogue, createParameterStore, type ParameterTimeline } from '../src/index';

/** A small enterprise fact catalogue used across the tests. */
export const catalogue: Catalogue = {
  facts: {
    staff: { type: 'number', label: { zh: '员工人数', en: 'Employees' }, unit: { zh: '人', en: 'persons' } },
    vatCredit: { type: 'number', label: { zh: '增值税留抵税额', en: 'VAT credit' } },
    hoursSinceTest: {
      type: 'number',
      label: { zh: '距上次核酸检测小时数', en: 'Hours since last PCR test' },
      unit: { zh: '小时', en: 'hours' },
    },
    sector: {
      type: 'enum',
      label: { zh: '行业', en: 'Sector' },
      values: {
        industry: { zh: '工业生产', en: 'industry' },
        commerce: { zh: '商贸流通', en: 'commerce' },
        transport: { zh: '交通运输', en: 'transport' },
      },
    },
    closedLoop: { type: 'boolean', label: { zh: '具备闭环管理条件', en: 'Can run a closed loop' } },
    name: { type: 'string', label: { zh: '企业名称', en: 'Name' } },
    lastTestOn: { type: 'date', label: { zh: '最近核酸检测日期', en: 'Last PCR test' } },
    tags: {
      type: 'list',
      label: { zh: '企业标签', en: 'Tags' },
      values: {
        chain: { zh: '链主企业', en: 'chain leader' },
        bonded: { zh: '综合保税区', en: 'bonded zone' },
        supply: { zh: '城市保供', en: 'city supply' },
      },
    },
  },
};

export const testTimelines: readonly ParameterTimeline[] = [
  {
    key: 'test.minStaff',
    label: { zh: '员工人数下限', en: 'Minimum staff' },
    unit: 'person',
    versions: [
      {
        from: '2022-01-01',
        to: '2022-06-01',
        value: 1000,
        source: { doc: '测试文件', section: '一' },
        revision: 1,
      },
      { from: '2022-06-01', to: null, value: 500, source: { doc: '测试文件', section: '二' }, revision: 2 },
    ],
  },
  {
    key: 'test.cadence',
    label: { zh: '核酸检测频次', en: 'Test cadence' },
    unit: 'hour',
    versions: [
      {
        from: '2022-01-01',
        to: null,
        value: { default: 48, mobile: 24 },
        source: { doc: '河南省“四保”企业(项目)疫情防控工作指南', section: '二(一)' },
        revision: 1,
      },
    ],
  },
  {
    key: 'test.deadline',
    label: { zh: '截止日期', en: 'Deadline' },
    versions: [
      {
        from: '2022-01-01',
        to: '2023-01-01',
        value: '2022-05-31',
        source: { doc: '测试文件', section: '三' },
        revision: 1,
      },
    ],
  },
  {
    key: 'test.windowDays',
    label: { zh: '天数', en: 'Days' },
    type: 'integer',
    unit: 'day',
    versions: [
      { from: '2022-01-01', to: null, value: 7, source: { doc: '测试文件', section: '四' }, revision: 1 },
    ],
  },
];

export const params = createParameterStore(testTimelines);

export const ASOF = '2022-05-30';
