import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

/**
 * Personal data at rest (PIPL; DESIGN.md "Personal data"): national ID numbers, phone numbers and names are
 * stored as AES-256-GCM tokens next to a keyed hash for exact lookup, and answered masked.
 *
 * Token format, all parts base64url:  v1.<keyId>.<iv>.<tag>.<ciphertext>
 * - v1: format version. keyId: which key encrypted it (`[A-Za-z0-9_-]+`), so keys can rotate: old tokens
 *   keep decrypting with the old key while new writes use the active one (`needsReencryption` tells a
 *   re-encryption job which rows to rewrite).
 * - iv: 12 random bytes per encryption. tag: the 16-byte GCM tag.
 * - "v1.<keyId>" is authenticated as additional data, so editing the header is detected like editing the
 *   ciphertext.
 *
 * The lookup hash key does not rotate with the encryption keys: changing it means recomputing every stored
 * hash from the decrypted values (a migration job), because equal values must keep equal hashes.
 */

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

export type LookupKind = 'id_number' | 'phone' | 'name';

export type PiiCipherOptions =
  /** One key. */
  | { key: Buffer; hashKey: Buffer; keyId: string }
  /** Several keys (rotation): encrypt with `activeKeyId`, decrypt with whichever key a token names. */
  | { keys: Record<string, Buffer>; activeKeyId: string; hashKey: Buffer };

export interface PiiCipher {
  /** Encrypts with the active key; two encryptions of one value differ (random IV). */
  encrypt(plain: string): string;
  /** Decrypts a token made with any configured key. Throws if the token was altered or its key is unknown. */
  decrypt(token: string): string;
  /** HMAC-SHA256 (hex) of an already normalised value, separated by kind; equal inputs give equal hashes. */
  lookupHash(kind: LookupKind, normalisedValue: string): string;
  /** True when the token was encrypted with a key other than the active one. */
  needsReencryption(token: string): boolean;
  readonly activeKeyId: string;
}

function assertKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`${what} must be ${KEY_BYTES} bytes, got ${key.length}`);
}

function assertKeyId(keyId: string): void {
  if (!KEY_ID.test(keyId)) throw new RangeError(`PII key id must match ${KEY_ID}, got "${keyId}"`);
}

/** Error for any token that cannot be decrypted. Never carries the token or any part of the plaintext. */
export class PiiDecryptError extends Error {
  constructor(reason: string) {
    super(`personal-data token cannot be decrypted: ${reason}`);
    this.name = 'PiiDecryptError';
  }
}

interface ParsedToken {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function parseToken(token: string): ParsedToken {
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new PiiDecryptError('not a v1 token');
  const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  if (!KEY_ID.test(keyId) || ![iv, tag, ciphertext].every((p) => B64URL.test(p))) {
    throw new PiiDecryptError('malformed token');
  }
  const parsed = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES)
    throw new PiiDecryptError('malformed token');
  return parsed;
}

/**
 * Creates the cipher for personal data. Keys are 32 random bytes (see `deriveKeys`).
 * Throws a RangeError on a key of the wrong length, a key id outside `[A-Za-z0-9_-]{1,32}`, or an active key
 * id with no key.
 */
