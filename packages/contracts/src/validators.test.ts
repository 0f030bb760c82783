import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeIdCheckDigit,
  computeUsccCheckChar,
  IdNumberSchema,
  MobileSchema,
  normalizeIdNumber,
  normalizeMobile,
  normalizeUscc,
  UsccSchema,
  validateIdNumber,
  validateMobile,
  validateUscc,
} from './validators';

// The valid vectors below were computed with an independent implementation (a few lines of Python written
// from the standards' text), so they check the TypeScript code rather than echo it.

/** The day the seed was issued, as "today" for birth-date checks. */
const TODAY = new Date('2022-05-25T04:00:00Z'); // 12:00 in Asia/Shanghai

/** Converts every ASCII character to its full-width form (what a Chinese IME in full-width mode types). */
function toFullWidth(s: string): string {
  return s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
}

const withIdCheck = (body: string) => body + computeIdCheckDigit(body);
const withUsccCheck = (body: string) => body + computeUsccCheckChar(body);

describe('validateIdNumber', () => {
  it.each([
    ['410102199003071230', '1990-03-07', 'male', '410102'],
    ['410105200002290022', '2000-02-29', 'female', '410105'],
    ['419001198506155614', '1985-06-15', 'male', '419001'],
    ['11010119491001001X', '1949-10-01', 'male', '110101'],
    ['41010519880810118X', '1988-08-10', 'female', '410105'],
    ['411729197001010033', '1970-01-01', 'male', '411729'],
    ['410102190001010011', '1900-01-01', 'male', '410102'],
    ['410102202205240017', '2022-05-24', 'male', '410102'],
  ])('accepts %s (born %s, %s)', (id, birthDate, sex, regionCode) => {
    expect(validateIdNumber(id, { today: TODAY })).toEqual({
      ok: true,
      value: id,
      birthDate,
      sex,
      regionCode,
    });
  });

  it.each([
    [' 11010119491001001x ', '11010119491001001X'],
    ['4101 0219 9003 0712 30', '410102199003071230'],
    ['410102\u3000199003071230', '410102199003071230'],
    ['４１０１０２１９９００３０７１２３０', '410102199003071230'],
    ['１１０１０１１９４９１００１００１ｘ', '11010119491001001X'],
    ['１１０１０１１９４９１００１００１Ｘ', '11010119491001001X'],
  ])('normalises %j to %s before validating', (raw, value) => {
    const result = validateIdNumber(raw, { today: TODAY });
    expect(result.ok && result.value).toBe(value);
  });

  it.each([
    ['empty', ''],
    ['17 characters', '41010219900307123'],
    ['19 characters', '4101021990030712300'],
    ['old 15-digit number', '410102900307123'],
    ['letter in the body', '4101021990030A1230'],
    ['X before the last position', '4101021990030712X0'],
    ['check character other than X', '41010219900307123A'],
    ['hyphens are not separators', '410102-19900307-1230'],
  ])('rejects %s with ID_NUMBER_FORMAT', (_label, raw) => {
    expect(validateIdNumber(raw, { today: TODAY })).toEqual({ ok: false, code: 'ID_NUMBER_FORMAT' });
  });

  it.each([
    ['February 30', '41010219900230123'],
    ['29 February of 1900 (not a leap year)', '41010219000229123'],
    ['month 13', '41010219901301123'],
    ['month 00', '41010219900001123'],
    ['day 00', '41010219900300123'],
    ['31 April', '41010219900431123'],
    ['before 1900', '41010218991231123'],
    ['tomorrow', '41010220220526001'],
  ])(
    'rejects a birth date on %s with ID_NUMBER_BIRTH_DATE even when the check digit is right',
    (_l, body) => {
      expect(validateIdNumber(withIdCheck(body), { today: TODAY })).toEqual({
        ok: false,
        code: 'ID_NUMBER_BIRTH_DATE',
      });
    },
  );

  it('judges "today" in Asia/Shanghai, not UTC', () => {
    const bornToday = withIdCheck('41010220220526001');
    // 2022-05-25T17:00Z is already 01:00 on 26 May in Zhengzhou.
    expect(validateIdNumber(bornToday, { today: new Date('2022-05-25T17:00:00Z') }).ok).toBe(true);
    expect(validateIdNumber(bornToday, { today: new Date('2022-05-25T15:00:00Z') })).toEqual({
      ok: false,
      code: 'ID_NUMBER_BIRTH_DATE',
    });
  });

  it.each([['410102199003071231'], ['110101194910010010'], ['41010520000229002X']])(
    'rejects %s with ID_NUMBER_CHECK_DIGIT',
    (raw) => {
      expect(validateIdNumber(raw, { today: TODAY })).toEqual({ ok: false, code: 'ID_NUMBER_CHECK_DIGIT' });
    },
  );

  it('refuses to compute a check digit for anything but 17 digits', () => {
    expect(() => computeIdCheckDigit('4101021990030712')).toThrow(RangeError);
    expect(() => computeIdCheckDigit('4101021990030712X')).toThrow(RangeError);
  });
});

