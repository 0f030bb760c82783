import { createHash } from 'node:crypto';
import { ERROR_CATALOG, type ErrorCode } from '@sibao/contracts';
import { z } from 'zod';
import { decodeText, parseCsv, type TextEncoding, type TextEncodingChoice } from './files.csv';
import { FileError } from './files.errors';
import { neutraliseCell } from './files.export';
import { checkUploadSize, type FileLimits } from './files.safety';
import { type CellValue, openXlsxSheet, type SheetRow } from './files.xlsx';

export type Locale = 'zh' | 'en';

/** One column of an import: how its header may be written, and how its cells are validated. */
export interface ImportColumn<K extends string = string, S extends z.ZodType = z.ZodType> {
  key: K;
  header: { zh: string; en: string };
  /** Other header texts accepted for this column (matched the same forgiving way as zh and en). */
  aliases?: readonly string[];
  /**
   * Validates a non-empty cell. Every cell reaches the schema as trimmed text (numbers as `String(n)`,
   * dates as ISO `2022-05-25` / `2022-05-25T08:30:00`, booleans as `TRUE`/`FALSE`), the same for CSV and
   * .xlsx: use `z.coerce.number()`, `z.iso.date()` … for non-text columns.
   */
  schema: S;
  /** An empty cell is an error (`required`); otherwise it is left out of the value. Default false. */
  required?: boolean;
  /** The column's (parsed) values must not repeat within the file (`duplicate`). */
  unique?: boolean;
  /** What to write in the column, for the template's notes. */
  note?: { zh: string; en: string };
  /** An example value for the template's notes. */
  example?: string;
  /** Template column width in characters. */
  width?: number;
}

export interface ImportDefinition<Cols extends readonly ImportColumn[] = readonly ImportColumn[]> {
  columns: Cols;
  /** Most data rows accepted; more is FILE_TOO_MANY_ROWS, refused while reading. Default 10,000. */
  maxRows: number;
  /** Most row errors reported; the rest are counted. Default 1,000. */
  maxErrors: number;
  /** Worksheet read from an .xlsx; default the first visible one. */
  sheet?: string;
  /** Template sheet name; default `数据` / `Data`. */
  sheetName?: { zh: string; en: string };
}

/** The value of a valid row: each key typed by its schema, optional unless `required: true`. */
export type ImportRowValue<Cols extends readonly ImportColumn[]> = {
  [C in Cols[number] as C['key']]: C extends { required: true }
    ? z.output<C['schema']>
    : z.output<C['schema']> | undefined;
};

/**
 * Declares an import: its columns (headers in Chinese and English, aliases, zod schema, required, unique)
 * and limits. Throws TypeError when two columns share a key or a header/alias (a programming error).
 */
export function defineImport<const Cols extends readonly ImportColumn[]>(definition: {
  columns: Cols;
  maxRows?: number;
  maxErrors?: number;
  sheet?: string;
  sheetName?: { zh: string; en: string };
}): ImportDefinition<Cols> {
  const keys = new Set<string>();
  const headers = new Map<string, string>();
  for (const column of definition.columns) {
    if (keys.has(column.key)) throw new TypeError(`import column key "${column.key}" is declared twice`);
    keys.add(column.key);
    for (const text of headerTexts(column)) {
      const key = normaliseHeader(text);
      const owner = headers.get(key);
      if (owner !== undefined && owner !== column.key) {
        throw new TypeError(`header "${text}" is used by both "${owner}" and "${column.key}"`);
      }
      headers.set(key, column.key);
    }
  }
  return {
    ...definition,
    maxRows: definition.maxRows ?? 10_000,
    maxErrors: definition.maxErrors ?? 1_000,
  };
}

/**
 * Header text as compared: Unicode NFKC (full-width letters, digits, brackets and the ideographic space
 * become their half-width forms), whitespace removed, required-markers `*` at either end removed,
 * lower-cased. So `统一社会信用代码`, ` 统一社会 信用代码* `, `ＵＳＣＣ` and `uscc` each match their column.
 */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^\*+|\*+$/g, '')
    .toLowerCase();
}

export interface ImportFile {
  buffer: Uint8Array;
  /**
   * Decides the format by extension: .xlsx; .csv, .tsv, .txt as delimited text; .xls gets a "save as .xlsx"
   * answer; any other name is read as .xlsx when it starts with a zip signature.
   */
  filename: string;
  /** CSV only; default `auto` (see `decodeText`). */
  encoding?: TextEncodingChoice;
}

