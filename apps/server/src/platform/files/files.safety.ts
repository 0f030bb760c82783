import { crc32, createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { FileError } from './files.errors';

/** Limits applied to every uploaded file before anything parses it. */
export interface FileLimits {
  /** Largest upload accepted, in bytes. Default 20 MiB. */
  maxUploadBytes: number;
  /** Most entries an .xlsx archive may hold. Default 2,000. */
  maxEntries: number;
  /** Most bytes an .xlsx archive may inflate to, all entries together. Default 200 MiB. */
  maxUncompressedBytes: number;
  /** Highest uncompressed : compressed ratio of one entry, and of the whole archive. Default 100. */
  maxCompressionRatio: number;
  /**
   * Entries (and archives) that inflate to less than this are exempt from the ratio check: a 10 KiB run of
   * spaces legitimately compresses 100:1 and can hurt nobody. Default 1 MiB.
   */
  ratioCheckMinBytes: number;
}

export const DEFAULT_FILE_LIMITS: Readonly<FileLimits> = Object.freeze({
  maxUploadBytes: 20 * 1024 * 1024,
  maxEntries: 2_000,
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 100,
  ratioCheckMinBytes: 1024 * 1024,
});

/** The default limits with the given ones laid over them. */
export function resolveLimits(limits: Partial<FileLimits> = {}): FileLimits {
  return { ...DEFAULT_FILE_LIMITS, ...limits };
}

/** Refuses an empty upload or one over `maxUploadBytes` (FILE_EMPTY, FILE_TOO_LARGE). */
export function checkUploadSize(buffer: Uint8Array, limits: Partial<FileLimits> = {}): void {
  const { maxUploadBytes } = resolveLimits(limits);
  if (buffer.length === 0) throw new FileError('FILE_EMPTY');
  if (buffer.length > maxUploadBytes) {
    throw new FileError('FILE_TOO_LARGE', {
      zh: `文件过大(${formatMiB(buffer.length)}),上限为 ${formatMiB(maxUploadBytes)}`,
      en: `The file is too large (${formatMiB(buffer.length)}); the limit is ${formatMiB(maxUploadBytes)}`,
      details: { sizeBytes: buffer.length, limitBytes: maxUploadBytes },
    });
  }
}

/** One checked entry of an archive: where its compressed bytes are and what they inflate to. */
export interface ZipPart {
  name: string;
  /** 0 = stored, 8 = deflated; nothing else passes the check. */
  method: 0 | 8;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the first compressed byte in the upload. */
  dataStart: number;
}

/** An .xlsx upload that passed `inspectXlsx`: every entry inflates to exactly what its header declares. */
export interface CheckedXlsx {
  buffer: Buffer;
  /** File entries (directories left out) in central-directory order. */
  parts: ZipPart[];
  part(name: string): ZipPart | undefined;
  /** The inflated content of the parts asked for with `capture`, when present in the archive. */
  captured: ReadonlyMap<string, Buffer>;
}

const CAPTURE_LIMIT_BYTES = 8 * 1024 * 1024;
const OLE2_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_LOCAL_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Checks an .xlsx upload before any spreadsheet code inflates it, and throws a `FileError` on the first
 * problem:
 *
 * 1. the upload's size (FILE_EMPTY, FILE_TOO_LARGE);
 * 2. it is a zip at all, not a legacy/encrypted .xls, with `[Content_Types].xml` and `xl/workbook.xml`
 *    (FILE_NOT_SPREADSHEET);
 * 3. from the central directory alone, before inflating a byte: the entry count (FILE_TOO_MANY_ENTRIES),
 *    the declared total size, each entry's and the whole archive's compression ratio, and entries whose
 *    data overlap (FILE_ZIP_BOMB); only stored/deflated, unencrypted entries with unique names pass;
 * 4. then every entry is inflated as a stream and its bytes counted: the stream is destroyed as soon as an
 *    entry yields more than its header declared (FILE_ZIP_BOMB — a lying header cannot get past), and an
 *    entry that yields less or fails its CRC-32 is corrupt (FILE_NOT_SPREADSHEET). Nothing is kept except
 *    the small parts named in `capture` (at most 8 MiB each).
 *
 * Readers must take entry data from the returned `parts` (which come from the central directory checked
 * here), never by walking local headers on their own: that is how `files.xlsx.ts` feeds exceljs.
 */
export async function inspectXlsx(
  input: Uint8Array,
  limits: Partial<FileLimits> = {},
  capture: readonly string[] = [],
): Promise<CheckedXlsx> {
  const lim = resolveLimits(limits);
  checkUploadSize(input, lim);
  const buffer = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.length);
  if (buffer.subarray(0, OLE2_SIGNATURE.length).equals(OLE2_SIGNATURE)) {
    throw new FileError('FILE_NOT_SPREADSHEET', {
      zh: '这是旧版 .xls 或设置了密码的工作簿,请在 Excel/WPS 中取消密码并另存为 .xlsx 后再上传',
      en: 'This is a legacy .xls or a password-protected workbook; remove the password and save it as .xlsx',
      details: { reason: 'ole2' },
    });
  }
  if (!buffer.subarray(0, 4).equals(ZIP_LOCAL_SIGNATURE)) notSpreadsheet('not a zip archive');

  const zip = await openZip(buffer);
  try {
    return await checkArchive(zip, buffer, lim, capture);
  } finally {
    zip.close();
  }
}

