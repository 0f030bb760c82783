import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { minimalXlsxEntries, noise, writeZip, zeroBomb } from '../../../test/files-fixtures';
import { FileError } from './files.errors';
import { exportRows } from './files.export';
import {
  defineImport,
  type ImportColumn,
  type ImportFile,
  normaliseHeader,
  type ParseImportOptions,
  parseImport,
} from './files.import';
import { templateWorkbook } from './files.template';

/** exceljs types its input as its own ArrayBuffer-like `Buffer`; a Node Buffer is what it reads at run time. */
const asExcelBuffer = (buffer: Buffer) => buffer as unknown as ExcelJS.Buffer;

const SECTORS = [
  'industry',
  'commerce',
  'transport',
  'culture_tourism',
  'key_project',
  'city_operations',
] as const;

const enterprises = defineImport({
  columns: [
    {
      key: 'uscc',
      header: { zh: '统一社会信用代码', en: 'USCC' },
      aliases: ['信用代码', '社会信用代码'],
      schema: z
        .string()
        .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, { error: '统一社会信用代码应为18位数字或大写字母' }),
      required: true,
      unique: true,
      note: { zh: '18 位,营业执照上的代码', en: '18 characters, as on the business licence' },
      example: '91410100MA44B1XH7D',
    },
    {
      key: 'name',
      header: { zh: '企业名称', en: 'Enterprise name' },
      aliases: ['单位名称'],
      schema: z.string().max(50),
      required: true,
    },
    { key: 'sector', header: { zh: '行业', en: 'Sector' }, schema: z.enum(SECTORS) },
    { key: 'employees', header: { zh: '职工人数', en: 'Employees' }, schema: z.coerce.number().int().min(0) },
    { key: 'reportDate', header: { zh: '填报日期', en: 'Report date' }, schema: z.iso.date() },
  ],
  maxRows: 100,
});

const USCC_A = '91410100MA44B1XH7D';
const USCC_B = '91410300171080505K';

