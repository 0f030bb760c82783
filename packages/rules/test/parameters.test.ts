import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createParameterStore,
  InvalidParameters,
  isoDateOfDay,
  lintParameters,
  ParameterNotInForce,
  type ParameterTimeline,
  type ParameterVersion,
  UnknownParameter,
} from '../src/index';

const source = { doc: '测试文件', section: '一' };
const v = (
  from: string,
  to: string | null,
  value: ParameterVersion['value'],
  revision: number,
): ParameterVersion => ({
  from,
  to,
  value,
  source,
  revision,
});
const timeline = (
  versions: ParameterVersion[],
  extra: Partial<ParameterTimeline> = {},
): ParameterTimeline => ({
  key: 'test.value',
  label: { zh: '测试' },
  versions,
  ...extra,
});

describe('a parameter store', () => {
  const store = createParameterStore([
    timeline([
      v('2022-01-01', '2022-06-01', 48, 1),
      v('2022-06-01', '2022-09-01', 24, 2),
      v('2022-10-01', null, 72, 3),
    ]),
  ]);

  it.each([
    ['2022-01-01', 48],
    ['2022-05-31', 48],
    ['2022-06-01', 24],
    ['2022-08-31', 24],
    ['2022-10-01', 72],
    ['2030-01-01', 72],
  ])('on %s gives %d (intervals are half-open)', (date, value) => {
    expect(store.valueAt('test.value', date)).toBe(value);
  });

  it.each(['2021-12-31', '2022-09-01', '2022-09-30'])(
    'on %s, before the first version or inside a gap, throws',
    (date) => {
      expect(() => store.valueAt('test.value', date)).toThrow(ParameterNotInForce);
      try {
        store.valueAt('test.value', date);
      } catch (e) {
        expect(e).toMatchObject({ code: 'PARAMETER_NOT_IN_FORCE', key: 'test.value', date });
      }
    },
  );

  it('reads a Date or an ISO date-time as the calendar day in Asia/Shanghai', () => {
    // 2022-05-31T17:00Z is already 1 June in Zhengzhou.
    expect(store.valueAt('test.value', new Date('2022-05-31T17:00:00Z'))).toBe(24);
    expect(store.valueAt('test.value', '2022-05-31T23:30:00+08:00')).toBe(48);
    expect(() => store.valueAt('test.value', '31/05/2022')).toThrow(RangeError);
  });

  it('gives the version with its source and revision, and throws for an unknown key', () => {
    expect(store.versionAt('test.value', '2022-07-01')).toMatchObject({ value: 24, revision: 2, source });
    expect(() => store.valueAt('test.other', '2022-07-01')).toThrow(UnknownParameter);
    expect(store.has('test.value')).toBe(true);
    expect(store.keys()).toEqual(['test.value']);
    expect(store.typeOf('test.value')).toBe('number');
  });

  it('refuses timelines with errors', () => {
    expect(() =>
      createParameterStore([timeline([v('2022-01-01', null, 1, 1), v('2022-03-01', null, 2, 2)])]),
    ).toThrow(InvalidParameters);
  });

  it('answers every date with the version whose interval holds it, and throws outside all of them', () => {
    // Random timelines: sorted cut days, each interval either a version or a gap.
    const arb = fc
      .uniqueArray(fc.integer({ min: 18_000, max: 20_000 }), { minLength: 2, maxLength: 8 })
      .chain((cuts) => {
        const days = [...cuts].sort((a, b) => a - b);
        return fc.tuple(
          fc.constant(days),
          fc.array(fc.boolean(), { minLength: days.length, maxLength: days.length }),
          fc.boolean(),
        );
      })
      .map(([days, present, openEnd]) => {
        const versions: ParameterVersion[] = [];
        days.forEach((d, i) => {
          const next = days[i + 1];
          if (!present[i] || (next === undefined && !openEnd)) return;
          versions.push(
            v(isoDateOfDay(d), next === undefined ? null : isoDateOfDay(next), d, versions.length + 1),
          );
        });
        return versions;
      })
      .filter((versions) => versions.length > 0);
    fc.assert(
      fc.property(arb, fc.integer({ min: 17_990, max: 20_010 }), (versions, day) => {
        const s = createParameterStore([timeline(versions)]);
        const date = isoDateOfDay(day);
        const holding = versions.find((x) => x.from <= date && (x.to === null || date < x.to));
        if (holding) expect(s.valueAt('test.value', date)).toBe(holding.value);
        else expect(() => s.valueAt('test.value', date)).toThrow(ParameterNotInForce);
      }),
    );
  });
});

