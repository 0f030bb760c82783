import { describe, expect, it } from 'vitest';
import {
  type Atom,
  type Cond,
  describeTraceEntry,
  evaluate,
  explain,
  type FactRow,
  groupDigits,
} from '../src/index';
import { ASOF, catalogue, params } from './fixtures';

const line = (atom: Omit<Atom, 'id'>, facts: FactRow, locale: 'zh' | 'en' = 'zh') => {
  const r = evaluate({ id: 'a', ...atom } as Atom, facts, { asOf: ASOF, catalogue, params });
  return describeTraceEntry(r.trace[0]!, catalogue, locale, r.asOf);
};

describe('explain', () => {
  const rule: Cond = {
    all: [
      { id: 'staff', fact: 'staff', op: 'gte', value: 1000 },
      { id: 'vat', fact: 'vatCredit', op: 'gt', value: 0 },
    ],
  };

  it('explains an undetermined result in Chinese by default, with the residual as a sentence', () => {
    const r = evaluate(rule, { staff: 1250 }, { asOf: ASOF, catalogue });
    expect(explain(r, catalogue)).toBe(
      [
        '结论：暂无法判断（缺少：增值税留抵税额）',
        '员工人数 ≥ 1000 人（实际 1,250 人）✓',
        '增值税留抵税额 > 0（无数据）?',
        '若 增值税留抵税额 > 0，则符合条件。',
      ].join('\n'),
    );
  });

  it('explains the same result in English', () => {
    const r = evaluate(rule, { staff: 1250 }, { asOf: ASOF, catalogue });
    expect(explain(r, catalogue, 'en')).toBe(
      [
        'Result: cannot tell yet (missing: VAT credit)',
        'Employees ≥ 1000 persons (actual 1,250 persons) ✓',
        'VAT credit > 0 (no data) ?',
        'Would be eligible if VAT credit > 0.',
      ].join('\n'),
    );
  });

  it('explains decided results without a residual sentence', () => {
    const no = evaluate(rule, { staff: 800, vatCredit: 12.5 }, { asOf: ASOF, catalogue });
    expect(explain(no, catalogue)).toBe(
      ['结论：不符合条件', '员工人数 ≥ 1000 人（实际 800 人）✗', '增值税留抵税额 > 0（实际 12.5）✓'].join(
        '\n',
      ),
    );
    const yes = evaluate(rule, { staff: 1000, vatCredit: 1 }, { asOf: ASOF, catalogue });
    expect(explain(yes, catalogue).split('\n')[0]).toBe('结论：符合条件');
  });

  it('writes a nested residual with 且 / 或 / 并非 and brackets', () => {
    const nested: Cond = {
      all: [
        {
          any: [
            { id: 'vat', fact: 'vatCredit', op: 'gt', value: 0 },
            { id: 'loop', fact: 'closedLoop', op: 'isTrue' },
          ],
        },
        { not: { id: 'tags', fact: 'tags', op: 'containsAny', value: ['bonded'] } },
        { id: 'staff', fact: 'staff', op: 'gte', value: 1000 },
      ],
    };
    const r = evaluate(nested, { staff: 2000 }, { asOf: ASOF, catalogue });
    const last = (s: string) => s.split('\n').at(-1);
    expect(last(explain(r, catalogue))).toBe(
      '若 （增值税留抵税额 > 0 或 具备闭环管理条件 为是） 且 并非（企业标签 包含 综合保税区 之一），则符合条件。',
    );
    expect(last(explain(r, catalogue, 'en'))).toBe(
      'Would be eligible if (VAT credit > 0 or Can run a closed loop is yes) and not (Tags includes any of bonded zone).',
    );
  });

  const lines: [string, Omit<Atom, 'id'>, FactRow, string][] = [
    [
      'a parameter with its source',
      { fact: 'hoursSinceTest', op: 'lte', value: { param: 'test.cadence', part: 'mobile' } },
      { hoursSinceTest: 30 },
      '距上次核酸检测小时数 ≤ 24 小时（实际 30 小时；依据《河南省“四保”企业(项目)疫情防控工作指南》二(一)）✗',
    ],
    [
      'an enum list',
      { fact: 'sector', op: 'in', value: ['industry', 'commerce'] },
      { sector: 'transport' },
      '行业 属于 工业生产、商贸流通（实际 交通运输）✗',
    ],
    [
      'an enum inequality',
      { fact: 'sector', op: 'ne', value: 'industry' },
      { sector: 'transport' },
      '行业 ≠ 工业生产（实际 交通运输）✓',
    ],
    [
      'a yes/no fact',
      { fact: 'closedLoop', op: 'isTrue' },
      { closedLoop: true },
      '具备闭环管理条件 为是（实际 是）✓',
    ],
    [
      'a no fact',
      { fact: 'closedLoop', op: 'isFalse' },
      { closedLoop: true },
      '具备闭环管理条件 为否（实际 是）✗',
    ],
    [
      'days since a date',
      { fact: 'lastTestOn', op: 'daysSinceLte', value: 2 },
      { lastTestOn: '2022-05-27' },
      '最近核酸检测日期 距今不超过 2 天（实际 2022-05-27，3 天前）✗',
    ],
    [
      'a date range',
      { fact: 'lastTestOn', op: 'dateBetween', value: ['2022-05-01', { param: 'test.deadline' }] },
      { lastTestOn: '2022-05-27' },
      '最近核酸检测日期 在 2022-05-01 至 2022-05-31 之间（实际 2022-05-27；依据《测试文件》三）✓',
    ],
    [
      'a number range',
      { fact: 'staff', op: 'between', value: [100, 999] },
      { staff: 1250 },
      '员工人数 介于 100 与 999 人 之间（实际 1,250 人）✗',
    ],
    [
      'a wrongly typed value',
      { fact: 'staff', op: 'gte', value: 1000 },
      { staff: '1250' },
      '员工人数 ≥ 1000 人（数据无效："1250"）?',
    ],
    [
      'a missing value counted as no',
      { fact: 'vatCredit', op: 'gt', value: 0, onMissing: 'false' },
      {},
      '增值税留抵税额 > 0（无数据；按不符合处理）✗',
    ],
    [
      'a list',
      { fact: 'tags', op: 'containsAny', value: ['chain', 'bonded'] },
      { tags: ['supply'] },
      '企业标签 包含 链主企业、综合保税区 之一（实际 城市保供）✗',
    ],
    [
      'an empty list',
      { fact: 'tags', op: 'containsAny', value: ['chain'] },
      { tags: [] },
      '企业标签 包含 链主企业 之一（实际 空）✗',
    ],
    ['exists', { fact: 'name', op: 'exists' }, { name: '郑州' }, '企业名称 有数据✓'],
    ['missing', { fact: 'name', op: 'missing' }, { name: '郑州' }, '企业名称 无数据✗'],
    [
      'text equality',
      { fact: 'name', op: 'eq', value: '郑州' },
      { name: '洛阳' },
      '企业名称 = 郑州（实际 洛阳）✗',
    ],
  ];
  it.each(lines)('describes %s', (_name, atom, facts, text) => {
    expect(line(atom, facts)).toBe(text);
  });

  it('describes lines in English', () => {
    expect(line({ fact: 'closedLoop', op: 'isTrue' }, {}, 'en')).toBe(
      'Can run a closed loop is yes (no data) ?',
    );
    expect(
      line({ fact: 'lastTestOn', op: 'daysSinceLte', value: 2 }, { lastTestOn: '2022-05-29' }, 'en'),
    ).toBe('Last PCR test within the last 2 days (actual 2022-05-29, 1 day ago) ✓');
  });

  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1250, '1,250'],
    [-1234567.25, '-1,234,567.25'],
    [12345678901, '12,345,678,901'],
  ])('groups the digits of %d as %s', (n, s) => {
    expect(groupDigits(n)).toBe(s);
  });
});