async function xlsx(rows: Array<Record<number, ExcelJS.CellValue>>, sheetName = '企业'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  rows.forEach((cells, r) => {
    for (const [c, value] of Object.entries(cells)) sheet.getCell(r + 1, Number(c)).value = value;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function refusal(promise: Promise<unknown>): Promise<FileError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof FileError) return error;
  throw new Error(`expected a FileError, got ${String(error)}`);
}

const parse = (file: ImportFile, options?: ParseImportOptions) => parseImport(enterprises, file, options);

describe('parseImport from .xlsx', () => {
  // Headers as people type them: an alias with spaces, a starred required column, full-width English,
  // lower-case English, and a column the import does not know.
  const header = {
    1: ' 信用代码 ',
    2: '企业名称*',
    3: 'ＳＥＣＴＯＲ',
    4: 'employees',
    5: '填报日期',
    6: '备注',
  };
  const sheetRows: Array<Record<number, ExcelJS.CellValue>> = [
    header,
    { 1: USCC_A, 2: '郑州宇通客车股份有限公司', 3: 'industry', 4: 1200, 5: new Date(Date.UTC(2022, 4, 25)) },
    { 1: '9141X', 2: '坏数据', 4: '很多' },
    {},
    { 1: USCC_B, 2: { richText: [{ text: '洛阳' }, { text: '钼业' }] }, 4: '35', 6: '备注不导入' },
    { 1: '91410100MA44B1XH8D', 3: 'commerce' },
    { 1: USCC_A, 2: '重复的宇通' },
    { 1: '91410100MA44B1XH9D', 2: '某矿业', 3: 'mining' },
    { 6: 'only an unknown column' },
  ];

  it('maps headers by Chinese, English and aliases, and reports every row error at its real row', async () => {
    const result = await parse({ buffer: await xlsx(sheetRows), filename: '企业名单.XLSX' });
    expect(result.ok).toBe(false);
    expect(result.rows).toEqual([]);
    expect(result.headerRow).toBe(1);
    expect(result.unknownHeaders).toEqual(['备注']);
    expect(result.totalRows).toBe(6);
    expect(result.validRows).toBe(2);
    expect(result.source).toMatchObject({ format: 'xlsx', sheet: '企业' });
    expect(result.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.errors.map(({ row, column, field, code }) => ({ row, column, field, code }))).toEqual([
      { row: 3, column: '信用代码', field: 'uscc', code: 'invalid_format' },
      { row: 3, column: 'employees', field: 'employees', code: 'invalid_type' },
      { row: 6, column: '企业名称*', field: 'name', code: 'required' },
      { row: 7, column: '信用代码', field: 'uscc', code: 'duplicate' },
      { row: 8, column: 'ＳＥＣＴＯＲ', field: 'sector', code: 'invalid_value' },
    ]);
    const messages = result.errors.map((e) => e.message);
    expect(messages[0]).toBe('统一社会信用代码应为18位数字或大写字母');
    expect(messages[2]).toBe('必填项不能为空');
    expect(messages[3]).toBe('与第 2 行重复');
    expect(messages[4]).toMatch(/无效选项/);
  });

  it('hands out the valid rows, typed, only when allowPartial is set', async () => {
    const result = await parse({ buffer: await xlsx(sheetRows), filename: 'a.xlsx' }, { allowPartial: true });
    expect(result.ok).toBe(false);
    expect(result.rows).toEqual([
      {
        rowNumber: 2,
        value: {
          uscc: USCC_A,
          name: '郑州宇通客车股份有限公司',
          sector: 'industry',
          employees: 1200,
          reportDate: '2022-05-25',
        },
      },
      { rowNumber: 5, value: { uscc: USCC_B, name: '洛阳钼业', employees: 35 } },
    ]);
    // Checked by tsc (npm run check): required columns are present, the others optional, typed by schema.
    const value = result.rows[0]!.value;
    expectTypeOf(value.uscc).toEqualTypeOf<string>();
    expectTypeOf(value.employees).toEqualTypeOf<number | undefined>();
    expectTypeOf(value.sector).toEqualTypeOf<(typeof SECTORS)[number] | undefined>();
  });

  it('returns every row when the file is clean, and writes messages in English on request', async () => {
    const clean = sheetRows
      .slice(0, 3)
      .map((row, i) => (i === 2 ? { 1: USCC_B, 2: '洛阳钼业', 4: 'x' } : row));
    const withError = await parse({ buffer: await xlsx(clean), filename: 'a.xlsx' }, { locale: 'en' });
    expect(withError.errors[0]?.message).toMatch(/^Invalid input: expected number/);
    const result = await parse({ buffer: await xlsx(sheetRows.slice(0, 2)), filename: 'a.xlsx' });
    expect(result.ok).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => r.value.uscc)).toEqual([USCC_A]);
  });

  it('takes the first non-empty row as the header and keeps the sheet row numbers', async () => {
    const buffer = await xlsx([
      {},
      {},
      { 2: '统一社会信用代码', 3: '企业名称' },
      {},
      { 2: USCC_A, 3: '宇通' },
    ]);
    const result = await parse({ buffer, filename: 'a.xlsx' });
    expect(result.headerRow).toBe(3);
    expect(result.rows).toEqual([{ rowNumber: 5, value: { uscc: USCC_A, name: '宇通' } }]);
  });

  it('reports missing required headers by name (FILE_HEADER_MISSING)', async () => {
    const error = await refusal(
      parse({ buffer: await xlsx([{ 1: '单位名称', 2: '行业' }]), filename: 'a.xlsx' }),
    );
    expect(error).toMatchObject({
      code: 'FILE_HEADER_MISSING',
      status: 422,
      messageZh: '缺少必填列:统一社会信用代码',
      messageEn: 'Missing required columns: USCC',
      details: { missing: [{ key: 'uscc', zh: '统一社会信用代码', en: 'USCC' }], headerRow: 1 },
    });
    const empty = await refusal(parse({ buffer: await xlsx([]), filename: 'a.xlsx' }));
    expect(empty.code).toBe('FILE_HEADER_MISSING');
  });

  it('refuses a header naming one column twice (FILE_HEADER_DUPLICATE)', async () => {
    const buffer = await xlsx([{ 1: '统一社会信用代码', 2: '企业名称', 3: 'USCC' }]);
    const error = await refusal(parse({ buffer, filename: 'a.xlsx' }));
    expect(error).toMatchObject({ code: 'FILE_HEADER_DUPLICATE', details: { column: 'uscc' } });
  });

  it('stops reading past maxRows (FILE_TOO_MANY_ROWS)', async () => {
    const small = defineImport({ columns: enterprises.columns, maxRows: 3 });
    const rows = [
      { 1: '统一社会信用代码', 2: '企业名称' },
      ...Array.from({ length: 5 }, () => ({ 1: USCC_A, 2: 'x' })),
    ];
    const error = await refusal(parseImport(small, { buffer: await xlsx(rows), filename: 'a.xlsx' }));
    expect(error).toMatchObject({ code: 'FILE_TOO_MANY_ROWS', status: 413, details: { limit: 3 } });
  });

  it('reports progress that only grows and ends at the row count', async () => {
    const rows = [
      { 1: '统一社会信用代码', 2: '企业名称' },
      ...Array.from({ length: 1_200 }, (_, i) => ({ 1: USCC_A, 2: `企业${i}` })),
    ];
    const big = defineImport({ columns: enterprises.columns, maxRows: 2_000 });
    const calls: Array<[number, number]> = [];
    const result = await parseImport(
      big,
      { buffer: await xlsx(rows), filename: 'a.xlsx' },
      { onProgress: (done, total) => calls.push([done, total]) },
    );
    expect(result.totalRows).toBe(1_200);
    expect(calls.at(-1)).toEqual([1_200, 1_200]);
    expect(calls.length).toBeGreaterThan(2);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
    expect(calls.every(([done, total]) => done <= total)).toBe(true);
    expect(calls.some(([done, total]) => done > 0 && done < total)).toBe(true);
  });

  it('imports what exportRows wrote, formula-looking names back to their own text', async () => {
    const names = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '-负数开头的名称'];
    const buffer = await exportRows({
      columns: [
        { header: '统一社会信用代码', key: 'uscc' },
        { header: '企业名称', key: 'name' },
      ],
      rows: names.map((name, i) => ({ uscc: [USCC_A, USCC_B, '91410100MA44B1XH8D'][i], name })),
      format: 'xlsx',
    });
    const result = await parse({ buffer, filename: 'export.xlsx' });
    expect(result.ok).toBe(true);
    expect(result.rows.map((r) => r.value.name)).toEqual(names);
  });

  const refused: Array<[string, () => Buffer | Promise<Buffer>, string, string]> = [
    [
      'a text file renamed .xlsx',
      () => Buffer.from('统一社会信用代码,企业名称\r\n'),
      'a.xlsx',
      'FILE_NOT_SPREADSHEET',
    ],
    ['random bytes named .xlsx', () => noise(10_000), 'a.xlsx', 'FILE_NOT_SPREADSHEET'],
    [
      'a zip bomb',
      () => {
        const entries = minimalXlsxEntries({ sheetXml: '' }).filter(
          (e) => e.name !== 'xl/worksheets/sheet1.xml',
        );
        return writeZip([
          ...entries,
          { name: 'xl/worksheets/sheet1.xml', raw: { ...zeroBomb(250), method: 8 } },
        ]);
      },
      'a.xlsx',
      'FILE_ZIP_BOMB',
    ],
    ['a PDF', () => Buffer.concat([Buffer.from('%PDF-1.7\n'), noise(100)]), 'a.pdf', 'FILE_UNSUPPORTED_TYPE'],
    [
      'a legacy .xls',
      () => Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), noise(512)]),
      'a.xls',
      'FILE_NOT_SPREADSHEET',
    ],
  ];
  it.each(refused)('refuses %s', async (_name, make, filename, code) => {
    const error = await refusal(parse({ buffer: await make(), filename }));
    expect(error.code).toBe(code);
  });

  it('reads a workbook without an extension by its zip signature', async () => {
    const buffer = await xlsx([
      { 1: 'USCC', 2: 'Enterprise name' },
      { 1: USCC_A, 2: 'Yutong' },
    ]);
    expect((await parse({ buffer, filename: 'upload' })).rows).toHaveLength(1);
  });
});

