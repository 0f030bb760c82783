/**
 * Errors of the file pipeline. Self-contained on purpose: the app's error handler maps a `FileError` to its
 * `AppError`/problem+json by `code` and `status`, and may show `messageZh`/`messageEn` as they are.
 */

export const FILE_ERRORS = {
  FILE_EMPTY: { status: 400, zh: '文件为空', en: 'The file is empty' },
  FILE_TOO_LARGE: { status: 413, zh: '文件过大', en: 'The file is too large' },
  FILE_TOO_MANY_ENTRIES: {
    status: 413,
    zh: '文件内部条目过多,不像正常的表格文件',
    en: 'The file holds too many entries to be a normal spreadsheet',
  },
  FILE_ZIP_BOMB: {
    status: 413,
    zh: '文件解压后过大或压缩比异常,已拒绝处理',
    en: 'The file expands to too much data or is compressed suspiciously well; it was refused',
  },
  FILE_TOO_MANY_ROWS: { status: 413, zh: '数据行数超过上限', en: 'The file has more data rows than allowed' },
  FILE_NOT_SPREADSHEET: {
    status: 415,
    zh: '文件不是有效的 Excel(.xlsx)表格',
    en: 'The file is not a valid Excel (.xlsx) workbook',
  },
  FILE_UNSUPPORTED_TYPE: {
    status: 415,
    zh: '不支持的文件类型,请上传 .xlsx 或 .csv 文件',
    en: 'Unsupported file type; upload an .xlsx or .csv file',
  },
  FILE_ENCODING: {
    status: 415,
    zh: '无法识别文件的字符编码,请另存为 UTF-8 或 GB18030 编码的 CSV',
    en: 'The character encoding of the file cannot be read; save the CSV as UTF-8 or GB18030',
  },
  FILE_CSV_MALFORMED: { status: 422, zh: 'CSV 文件格式有误', en: 'The CSV file is malformed' },
  FILE_SHEET_MISSING: {
    status: 422,
    zh: '找不到指定的工作表',
    en: 'The requested worksheet does not exist',
  },
  FILE_HEADER_MISSING: { status: 422, zh: '缺少必填的表头列', en: 'Required header columns are missing' },
  FILE_HEADER_DUPLICATE: {
    status: 422,
    zh: '表头中有重复的列',
    en: 'The header has the same column more than once',
  },
} as const satisfies Record<string, { status: 400 | 413 | 415 | 422; zh: string; en: string }>;

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
