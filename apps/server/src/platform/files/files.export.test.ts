import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readZipEntry } from '../../../test/files-fixtures';
import { decodeText, parseCsv } from './files.csv';
import { type ExportColumn, exportRows, neutraliseCell } from './files.export';

/** exceljs types its input as its own ArrayBuffer-like `Buffer`; a Node Buffer is what it reads at run time. */
const asExcelBuffer = (buffer: Buffer) => buffer as unknown as ExcelJS.Buffer;

const FORMULA_NAMES = [
  '=HYPERLINK("http://x","y")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
];

const columns: ExportColumn[] = [
  { header: '企业名称', key: 'name', width: 40 },
  { header: '职工人数', key: 'employees' },
];

describe('neutraliseCell', () => {
  const cases: Array<[string, string]> = [
    ['=1+1', "'=1+1"],
    ['+86 138', "'+86 138"],
    ['-5', "'-5"],
    ['@user', "'@user"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['＝SUM(A1)', "'＝SUM(A1)"],
    ['＋1', "'＋1"],
    ['郑州宇通', '郑州宇通'],
    ['a=b', 'a=b'],
    [' =1', ' =1'],
    ['', ''],
    ["'=already", "'=already"],
  ];
  it.each(cases)('%j becomes %j', (input, expected) => {
    expect(neutraliseCell(input)).toBe(expected);
  });
});

describe('exportRows', () => {
  const rows = FORMULA_NAMES.map((name, i) => ({ name, employees: i }));

  it('writes formula-looking names to .xlsx as inert text, never as formulas', async () => {
    const buffer = await exportRows({ columns, rows, format: 'xlsx', sheetName: '企业名单' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(asExcelBuffer(buffer));
    const sheet = workbook.getWorksheet('企业名单');
    expect(sheet).toBeDefined();
    expect(sheet?.getRow(1).values).toEqual([undefined, '企业名称', '职工人数']);
    expect(sheet?.getRow(1).font?.bold).toBe(true);
    FORMULA_NAMES.forEach((name, i) => {
      const cell = sheet!.getCell(i + 2, 1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
      expect(cell.value).toBe(`'${name}`.replace(/\r/g, '\n'));
      expect(sheet!.getCell(i + 2, 2).value).toBe(i);
    });
    const sheetXml = (await readZipEntry(buffer, 'xl/worksheets/sheet1.xml'))?.toString('utf8') ?? '';
    expect(sheetXml).toContain('<sheetData>');
    expect(sheetXml).not.toMatch(/<f[\s>]/);
  });

  it('writes them to CSV with a leading quote, every field quoted, and a UTF-8 byte-order mark', async () => {
    const buffer = await exportRows({ columns, rows, format: 'csv' });
    expect([...buffer.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buffer.subarray(3, 17).toString('utf8')).toBe('"企业名称"');
    const parsed = parseCsv(decodeText(buffer).text);
    expect(parsed[0]).toEqual(['企业名称', '职工人数']);
    expect(parsed.slice(1).map((r) => r[0])).toEqual(FORMULA_NAMES.map((n) => `'${n}`));
    expect(parsed.slice(1).every((r) => !/^[=+\-@\t\r＝]/.test(r[0] ?? ''))).toBe(true);
  });

  it('writes GB18030 CSV without a byte-order mark', async () => {
    const buffer = await exportRows({
      columns,
      rows: [{ name: '洛阳栾川钼业集团', employees: 1200 }],
      format: 'csv',
      encoding: 'gb18030',
    });
    expect(buffer[0]).toBe(0x22);
    const decoded = decodeText(buffer);
    expect(decoded.encoding).toBe('gb18030');
    expect(parseCsv(decoded.text)).toEqual([
      ['企业名称', '职工人数'],
      ['洛阳栾川钼业集团', '1200'],
    ]);
  });

  it('writes dates as Asia/Shanghai wall-clock time and keeps numbers numeric in .xlsx', async () => {
    const exportColumns = [
      { header: '上报时间', key: 'at' },
      { header: '人数', key: 'n' },
      { header: '闭环', key: 'closed' },
      { header: '备注', key: 'note' },
    ] as const;
    const data = [{ at: new Date('2022-05-25T00:30:00Z'), n: 12.5, closed: true, note: null }];
    const csv = parseCsv(
      decodeText(await exportRows({ columns: exportColumns, rows: data, format: 'csv' })).text,
    );
    expect(csv[1]).toEqual(['2022-05-25 08:30:00', '12.5', 'TRUE', '']);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      asExcelBuffer(await exportRows({ columns: exportColumns, rows: data, format: 'xlsx' })),
    );
    const row = workbook.worksheets[0]!.getRow(2);
    expect(row.getCell(1).value).toEqual(new Date('2022-05-25T08:30:00Z'));
    expect(row.getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(row.getCell(2).value).toBe(12.5);
    expect(row.getCell(3).value).toBe(true);
    expect(row.getCell(4).value).toBeNull();
  });

  it('accepts rows from an async source', async () => {
    async function* source() {
      yield { name: '第一', employees: 1 };
      yield { name: '第二', employees: 2 };
    }
    const parsed = parseCsv(decodeText(await exportRows({ columns, rows: source(), format: 'csv' })).text);
    expect(parsed.slice(1)).toEqual([
      ['第一', '1'],
      ['第二', '2'],
    ]);
  });

  it('round-trips any strings through CSV, UTF-8 and GB18030, neutralisation aside', async () => {
    // Characters GB18030 maps both ways (iconv-lite's table moves a few private-use code points).
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom(',', '"', '\r', '\n', '\t', '=', '+', '-', '@', '＝', "'", ' ', '\u0000', '\uFFFD'),
        fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)),
        fc.integer({ min: 0x1f300, max: 0x1f64f }).map((c) => String.fromCodePoint(c)),
      ),
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ name: text, employees: text }), { maxLength: 6 }),
        fc.constantFrom('utf8' as const, 'gb18030' as const),
        async (data, encoding) => {
          const buffer = await exportRows({ columns, rows: data, format: 'csv', encoding });
          const parsed = parseCsv(decodeText(buffer, encoding).text);
          expect(parsed).toEqual([
            ['企业名称', '职工人数'],
            ...data.map((r) => [neutraliseCell(r.name), neutraliseCell(r.employees)]),
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('round-trips any strings through UTF-8 CSV with the full Unicode range', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 }), async (names) => {
        const buffer = await exportRows({ columns, rows: names.map((name) => ({ name })), format: 'csv' });
        const parsed = parseCsv(decodeText(buffer).text);
        expect(parsed.slice(1).map((r) => r[0])).toEqual(names.map(neutraliseCell));
        expect(parsed.slice(1).every((r) => r[1] === '')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