async function checkArchive(
  zip: yauzl.ZipFile,
  buffer: Buffer,
  lim: FileLimits,
  capture: readonly string[],
): Promise<CheckedXlsx> {
  if (zip.entryCount > lim.maxEntries) {
    throw new FileError('FILE_TOO_MANY_ENTRIES', {
      details: { entries: zip.entryCount, limit: lim.maxEntries },
    });
  }
  const entries = await readCentralDirectory(zip);

  const names = new Set<string>();
  const parts: Array<ZipPart & { headerStart: number }> = [];
  let declaredTotal = 0;
  let compressedTotal = 0;
  for (const entry of entries) {
    if (names.has(entry.fileName)) notSpreadsheet(`duplicate entry ${entry.fileName}`);
    names.add(entry.fileName);
    if (entry.isEncrypted()) notSpreadsheet(`encrypted entry ${entry.fileName}`);
    const method = entry.compressionMethod;
    if (method !== 0 && method !== 8) notSpreadsheet(`unsupported compression method ${method}`);
    if (method === 0 && entry.compressedSize !== entry.uncompressedSize) {
      notSpreadsheet(`stored entry ${entry.fileName} with differing sizes`);
    }
    declaredTotal += entry.uncompressedSize;
    compressedTotal += entry.compressedSize;
    if (declaredTotal > lim.maxUncompressedBytes) {
      throw zipBomb('declared size over the limit', {
        declaredBytes: declaredTotal,
        limitBytes: lim.maxUncompressedBytes,
      });
    }
    checkRatio(entry.fileName, entry.uncompressedSize, entry.compressedSize, lim);
    if (entry.fileName.endsWith('/')) {
      if (entry.uncompressedSize !== 0) notSpreadsheet(`directory entry ${entry.fileName} with content`);
      continue;
    }
    parts.push({
      name: entry.fileName,
      method,
      crc32: entry.crc32,
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
      dataStart: await localDataStart(zip, entry, buffer.length),
      headerStart: entry.relativeOffsetOfLocalHeader,
    });
  }
  checkRatio('(archive)', declaredTotal, compressedTotal, lim);
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) {
    notSpreadsheet('no [Content_Types].xml or xl/workbook.xml');
  }
  checkNoOverlap(parts);

  const captured = new Map<string, Buffer>();
  const wanted = new Set(capture);
  for (const part of parts) {
    const content = await inflateCounted(buffer, part, wanted.has(part.name));
    if (content) captured.set(part.name, content);
  }
  const byName = new Map(parts.map((p) => [p.name, p]));
  return {
    buffer,
    parts: parts.map(({ headerStart: _, ...p }) => p),
    part: (name) => byName.get(name),
    captured,
  };
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function notSpreadsheet(reason: string): never {
  throw new FileError('FILE_NOT_SPREADSHEET', { details: { reason } });
}

function zipBomb(reason: string, details: Record<string, unknown>): FileError {
  return new FileError('FILE_ZIP_BOMB', { details: { reason, ...details } });
}