export interface ParseImportOptions {
  /**
   * Called as rows are read and validated: `done` data rows so far out of an estimated `total` (exact for
   * CSV; from the sheet's declared dimension for .xlsx, corrected at the end). The last call has
   * `done === total`.
   */
  onProgress?: (done: number, total: number) => void;
  /** Return the valid rows even when other rows have errors. Default false: see `parseImport`. */
  allowPartial?: boolean;
  /** Language of the row error messages; default `zh`. */
  locale?: Locale;
  limits?: Partial<FileLimits>;
  /** CSV field separator; default `,` (tab for `.tsv`, and for a `.txt` whose header has tabs, no commas). */
  delimiter?: string;
  /** The .xlsx worksheet to read, overriding the definition's (e.g. picked by the user). */
  sheet?: string;
}

export interface ImportRowError {
  /** The row number as the spreadsheet shows it (the header row is usually 1). */
  row: number;
  /** The column's header text as written in the file. */
  column: string;
  /** The column's key in the definition. */
  field: string;
  /** `required`, `duplicate`, or the zod issue code (`invalid_format`, `too_big`, `custom` …). */
  code: string;
  message: string;
}

export interface ImportResult<V> {
  /** No row has an error. */
  ok: boolean;
  /** The valid rows, in file order; empty when any row has an error unless `allowPartial` was set. */
  rows: Array<{ rowNumber: number; value: V }>;
  /** Row errors in file order, at most `maxErrors` of them. */
  errors: ImportRowError[];
  /** More errors existed than were kept. */
  errorsTruncated: boolean;
  /** Data rows read (empty rows not counted). */
  totalRows: number;
  /** Data rows without any error (even when `rows` is withheld). */
  validRows: number;
  headerRow: number;
  /** Header texts that match no column; their cells are ignored. */
  unknownHeaders: string[];
  source: {
    format: 'xlsx' | 'csv';
    sheet?: string;
    encoding?: TextEncoding;
    /** SHA-256 of the upload, hex: a natural idempotency key for "this file was already imported". */
    sha256: string;
  };
}

/**
 * Reads an uploaded .xlsx or CSV, maps its header row to the definition's columns, and validates every
 * data row.
 *
 * All or nothing: the caller commits every returned row in one transaction, or none. When any row has an
 * error the result has `ok: false` and **no rows** — the pipeline never hands out part of a file, so a
 * half-imported roster cannot happen by accident. Set `allowPartial: true` to receive the valid rows anyway
 * (the caller then owns the decision to commit them without the others).
 *
 * The header row is the first non-empty row; rows with nothing in any known column are skipped; row numbers
 * are the sheet's own (for CSV, the record number — what Excel shows when it opens the file).
 *
 * Throws FileError for a file that cannot be used at all: the safety and format codes of `inspectXlsx`,
 * `decodeText` and `parseCsv`, FILE_UNSUPPORTED_TYPE, FILE_SHEET_MISSING, FILE_HEADER_MISSING (with
 * `details.missing`), FILE_HEADER_DUPLICATE, FILE_TOO_MANY_ROWS.
 */
