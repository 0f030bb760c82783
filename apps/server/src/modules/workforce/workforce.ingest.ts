import {
  type PcrMethod,
  type PcrResult,
  type RowError,
  TEST_RESULT_BATCH_MAX,
  TestResultRowSchema,
} from '@sibao/contracts';
import type { z } from 'zod';

/**
 * Validation and de-duplication of one lab batch of `pcr_test` results (issue 5; 指南 二(一) 48 h testing,
 * 三(七) pooled results and single-tube re-tests), before any database work. Pure: the clock is passed in.
 *
 * Each row is checked on its own, so one bad row never refuses the rest: a row is `rejected` (with its
 * errors), a `duplicate` of an earlier row of the batch with the same natural key (the lab + `labSampleId`;
 * the lab is the API token's, the same for the whole batch), or `accepted`. Rows already stored from
 * earlier batches are the database step's business (it adds them to `duplicate`).
 */

/** How far a sample time may lie after the server's clock (labs' clocks drift): five minutes. */
export const SAMPLE_CLOCK_SKEW_MS = 5 * 60_000;

/** A row ready to write: normalised ID number, the instant as a Date, and its index in the batch. */
export interface ReadyTestRow {
  readonly row: number;
  readonly labSampleId: string;
  /** 18 characters, normalised (half-width, upper-case X); the query layer hashes and encrypts it. */
  readonly idNumber: string;
  readonly sampledAt: Date;
  readonly result: PcrResult;
  readonly method: PcrMethod;
  readonly tubeId: string;
  readonly retestOfLabSampleId: string | null;
}

export interface IngestedBatch {
  readonly rows: ReadyTestRow[];
  readonly errors: RowError[];
  readonly received: number;
  readonly accepted: number;
  readonly duplicate: number;
  readonly rejected: number;
}

export interface IngestOptions {
  readonly now: Date;
  /** Defaults to `SAMPLE_CLOCK_SKEW_MS`. */
  readonly clockSkewMs?: number;
}

/**
 * Maps one zod issue of a row to the stable codes the lab sees (ERROR_CATALOG). zod does not echo the input
 * in its issues, so "missing" is read from the raw row.
 */
export function rowErrorsOf(row: number, raw: Record<string, unknown>, issue: z.core.$ZodIssue): RowError[] {
  const field = issue.path.map(String).join('.');
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && raw[field] === undefined)
    return [{ row, field, code: 'FIELD_REQUIRED' }];
  switch (issue.code) {
    case 'custom':
      return [{ row, field, code: issue.message }];
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ row, field: key, code: 'UNKNOWN_FIELD' }));
    case 'invalid_type':
      return [{ row, field, code: 'FIELD_INVALID' }];
    case 'invalid_value':
      return [{ row, field, code: field === 'result' ? 'WORKFORCE_RESULT_UNKNOWN' : 'FIELD_INVALID' }];
    default:
      return [{ row, field, code: 'FIELD_INVALID' }];
  }
}

/**
 * A line of an NDJSON batch (`Content-Type: application/x-ndjson`) that is not JSON: it stays in the batch at
 * its place (row = line number − 1), so it becomes that row's error (`WORKFORCE_LINE_MALFORMED`), not a 400
 * for the other lines. Serialises with its text, so the idempotency hash of the batch covers it.
 */
export class MalformedLine {
  constructor(readonly text: string) {}
  toJSON() {
    return { malformedLine: this.text };
  }
}

/**
 * Splits an NDJSON body into rows: one JSON value per line (`\n` or `\r\n`), a final newline optional. A
 * line that does not parse — an empty line too — is a `MalformedLine`. Stops splitting one line past
 * `TEST_RESULT_BATCH_MAX`, so an oversized body is refused by the route's schema without parsing it all.
 */
export function parseNdjson(text: string): unknown[] {
  const rows: unknown[] = [];
  let start = 0;
  while (start < text.length && rows.length <= TEST_RESULT_BATCH_MAX) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    try {
      rows.push(line.trim() === '' ? new MalformedLine(line) : JSON.parse(line));
    } catch {
      rows.push(new MalformedLine(line));
    }
    start = end + 1;
  }
  return rows;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Whether two valid rows with one natural key say the same thing (then the second is a mere resend). */
function sameContent(a: ReadyTestRow, b: ReadyTestRow): boolean {
  return (
    a.idNumber === b.idNumber &&
    a.sampledAt.getTime() === b.sampledAt.getTime() &&
    a.result === b.result &&
    a.method === b.method &&
    a.tubeId === b.tubeId &&
    a.retestOfLabSampleId === b.retestOfLabSampleId
  );
}

// ---------------------------------------------------------------------------------------------------------
// Fast path: rows that are plainly valid skip zod (its per-row cost dominated a 10 k-row batch). Any row the
// fast path does not accept outright goes through `TestResultRowSchema`, which decides and names the errors —
// so the fast path can only say "valid, and here is exactly what zod would output", never reject.

const ROW_KEYS = new Set(Object.keys(TestResultRowSchema.shape));
/** zod's own ISO date-time pattern of `sampledAt` (offset required), so both paths accept the same strings. */
const INSTANT_PATTERN: RegExp | undefined = TestResultRowSchema.shape.sampledAt._zod.def.pattern;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';

