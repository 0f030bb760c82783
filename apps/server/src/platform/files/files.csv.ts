import iconv from 'iconv-lite';
import { FileError } from './files.errors';

/** Encodings a CSV upload may be in. `gbk` is read as GB18030, its superset. */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'gb18030';
export type TextEncodingChoice = TextEncoding | 'gbk' | 'auto';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** Whether the file started with a byte-order mark (then that mark decided the encoding). */
  bom: boolean;
}

const BOMS: ReadonlyArray<{ bytes: readonly number[]; encoding: TextEncoding }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf8' },
  { bytes: [0xff, 0xfe], encoding: 'utf16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf16be' },
];

/**
 * Decodes an uploaded text file.
 *
 * - A byte-order mark decides, whatever `encoding` says: UTF-8, UTF-16 LE or UTF-16 BE.
 * - Otherwise an explicit `encoding` is used, and bytes invalid in it are refused.
 * - Otherwise (`auto`): bytes that are valid UTF-8 are UTF-8 (plain ASCII reads the same in both), anything
 *   else is GB18030 — what Excel and WPS on Chinese Windows write as "CSV". A NUL byte means a binary file
 *   or UTF-16 without a mark: refused.
 *
 * Throws FileError FILE_ENCODING when the bytes are not valid in the chosen encoding.
 */
export function decodeText(input: Uint8Array, encoding: TextEncodingChoice = 'auto'): DecodedText {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.length);
  for (const bom of BOMS) {
    if (bom.bytes.every((b, i) => bytes[i] === b)) {
      return {
        text: decodeStrict(bytes.subarray(bom.bytes.length), bom.encoding),
        encoding: bom.encoding,
        bom: true,
      };
    }
  }
  if (encoding !== 'auto') {
    const chosen = encoding === 'gbk' ? 'gb18030' : encoding;
    return { text: decodeStrict(bytes, chosen), encoding: chosen, bom: false };
  }
  if (bytes.includes(0)) throw encodingError('binary content or UTF-16 without a byte-order mark');
  try {
    return { text: utf8Strict.decode(bytes), encoding: 'utf8', bom: false };
  } catch {
    return { text: decodeStrict(bytes, 'gb18030'), encoding: 'gb18030', bom: false };
  }
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeStrict(bytes: Buffer, encoding: TextEncoding): string {
  try {
    switch (encoding) {
      case 'utf8':
        return utf8Strict.decode(bytes);
      case 'utf16le':
        return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(bytes);
      case 'utf16be':
        return new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true }).decode(bytes);
      case 'gb18030': {
        // iconv-lite replaces invalid sequences with U+FFFD; a text that does not encode back to the same
        // bytes had some (a genuine U+FFFD in the file round-trips and is kept).
        const text = iconv.decode(bytes, 'gb18030', { stripBOM: false });
        if (text.includes('\uFFFD') && !iconv.encode(text, 'gb18030').equals(bytes)) {
          throw new Error('invalid GB18030 sequence');
        }
        return text;
      }
    }
  } catch (error) {
    throw encodingError(`${encoding}: ${(error as Error).message}`);
  }
}

function encodingError(reason: string): FileError {
  return new FileError('FILE_ENCODING', { details: { reason } });
}

/**
 * Encodes text for download: UTF-8 with a byte-order mark (without it Excel reads UTF-8 CSV as the local
 * code page and garbles Chinese), or GB18030 (no mark; what older Chinese Excel expects).
 */
export function encodeText(text: string, encoding: 'utf8' | 'gb18030'): Buffer {
  if (encoding === 'gb18030') return iconv.encode(text, 'gb18030');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export interface CsvOptions {
  /** Field separator, one character; default `,`. */
  delimiter?: string;
}

/**
 * Parses CSV text (RFC 4180) into records of string fields. Quoted fields may hold the delimiter, line
 * breaks and doubled quotes; records end at CRLF, LF or a lone CR; a final line break adds no record; a
 * blank line is a record with one empty field (callers skip empty rows). Lenient where no meaning is lost:
 * a quote inside an unquoted field is kept as text. Strict where it is: an unterminated quoted field, or
 * text after a closing quote, throws FileError FILE_CSV_MALFORMED with the line number.
 *
 * Written here rather than taken from a package: the grammar is small, and we need exact control of
 * line-break and quoting rules so that `formatCsv` ∘ `parseCsv` round-trips (a property test holds it).
 */
export function parseCsv(text: string, options: CsvOptions = {}): string[][] {
  const delimiter = checkDelimiter(options.delimiter);
  const delimiterCode = delimiter.charCodeAt(0);
  const rows: string[][] = [];
  const n = text.length;
  let row: string[] = [];
  let i = 0;
  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === 0x22) {
      const opened = i;
      field = '';
      let start = i + 1;
      for (;;) {
        const quote = text.indexOf('"', start);
        if (quote === -1) throw malformed(text, opened, '引号未闭合', 'unterminated quoted field');
        if (text.charCodeAt(quote + 1) === 0x22) {
          field += text.slice(start, quote + 1);
          start = quote + 2;
          continue;
        }
        field += text.slice(start, quote);
        i = quote + 1;
        break;
      }
      const next = text.charCodeAt(i);
      if (i < n && next !== delimiterCode && next !== 0x0d && next !== 0x0a) {
        throw malformed(text, i, '右引号后还有其他字符', 'text after a closing quote');
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === delimiterCode || c === 0x0d || c === 0x0a) break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    const c = text.charCodeAt(i);
    if (i < n && c === delimiterCode) {
      i++;
      if (i === n) {
        row.push('');
        rows.push(row);
        row = [];
      }
      continue;
    }
    if (c === 0x0d) i += text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
    else if (c === 0x0a) i++;
    rows.push(row);
    row = [];
  }
  return rows;
}

/**
 * Formats records as CSV: every field quoted (RFC 4180; also what OWASP advises next to the leading-quote
 * neutralisation that `exportRows` applies), records separated and ended by CRLF.
 */
export function formatCsv(rows: Iterable<readonly string[]>, options: CsvOptions = {}): string {
  const delimiter = checkDelimiter(options.delimiter);
  let out = '';
  for (const row of rows) {
    out += `${row.map((field) => `"${field.replaceAll('"', '""')}"`).join(delimiter)}\r\n`;
  }
  return out;
}

function checkDelimiter(delimiter = ','): string {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new TypeError(`invalid CSV delimiter ${JSON.stringify(delimiter)}`);
  }
  return delimiter;
}

function malformed(text: string, index: number, zh: string, en: string): FileError {
  let line = 1;
  for (let k = 0; k < index; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(k + 1) !== 0x0a)) line++;
  }
  return new FileError('FILE_CSV_MALFORMED', {
    zh: `CSV 文件格式有误(第 ${line} 行):${zh}`,
    en: `The CSV file is malformed (line ${line}): ${en}`,
    details: { line },
  });
}