describe('parseImport from CSV', () => {
  it('reads GB18030, as Excel on Chinese Windows saves it', async () => {
    const text = `统一社会信用代码,企业名称,行业\r\n${USCC_A},郑州宇通客车股份有限公司,industry\r\n${USCC_B},洛阳栾川钼业集团股份有限公司,\r\n`;
    const result = await parse({ buffer: iconv.encode(text, 'gb18030'), filename: '名单.csv' });
    expect(result.source).toMatchObject({ format: 'csv', encoding: 'gb18030' });
    expect(result.rows).toEqual([
      { rowNumber: 2, value: { uscc: USCC_A, name: '郑州宇通客车股份有限公司', sector: 'industry' } },
      { rowNumber: 3, value: { uscc: USCC_B, name: '洛阳栾川钼业集团股份有限公司' } },
    ]);
  });

  it('reads UTF-8 with a byte-order mark, quoted fields with line breaks, and numbers records as Excel does', async () => {
    const text = `\uFEFF"统一社会信用代码","企业名称"\r\n"${USCC_A}","郑州宇通\r\n客车, 股份"\r\n\r\n"bad","x"\r\n`;
    const result = await parse(
      { buffer: Buffer.from(text, 'utf8'), filename: 'a.csv' },
      { allowPartial: true },
    );
    expect(result.source.encoding).toBe('utf8');
    expect(result.rows).toEqual([{ rowNumber: 2, value: { uscc: USCC_A, name: '郑州宇通\r\n客车, 股份' } }]);
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([[4, 'uscc']]);
  });

  it('reads Excel "Unicode text": UTF-16 LE, tab-separated', async () => {
    const text = `企业名称\t统一社会信用代码\r\n宇通\t${USCC_A}\r\n`;
    const buffer = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const result = await parse({ buffer, filename: 'a.txt' });
    expect(result.source.encoding).toBe('utf16le');
    expect(result.rows).toEqual([{ rowNumber: 2, value: { uscc: USCC_A, name: '宇通' } }]);
  });

  it('honours an explicit encoding and refuses bytes invalid in it', async () => {
    const bytes = iconv.encode(`统一社会信用代码,企业名称\r\n${USCC_A},宇通\r\n`, 'gb18030');
    expect((await parse({ buffer: bytes, filename: 'a.csv', encoding: 'gbk' })).rows).toHaveLength(1);
    const error = await refusal(parse({ buffer: bytes, filename: 'a.csv', encoding: 'utf8' }));
    expect(error.code).toBe('FILE_ENCODING');
  });

  it('refuses a malformed CSV with its line', async () => {
    const error = await refusal(
      parse({ buffer: Buffer.from('统一社会信用代码,企业名称\r\n"x,y\r\n'), filename: 'a.csv' }),
    );
    expect(error).toMatchObject({ code: 'FILE_CSV_MALFORMED', details: { line: 2 } });
  });
});

