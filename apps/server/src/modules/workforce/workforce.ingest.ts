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

  rows.forEach((raw, row) => {
    if (!isPlainObject(raw)) {
      errors.push({ row, field: '', code: 'WORKFORCE_ROW_NOT_OBJECT' });
      rejected++;
      return;
    }
    const parsed = TestResultRowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(...rowErrorsOf(row, raw, issue));
      rejected++;
      return;
    }
    const sampledAt = new Date(parsed.data.sampledAt);
    if (sampledAt.getTime() > latest) {
      errors.push({ row, field: 'sampledAt', code: 'WORKFORCE_SAMPLE_TIME_FUTURE' });
      rejected++;
      return;
    }
    const candidate: ReadyTestRow = { row, ...parsed.data, sampledAt };
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
