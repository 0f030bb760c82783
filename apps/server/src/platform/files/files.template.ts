import ExcelJS from 'exceljs';
import type { ImportColumn, ImportDefinition, Locale } from './files.import';

const TEXT = {
  zh: {
    data: '数据',
    notes: '填写说明',
    required: '必填',
    optional: '选填',
    columns: ['列名', '是否必填', '填写要求', '示例', '也可写作'],
    general: [
      '1. 请在“{sheet}”工作表中填写,第一行是表头,请勿修改、删除或合并;从第二行起每行一条记录。',
      '2. 红色表头为必填列,蓝色表头为选填列;列的先后顺序可以调整,多余的列会被忽略。',
      '3. 单元格已设为文本格式,身份证号、统一社会信用代码、手机号请直接填写,不要加空格。',
      '4. 一次最多导入 {maxRows} 行;任何一行有误时整个文件都不会导入,请按错误报告修改后重新上传。',
    ],
    unique: '同一文件内不得重复',
  },
  en: {
    data: 'Data',
    notes: 'Instructions',
    required: 'Required',
    optional: 'Optional',
    columns: ['Column', 'Required', 'What to enter', 'Example', 'Also accepted as'],
    general: [
      '1. Fill in the "{sheet}" sheet. Row 1 is the header: do not edit, delete or merge it. One record per row from row 2.',
      '2. Red headers are required columns, blue ones optional; columns may be reordered; extra columns are ignored.',
      '3. Cells are formatted as text: type ID numbers, USCCs and phone numbers as they are, without spaces.',
      '4. At most {maxRows} rows per file. If any row has an error nothing is imported: fix the rows the error report lists and upload again.',
    ],
    unique: 'must not repeat within the file',
  },
} as const;

const REQUIRED_FILL = 'FFC00000';
const OPTIONAL_FILL = 'FF1F4E79';

/**
 * An .xlsx template for an import: a data sheet whose header row has the column headers in `locale`
 * (required columns red, optional blue, bold white text, frozen, each header carrying a comment with its
 * requirement), the data cells pre-formatted as text so Excel keeps ID numbers and leading zeros, and a
 * notes sheet describing every column (required or not, what to enter, an example, accepted aliases).
 * `parseImport` reads the data sheet back: it is the first sheet.
 */
export async function templateWorkbook(definition: ImportDefinition, locale: Locale = 'zh'): Promise<Buffer> {
  const text = TEXT[locale];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sibao';
  const dataName = definition.sheetName?.[locale] ?? text.data;
  const data = workbook.addWorksheet(dataName, { views: [{ state: 'frozen', ySplit: 1 }] });
  data.columns = definition.columns.map((column) => ({
    key: column.key,
    width: column.width ?? widthOf(column.header[locale]) + 4,
    style: { numFmt: '@' },
  }));
  const header = data.getRow(1);
  header.height = 24;
  definition.columns.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.value = column.header[locale];
    cell.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    cell.fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: column.required ? REQUIRED_FILL : OPTIONAL_FILL },
    };
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF000000' } } };
    cell.note = requirementOf(column, locale);
  });

  const notes = workbook.addWorksheet(text.notes);
  notes.columns = [{ width: 24 }, { width: 10 }, { width: 60 }, { width: 24 }, { width: 36 }];
  for (const line of text.general) {
    notes.addRow([line.replace('{sheet}', dataName).replace('{maxRows}', String(definition.maxRows))]);
  }
  notes.addRow([]);
  const tableHeader = notes.addRow([...text.columns]);
  tableHeader.font = { bold: true };
  for (const column of definition.columns) {
    const other: Locale = locale === 'zh' ? 'en' : 'zh';
    notes.addRow([
      column.header[locale],
      column.required ? text.required : text.optional,
      requirementOf(column, locale),
      column.example ?? '',
      [column.header[other], ...(column.aliases ?? [])].join(locale === 'zh' ? '、' : ', '),
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function requirementOf(column: ImportColumn, locale: Locale): string {
  const text = TEXT[locale];
  const parts: string[] = [column.required ? text.required : text.optional];
  if (column.note) parts.push(column.note[locale]);
  if (column.unique) parts.push(text.unique);
  return parts.join(locale === 'zh' ? ';' : '; ');
}

function widthOf(header: string): number {
  let width = 0;
  for (const ch of header) width += ch.codePointAt(0)! <= 0xff ? 1 : 2;
  return Math.max(width, 8);
}