/** 17 digits: any region code, a birth date between 1900-01-01 and TODAY, any sequence number. */
const idBody = fc
  .record({
    region: fc.stringMatching(/^\d{6}$/),
    born: fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2022-05-25T00:00:00Z'),
      noInvalidDate: true,
    }),
    sequence: fc.stringMatching(/^\d{3}$/),
  })
  .map(({ region, born, sequence }) => ({
    body: region + born.toISOString().slice(0, 10).replaceAll('-', '') + sequence,
    birthDate: born.toISOString().slice(0, 10),
    male: Number(sequence[2]) % 2 === 1,
  }));

describe('validateIdNumber properties', () => {
  it('accepts any 17 digits with a valid birth date and the computed check digit', () => {
    fc.assert(
      fc.property(idBody, ({ body, birthDate, male }) => {
        const id = withIdCheck(body);
        expect(validateIdNumber(id, { today: TODAY })).toEqual({
          ok: true,
          value: id,
          birthDate,
          sex: male ? 'male' : 'female',
          regionCode: body.slice(0, 6),
        });
      }),
    );
  });

  it('rejects a valid number after any single character is changed', () => {
    fc.assert(
      fc.property(
        idBody,
        fc.nat(17),
        fc.constantFrom(...'0123456789X'),
        ({ body }, position, replacement) => {
          const id = withIdCheck(body);
          fc.pre(id[position] !== replacement);
          const changed = id.slice(0, position) + replacement + id.slice(position + 1);
          expect(validateIdNumber(changed, { today: TODAY }).ok).toBe(false);
        },
      ),
    );
  });

  it('reads full-width, spaced and lower-case input exactly as its half-width form', () => {
    fc.assert(
      fc.property(idBody, fc.array(fc.boolean(), { minLength: 18, maxLength: 18 }), ({ body }, flags) => {
        const id = withIdCheck(body);
        const messy = [...id]
          .map((ch, i) => {
            const c = flags[i] ? toFullWidth(ch.toLowerCase()) : ch.toLowerCase();
            return i % 4 === 3 ? `${c} ` : c;
          })
          .join('');
        expect(validateIdNumber(` ${messy}\t`, { today: TODAY })).toEqual(
          validateIdNumber(id, { today: TODAY }),
        );
      }),
    );
  });
});