describe('lintParameters', () => {
  const codes = (t: ParameterTimeline[]) => lintParameters(t).map((i) => `${i.severity}:${i.code}`);

  it('accepts a clean timeline', () => {
    expect(
      lintParameters([timeline([v('2022-01-01', '2022-06-01', 1, 1), v('2022-06-01', null, 2, 2)])]),
    ).toEqual([]);
  });

  const cases: [string, ParameterTimeline[], string[]][] = [
    [
      'overlapping versions',
      [timeline([v('2022-01-01', '2022-07-01', 1, 1), v('2022-06-01', null, 2, 2)])],
      ['error:OVERLAP'],
    ],
    [
      'an open-ended version followed by another',
      [timeline([v('2022-01-01', null, 1, 1), v('2022-06-01', null, 2, 2)])],
      ['error:OVERLAP'],
    ],
    [
      'a gap (a warning)',
      [timeline([v('2022-01-01', '2022-03-01', 1, 1), v('2022-06-01', null, 2, 2)])],
      ['warning:GAP'],
    ],
    ['to before from', [timeline([v('2022-06-01', '2022-01-01', 1, 1)])], ['error:BAD_INTERVAL']],
    ['an empty interval', [timeline([v('2022-06-01', '2022-06-01', 1, 1)])], ['error:BAD_INTERVAL']],
    ['an impossible date', [timeline([v('2022-02-30', null, 1, 1)])], ['error:BAD_DATE']],
    ['no versions', [timeline([])], ['error:NO_VERSIONS']],
    [
      'a key that is not dotted camelCase',
      [timeline([v('2022-01-01', null, 1, 1)], { key: 'TestCadence' })],
      ['error:BAD_KEY'],
    ],
    [
      'a duplicate key',
      [timeline([v('2022-01-01', null, 1, 1)]), timeline([v('2022-01-01', null, 1, 1)])],
      ['error:DUPLICATE_KEY'],
    ],
    [
      'a string where a number was declared',
      [timeline([v('2022-01-01', null, '48', 1)], { type: 'number' })],
      ['error:BAD_TYPE'],
    ],
    [
      'a type change between versions',
      [timeline([v('2022-01-01', '2022-06-01', 48, 1), v('2022-06-01', null, 'x', 2)])],
      ['error:BAD_TYPE'],
    ],
    ['a ratio above 1', [timeline([v('2022-01-01', null, 1.5, 1)], { unit: 'ratio' })], ['error:BAD_TYPE']],
    [
      'a non-integer integer',
      [timeline([v('2022-01-01', null, 2.5, 1)], { type: 'integer' })],
      ['error:BAD_TYPE'],
    ],
    [
      'a split that does not sum to 1',
      [timeline([v('2022-01-01', null, { province: 0.7, cityCounty: 0.4 }, 1)], { type: 'split' })],
      ['error:SPLIT_NOT_ONE'],
    ],
    [
      'a split with a negative share',
      [timeline([v('2022-01-01', null, { a: 1.2, b: -0.2 }, 1)], { type: 'split' })],
      ['error:BAD_TYPE'],
    ],
    [
      'parts mixing numbers and text',
      [timeline([v('2022-01-01', null, { a: 1, b: 'x' }, 1)])],
      ['error:BAD_TYPE'],
    ],
    [
      'parts renamed between versions',
      [timeline([v('2022-01-01', '2022-06-01', { a: 1 }, 1), v('2022-06-01', null, { b: 1 }, 2)])],
      ['error:BAD_TYPE'],
    ],
    [
      'part labels that do not match',
      [timeline([v('2022-01-01', null, { a: 1 }, 1)], { parts: { b: { zh: '乙' } } })],
      ['error:BAD_TYPE'],
    ],
    [
      'revisions that do not increase',
      [timeline([v('2022-01-01', '2022-06-01', 1, 2), v('2022-06-01', null, 2, 2)])],
      ['error:BAD_REVISION'],
    ],
    ['a revision of 0', [timeline([v('2022-01-01', null, 1, 0)])], ['error:BAD_REVISION']],
    [
      'a source without a section',
      [timeline([{ ...v('2022-01-01', null, 1, 1), source: { doc: '指南', section: '' } }])],
      ['error:BAD_SOURCE'],
    ],
  ];
  it.each(cases)('reports %s', (_name, timelines, expected) => {
    expect(codes(timelines)).toEqual(expected);
  });

  it('accepts a split that sums to 1 within rounding, and parts of ISO dates', () => {
    expect(
      lintParameters([timeline([v('2022-01-01', null, { a: 0.1, b: 0.2, c: 0.7 }, 1)], { type: 'split' })]),
    ).toEqual([]);
    expect(
      lintParameters([timeline([v('2022-01-01', null, { city: '2022-05-31', county: '2022-06-30' }, 1)])]),
    ).toEqual([]);
  });
});