describe('defineImport', () => {
  it('refuses two columns sharing a header or a key', () => {
    const schema = z.string();
    expect(() =>
      defineImport({
        columns: [
          { key: 'a', header: { zh: '名称', en: 'Name' }, schema },
          { key: 'b', header: { zh: '单位', en: 'Unit' }, aliases: ['ＮＡＭＥ'], schema },
        ],
      }),
    ).toThrow(/used by both "a" and "b"/);
    expect(() =>
      defineImport({
        columns: [
          { key: 'a', header: { zh: '名称', en: 'Name' }, schema },
          { key: 'a', header: { zh: '单位', en: 'Unit' }, schema },
        ],
      }),
    ).toThrow(/declared twice/);
  });

  it('matches a header however it is spaced, starred, cased or widened', () => {
    const toFullWidth = (s: string) =>
      s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
    const header = fc.constantFrom(
      ...enterprises.columns.flatMap((c: ImportColumn) => [c.header.zh, c.header.en, ...(c.aliases ?? [])]),
    );
    const space = fc.constantFrom('', ' ', '\u3000', '\t', '  ');
    fc.assert(
      fc.property(
        header,
        space,
        space,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (h, before, after, wide, upper, star) => {
          let typed = upper ? h.toUpperCase() : h;
          if (wide) typed = toFullWidth(typed);
          typed = `${before}${star ? '*' : ''}${typed}${after}`;
          expect(normaliseHeader(typed)).toBe(normaliseHeader(h));
        },
      ),
    );
  });
});

