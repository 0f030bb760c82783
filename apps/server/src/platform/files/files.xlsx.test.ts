import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { minimalXlsxEntries, writeZip } from '../../../test/files-fixtures';
import { FileError } from './files.errors';
import { listXlsxSheets, normaliseCell, openXlsxSheet, readXlsxRows, type SheetRow } from './files.xlsx';

async function collect(rows: AsyncIterable<SheetRow>): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** A workbook as an official would send it: a hidden lookup sheet first, then the list with every kind of cell. */
async function mixedWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const lookup = workbook.addWorksheet('代码表');
  lookup.state = 'hidden';
  lookup.addRow(['industry', '工业生产']);
  const list = workbook.addWorksheet('企业名单');
  list.getCell('A1').value = '名称';
  list.getCell('B1').value = '公式';
  list.getCell('C1').value = '网址';
  list.getCell('D1').value = '日期';
  list.getCell('E1').value = '时间';
  list.getCell('F1').value = '人数';
  list.getCell('G1').value = '闭环';
  list.getCell('H1').value = '错误';
  list.getCell('I1').value = '公式日期';
  list.getCell('A2').value = { richText: [{ text: '郑州', font: { bold: true } }, { text: '宇通客车' }] };
  list.getCell('B2').value = { formula: 'A2&"股份"', result: '郑州宇通客车股份' };
  list.getCell('C2').value = { text: '宇通官网', hyperlink: 'https://www.yutong.com/' };
  list.getCell('D2').value = new Date(Date.UTC(2022, 4, 25));
  list.getCell('D2').numFmt = 'yyyy-mm-dd';
  list.getCell('E2').value = new Date(Date.UTC(2022, 4, 25, 8, 30, 0));
  list.getCell('E2').numFmt = 'yyyy-mm-dd hh:mm';
  list.getCell('F2').value = 1234.5;
  list.getCell('G2').value = true;
  list.getCell('H2').value = { error: '#N/A' };
  list.getCell('I2').value = { formula: 'DATE(2022,6,30)', result: new Date(Date.UTC(2022, 5, 30)) };
  list.getCell('I2').numFmt = 'yyyy"年"m"月"d"日"';
  // row 3 left empty; row 4 has a gap between A and D
  list.getCell('A4').value = '  带空格  ';
  list.getCell('D4').value = 0;
  const other = workbook.addWorksheet('Other');
  other.addRow(['only in other']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('readXlsxRows', () => {
  it('reads the first visible sheet with every kind of cell normalised and real row numbers', async () => {
    const rows = await collect(readXlsxRows(await mixedWorkbook()));
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2, 4]);
    expect(rows[1]?.cells).toEqual([
      '郑州宇通客车',
      '郑州宇通客车股份',
      '宇通官网',
      '2022-05-25',
      '2022-05-25T08:30:00',
      1234.5,
      true,
      '#N/A',
      '2022-06-30',
    ]);
    expect(rows[2]?.cells).toEqual(['  带空格  ', null, null, 0]);
  });

  it('lists sheets in tab order and reads one by name, forgiving width, spaces and case', async () => {
    const buffer = await mixedWorkbook();
    expect(await listXlsxSheets(buffer)).toEqual([
      { name: '代码表', part: 'xl/worksheets/sheet1.xml', hidden: true },
      { name: '企业名单', part: 'xl/worksheets/sheet2.xml', hidden: false },
      { name: 'Other', part: 'xl/worksheets/sheet3.xml', hidden: false },
    ]);
    const other = await collect(readXlsxRows(buffer, { sheet: ' ＯＴＨＥＲ ' }));
    expect(other).toEqual([{ rowNumber: 1, cells: ['only in other'] }]);
    const hidden = await collect(readXlsxRows(buffer, { sheet: '代码表' }));
    expect(hidden[0]?.cells).toEqual(['industry', '工业生产']);
  });

  it('answers FILE_SHEET_MISSING with the sheets there are', async () => {
    const error = await collect(readXlsxRows(await mixedWorkbook(), { sheet: '员工' })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({
      code: 'FILE_SHEET_MISSING',
      status: 422,
      details: { sheet: '员工', sheets: ['代码表', '企业名单', 'Other'] },
    });
  });

  it('reads a workbook laid out unlike Excel: absolute targets, renamed parts, inline strings, no styles', async () => {
    const buffer = writeZip(
      minimalXlsxEntries({
        sheetName: '名单 & 说明',
        sheetPath: 'xl/worksheets/data.xml',
        absoluteTargets: true,
        sharedStrings: {
          path: 'xl/SharedStrings.xml',
          xml: '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>统一社会信用代码</t></si><si><r><t>洛阳</t></r><r><t>钼业</t></r></si></sst>',
        },
        sheetXml:
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>企业名称</t></is></c></row>' +
          '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>42</v></c><c r="C3" t="b"><v>0</v></c></row>',
      }),
    );
    expect((await listXlsxSheets(buffer))[0]?.name).toBe('名单 & 说明');
    expect(await collect(readXlsxRows(buffer))).toEqual([
      { rowNumber: 1, cells: ['统一社会信用代码', '企业名称'] },
      { rowNumber: 3, cells: ['洛阳钼业', 42, false] },
    ]);
  });

  it('gives a size hint from the sheet dimension and stops reading when the caller stops', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('数据');
    for (let i = 1; i <= 2_000; i++) sheet.addRow([`第${i}行`]);
    const opened = await openXlsxSheet(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(opened.lastRowHint).toBe(2_000);
    const firstThree: number[] = [];
    for await (const row of opened.rows()) {
      firstThree.push(row.rowNumber);
      if (firstThree.length === 3) break;
    }
    expect(firstThree).toEqual([1, 2, 3]);
  });

  it('refuses a sheet exceljs cannot parse as FILE_NOT_SPREADSHEET', async () => {
    const buffer = writeZip(minimalXlsxEntries({ sheetXml: '<row r="1"><c r="A1"><v>1</v></row>' }));
    const error = await collect(readXlsxRows(buffer)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FILE_NOT_SPREADSHEET', status: 415 });
  });
});

describe('normaliseCell', () => {
  const cases: Array<[string, ExcelJS.CellValue, string | undefined, ReturnType<typeof normaliseCell>]> = [
    ['empty', null, undefined, null],
    ['text', '张三', undefined, '张三'],
    ['number', 13800138000, undefined, 13800138000],
    ['boolean', false, undefined, false],
    ['date at midnight', new Date(Date.UTC(2022, 4, 25)), undefined, '2022-05-25'],
    [
      'date with time, float noise rounded',
      new Date(Date.UTC(2022, 4, 25, 8, 29, 59, 999)),
      undefined,
      '2022-05-25T08:30:00',
    ],
    ['rich text', { richText: [{ text: '河南' }, { text: '省' }] }, undefined, '河南省'],
    ['hyperlink', { text: '链接', hyperlink: 'http://x' }, undefined, '链接'],
    ['formula without cached result', { formula: 'A1+1', date1904: false }, undefined, null],
    ['formula number', { formula: '1+1', result: 2, date1904: false }, 'General', 2],
    [
      'formula date by format',
      { formula: 'TODAY()', result: 44706, date1904: false },
      'yyyy/m/d',
      '2022-05-25',
    ],
    [
      'formula error',
      { formula: '1/0', result: { error: '#DIV/0!' }, date1904: false },
      undefined,
      '#DIV/0!',
    ],
    ['error', { error: '#REF!' }, undefined, '#REF!'],
  ];
  it.each(cases)('%s', (_name, value, numFmt, expected) => {
    expect(normaliseCell(value, numFmt)).toEqual(expected);
  });
});
