import { ERROR_CATALOG, type ErrorCode } from '@sibao/contracts';

/**
 * Errors of the file pipeline. The app's error handler answers a `FileError` as problem+json with its code,
 * status and messages; the codes and texts live in the one catalogue of @sibao/contracts.
 */

const FILE_CODES = [
  'FILE_EMPTY',
  'FILE_TOO_LARGE',
  'FILE_TOO_MANY_ENTRIES',
  'FILE_ZIP_BOMB',
  'FILE_TOO_MANY_ROWS',
  'FILE_NOT_SPREADSHEET',
  'FILE_UNSUPPORTED_TYPE',
  'FILE_ENCODING',
  'FILE_CSV_MALFORMED',
  'FILE_SHEET_MISSING',
  'FILE_HEADER_MISSING',
  'FILE_HEADER_DUPLICATE',
] as const satisfies readonly ErrorCode[];

/** The pipeline's codes with their status and messages, from the one catalogue in @sibao/contracts. */
export const FILE_ERRORS = Object.fromEntries(FILE_CODES.map((code) => [code, ERROR_CATALOG[code]])) as {
  [C in (typeof FILE_CODES)[number]]: (typeof ERROR_CATALOG)[C] & { status: 400 | 413 | 415 | 422 };
};

export type FileErrorCode = keyof typeof FILE_ERRORS;

/** A refused file: a stable `code`, its HTTP `status`, messages in Chinese and English, and `details`. */
export class FileError extends Error {
  readonly status: 400 | 413 | 415 | 422;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: FileErrorCode,
    options: { zh?: string; en?: string; details?: Record<string, unknown> } = {},
  ) {
    const entry = FILE_ERRORS[code];
    const messageEn = options.en ?? entry.en;
    super(`${code}: ${messageEn}`);
    this.name = 'FileError';
    this.status = entry.status;
    this.messageZh = options.zh ?? entry.zh;
    this.messageEn = messageEn;
    this.details = options.details;
  }
}

/** Whether `error` is a FileError (with the given code, when one is given). */
export function isFileError(error: unknown, code?: FileErrorCode): error is FileError {
  return error instanceof FileError && (code === undefined || error.code === code);
}
