import { Readable } from 'node:stream';
import { constants, crc32, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { FileError, isFileError } from './files.errors';
import { type CheckedXlsx, type FileLimits, inspectXlsx, type ZipPart } from './files.safety';

/**
 * A cell as the pipeline sees it: rich text joined, formulas replaced by their cached result, hyperlinks by
 * their text, errors by their code (`#N/A`), dates by an ISO string in the sheet's own wall-clock time
 * (`2022-05-25`, or `2022-05-25T08:30:00` when there is a time of day; Excel stores no time zone).
 * Empty cells and formulas without a cached result are `null`.
 */
export type CellValue = string | number | boolean | null;

/** A row of the sheet: its real row number (as Excel shows it) and its cells, index 0 = column A. */
export interface SheetRow {
  rowNumber: number;
  cells: CellValue[];
}

export interface XlsxSheet {
  name: string;
  /** The zip entry holding it, e.g. `xl/worksheets/sheet1.xml`. */
  part: string;
  hidden: boolean;
}

export interface ReadXlsxOptions {
  /** The worksheet to read; default the first visible worksheet in tab order. */
  sheet?: string;
  limits?: Partial<FileLimits>;
}

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELS = 'xl/_rels/workbook.xml.rels';

/** Lists the worksheets of an .xlsx in tab order (after the safety checks of `inspectXlsx`). */
export async function listXlsxSheets(
  buffer: Uint8Array,
  limits: Partial<FileLimits> = {},
): Promise<XlsxSheet[]> {
  const checked = await inspectXlsx(buffer, limits, [WORKBOOK, WORKBOOK_RELS]);
  return describeWorkbook(checked).sheets;
}

/** A worksheet chosen and checked, ready to stream. */
export interface OpenedSheet {
  sheet: XlsxSheet;
  /**
   * The last row number the sheet's `<dimension>` claims, when it has one: a hint for progress bars (it may
   * count formatted but empty rows), never a limit.
   */
  lastRowHint: number | undefined;
  /** Streams the rows with at least one value (afresh on each call); stop iterating to stop reading. */
  rows(): AsyncGenerator<SheetRow>;
}

/**
 * Opens one worksheet of an .xlsx upload for streaming.
 *
 * The upload first passes `inspectXlsx` (size, zip structure, zip-bomb checks). exceljs's streaming reader
 * then reads a zip stream rebuilt here from the checked entries only — the workbook, styles, shared strings
 * and the one worksheet asked for, in the order that lets it stream without temporary files — so what it
 * inflates is exactly what was checked, and memory stays flat however long the sheet is (the shared-string
 * table is the one thing held whole).
 *
 * Limits inherited from exceljs 4.4's streaming parser (Excel and WPS write neither case; some export
 * libraries do): an inline string (`t="inlineStr"`) made of several rich-text runs keeps only its last
 * run, and inline or formula strings are entity-decoded twice (a cell reading literally `&lt;` comes back
 * as `<`). Shared strings — what Excel writes — are read exactly.
 *
 * Throws FileError: FILE_SHEET_MISSING (with `details.sheets`), the codes of `inspectXlsx`, and — while
 * iterating `rows()` — FILE_NOT_SPREADSHEET when exceljs cannot read the sheet.
 */
export async function openXlsxSheet(buffer: Uint8Array, options: ReadXlsxOptions = {}): Promise<OpenedSheet> {
  const checked = await inspectXlsx(buffer, options.limits, [WORKBOOK, WORKBOOK_RELS]);
  const workbook = describeWorkbook(checked);
  const sheet = chooseSheet(workbook.sheets, options.sheet);
  const sheetPart = checked.part(sheet.part);
  if (!sheetPart) {
    throw new FileError('FILE_NOT_SPREADSHEET', { details: { reason: `missing part ${sheet.part}` } });
  }
  const records: ZipRecord[] = [
    { name: WORKBOOK, part: checked.part(WORKBOOK) },
    // exceljs streams a worksheet only once it has seen the workbook relationships and shared strings;
    // an empty relationship list is enough (the sheet is chosen here, not by exceljs).
    { name: WORKBOOK_RELS, content: '<Relationships/>' },
    { name: 'xl/styles.xml', part: workbook.styles ? checked.part(workbook.styles) : undefined },
    workbook.sharedStrings && checked.part(workbook.sharedStrings)
      ? { name: 'xl/sharedStrings.xml', part: checked.part(workbook.sharedStrings) }
      : { name: 'xl/sharedStrings.xml', content: '<sst/>' },
    { name: 'xl/worksheets/sheet1.xml', part: sheetPart },
  ];
  return {
    sheet,
    lastRowHint: peekLastRow(checked.buffer, sheetPart),
    rows: () => streamRows(checked.buffer, records, sheet.name),
  };
}

/** Streams the rows of one worksheet (see `openXlsxSheet`). */
export async function* readXlsxRows(
  buffer: Uint8Array,
  options: ReadXlsxOptions = {},
): AsyncGenerator<SheetRow> {
  const opened = await openXlsxSheet(buffer, options);
  yield* opened.rows();
}

async function* streamRows(
  buffer: Buffer,
  records: readonly ZipRecord[],
  sheetName: string,
): AsyncGenerator<SheetRow> {
  const input = Readable.from(zipRecords(buffer, records));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let lastRowNumber = 0;
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        // A <row> without its optional r attribute follows the previous one.
        const rowNumber = Number.isInteger(row.number) && row.number > 0 ? row.number : lastRowNumber + 1;
        lastRowNumber = rowNumber;
        const cells: CellValue[] = [];
        let hasValue = false;
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          const value = normaliseCell(cell.value, cell.numFmt);
          if (value === null || value === '') return;
          while (cells.length < column - 1) cells.push(null);
          cells[column - 1] = value;
          hasValue = true;
        });
        if (hasValue) yield { rowNumber, cells };
      }
    }
  } catch (error) {
    if (isFileError(error)) throw error;
    throw new FileError('FILE_NOT_SPREADSHEET', {
      zh: `无法读取工作表“${sheetName}”`,
      en: `The worksheet "${sheetName}" cannot be read`,
      details: { reason: (error as Error).message, sheet: sheetName },
    });
  } finally {
    input.destroy();
  }
}