describe('templateWorkbook', () => {
  it('writes the Chinese headers, styled, text-formatted, with notes, and reads back filled in', async () => {
    const buffer = await templateWorkbook(enterprises, 'zh');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(asExcelBuffer(buffer));
    const [data, notes] = workbook.worksheets;
    expect(data?.name).toBe('数据');
    expect(data?.getRow(1).values).toEqual([
      undefined,
      '统一社会信用代码',
      '企业名称',
      '行业',
      '职工人数',
      '填报日期',
    ]);
    const uscc = data!.getCell('A1');
    expect(uscc.font?.bold).toBe(true);
    expect(uscc.fill).toMatchObject({ fgColor: { argb: 'FFC00000' } });
    expect(data!.getCell('C1').fill).toMatchObject({ fgColor: { argb: 'FF1F4E79' } });
    expect(String(uscc.note)).toContain('18 位');
    expect(data!.getColumn(1).numFmt).toBe('@');
    expect(data!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(notes?.name).toBe('填写说明');
    const noteRows = notes!.getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1).join('|') : ''));
    expect(
      noteRows.some((r) =>
        r.startsWith(
          `统一社会信用代码|必填|必填;18 位,营业执照上的代码;同一文件内不得重复|${USCC_A}|USCC、信用代码、社会信用代码`,
        ),
      ),
    ).toBe(true);
    expect(noteRows.some((r) => r.startsWith('行业|选填'))).toBe(true);

    data!.getCell('A2').value = USCC_A;
    data!.getCell('B2').value = '郑州宇通客车股份有限公司';
    data!.getCell('E2').value = '2022-05-25';
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const result = await parse({ buffer: filled, filename: '模板.xlsx' });
    expect(result.ok).toBe(true);
    expect(result.rows).toEqual([
      { rowNumber: 2, value: { uscc: USCC_A, name: '郑州宇通客车股份有限公司', reportDate: '2022-05-25' } },
    ]);
  });

  it('writes English headers for the English locale, which import just the same', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(asExcelBuffer(await templateWorkbook(enterprises, 'en')));
    const data = workbook.worksheets[0]!;
    expect(data.name).toBe('Data');
    expect(data.getCell('B1').value).toBe('Enterprise name');
    data.getCell('A2').value = USCC_B;
    data.getCell('B2').value = 'China Molybdenum';
    const result = await parse({
      buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
      filename: 't.xlsx',
    });
    expect(result.rows).toEqual([{ rowNumber: 2, value: { uscc: USCC_B, name: 'China Molybdenum' } }]);
  });
});
