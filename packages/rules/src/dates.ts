/** Calendar dates as ISO `YYYY-MM-DD` strings and as day numbers (days since 1970-01-01). */

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T/;
const MS_PER_DAY = 86_400_000;
// Business dates are in Asia/Shanghai, which has had no daylight saving since 1991.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The decimal number in s[start, start + n), or −1 if a character is not a digit. */
function digits(s: string, start: number, n: number): number {
  let x = 0;
  for (let i = start; i < start + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    x = x * 10 + c;
  }
  return x;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The day number of an ISO date string (years 1000–9999), or `undefined` if the value is not a real
 * calendar date. Hand-written (days-from-civil) because it runs once per date fact per evaluation.
 */
export function dayNumber(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length !== 10) return undefined;
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return undefined;
  let y = digits(value, 0, 4);
  const m = digits(value, 5, 2);
  const d = digits(value, 8, 2);
  if (y < 1000 || m < 1 || m > 12 || d < 1) return undefined;
  if (d > (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!)) return undefined;
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function isIsoDate(value: unknown): value is string {
  return dayNumber(value) !== undefined;
}

export function isoDateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Normalises an evaluation date: an ISO date stays as is; a `Date` or an ISO date-time becomes the calendar
 * date in Asia/Shanghai. Throws `RangeError` for anything else.
 */
export function toIsoDate(value: string | Date): string {
  if (typeof value === 'string' && isIsoDate(value)) return value;
  const t =
    value instanceof Date ? value.getTime() : ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(t)) throw new RangeError(`not an ISO date: ${String(value)}`);
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