export async function parseImport<Cols extends readonly ImportColumn[]>(
  definition: ImportDefinition<Cols>,
  file: ImportFile,
  options: ParseImportOptions = {},
): Promise<ImportResult<ImportRowValue<Cols>>> {
  checkUploadSize(file.buffer, options.limits);
  const sha256 = createHash('sha256').update(file.buffer).digest('hex');
  const source = await openSource(definition, file, options);
  const locale = options.locale ?? 'zh';
  const errorMap = locale === 'zh' ? zhErrors : enErrors;

  let header: { rowNumber: number; columns: MappedColumn[]; unknown: string[] } | undefined;
  const rows: Array<{ rowNumber: number; value: ImportRowValue<Cols> }> = [];
  const errors: ImportRowError[] = [];
  let errorCount = 0;
  let totalRows = 0;
  let validRows = 0;
  let estimate = 0;
  const seen = new Map<string, Map<string, number>>();
  const report = (done: number) => {
    estimate = Math.max(estimate, done);
    options.onProgress?.(done, estimate);
  };
  report(0);

  for await (const sheetRow of source.rows) {
    if (!header) {
      header = mapHeader(definition, sheetRow);
      estimate = Math.max(0, Math.min(source.lastRowHint - sheetRow.rowNumber, definition.maxRows));
      report(0);
      continue;
    }
    if (!header.columns.some((c) => cellText(sheetRow.cells[c.index]) !== undefined)) continue;
    totalRows++;
    if (totalRows > definition.maxRows) {
      throw new FileError('FILE_TOO_MANY_ROWS', {
        zh: `数据行数超过上限 ${definition.maxRows} 行,请拆分后分批导入`,
        en: `The file has more than ${definition.maxRows} data rows; split it and import the parts`,
        details: { limit: definition.maxRows },
      });
    }
    const value: Record<string, unknown> = {};
    let rowOk = true;
    const fail = (column: MappedColumn, code: string, message: string) => {
      rowOk = false;
      errorCount++;
      if (errors.length < definition.maxErrors) {
        errors.push({
          row: sheetRow.rowNumber,
          column: column.headerText,
          field: column.column.key,
          code,
          message,
        });
      }
    };
    for (const mapped of header.columns) {
      const { column } = mapped;
      const text = cellText(sheetRow.cells[mapped.index]);
      if (text === undefined) {
        if (column.required) fail(mapped, 'required', locale === 'zh' ? '必填项不能为空' : 'Required');
        continue;
      }
      const parsed = column.schema.safeParse(text, { error: errorMap });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        // Our validators (USCC, ID number …) put a stable code in the message: report it as the code,
        // with the catalogue's message in the row's language.
        const stable = issue?.message && /^[A-Z][A-Z0-9_]+/.exec(issue.message)?.[0];
        const known = stable && stable in ERROR_CATALOG ? ERROR_CATALOG[stable as ErrorCode] : undefined;
        fail(
          mapped,
          stable || issue?.code || 'invalid',
          known ? known[locale] : (issue?.message ?? (locale === 'zh' ? '格式不正确' : 'Invalid')),
        );
        continue;
      }
      if (column.unique) {
        const key = uniqueKey(parsed.data);
        const values = seen.get(column.key) ?? new Map<string, number>();
        seen.set(column.key, values);
        const first = values.get(key);
        if (first !== undefined) {
          fail(mapped, 'duplicate', locale === 'zh' ? `与第 ${first} 行重复` : `Same value as row ${first}`);
          continue;
        }
        values.set(key, sheetRow.rowNumber);
      }
      value[column.key] = parsed.data;
    }
    if (rowOk) {
      validRows++;
      rows.push({ rowNumber: sheetRow.rowNumber, value: value as ImportRowValue<Cols> });
    }
    if (totalRows % 500 === 0) report(totalRows);
  }

  if (!header) {
    throw headerMissing(
      definition.columns.filter((c) => c.required),
      [],
    );
  }
  estimate = totalRows;
  report(totalRows);
  const ok = errorCount === 0;
  return {
    ok,
    rows: ok || options.allowPartial ? rows : [],
    errors,
    errorsTruncated: errorCount > errors.length,
    totalRows,
    validRows,
    headerRow: header.rowNumber,
    unknownHeaders: header.unknown,
    source: { ...source.info, sha256 },
  };
}

// ------------------------------------------------------------------------------------------------------

interface MappedColumn {
  column: ImportColumn;
  index: number;
  headerText: string;
}

interface RowSource {
  rows: AsyncIterable<SheetRow>;
  /** The last row number the source expects to have (for progress only). */
  lastRowHint: number;
  info: { format: 'xlsx' | 'csv'; sheet?: string; encoding?: TextEncoding };
}

const zhErrors = z.locales.zhCN().localeError;
const enErrors = z.locales.en().localeError;
const ZIP_SIGNATURE = Buffer.from('PK\x03\x04', 'latin1');

async function openSource(
  definition: ImportDefinition,
  file: ImportFile,
  options: ParseImportOptions,
): Promise<RowSource> {
  const extension = /\.([^./\\]+)$/.exec(file.filename.trim())?.[1]?.toLowerCase() ?? '';
  const buffer = Buffer.from(file.buffer.buffer, file.buffer.byteOffset, file.buffer.length);
  const looksZip = buffer.subarray(0, 4).equals(ZIP_SIGNATURE);
  if (extension === 'csv' || extension === 'txt' || extension === 'tsv') {
    const decoded = decodeText(buffer, file.encoding ?? 'auto');
    const records = parseCsv(decoded.text, {
      delimiter: options.delimiter ?? sniffDelimiter(decoded.text, extension),
    });
    const rows = records
      .map((cells, index) => ({ rowNumber: index + 1, cells: cells as CellValue[] }))
      .filter((row) => row.cells.some((cell) => cellText(cell) !== undefined));
    return {
      rows: toAsync(rows),
      lastRowHint: rows.at(-1)?.rowNumber ?? 0,
      info: { format: 'csv', encoding: decoded.encoding },
    };
  }
  if (extension === 'xlsx' || extension === 'xls' || looksZip) {
    const opened = await openXlsxSheet(buffer, {
      sheet: options.sheet ?? definition.sheet,
      limits: options.limits,
    });
    return {
      rows: opened.rows(),
      lastRowHint: opened.lastRowHint ?? 0,
      info: { format: 'xlsx', sheet: opened.sheet.name },
    };
  }
  throw new FileError('FILE_UNSUPPORTED_TYPE', { details: { filename: file.filename } });
}

