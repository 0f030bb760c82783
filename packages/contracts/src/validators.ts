import { z } from 'zod';

/**
 * Validators for the three identifiers officials and enterprises type by hand: 居民身份证号 (GB 11643),
 * 统一社会信用代码 (GB 32100) and mainland mobile numbers. Pure and browser-safe: the web form and the server
 * run the same code.
 *
 * Every validator normalises first (trim, drop inner whitespace, full-width → half-width, upper-case) and
 * answers `{ ok: true, value, … }` with the normalised value, or `{ ok: false, code }` with a stable code.
 *
 * The zod schemas (`IdNumberSchema`, `UsccSchema`, `MobileSchema`) output the normalised value; on failure they
 * raise one `custom` issue whose `message` is the code (e.g. `'USCC_CHECK_CHAR'`) and whose `params.code` is
 * the same code, so the error handler can map either to its Chinese/English text.
 */

// ---------------------------------------------------------------------------------------------------------
// Normalisation

const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;
const FULL_WIDTH_OFFSET = 0xfee0;
const WHITESPACE = /\s/g; // includes U+3000 IDEOGRAPHIC SPACE and U+00A0

/** Converts full-width ASCII forms (０-９, Ａ-Ｚ, ａ-ｚ, －, ＋ …) to their half-width equivalents. */
function toHalfWidth(raw: string): string {
  return raw.replace(FULL_WIDTH_ASCII, (ch) => String.fromCharCode(ch.charCodeAt(0) - FULL_WIDTH_OFFSET));
}

function compactUpper(raw: string): string {
  return toHalfWidth(raw).replace(WHITESPACE, '').toUpperCase();
}

// ---------------------------------------------------------------------------------------------------------
// 居民身份证号 — GB 11643-1999

export type IdNumberErrorCode = 'ID_NUMBER_FORMAT' | 'ID_NUMBER_BIRTH_DATE' | 'ID_NUMBER_CHECK_DIGIT';

export type IdNumberResult =
  | { ok: true; value: string; birthDate: string; sex: 'male' | 'female'; regionCode: string }
  | { ok: false; code: IdNumberErrorCode };

/** ISO 7064 MOD 11-2 weights: 2^(17-i) mod 11 for positions 1..17. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';
const ID_BODY = /^\d{17}$/;
const ID_FULL = /^\d{17}[\dX]$/;

/**
 * Normalises a 居民身份证号 as typed: trims, removes inner spaces (also the ideographic space), converts
 * full-width digits and letters to half-width and upper-cases the check character x → X.
 * Idempotent; it does not validate.
 */
export function normalizeIdNumber(raw: string): string {
  return compactUpper(raw);
}

/**
 * The GB 11643 check character for the first 17 digits (ISO 7064 MOD 11-2): '0'-'9' or 'X'.
 * Throws a RangeError when `first17` is not exactly 17 ASCII digits.
 */