describe('validateUscc', () => {
  it.each([
    ['91410100MA44F5RN7G', '9', '1', '410100'],
    ['92410105MA9KLPQ3XY', '9', '2', '410105'],
    ['93411729MA4TWXY0BK', '9', '3', '411729'],
    ['12410000415800123U', '1', '2', '410000'],
    ['51410100MJY123456F', '5', '1', '410100'],
    ['Y1410102MA12345EGX', 'Y', '1', '410102'],
    ['N2410181MF0123458B', 'N', '2', '410181'],
    ['914101026102771250', '9', '1', '410102'],
  ])('accepts %s', (code, authorityCode, orgTypeCode, divisionCode) => {
    expect(validateUscc(code)).toEqual({ ok: true, value: code, authorityCode, orgTypeCode, divisionCode });
  });

  it.each([
    [' 91410100ma44f5rn7g ', '91410100MA44F5RN7G'],
    ['9141 0100 MA44 F5RN 7G', '91410100MA44F5RN7G'],
    ['９１４１０１００ＭＡ４４Ｆ５ＲＮ７Ｇ', '91410100MA44F5RN7G'],
    ['９１４１０１００ｍａ４４ｆ５ｒｎ７ｇ', '91410100MA44F5RN7G'],
  ])('normalises %j to %s before validating', (raw, value) => {
    const result = validateUscc(raw);
    expect(result.ok && result.value).toBe(value);
  });

  it.each([
    ['empty', ''],
    ['17 characters', '91410100MA44F5RN7'],
    ['19 characters', '91410100MA44F5RN7GG'],
    ['forbidden letter I', '91410100MA44F5RI7G'],
    ['forbidden letter O', '91410100MA44F5RO7G'],
    ['forbidden letter Z', '91410100MA44F5RZ7G'],
    ['forbidden letter S', '91410100MA44F5RS7G'],
    ['forbidden letter V', '91410100MA44F5RN7V'],
    ['punctuation', '91410100-MA44F5RN7'],
    ['unknown registration authority B', withUsccCheck('B1410100MA44F5RN7')],
    ['工商 has no organisation type 4', withUsccCheck('94410100MA44F5RN7')],
    ['其他 only uses organisation type 1', withUsccCheck('Y2410100MA44F5RN7')],
    ['letter in the division code', withUsccCheck('9141A100MA44F5RN7')],
  ])('rejects %s with USCC_FORMAT', (_label, raw) => {
    expect(validateUscc(raw)).toEqual({ ok: false, code: 'USCC_FORMAT' });
  });

  it.each([['91410100MA44F5RN7H'], ['914101026102771251'], ['124100004158001230']])(
    'rejects %s with USCC_CHECK_CHAR',
    (raw) => {
      expect(validateUscc(raw)).toEqual({ ok: false, code: 'USCC_CHECK_CHAR' });
    },
  );

  it('refuses to compute a check character outside the charset', () => {
    expect(() => computeUsccCheckChar('91410100MA44F5RI7')).toThrow(RangeError);
    expect(() => computeUsccCheckChar('91410100MA44F5RN')).toThrow(RangeError);
  });
});

const USCC_ALPHABET = [...'0123456789ABCDEFGHJKLMNPQRTUWXY'];
const USCC_PREFIXES = [
  '11',
  '12',
  '13',
  '19',
  '21',
  '31',
  '35',
  '41',
  '51',
  '52',
  '53',
  '59',
  '61',
  '62',
  '71',
].concat(['72', '81', '91', '92', '93', 'A1', 'A9', 'N1', 'N2', 'N3', 'N9', 'Y1']);

const usccBody = fc
  .tuple(
    fc.constantFrom(...USCC_PREFIXES),
    fc.stringMatching(/^\d{6}$/),
    fc.array(fc.constantFrom(...USCC_ALPHABET), { minLength: 9, maxLength: 9 }),
  )
  .map(([prefix, division, subject]) => prefix + division + subject.join(''));

describe('validateUscc properties', () => {
  it('accepts any well-formed 17 characters followed by the computed check character', () => {
    fc.assert(
      fc.property(usccBody, (body) => {
        const code = withUsccCheck(body);
        const result = validateUscc(code);
        expect(result.ok && result.value).toBe(code);
      }),
    );
  });

  it('rejects a valid code after any single character is changed', () => {
    fc.assert(
      fc.property(usccBody, fc.nat(17), fc.constantFrom(...USCC_ALPHABET), (body, position, replacement) => {
        const code = withUsccCheck(body);
        fc.pre(code[position] !== replacement);
        const changed = code.slice(0, position) + replacement + code.slice(position + 1);
        expect(validateUscc(changed).ok).toBe(false);
      }),
    );
  });

  it('reads full-width and lower-case input exactly as its half-width form', () => {
    fc.assert(
      fc.property(usccBody, fc.boolean(), (body, lower) => {
        const code = withUsccCheck(body);
        const messy = toFullWidth(lower ? code.toLowerCase() : code);
        expect(validateUscc(messy)).toEqual(validateUscc(code));
      }),
    );
  });
});