/**
 * `.tsv` is tab-separated; so is a `.txt` whose first line has tabs and no commas (Excel's "Unicode text"
 * export); everything else is comma-separated.
 */
function sniffDelimiter(text: string, extension: string): string {
  if (extension === 'tsv') return '\t';
  const firstLine = text.slice(0, text.search(/[\r\n]|$/));
  return extension === 'txt' && firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

function headerTexts(column: ImportColumn): string[] {
  return [column.header.zh, column.header.en, ...(column.aliases ?? [])];
}

function mapHeader(
  definition: ImportDefinition,
  row: SheetRow,
): { rowNumber: number; columns: MappedColumn[]; unknown: string[] } {
  const byHeader = new Map<string, ImportColumn>();
  for (const column of definition.columns) {
    for (const text of headerTexts(column)) byHeader.set(normaliseHeader(text), column);
  }
  const columns: MappedColumn[] = [];
  const unknown: string[] = [];
  row.cells.forEach((cell, index) => {
    const text = cellText(cell);
    if (text === undefined) return;
    const column = byHeader.get(normaliseHeader(text));
    if (!column) {
      unknown.push(text);
      return;
    }
    const twice = columns.find((c) => c.column === column);
    if (twice) {
      throw new FileError('FILE_HEADER_DUPLICATE', {
        zh: `表头中“${twice.headerText}”和“${text}”是同一列(${column.header.zh})`,
        en: `The header has "${twice.headerText}" and "${text}", both the column ${column.header.en}`,
        details: { column: column.key, headers: [twice.headerText, text] },
      });
    }
    columns.push({ column, index, headerText: text });
  });
  const missing = definition.columns.filter((c) => c.required && !columns.some((m) => m.column === c));
  if (missing.length > 0) throw headerMissing(missing, unknown, row.rowNumber);
  return { rowNumber: row.rowNumber, columns, unknown };
}

function headerMissing(missing: readonly ImportColumn[], unknown: string[], headerRow?: number): FileError {
  if (missing.length === 0) {
    return new FileError('FILE_HEADER_MISSING', {
      zh: '文件中没有表头行',
      en: 'The file has no header row',
      details: { missing: [], unknownHeaders: unknown },
    });
  }
  return new FileError('FILE_HEADER_MISSING', {
    zh: `缺少必填列:${missing.map((c) => c.header.zh).join('、')}`,
    en: `Missing required columns: ${missing.map((c) => c.header.en).join(', ')}`,
    details: {
      missing: missing.map((c) => ({ key: c.key, zh: c.header.zh, en: c.header.en })),
      unknownHeaders: unknown,
      ...(headerRow === undefined ? {} : { headerRow }),
    },
  });
}

/**
 * A cell as the schema sees it: trimmed text, or undefined when empty. A leading `'` that `neutraliseCell`
 * added on export is taken off again, so our own exports import cleanly.
 */
function cellText(cell: CellValue | undefined): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  let text: string;
  if (typeof cell === 'string') {
    text =
      cell.length > 1 && cell[0] === "'" && neutraliseCell(cell.slice(1)) === cell ? cell.slice(1) : cell;
  } else if (typeof cell === 'boolean') {
    text = cell ? 'TRUE' : 'FALSE';
  } else {
    text = String(cell);
  }
  text = text.trim();
  return text === '' ? undefined : text;
}

function uniqueKey(value: unknown): string {
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (typeof value === 'string') return `s:${value.normalize('NFKC').toLowerCase()}`;
  return `${typeof value}:${JSON.stringify(value)}`;
}

/**
 * A cell read through a label table: the values themselves or their labels (Chinese or English,
 * case-insensitive); anything else is a row error with `code` (a catalogue code).
 */
export function labelled<T extends string>(values: readonly T[], labels: Record<string, T>, code: string) {
  const table = new Map<string, T>();
  for (const v of values) table.set(v, v);
  for (const [label, v] of Object.entries(labels)) table.set(label.toLowerCase(), v);
  return z.string().transform((text, ctx) => {
    const v = table.get(text.toLowerCase());
    if (!v) ctx.addIssue({ code: 'custom', message: code });
    return v ?? values[0]!;
  });
}
