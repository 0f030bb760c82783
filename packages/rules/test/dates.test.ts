import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber, isoDateOfDay, toIsoDate } from '../src/index';

describe('dates', () => {
  it.each([
    ['1970-01-01', 0],
    ['2022-05-25', 19_137],
    ['2000-02-29', 11_016],
    ['1000-01-01', -354_285],
  ])('%s is day %d', (iso, day) => {
    expect(dayNumber(iso)).toBe(day);
  });

  it.each([
    '2022-02-29',
    '1900-02-29',
    '2022-04-31',
    '2022-13-01',
    '2022-00-10',
    '2022-1-01',
    '2022/01/01',
    '0999-12-31',
    '２０２２-01-01',
    ' 2022-01-01',
    20220101,
    null,
  ])('rejects %s', (value) => {
    expect(dayNumber(value)).toBeUndefined();
  });

  it('agrees with Date for every day of years 1000–9999 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber('1000-01-01')!, max: dayNumber('9999-12-31')! }), (day) => {
        const iso = isoDateOfDay(day);
        expect(dayNumber(iso)).toBe(day);
        expect(Date.parse(`${iso}T00:00:00Z`) / 86_400_000).toBe(day);
      }),
    );
  });

  it('takes the calendar day in Asia/Shanghai from a Date or a date-time', () => {
    expect(toIsoDate(new Date('2022-05-24T16:00:00Z'))).toBe('2022-05-25');
    expect(toIsoDate(new Date('2022-05-24T15:59:59Z'))).toBe('2022-05-24');
    expect(toIsoDate('2022-05-25T07:59:00+08:00')).toBe('2022-05-25');
    expect(() => toIsoDate('2022-02-30')).toThrow(RangeError);
  });
});