describe('validateMobile', () => {
  it.each([
    ['13812348000', '13812348000'],
    ['19900001111', '19900001111'],
    ['16612345678', '16612345678'],
    ['14712345678', '14712345678'],
    ['138 1234 8000', '13812348000'],
    ['138-1234-8000', '13812348000'],
    ['+86 138 1234 8000', '13812348000'],
    ['+8613812348000', '13812348000'],
    ['0086-138-1234-8000', '13812348000'],
    ['8613812348000', '13812348000'],
    ['１３８１２３４８０００', '13812348000'],
    ['＋８６　１３８－１２３４－８０００', '13812348000'],
  ])('accepts %j as %s', (raw, value) => {
    expect(validateMobile(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['empty', ''],
    ['second digit 2', '12812348000'],
    ['second digit 0', '10812348000'],
    ['not starting with 1', '23812348000'],
    ['10 digits', '1381234800'],
    ['12 digits', '138123480000'],
    ['a letter', '1381234800O'],
    ['Hong Kong prefix', '+85213812348000'],
    ['prefix without 11 digits after it', '+86381234800'],
    ['a landline', '037167891234'],
  ])('rejects %s with MOBILE_FORMAT', (_label, raw) => {
    expect(validateMobile(raw)).toEqual({ ok: false, code: 'MOBILE_FORMAT' });
  });

  it('accepts any 1[3-9]xxxxxxxxx however it is prefixed, spaced or typed', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^1[3-9]\d{9}$/),
        fc.constantFrom('', '+86', '0086', '86', '+86 ', '+86-'),
        fc.array(fc.constantFrom('', ' ', '-'), { minLength: 11, maxLength: 11 }),
        fc.boolean(),
        (mobile, prefix, separators, fullWidth) => {
          const spaced = [...mobile].map((d, i) => d + separators[i]).join('');
          const typed = fullWidth ? toFullWidth(prefix + spaced) : prefix + spaced;
          expect(validateMobile(typed)).toEqual({ ok: true, value: mobile });
        },
      ),
    );
  });
});

describe('normalisation', () => {
  // Strings rich in what people paste: digits, letters, full-width forms, ideographic spaces, prefixes.
  const pasted = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc
      .array(fc.constantFrom(...'0123456789xX+-86 \u3000\t'), { maxLength: 24 })
      .map((chars) => chars.join(''))
      .chain((s) => fc.constantFrom(s, toFullWidth(s))),
  );

  it.each([
    ['normalizeIdNumber', normalizeIdNumber],
    ['normalizeUscc', normalizeUscc],
    ['normalizeMobile', normalizeMobile],
  ])('%s is idempotent', (_name, normalize) => {
    fc.assert(
      fc.property(pasted, (raw) => {
        expect(normalize(normalize(raw))).toBe(normalize(raw));
      }),
    );
  });

  it.each([
    ['normalizeIdNumber', normalizeIdNumber],
    ['normalizeUscc', normalizeUscc],
    ['normalizeMobile', normalizeMobile],
  ])('%s maps full-width input to the same result as half-width', (_name, normalize) => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcxyzXYZ+- ') }), (raw) => {
        expect(normalize(toFullWidth(raw))).toBe(normalize(raw));
      }),
    );
  });
});

describe('zod schemas', () => {
  it('output the normalised value', () => {
    expect(IdNumberSchema.parse(' 11010119491001001x ')).toBe('11010119491001001X');
    expect(UsccSchema.parse('９１４１０１００ｍａ４４ｆ５ｒｎ７ｇ')).toBe('91410100MA44F5RN7G');
    expect(MobileSchema.parse('+86 138-1234-8000')).toBe('13812348000');
  });

  it.each([
    [IdNumberSchema, '410102199003071231', 'ID_NUMBER_CHECK_DIGIT'],
    [IdNumberSchema, withIdCheck('41010219900230123'), 'ID_NUMBER_BIRTH_DATE'],
    [IdNumberSchema, '410102900307123', 'ID_NUMBER_FORMAT'],
    [UsccSchema, '91410100MA44F5RN7H', 'USCC_CHECK_CHAR'],
    [UsccSchema, '91410100MA44F5RN7', 'USCC_FORMAT'],
    [MobileSchema, '12812348000', 'MOBILE_FORMAT'],
  ] as const)('fail with one issue whose message and params.code are the code (%#)', (schema, raw, code) => {
    const result = schema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]).toMatchObject({ code: 'custom', message: code, params: { code } });
  });

  it('reject non-strings with zod’s own type issue', () => {
    const result = UsccSchema.safeParse(91410100);
    expect(result.error?.issues[0]?.code).toBe('invalid_type');
  });
});
