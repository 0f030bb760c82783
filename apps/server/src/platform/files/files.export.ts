import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { encodeText, formatCsv } from './files.csv';
import { FileError } from './files.errors';

export type ExportValue = string | number | bigint | boolean | Date | null | undefined;

export interface ExportColumn<Row extends object = Record<string, unknown>> {
  /** The header text, as the reader should see it (usually Chinese). */
  header: string;
  key: keyof Row & string;
  /** Column width in characters (xlsx only). */
  width?: number;
}

export interface ExportOptions<Row extends object = Record<string, unknown>> {
  columns: readonly ExportColumn<Row>[];
  /**
   * The rows; a column's value is read as `row[key]`: strings, numbers, bigints, booleans and dates are
   * written as such, null/undefined as empty cells, anything else as `String(value)`.
   */
  rows: Iterable<Row> | AsyncIterable<Row>;
  format: 'xlsx' | 'csv';
  /** CSV only: `utf8` (with a byte-order mark, the default) or `gb18030`. */
  encoding?: 'utf8' | 'gb18030';
  /** xlsx only; default `Sheet1`. Characters Excel forbids are replaced. */
  sheetName?: string;
  /** Dates are written as wall-clock time in this zone; default `Asia/Shanghai`. */
  timeZone?: string;
}

const EXCEL_MAX_ROWS = 1_048_576;

/**
 * Characters that make a spreadsheet treat a cell as a formula or command (OWASP "CSV Injection"): `=`, `+`,
 * `-`, `@`, tab and carriage return — plus their full-width forms, which some CJK spreadsheet software
 * converts on entry.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** Makes a string inert in a spreadsheet: one starting with a formula trigger gets a leading `'`. */
export function neutraliseCell(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]!) ? `'${text}` : text;
}

/**
 * Writes rows to an .xlsx or CSV file, in memory.
 *
 * Every string value passes `neutraliseCell`. In .xlsx, values are written as typed cells — strings as
 * shared-string cells, never formulas, line breaks as LF — numbers as numbers, dates as date cells
 * (wall-clock time in `timeZone`); the header row is bold and frozen. CSV quotes every field, ends records with CRLF, writes
 * dates as `YYYY-MM-DD HH:mm:ss` in `timeZone`, and in UTF-8 starts with a byte-order mark so Excel shows
 * Chinese correctly.
 *
 * Throws FileError FILE_TOO_MANY_ROWS past Excel's 1,048,576 rows (xlsx).
 */
export async function exportRows<Row extends object>(options: ExportOptions<Row>): Promise<Buffer> {
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  if (options.format === 'csv') return exportCsv(options, timeZone);
  return exportXlsx(options, timeZone);
}

async function exportCsv<Row extends object>(options: ExportOptions<Row>, timeZone: string): Promise<Buffer> {
  const lines: string[][] = [options.columns.map((c) => neutraliseCell(c.header))];
  for await (const row of options.rows) {
    lines.push(options.columns.map((c) => csvField(cellValueOf(row, c.key), timeZone)));
  }
  return encodeText(formatCsv(lines), options.encoding ?? 'utf8');
}

function cellValueOf<Row extends object>(row: Row, key: keyof Row & string): ExportValue {
  const value: unknown = row[key];
  if (value === null || value === undefined || value instanceof Date) return value;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return value;
    default:
      return String(value);
  }
}

function csvField(value: ExportValue, timeZone: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return neutraliseCell(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return formatWallClock(value, timeZone);
}

async function exportXlsx<Row extends object>(
  options: ExportOptions<Row>,
  timeZone: string,
): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useSharedStrings: true,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet(sheetNameOf(options.sheetName), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = options.columns.map((c) => ({ key: c.key, width: c.width ?? defaultWidth(c.header) }));
  const header = sheet.addRow(options.columns.map((c) => neutraliseCell(c.header)));
  header.font = { bold: true };
  header.commit();
  let count = 1;
  for await (const row of options.rows) {
    if (++count > EXCEL_MAX_ROWS) {
      throw new FileError('FILE_TOO_MANY_ROWS', { details: { limit: EXCEL_MAX_ROWS - 1 } });
    }
    const values = options.columns.map((c) => cellValueOf(row, c.key));
    const added = sheet.addRow(values.map((value) => xlsxValue(value, timeZone)));
    values.forEach((value, index) => {
      if (value instanceof Date) added.getCell(index + 1).numFmt = 'yyyy-mm-dd hh:mm:ss';
    });
    added.commit();
  }
  sheet.commit();
  await workbook.commit();
  await finished;
  return Buffer.concat(chunks);
}

function xlsxValue(value: ExportValue, timeZone: string): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  // XML turns a raw CR into LF when the file is read; write Excel's in-cell line break, LF, to begin with.
  if (typeof value === 'string') return neutraliseCell(value).replace(/\r\n?/g, '\n');
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value;
  // exceljs turns a Date into an Excel serial using UTC; hand it the wall-clock time as if it were UTC.
  const wall = wallClockParts(value, timeZone);
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
}

function sheetNameOf(name = 'Sheet1'): string {
  const cleaned = name
    .replace(/[[\]:*?/\\]/g, '_')
    .replace(/^'+|'+$/g, '')
    .slice(0, 31);
  return cleaned || 'Sheet1';
}

/** Chinese characters are about two Latin characters wide. */
function defaultWidth(header: string): number {
  let width = 0;
  for (const ch of header) width += ch.codePointAt(0)! <= 0xff ? 1 : 2;
  return Math.min(Math.max(width + 2, 10), 60);
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClockParts(date: Date, timeZone: string): WallClock {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClockFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function formatWallClock(date: Date, timeZone: string): string {
  if (Number.isNaN(date.getTime())) return '';
  const w = wallClockParts(date, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
}
