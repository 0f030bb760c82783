// Test fixtures for the file pipeline, built in memory: a minimal zip writer that can also lie (declared
// sizes, shared data), a deflate "bomb" kernel, and a hand-written .xlsx that exceljs did not produce.
import { crc32, deflateRawSync, constants as zlibConstants } from 'node:zlib';
import yauzl from 'yauzl';

export interface ZipEntrySpec {
  name: string;
  /** Uncompressed content; compressed with deflate unless `stored` (ignored when `raw` is given). */
  content?: Buffer | string;
  stored?: boolean;
  /** Already-compressed data written as is. */
  raw?: { data: Buffer; method: 0 | 8; uncompressedSize: number; crc32?: number };
  /** Size written in both headers instead of the real one (a lying header). */
  declaredUncompressedSize?: number;
  /** Write no local record for this entry; point its central-directory entry at this offset instead. */
  centralOnlyAt?: number;
}

interface Built {
  name: Buffer;
  method: number;
  crc: number;
  data: Buffer;
  uncompressedSize: number;
}

function build(entry: ZipEntrySpec): Built {
  const name = Buffer.from(entry.name, 'utf8');
  if (entry.raw) {
    return {
      name,
      method: entry.raw.method,
      crc: entry.raw.crc32 ?? 0,
      data: entry.raw.data,
      uncompressedSize: entry.declaredUncompressedSize ?? entry.raw.uncompressedSize,
    };
  }
  const content =
    typeof entry.content === 'string'
      ? Buffer.from(entry.content, 'utf8')
      : (entry.content ?? Buffer.alloc(0));
  return {
    name,
    method: entry.stored ? 0 : 8,
    crc: crc32(content),
    data: entry.stored ? content : deflateRawSync(content),
    uncompressedSize: entry.declaredUncompressedSize ?? content.length,
  };
}

/** The bytes of one local file record (header + name + data). */
export function localRecord(entry: ZipEntrySpec): Buffer {
  const b = build(entry);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0x0800, 6);
  header.writeUInt16LE(b.method, 8);
  header.writeUInt32LE(b.crc, 14);
  header.writeUInt32LE(b.data.length, 18);
  header.writeUInt32LE(b.uncompressedSize, 22);
  header.writeUInt16LE(b.name.length, 26);
  return Buffer.concat([header, b.name, b.data]);
}

/** A zip archive with the entries in order (local records, central directory, end record). */
export function writeZip(entries: readonly ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const b = build(entry);
    const at = entry.centralOnlyAt ?? offset;
    if (entry.centralOnlyAt === undefined) {
      const record = localRecord(entry);
      locals.push(record);
      offset += record.length;
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(b.method, 10);
    central.writeUInt32LE(b.crc, 16);
    central.writeUInt32LE(b.data.length, 20);
    central.writeUInt32LE(b.uncompressedSize, 24);
    central.writeUInt16LE(b.name.length, 28);
    central.writeUInt32LE(at, 42);
    centrals.push(Buffer.concat([central, b.name]));
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Raw deflate data that inflates to `mebibytes` MiB of zeros, in about 1 KiB per MiB: one fully flushed
 * block sequence for 1 MiB (byte-aligned, no back-references across it), repeated, then a final empty block.
 */
export function zeroBomb(mebibytes: number): { data: Buffer; uncompressedSize: number } {
  const kernel = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: zlibConstants.Z_FULL_FLUSH });
  const final = deflateRawSync(Buffer.alloc(0));
  return {
    data: Buffer.concat([...Array.from({ length: mebibytes }, () => kernel), final]),
    uncompressedSize: mebibytes * 1024 * 1024,
  };
}

export const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`;

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a minimal workbook whose one sheet lives at `sheetPath` with the given `<sheetData>` XML. */
export function minimalXlsxEntries(options: {
  sheetXml: string;
  sheetName?: string;
  sheetPath?: string;
  sharedStrings?: { path: string; xml: string };
  /** Write relationship targets as absolute part names (`/xl/...`), as openpyxl does. */
  absoluteTargets?: boolean;
}): ZipEntrySpec[] {
  const sheetPath = options.sheetPath ?? 'xl/worksheets/sheet1.xml';
  const target = (path: string) => (options.absoluteTargets ? `/${path}` : path.replace(/^xl\//, ''));
  const rels = [`<Relationship Id="rId1" Type="${REL_TYPE}/worksheet" Target="${target(sheetPath)}"/>`];
  if (options.sharedStrings) {
    rels.push(
      `<Relationship Id="rId2" Type="${REL_TYPE}/sharedStrings" Target="${target(options.sharedStrings.path)}"/>`,
    );
  }
  const entries: ZipEntrySpec[] = [
    { name: '[Content_Types].xml', content: CONTENT_TYPES },
    {
      name: '_rels/.rels',
      content: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_TYPE}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      content: `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheets><sheet name="${options.sheetName ?? 'Sheet1'}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      content: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
    },
    {
      name: sheetPath,
      content: `<worksheet xmlns="${NS_MAIN}"><sheetData>${options.sheetXml}</sheetData></worksheet>`,
    },
  ];
  if (options.sharedStrings)
    entries.push({ name: options.sharedStrings.path, content: options.sharedStrings.xml });
  return entries;
}

/** Reads one entry of a zip with yauzl (independent of the code under test). */
export function readZipEntry(buffer: Buffer, name: string): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks)));
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(undefined));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Deterministic pseudo-random bytes (a file of noise that never starts with a zip signature). */
export function noise(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out[0] = 0x7f;
  return out;
}

/** A minimal workbook whose sheet entry is replaced by `sheet` (to plant a bomb or a lying header). */
export function workbookWithSheet(sheet: ZipEntrySpec): Buffer {
  const entries = minimalXlsxEntries({ sheetXml: '' }).filter((e) => e.name !== 'xl/worksheets/sheet1.xml');
  return writeZip([...entries, { ...sheet, name: 'xl/worksheets/sheet1.xml' }]);
}