export function createPiiCipher(options: PiiCipherOptions): PiiCipher {
  const keys = new Map<string, Buffer>(
    'key' in options ? [[options.keyId, options.key]] : Object.entries(options.keys),
  );
  const activeKeyId = 'key' in options ? options.keyId : options.activeKeyId;
  for (const [keyId, key] of keys) {
    assertKeyId(keyId);
    assertKey(key, `PII key "${keyId}"`);
  }
  assertKey(options.hashKey, 'PII hash key');
  const activeKey = keys.get(activeKeyId);
  if (!activeKey) throw new RangeError(`no PII key with the active id "${activeKeyId}"`);
  // One KeyObject for every lookup: building it from a Buffer on each call dominated bulk hashing (ingest).
  const hashKey = createSecretKey(Buffer.from(options.hashKey));
  const cipherKeys = new Map([...keys].map(([id, key]) => [id, createSecretKey(key)]));

  return {
    activeKeyId,

    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', cipherKeys.get(activeKeyId)!, iv, {
        authTagLength: TAG_BYTES,
      });
      cipher.setAAD(Buffer.from(`${VERSION}.${activeKeyId}`, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, activeKeyId, iv, tag, ciphertext]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },

    decrypt(token) {
      const { keyId, iv, tag, ciphertext } = parseToken(token);
      const key = cipherKeys.get(keyId);
      if (!key) throw new PiiDecryptError(`unknown key id "${keyId}"`);
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(`${VERSION}.${keyId}`, 'utf8'));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new PiiDecryptError('authentication failed (altered token or wrong key)');
      }
    },

    lookupHash(kind, normalisedValue) {
      // The kind and a NUL separator go first, so one phone number and one name with equal text never
      // share a hash, and no (kind, value) pair can be confused with another.
      return createHmac('sha256', hashKey)
        .update(`sibao.lookup.${kind}\u0000`)
        .update(normalisedValue)
        .digest('hex');
    },

    needsReencryption(token) {
      return parseToken(token).keyId !== activeKeyId;
    },
  };
}

export interface DerivedKeys {
  /** AES-256-GCM key for personal data. */
  piiKey: Buffer;
  /** A short id naming `piiKey` in tokens; changes whenever the secret changes. */
  piiKeyId: string;
  /** HMAC key for lookup hashes. */
  hashKey: Buffer;
  /** HMAC key for signing session cookies and other server-issued values. */
  sessionKey: Buffer;
}

const HKDF_SALT = 'sibao.hkdf.v1';
const MIN_SECRET_LENGTH = 32;

function hkdf(secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), HKDF_SALT, info, KEY_BYTES));
}

/**
 * Derives every key the server needs from the one configured secret (`SIBAO_SECRET`) with HKDF-SHA256 and a
 * distinct info string per purpose, so no key is used for two purposes and none reveals another.
 * The secret must already carry the entropy (a generated random string); HKDF does not stretch passwords.
 * Throws a RangeError for a secret shorter than 32 characters.
 */
export function deriveKeys(secret: string): DerivedKeys {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new RangeError(`the secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const piiKey = hkdf(secret, 'sibao pii encryption v1');
  return {
    piiKey,
    piiKeyId: `k${hkdf(secret, 'sibao pii key id v1').toString('hex').slice(0, 8)}`,
    hashKey: hkdf(secret, 'sibao pii lookup hash v1'),
    sessionKey: hkdf(secret, 'sibao session signing v1'),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Masking: what responses show by default. Counted in code points, so a rare CJK character outside the BMP
// in a name is one character.

function stars(n: number): string {
  return '*'.repeat(Math.max(0, n));
}

/** The personal-data cipher for a configured secret (the app and the job workers build the same one). */
export function piiCipherFromSecret(secret: string): PiiCipher {
  const keys = deriveKeys(secret);
  return createPiiCipher({ key: keys.piiKey, hashKey: keys.hashKey, keyId: keys.piiKeyId });
}

/**
 * `410102199003071234` → `4101**********1234`: the first 4 (province + city) and last 4 characters; the birth
 * date and sequence stay hidden. Values shorter than 12 characters are masked completely.
 */
export function maskIdNumber(value: string): string {
  const chars = Array.from(value);
  if (chars.length < 12) return stars(chars.length);
  return chars.slice(0, 4).join('') + stars(chars.length - 8) + chars.slice(-4).join('');
}

/**
 * `13812348000` → `138****8000`: the first 3 and last 4 characters. Values shorter than 11 characters (not a
 * mobile number) are masked completely.
 */
export function maskPhone(value: string): string {
  const chars = Array.from(value);
  if (chars.length < 11) return stars(chars.length);
  return chars.slice(0, 3).join('') + stars(chars.length - 7) + chars.slice(-4).join('');
}

/** `张三丰` → `张**`, `李四` → `李*`: the first character (the family name, usually), then stars. */
export function maskName(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= 1) return stars(chars.length);
  return chars[0] + stars(chars.length - 1);
}