export function computeIdCheckDigit(first17: string): string {
  if (!ID_BODY.test(first17)) throw new RangeError('computeIdCheckDigit expects exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11]!;
}

/** Today's date in Asia/Shanghai as 'YYYY-MM-DD' (China has had no daylight saving since 1991). */
function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this month; UTC avoids any local-time surprises.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/**
 * Validates a 居民身份证号 (second-generation, 18 characters, GB 11643-1999).
 *
 * - `ID_NUMBER_FORMAT`: not 17 digits + digit/X after normalisation. Old 15-digit numbers (first-generation
 *   cards, invalid since 2013) are rejected with this code too: they carry no check digit and a two-digit year.
 * - `ID_NUMBER_BIRTH_DATE`: positions 7-14 are not a calendar date, or the date is before 1900-01-01 or after
 *   today (Asia/Shanghai; pass `options.today` to pin "today" in tests).
 * - `ID_NUMBER_CHECK_DIGIT`: the 18th character does not match ISO 7064 MOD 11-2.
 *
 * The region code (positions 1-6) is returned, not checked: codes of abolished divisions stay valid forever
 * on cards issued before the change.
 */
export function validateIdNumber(raw: string, options: { today?: Date } = {}): IdNumberResult {
  const value = normalizeIdNumber(raw);
  if (!ID_FULL.test(value)) return { ok: false, code: 'ID_NUMBER_FORMAT' };

  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  const today = shanghaiDate(options.today ?? new Date());
  if (year < 1900 || !isCalendarDate(year, month, day) || birthDate > today) {
    return { ok: false, code: 'ID_NUMBER_BIRTH_DATE' };
  }

  if (computeIdCheckDigit(value.slice(0, 17)) !== value[17])
    return { ok: false, code: 'ID_NUMBER_CHECK_DIGIT' };

  // The 17th digit is the sequence number: odd for men, even for women.
  const sex = Number(value[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value, birthDate, sex, regionCode: value.slice(0, 6) };
}

// ---------------------------------------------------------------------------------------------------------
// 统一社会信用代码 — GB 32100-2015

export type UsccErrorCode = 'USCC_FORMAT' | 'USCC_CHECK_CHAR';

export type UsccResult =
  | { ok: true; value: string; authorityCode: string; orgTypeCode: string; divisionCode: string }
  | { ok: false; code: UsccErrorCode };

/** The 31 characters GB 32100 uses, in value order (no I, O, Z, S, V). */
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_BODY = /^[0-9A-HJ-NP-RTUW-Y]{17}$/;
const USCC_FULL = /^[0-9A-HJ-NP-RTUW-Y]{18}$/;

/**
 * 登记管理部门代码 (position 1) → the 机构类别代码 (position 2) it may use. GB 32100-2015 table 1 defines
 * 1 机构编制, 5 民政, 9 工商 and Y 其他; the other departments were assigned codes by the national standards
 * body afterwards (2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会, A 中央军委改革和编制办公室, N 农业).
 */
const USCC_ORG_TYPES: Readonly<Record<string, string>> = {
  '1': '1239', // 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
  '2': '19', // 外国常驻新闻机构, 其他
  '3': '123459', // 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
  '4': '19', // 外国在华文化中心, 其他
  '5': '1239', // 社会团体, 民办非企业单位, 基金会, 其他
  '6': '129', // 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地代表机构, 其他
  '7': '129', // 宗教活动场所, 宗教院校, 其他
  '8': '19', // 基层工会, 其他
  '9': '123', // 企业, 个体工商户, 农民专业合作社
  A: '19', // 军队事业单位, 其他
  N: '1239', // 组级、村级、乡镇级集体经济组织, 其他
  Y: '1', // 不再划分机构类别
};

/**
 * Normalises a 统一社会信用代码 as typed: trims, removes inner spaces, full-width → half-width, upper-case.
 * Idempotent; it does not validate.
 */
export function normalizeUscc(raw: string): string {
  return compactUpper(raw);
}

/**
 * The GB 32100 check character for the first 17 characters: 31 − (Σ value × weight mod 31), with 31 → '0'.
 * Throws a RangeError when `first17` is not 17 characters of the GB 32100 charset.
 */
export function computeUsccCheckChar(first17: string): string {
  if (!USCC_BODY.test(first17)) throw new RangeError('computeUsccCheckChar expects 17 GB 32100 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

/**
 * Validates a 统一社会信用代码 (GB 32100-2015).
 *
 * - `USCC_FORMAT`: not 18 characters of the charset 0-9 A-H J-N P-R T-U W-Y; unknown 登记管理部门代码 or a
 *   机构类别代码 that department does not use; positions 3-8 (登记管理机关行政区划码) not all digits.
 * - `USCC_CHECK_CHAR`: the 18th character does not match the computed check character.
 *
 * The embedded 组织机构代码 (positions 9-17) is not checked against GB 11714: codes issued to 个体工商户 and
 * other bodies without an organisation code do not follow it, and only position 18 is authoritative.
 */
export function validateUscc(raw: string): UsccResult {
  const value = normalizeUscc(raw);
  if (!USCC_FULL.test(value)) return { ok: false, code: 'USCC_FORMAT' };
  const authorityCode = value[0]!;
  const orgTypeCode = value[1]!;
  const divisionCode = value.slice(2, 8);
  if (!USCC_ORG_TYPES[authorityCode]?.includes(orgTypeCode)) return { ok: false, code: 'USCC_FORMAT' };
  if (!/^\d{6}$/.test(divisionCode)) return { ok: false, code: 'USCC_FORMAT' };
  if (computeUsccCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, code: 'USCC_CHECK_CHAR' };
  return { ok: true, value, authorityCode, orgTypeCode, divisionCode };
}

// ---------------------------------------------------------------------------------------------------------
// Mainland mobile numbers

export type MobileErrorCode = 'MOBILE_FORMAT';

export type MobileResult = { ok: true; value: string } | { ok: false; code: MobileErrorCode };

const MOBILE = /^1[3-9]\d{9}$/;

/**
 * Normalises a mainland mobile number as typed: full-width → half-width, drops whitespace and hyphens, and
 * strips a country prefix `+86`, `0086` or `86` in front of 11 digits. Idempotent; it does not validate.
 */
export function normalizeMobile(raw: string): string {
  const compact = toHalfWidth(raw).replace(/[\s-]/g, '');
  const prefixed = /^(?:\+86|0086|86)(\d{11})$/.exec(compact);
  return prefixed ? prefixed[1]! : compact;
}

/** Validates a mainland mobile number: 11 digits starting 13-19 after normalisation, else `MOBILE_FORMAT`. */
export function validateMobile(raw: string): MobileResult {
  const value = normalizeMobile(raw);
  return MOBILE.test(value) ? { ok: true, value } : { ok: false, code: 'MOBILE_FORMAT' };
}

// ---------------------------------------------------------------------------------------------------------
// zod schemas: normalise, then fail with one custom issue whose message (and params.code) is the stable code.

function codeSchema(validate: (raw: string) => { ok: true; value: string } | { ok: false; code: string }) {
  return z.string().transform((raw, ctx) => {
    const result = validate(raw);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.code, params: { code: result.code }, input: raw });
    return z.NEVER;
  });
}

/** A 居民身份证号; outputs the normalised 18 characters. Issue message: an `IdNumberErrorCode`. */
export const IdNumberSchema = codeSchema((raw) => validateIdNumber(raw));
/** A 统一社会信用代码; outputs the normalised 18 characters. Issue message: a `UsccErrorCode`. */
export const UsccSchema = codeSchema(validateUscc);
/** A mainland mobile number; outputs the 11 digits without prefix. Issue message: `MOBILE_FORMAT`. */
export const MobileSchema = codeSchema(validateMobile);