/** Reads `<dimension ref="A1:H2001"/>` from the first compressed kilobyte of the sheet, if it is there. */
function peekLastRow(buffer: Buffer, part: ZipPart): number | undefined {
  const head = buffer.subarray(part.dataStart, part.dataStart + Math.min(part.compressedSize, 1024));
  let xml: string;
  try {
    xml = (part.method === 0 ? head : inflateRawSync(head, { finishFlush: constants.Z_SYNC_FLUSH })).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
  const ref = /<(?:[\w.-]+:)?dimension\s[^>]*ref\s*=\s*["'][A-Z]*\d*:?[A-Z]*(\d+)["']/i.exec(xml);
  return ref ? Number(ref[1]) : undefined;
}

/** Turns an exceljs cell value into a `CellValue` (see there). */
export function normaliseCell(value: ExcelJS.CellValue | undefined, numFmt?: string): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return value;
  }
  if (value instanceof Date) return excelDateToIso(value);
  if ('richText' in value) return value.richText.map((run) => run.text ?? '').join('');
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (typeof result === 'number' && numFmt && isDateFormat(numFmt) && Number.isFinite(result)) {
      return excelDateToIso(excelSerialToDate(result));
    }
    if (result !== null && typeof result === 'object' && 'error' in result) return String(result.error);
    return normaliseCell(result as ExcelJS.CellValue | undefined);
  }
  if ('text' in value) return normaliseCell(value.text as ExcelJS.CellValue);
  return null;
}

/** exceljs hands dates as UTC instants holding the sheet's wall-clock time; give them back as ISO text. */
function excelDateToIso(date: Date): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return '';
  const rounded = new Date(Math.round(ms / 1000) * 1000);
  const iso = rounded.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

function excelSerialToDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

/** A number format shows a date or time when it uses y/m/d/h/s outside quotes and [brackets] (as Excel). */
function isDateFormat(format: string): boolean {
  const bare = format
    .replace(/\[[^\]]*]/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '');
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

// ------------------------------------------------------------------------------------------------------
// Which parts hold what: workbook.xml lists the sheets in tab order, its relationships say where they are.

interface WorkbookParts {
  sheets: XlsxSheet[];
  sharedStrings?: string;
  styles?: string;
}

