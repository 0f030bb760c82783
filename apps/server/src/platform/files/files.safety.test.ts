import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_TYPES,
  localRecord,
  minimalXlsxEntries,
  noise,
  workbookWithSheet,
  writeZip,
  type ZipEntrySpec,
  zeroBomb,
} from '../../../test/files-fixtures';
import { FileError, type FileErrorCode } from './files.errors';
import { inspectXlsx } from './files.safety';

async function refusal(promise: Promise<unknown>): Promise<FileError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FileError) return error;
    throw error;
  }
  throw new Error('expected a FileError, got none');
}

async function realWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('企业').addRows([
    ['统一社会信用代码', '企业名称'],
    ['91410100MA44B1XH7D', '郑州宇通客车股份有限公司'],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A workbook whose sheet is `bomb` — everything else a spreadsheet needs is there. */
describe('inspectXlsx', () => {
  it('passes a real workbook and hands back the parts asked for', async () => {
    const checked = await inspectXlsx(await realWorkbook(), {}, ['xl/workbook.xml']);
    expect(checked.part('xl/worksheets/sheet1.xml')?.uncompressedSize).toBeGreaterThan(0);
    expect(checked.captured.get('xl/workbook.xml')?.toString('utf8')).toContain('企业');
    expect(checked.parts.some((p) => p.name.endsWith('/'))).toBe(false);
  });

  const notSpreadsheets: Array<[string, () => Promise<Buffer> | Buffer, FileErrorCode, string?]> = [
    ['an empty upload', () => Buffer.alloc(0), 'FILE_EMPTY'],
    [
      'a text file renamed .xlsx',
      () => Buffer.from('统一社会信用代码,企业名称\r\n91410100MA44B1XH7D,宇通\r\n'),
      'FILE_NOT_SPREADSHEET',
    ],
    ['random bytes', () => noise(64 * 1024), 'FILE_NOT_SPREADSHEET'],
    [
      'a legacy .xls / encrypted workbook (OLE2)',
      () => Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), noise(4096)]),
      'FILE_NOT_SPREADSHEET',
      'ole2',
    ],
    [
      'a zip signature followed by noise',
      () => Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), noise(4096)]),
      'FILE_NOT_SPREADSHEET',
    ],
    [
      'a zip that is not a workbook (a .docx)',
      () =>
        writeZip([
          { name: '[Content_Types].xml', content: CONTENT_TYPES },
          { name: 'word/document.xml', content: '<w:document/>' },
        ]),
      'FILE_NOT_SPREADSHEET',
      'no [Content_Types].xml or xl/workbook.xml',
    ],
    ['a workbook cut in half', async () => (await realWorkbook()).subarray(0, 3000), 'FILE_NOT_SPREADSHEET'],
    [
      'an entry whose bytes fail their CRC',
      () => {
        const zip = writeZip(minimalXlsxEntries({ sheetXml: '<row r="1"><c r="A1"><v>1</v></c></row>' }));
        const at = zip.indexOf('xl/worksheets/sheet1.xml') + 'xl/worksheets/sheet1.xml'.length;
        zip[at + 3] = (zip[at + 3] ?? 0) ^ 0x01; // flip a bit inside the deflated sheet data
        return zip;
      },
      'FILE_NOT_SPREADSHEET',
    ],
  ];
  it.each(notSpreadsheets)('refuses %s', async (_name, make, code, reason) => {
    const error = await refusal(inspectXlsx(await make()));
    expect(error.code).toBe(code);
    expect(error.status).toBe(code === 'FILE_EMPTY' ? 400 : 415);
    expect(error.messageZh).toMatch(/[\u4e00-\u9fff]/);
    expect(error.messageEn).toMatch(/[a-z]/);
    if (reason) expect(error.details?.reason).toBe(reason);
  });

  it('refuses an upload over the size limit before looking inside', async () => {
    const error = await refusal(inspectXlsx(noise(2048), { maxUploadBytes: 1024 }));
    expect(error).toMatchObject({
      code: 'FILE_TOO_LARGE',
      status: 413,
      details: { sizeBytes: 2048, limitBytes: 1024 },
    });
  });

  it('refuses too many entries from the central directory count', async () => {
    const entries: ZipEntrySpec[] = [
      ...minimalXlsxEntries({ sheetXml: '' }),
      ...Array.from({ length: 2_001 }, (_, i) => ({ name: `xl/media/image${i}.png`, content: 'x' })),
    ];
    const error = await refusal(inspectXlsx(writeZip(entries)));
    expect(error).toMatchObject({ code: 'FILE_TOO_MANY_ENTRIES', status: 413, details: { limit: 2_000 } });
    const small = await refusal(inspectXlsx(await realWorkbook(), { maxEntries: 3 }));
    expect(small.code).toBe('FILE_TOO_MANY_ENTRIES');
  });

  describe('zip bombs', () => {
    // 300 MiB of zeros in ~300 KiB: over the 200 MiB total and ~1000:1.
    const bomb = zeroBomb(300);

    it('refuses an honest-header bomb from the central directory alone', async () => {
      const error = await refusal(inspectXlsx(workbookWithSheet({ name: '', raw: { ...bomb, method: 8 } })));
      expect(error).toMatchObject({ code: 'FILE_ZIP_BOMB', status: 413 });
      expect(error.details?.reason).toBe('declared size over the limit');
    });

    it('refuses it before inflating: the same header over bytes that are not even deflate data', async () => {
      // Had anything inflated this entry, it would have failed as corrupt (FILE_NOT_SPREADSHEET).
      const garbage = {
        data: noise(bomb.data.length, 7),
        uncompressedSize: bomb.uncompressedSize,
        method: 8 as const,
      };
      const error = await refusal(inspectXlsx(workbookWithSheet({ name: '', raw: garbage })));
      expect(error.code).toBe('FILE_ZIP_BOMB');
    });

    it('refuses an entry compressed more than 100:1 even under the total limit', async () => {
      const small = zeroBomb(50);
      for (const data of [small.data, noise(small.data.length, 9)]) {
        const error = await refusal(
          inspectXlsx(
            workbookWithSheet({
              name: '',
              raw: { data, uncompressedSize: small.uncompressedSize, method: 8 },
            }),
          ),
        );
        expect(error.code).toBe('FILE_ZIP_BOMB');
        expect(error.details).toMatchObject({
          reason: 'compression ratio over the limit',
          entry: 'xl/worksheets/sheet1.xml',
        });
      }
    });

    it('stops inflating a lying header as soon as it yields more than it declared', async () => {
      // Declares 1 MiB (ratio about 3:1, unremarkable) but holds 300 MiB.
      const declared = 1024 * 1024;
      const error = await refusal(
        inspectXlsx(
          workbookWithSheet({ name: '', raw: { ...bomb, method: 8 }, declaredUncompressedSize: declared }),
        ),
      );
      expect(error.code).toBe('FILE_ZIP_BOMB');
      expect(error.details?.reason).toBe('entry inflates to more than its header declares');
      const inflated = error.details?.inflatedAtLeast as number;
      expect(inflated).toBeGreaterThan(declared);
      expect(inflated).toBeLessThan(declared + 256 * 1024);
    });

    it('refuses entries that share compressed data', async () => {
      // A stored entry whose data is another entry's whole local record: two names, one kernel.
      const inner: ZipEntrySpec = { name: 'xl/worksheets/sheet1.xml', content: '<worksheet/>' };
      const innerRecord = localRecord(inner);
      const outerName = 'xl/media/a.bin';
      const base = minimalXlsxEntries({ sheetXml: '' }).filter((e) => e.name !== 'xl/worksheets/sheet1.xml');
      const prefix = Buffer.concat(base.map(localRecord));
      const outer: ZipEntrySpec = { name: outerName, content: innerRecord, stored: true };
      const innerAt = prefix.length + 30 + Buffer.byteLength(outerName);
      const zip = writeZip([...base, outer, { ...inner, centralOnlyAt: innerAt }]);
      const error = await refusal(inspectXlsx(zip));
      expect(error.code).toBe('FILE_ZIP_BOMB');
      expect(error.details?.reason).toBe('entries share compressed data');
    });
  });
});