function checkRatio(name: string, uncompressed: number, compressed: number, lim: FileLimits): void {
  if (uncompressed < lim.ratioCheckMinBytes) return;
  const ratio = uncompressed / Math.max(compressed, 1);
  if (ratio > lim.maxCompressionRatio) {
    throw zipBomb('compression ratio over the limit', {
      entry: name,
      ratio: Math.round(ratio),
      limit: lim.maxCompressionRatio,
    });
  }
}

function checkNoOverlap(parts: ReadonlyArray<ZipPart & { headerStart: number }>): void {
  const sorted = [...parts].sort((a, b) => a.headerStart - b.headerStart);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const next = sorted[i]!;
    if (next.headerStart < prev.dataStart + prev.compressedSize) {
      throw zipBomb('entries share compressed data', { entries: [prev.name, next.name] });
    }
  }
}

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buffer,
      // Sizes are checked by counting below; local headers are read after the directory, so no autoClose.
      {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: true,
        validateEntrySizes: false,
        strictFileNames: true,
      },
      (error, zip) => {
        if (error || !zip)
          reject(new FileError('FILE_NOT_SPREADSHEET', { details: { reason: error?.message } }));
        else resolve(zip);
      },
    );
  });
}

function readCentralDirectory(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error: Error) =>
      reject(new FileError('FILE_NOT_SPREADSHEET', { details: { reason: error.message } })),
    );
    zip.readEntry();
  });
}

/** Reads the entry's local header and checks it names the same file, the same way, as the central one. */
async function localDataStart(zip: yauzl.ZipFile, entry: yauzl.Entry, size: number): Promise<number> {
  let header: yauzl.LocalFileHeader;
  try {
    header = await zip.readLocalFileHeaderPromise(entry);
  } catch (error) {
    return notSpreadsheet((error as Error).message);
  }
  if (!header.fileName.equals(entry.fileNameRaw) || header.compressionMethod !== entry.compressionMethod) {
    notSpreadsheet(`local header of ${entry.fileName} disagrees with the central directory`);
  }
  if (header.fileDataStart + entry.compressedSize > size)
    notSpreadsheet(`entry ${entry.fileName} is truncated`);
  return header.fileDataStart;
}

/**
 * Inflates one entry as a stream, counting bytes; stops the moment it exceeds the declared size. Returns
 * the content only when `keep` (and the entry is small enough to keep).
 */
function inflateCounted(buffer: Buffer, part: ZipPart, keep: boolean): Promise<Buffer | undefined> {
  const data = buffer.subarray(part.dataStart, part.dataStart + part.compressedSize);
  if (keep && part.uncompressedSize > CAPTURE_LIMIT_BYTES) {
    notSpreadsheet(`${part.name} is larger than ${CAPTURE_LIMIT_BYTES} bytes`);
  }
  if (part.method === 0) {
    if (crc32(data) !== part.crc32) notSpreadsheet(`CRC mismatch in ${part.name}`);
    return Promise.resolve(keep ? Buffer.from(data) : undefined);
  }
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw();
    const chunks: Buffer[] = [];
    let count = 0;
    let crc = 0;
    let settled = false;
    const fail = (error: FileError) => {
      if (settled) return;
      settled = true;
      inflater.destroy();
      reject(error);
    };
    inflater.on('data', (chunk: Buffer) => {
      count += chunk.length;
      if (count > part.uncompressedSize) {
        fail(
          zipBomb('entry inflates to more than its header declares', {
            entry: part.name,
            declaredBytes: part.uncompressedSize,
            inflatedAtLeast: count,
          }),
        );
        return;
      }
      crc = crc32(chunk, crc);
      if (keep) chunks.push(chunk);
    });
    inflater.on('error', (error) =>
      fail(new FileError('FILE_NOT_SPREADSHEET', { details: { reason: error.message, entry: part.name } })),
    );
    inflater.on('end', () => {
      if (settled) return;
      if (count !== part.uncompressedSize) {
        fail(
          new FileError('FILE_NOT_SPREADSHEET', {
            details: { reason: `entry ${part.name} is shorter than declared` },
          }),
        );
      } else if (crc !== part.crc32) {
        fail(new FileError('FILE_NOT_SPREADSHEET', { details: { reason: `CRC mismatch in ${part.name}` } }));
      } else {
        settled = true;
        resolve(keep ? Buffer.concat(chunks) : undefined);
      }
    });
    inflater.end(data);
  });
}