function describeWorkbook(checked: CheckedXlsx): WorkbookParts {
  const workbookXml = checked.captured.get(WORKBOOK)?.toString('utf8') ?? '';
  const relsXml = checked.captured.get(WORKBOOK_RELS)?.toString('utf8');
  if (!relsXml) {
    throw new FileError('FILE_NOT_SPREADSHEET', { details: { reason: `missing ${WORKBOOK_RELS}` } });
  }
  const rels = new Map<string, { type: string; target: string }>();
  let sharedStrings: string | undefined;
  let styles: string | undefined;
  for (const attrs of xmlElements(relsXml, 'Relationship')) {
    const id = attrs.get('Id');
    const type = attrs.get('Type') ?? '';
    const target = attrs.get('Target');
    if (!id || !target || attrs.get('TargetMode') === 'External') continue;
    const part = resolvePartName('xl/', target);
    rels.set(id, { type, target: part });
    if (type.endsWith('/sharedStrings')) sharedStrings = part;
    if (type.endsWith('/styles')) styles = part;
  }
  const sheets: XlsxSheet[] = [];
  for (const attrs of xmlElements(workbookXml, 'sheet')) {
    const name = attrs.get('name');
    const relId = [...attrs].find(([key]) => /^[\w.-]+:id$/.test(key))?.[1];
    const rel = relId ? rels.get(relId) : undefined;
    if (!name || !rel?.type.endsWith('/worksheet')) continue; // chart and dialog sheets hold no rows
    const state = attrs.get('state');
    sheets.push({ name, part: rel.target, hidden: state === 'hidden' || state === 'veryHidden' });
  }
  return { sheets, sharedStrings, styles };
}

function chooseSheet(sheets: readonly XlsxSheet[], wanted: string | undefined): XlsxSheet {
  const names = sheets.map((s) => s.name);
  if (wanted === undefined) {
    const first = sheets.find((s) => !s.hidden) ?? sheets[0];
    if (first) return first;
    throw new FileError('FILE_SHEET_MISSING', {
      zh: '工作簿中没有工作表',
      en: 'The workbook has no worksheet',
      details: { sheets: names },
    });
  }
  const key = (s: string) => s.normalize('NFKC').trim().toLowerCase();
  const found = sheets.find((s) => s.name === wanted) ?? sheets.find((s) => key(s.name) === key(wanted));
  if (found) return found;
  throw new FileError('FILE_SHEET_MISSING', {
    zh: `找不到工作表“${wanted}”,现有工作表:${names.join('、')}`,
    en: `There is no worksheet "${wanted}"; the workbook has: ${names.join(', ')}`,
    details: { sheet: wanted, sheets: names },
  });
}

/** Attributes of every `<name …>` element (any namespace prefix), entities decoded. */
function* xmlElements(xml: string, name: string): Generator<Map<string, string>> {
  const element = new RegExp(`<(?:[\\w.-]+:)?${name}(?=[\\s/>])([^>]*)>`, 'g');
  const attribute = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (const match of xml.matchAll(element)) {
    const attrs = new Map<string, string>();
    for (const a of (match[1] ?? '').matchAll(attribute)) {
      attrs.set(a[1]!, decodeXmlEntities(a[2] ?? a[3] ?? ''));
    }
    yield attrs;
  }
}

function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[lower] ?? whole;
  });
}

/** Resolves a relationship target against the folder of its source part (`/x` is from the package root). */
function resolvePartName(baseFolder: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : baseFolder + target;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') out.pop();
    else if (segment !== '.' && segment !== '') out.push(segment);
  }
  return out.join('/');
}

// ------------------------------------------------------------------------------------------------------
// The zip stream handed to exceljs: local file records written from the checked central-directory values
// (so a lying local header or a data descriptor never reaches its parser), then an end record.

interface ZipRecord {
  name: string;
  part?: ZipPart | undefined;
  content?: string;
}

const CHUNK_BYTES = 64 * 1024;

function* zipRecords(buffer: Buffer, records: readonly ZipRecord[]): Generator<Buffer> {
  for (const { name, part, content } of records) {
    let data: Buffer;
    let meta: Pick<ZipPart, 'method' | 'crc32' | 'compressedSize' | 'uncompressedSize'>;
    if (part) {
      data = buffer.subarray(part.dataStart, part.dataStart + part.compressedSize);
      meta = part;
    } else if (content !== undefined) {
      data = Buffer.from(content, 'utf8');
      meta = { method: 0, crc32: crc32(data), compressedSize: data.length, uncompressedSize: data.length };
    } else {
      continue;
    }
    const nameBytes = Buffer.from(name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed to extract
    header.writeUInt16LE(0x0800, 6); // UTF-8 names; sizes in this header, no data descriptor
    header.writeUInt16LE(meta.method, 8);
    header.writeUInt32LE(meta.crc32, 14);
    header.writeUInt32LE(meta.compressedSize, 18);
    header.writeUInt32LE(meta.uncompressedSize, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    yield Buffer.concat([header, nameBytes]);
    for (let offset = 0; offset < data.length; offset += CHUNK_BYTES) {
      yield data.subarray(offset, offset + CHUNK_BYTES);
    }
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  yield end;
}