/** A lab code already in normal form: 1-64 visible ASCII characters (so zod's trim changes nothing). */
function isCleanLabCode(v: unknown): v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/**
 * An ID number already in normal form (17 ASCII digits + digit or upper-case X, so normalising changes
 * nothing) with a calendar birth date from 1900 to `todayCompact` ('YYYYMMDD', Asia/Shanghai) and a right
 * check digit — what `validateIdNumber` accepts for such a string.
 */
function isCleanIdNumber(v: unknown, todayCompact: string): v is string {
  if (typeof v !== 'string' || v.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += d * ID_WEIGHTS[i]!;
  }
  if (v[17] !== ID_CHECK_CHARS[sum % 11]) return false;
  const year = Number(v.slice(6, 10));
  const month = Number(v.slice(10, 12));
  const day = Number(v.slice(12, 14));
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  return v.slice(6, 14) <= todayCompact;
}

/** Today's date in Asia/Shanghai as 'YYYYMMDD' — the "today" `IdNumberSchema` checks birth dates against. */
export function shanghaiTodayCompact(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * The row as `TestResultRowSchema` would output it, when it is plainly valid; `null` when zod must look at it
 * (anything unusual: unknown or missing fields, untrimmed or full-width text, a re-test reference, any error).
 */
export function quickRow(
  raw: Record<string, unknown>,
  row: number,
  todayCompact: string,
): ReadyTestRow | null {
  let keys = 0;
  for (const key in raw) {
    if (!ROW_KEYS.has(key)) return null;
    keys++;
  }
  const { labSampleId, idNumber, sampledAt, result, method, tubeId, retestOfLabSampleId } = raw;
  if (keys < 6 || retestOfLabSampleId != null) return null;
  if (result !== 'negative' && result !== 'positive' && result !== 'invalid') return null;
  if (method !== 'pooled' && method !== 'single') return null;
  if (!isCleanLabCode(labSampleId) || !isCleanLabCode(tubeId)) return null;
  if (typeof sampledAt !== 'string' || !INSTANT_PATTERN?.test(sampledAt)) return null;
  if (!isCleanIdNumber(idNumber, todayCompact)) return null;
  const at = new Date(sampledAt);
  if (Number.isNaN(at.getTime())) return null;
  return { row, labSampleId, idNumber, sampledAt: at, result, method, tubeId, retestOfLabSampleId: null };
}

/**
 * Checks a lab batch row by row: shape and codes (`TestResultRowSchema`: ID number format, birth date and
 * check digit; result negative/positive/invalid; method; unknown fields), sample time no later than
 * `now` + the clock-skew allowance, and the natural key once per batch. A later row with an earlier row's
 * key is a `duplicate` when it says the same thing, and `rejected` (`WORKFORCE_SAMPLE_CONFLICT`) when it
 * contradicts it; the first valid row wins either way. `accepted + duplicate + rejected` = rows received.
 * Throws `RangeError` for more than `TEST_RESULT_BATCH_MAX` rows (the route's schema refuses them first).
 */
export function ingestTestBatch(rows: readonly unknown[], options: IngestOptions): IngestedBatch {
  if (rows.length > TEST_RESULT_BATCH_MAX)
    throw new RangeError(`a batch holds at most ${TEST_RESULT_BATCH_MAX} rows`);
  const latest = options.now.getTime() + (options.clockSkewMs ?? SAMPLE_CLOCK_SKEW_MS);
  const ready: ReadyTestRow[] = [];
  const errors: RowError[] = [];
  const byKey = new Map<string, ReadyTestRow>();
  let duplicate = 0;
  let rejected = 0;
  // IdNumberSchema checks birth dates against the real clock's date, not the injected one: so does the fast path.
  const today = shanghaiTodayCompact(new Date());

  rows.forEach((raw, row) => {
    if (!isPlainObject(raw)) {
      const code = raw instanceof MalformedLine ? 'WORKFORCE_LINE_MALFORMED' : 'WORKFORCE_ROW_NOT_OBJECT';
      errors.push({ row, field: '', code });
      rejected++;
      return;
    }
    let candidate = quickRow(raw, row, today);
    if (!candidate) {
      const parsed = TestResultRowSchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) errors.push(...rowErrorsOf(row, raw, issue));
        rejected++;
        return;
      }
      candidate = { row, ...parsed.data, sampledAt: new Date(parsed.data.sampledAt) };
    }
    if (candidate.sampledAt.getTime() > latest) {
      errors.push({ row, field: 'sampledAt', code: 'WORKFORCE_SAMPLE_TIME_FUTURE' });
      rejected++;
      return;
    }
    const first = byKey.get(candidate.labSampleId);
    if (first) {
      if (sameContent(first, candidate)) {
        errors.push({ row, field: 'labSampleId', code: 'WORKFORCE_DUPLICATE_ROW' });
        duplicate++;
      } else {
        errors.push({ row, field: 'labSampleId', code: 'WORKFORCE_SAMPLE_CONFLICT' });
        rejected++;
      }
      return;
    }
    byKey.set(candidate.labSampleId, candidate);
    ready.push(candidate);
  });

  return {
    rows: ready,
    errors,
    received: rows.length,
    accepted: ready.length,
    duplicate,
    rejected,
  };
}
