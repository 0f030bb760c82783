import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  decodeText,
  encodeText,
  formatCsv,
  parseCsv,
  type TextEncoding,
  type TextEncodingChoice,
} from './files.csv';
import { FileError } from './files.errors';

const CHINESE = '统一社会信用代码,企业名称\r\n91410100MA44B1XH7D,郑州宇通客车股份有限公司';

describe('parseCsv', () => {
  const cases: Array<[string, string, string[][], string?]> = [
    [
      'CRLF records',
      'a,b\r\nc,d\r\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'LF records, no final break',
      'a,b\nc,d',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ['lone CR records', 'a\rb\r', [['a'], ['b']]],
    [
      'quoted delimiter, line breaks and doubled quotes',
      '"a,b","第一行\r\n第二行","say ""hi"""\r\nnext,row\r\n',
      [
        ['a,b', '第一行\r\n第二行', 'say "hi"'],
        ['next', 'row'],
      ],
    ],
    ['empty fields', ',,\r\n', [['', '', '']]],
    ['a trailing delimiter at the end', 'a,', [['a', '']]],
    ['a blank line is a record of one empty field', 'a\r\n\r\nb', [['a'], [''], ['b']]],
    ['empty input', '', []],
    ['a quote inside an unquoted field is text', 'ab"c,d', [['ab"c', 'd']]],
    ['quoted empty field', '"",""', [['', '']]],
    ['spaces kept', ' a , b ', [[' a ', ' b ']]],
    [
      'tab delimiter',
      '名称\t人数\r\n宇通\t1200',
      [
        ['名称', '人数'],
        ['宇通', '1200'],
      ],
      '\t',
    ],
  ];
  it.each(cases)('%s', (_name, text, expected, delimiter) => {
    expect(parseCsv(text, { delimiter })).toEqual(expected);
  });

  const malformed: Array<[string, string, number]> = [
    ['an unterminated quote', '"abc', 1],
    ['an unterminated quote on a later line', 'a\r\nb\r\n"c,d\r\ne', 3],
    ['text after a closing quote', '"a"b,c', 1],
    ['a space after a closing quote on line 2', 'x\n"a" ,b', 2],
  ];
  it.each(malformed)('refuses %s with its line number', (_name, text, line) => {
    let error: unknown;
    try {
      parseCsv(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: 'FILE_CSV_MALFORMED', status: 422, details: { line } });
    expect((error as FileError).messageZh).toContain(`第 ${line} 行`);
  });

  it('parses what formatCsv writes, for any fields', () => {
    const field = fc.string({
      unit: fc.oneof(
        fc.constantFrom(',', '"', '\r', '\n', '\r\n', ' ', '=', '\t'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      ),
    });
    const rows = fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { maxLength: 8 });
    fc.assert(
      fc.property(rows, fc.constantFrom(',', ';', '\t'), (records, delimiter) => {
        expect(parseCsv(formatCsv(records, { delimiter }), { delimiter })).toEqual(records);
      }),
    );
  });
});

describe('decodeText', () => {
  const utf16be = (text: string) =>
    Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16-be')]);
  const ascii = 'USCC,Name\r\n1,2';
  const cases: Array<[string, Buffer, TextEncodingChoice, TextEncoding, boolean, string]> = [
    ['UTF-8 without a mark', Buffer.from(CHINESE, 'utf8'), 'auto', 'utf8', false, CHINESE],
    [
      'UTF-8 with a mark',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHINESE)]),
      'auto',
      'utf8',
      true,
      CHINESE,
    ],
    [
      'UTF-16 LE with a mark',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CHINESE, 'utf16le')]),
      'auto',
      'utf16le',
      true,
      CHINESE,
    ],
    ['UTF-16 BE with a mark', utf16be(CHINESE), 'auto', 'utf16be', true, CHINESE],
    ['GB18030 detected', iconv.encode(CHINESE, 'gb18030'), 'auto', 'gb18030', false, CHINESE],
    ['GBK named explicitly', iconv.encode(CHINESE, 'gbk'), 'gbk', 'gb18030', false, CHINESE],
    [
      'a mark wins over the named encoding',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHINESE)]),
      'gb18030',
      'utf8',
      true,
      CHINESE,
    ],
    ['plain ASCII reads as UTF-8', Buffer.from(ascii), 'auto', 'utf8', false, ascii],
    [
      'GB18030 of supplementary characters',
      iconv.encode('𠀀😀,㐀', 'gb18030'),
      'gb18030',
      'gb18030',
      false,
      '𠀀😀,㐀',
    ],
  ];
  it.each(cases)('%s', (_name, bytes, choice, encoding, bom, text) => {
    expect(decodeText(bytes, choice)).toEqual({ text, encoding, bom });
  });

  it('keeps a genuine U+FFFD in a GB18030 file', () => {
    const text = '名称,备注\r\n宇通,\uFFFD';
    expect(decodeText(iconv.encode(text, 'gb18030')).text).toBe(text);
  });

  const refused: Array<[string, Buffer, TextEncodingChoice]> = [
    ['NUL bytes (binary, or UTF-16 without a mark)', Buffer.from('USCC,名称', 'utf16le'), 'auto'],
    ['GB18030 bytes read as the UTF-8 they are not', iconv.encode(CHINESE, 'gb18030'), 'utf8'],
    ['bytes valid in neither UTF-8 nor GB18030', Buffer.from([0x41, 0x81, 0x20, 0x42, 0xff]), 'auto'],
    ['a lone surrogate in UTF-16', Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]), 'auto'],
  ];
  it.each(refused)('refuses %s', (_name, bytes, choice) => {
    expect(() => decodeText(bytes, choice)).toThrow(
      expect.objectContaining({ code: 'FILE_ENCODING', status: 415 }),
    );
  });
});

describe('encodeText', () => {
  it('writes UTF-8 with a byte-order mark and GB18030 without', () => {
    const utf8 = encodeText('企业名称', 'utf8');
    expect([...utf8.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(utf8.subarray(3).toString('utf8')).toBe('企业名称');
    const gb = encodeText('企业名称', 'gb18030');
    expect(gb).toEqual(iconv.encode('企业名称', 'gb18030'));
    expect(gb.length).toBe(8);
  });
});
