/** Business dates and deadlines are in Asia/Shanghai (UTC+8, no daylight saving). */
export const BUSINESS_TZ = 'Asia/Shanghai';

const dateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUSINESS_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The business date (YYYY-MM-DD in Asia/Shanghai) of an instant. */
export function businessDate(at: Date = new Date()): string {
  return dateFormat.format(at);
}
