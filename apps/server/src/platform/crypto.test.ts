import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPiiCipher, deriveKeys, maskIdNumber, maskName, maskPhone, PiiDecryptError } from './crypto';

const key = () => randomBytes(32);

/** Replaces part `index` of a dotted token with `edit(part)`. */
function editPart(token: string, index: number, edit: (part: string) => string): string {
  const parts = token.split('.');
  parts[index] = edit(parts[index]!);
  return parts.join('.');
}

/** Flips one bit of a base64url-encoded byte string. */
function flipBit(b64: string, bit: number): string {
  const bytes = Buffer.from(b64, 'base64url');
  const i = Math.floor(bit / 8) % bytes.length;
  bytes[i] = bytes[i]! ^ (1 << (bit % 8));
  return bytes.toString('base64url');
}

// Plain values as they arrive: ID numbers, phones, names with characters outside the BMP, empty strings.
const plainText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constant('张三丰'),
  fc.constant(''),
);

describe('createPiiCipher', () => {
  const cipher = createPiiCipher({ key: key(), hashKey: key(), keyId: 'k1' });

  it('decrypts what it encrypted, for any text', () => {
    fc.assert(
      fc.property(plainText, (plain) => {
        expect(cipher.decrypt(cipher.encrypt(plain))).toBe(plain);
      }),
    );
  });

  it('writes v1.<keyId>.<iv>.<tag>.<ciphertext> with a 12-byte IV and a 16-byte tag', () => {
    const parts = cipher.encrypt('410102199003071230').split('.');
    expect(parts).toHaveLength(5);
    expect(parts.slice(0, 2)).toEqual(['v1', 'k1']);
    expect(Buffer.from(parts[2]!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[3]!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(parts[4]!, 'base64url')).toHaveLength(18);
  });

  it('gives two different tokens for one value (random IV) and never shows the value', () => {
    const a = cipher.encrypt('13812348000');
    const b = cipher.encrypt('13812348000');
    expect(a).not.toBe(b);
    expect(a).not.toContain('13812348000');
    expect(a).not.toContain(Buffer.from('13812348000').toString('base64url'));
  });

  it.each([
    ['ciphertext', 4],
    ['tag', 3],
    ['IV', 2],
  ])('refuses a token whose %s was altered by any single bit', (_label, index) => {
    const token = cipher.encrypt('410102199003071230');
    fc.assert(
      fc.property(fc.nat(8 * 18 - 1), (bit) => {
        const altered = editPart(token, index, (part) => flipBit(part, bit));
        expect(() => cipher.decrypt(altered)).toThrow(PiiDecryptError);
      }),
    );
  });

  it('authenticates the header: a token relabelled to another key id fails even if that key is the same', () => {
    const shared = key();
    const rotating = createPiiCipher({ keys: { a: shared, b: shared }, activeKeyId: 'a', hashKey: key() });
    const token = rotating.encrypt('13812348000');
    expect(() => rotating.decrypt(editPart(token, 1, () => 'b'))).toThrow(PiiDecryptError);
  });

  it.each([
    ['empty', ''],
    ['another version', 'v2.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['missing part', 'v1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['short IV', 'v1.k1.AAAA.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['not base64url', 'v1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.A+/A'],
    ['plain value', '410102199003071230'],
  ])('refuses a malformed token (%s)', (_label, token) => {
    expect(() => cipher.decrypt(token)).toThrow(PiiDecryptError);
  });

  it('refuses a token made with another key under the same key id', () => {
    const other = createPiiCipher({ key: key(), hashKey: key(), keyId: 'k1' });
    expect(() => other.decrypt(cipher.encrypt('13812348000'))).toThrow(/authentication failed/);
  });

  it('refuses a token whose key id it does not know, without echoing the token', () => {
    const other = createPiiCipher({ key: key(), hashKey: key(), keyId: 'k2' });
    const token = cipher.encrypt('13812348000');
    expect(() => other.decrypt(token)).toThrow(/unknown key id "k1"/);
    try {
      other.decrypt(token);
    } catch (error) {
      expect(String(error)).not.toContain(token.split('.')[4]);
    }
  });

  it('decrypts tokens of a retired key after rotation and re-encrypts them with the active key', () => {
    const oldKey = key();
    const hashKey = key();
    const before = createPiiCipher({ key: oldKey, hashKey, keyId: '2022a' });
    const after = createPiiCipher({
      keys: { '2022a': oldKey, '2022b': key() },
      activeKeyId: '2022b',
      hashKey,
    });
    const oldToken = before.encrypt('410102199003071230');

    expect(after.decrypt(oldToken)).toBe('410102199003071230');
    expect(after.needsReencryption(oldToken)).toBe(true);
    const newToken = after.encrypt(after.decrypt(oldToken));
    expect(newToken.split('.')[1]).toBe('2022b');
    expect(after.needsReencryption(newToken)).toBe(false);
    expect(() => before.decrypt(newToken)).toThrow(PiiDecryptError);
    expect(after.lookupHash('id_number', '410102199003071230')).toBe(
      before.lookupHash('id_number', '410102199003071230'),
    );
  });

  it.each([
    ['a 16-byte key', () => createPiiCipher({ key: randomBytes(16), hashKey: key(), keyId: 'k1' })],
    ['a 31-byte hash key', () => createPiiCipher({ key: key(), hashKey: randomBytes(31), keyId: 'k1' })],
    ['a key id with a dot', () => createPiiCipher({ key: key(), hashKey: key(), keyId: 'k.1' })],
    ['an empty key id', () => createPiiCipher({ key: key(), hashKey: key(), keyId: '' })],
    [
      'an active id without key',
      () => createPiiCipher({ keys: { a: key() }, activeKeyId: 'b', hashKey: key() }),
    ],
  ])('refuses %s', (_label, create) => {
    expect(create).toThrow(RangeError);
  });
});

describe('lookupHash', () => {
  const hashKey = key();
  const cipher = createPiiCipher({ key: key(), hashKey, keyId: 'k1' });
  const kinds = ['id_number', 'phone', 'name'] as const;

  it('is a stable 64-hex-digit HMAC: equal values hash equally, also across ciphers sharing the hash key', () => {
    const twin = createPiiCipher({ key: key(), hashKey, keyId: 'other' });
    fc.assert(
      fc.property(fc.constantFrom(...kinds), plainText, (kind, value) => {
        const hash = cipher.lookupHash(kind, value);
        expect(hash).toMatch(/^[0-9a-f]{64}$/);
        expect(cipher.lookupHash(kind, value)).toBe(hash);
        expect(twin.lookupHash(kind, value)).toBe(hash);
      }),
    );
  });

  it('separates kinds: one text hashed as two kinds never collides', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.constantFrom(...kinds), plainText, (a, b, value) => {
        fc.pre(a !== b);
        expect(cipher.lookupHash(a, value)).not.toBe(cipher.lookupHash(b, value));
      }),
    );
  });

  it('distinguishes different values and depends on the hash key', () => {
    fc.assert(
      fc.property(plainText, plainText, (x, y) => {
        fc.pre(x !== y);
        expect(cipher.lookupHash('phone', x)).not.toBe(cipher.lookupHash('phone', y));
      }),
    );
    const stranger = createPiiCipher({ key: key(), hashKey: key(), keyId: 'k1' });
    expect(stranger.lookupHash('phone', '13812348000')).not.toBe(cipher.lookupHash('phone', '13812348000'));
  });
});

describe('deriveKeys', () => {
  const secret = 'Zx3f9Q0b7Ykq2LwP4nV8sT1mR6cH5dJe';

  it('derives 32-byte keys that are stable for one secret and distinct per purpose', () => {
    const a = deriveKeys(secret);
    const b = deriveKeys(secret);
    expect(a).toEqual(b);
    for (const k of [a.piiKey, a.hashKey, a.sessionKey]) expect(k).toHaveLength(32);
    const hexes = new Set([a.piiKey, a.hashKey, a.sessionKey].map((k) => k.toString('hex')));
    expect(hexes.size).toBe(3);
    expect(a.piiKeyId).toMatch(/^k[0-9a-f]{8}$/);
  });

  it('gives unrelated keys and a new key id for another secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 32, maxLength: 64 }), (other) => {
        fc.pre(other !== secret);
        const a = deriveKeys(secret);
        const b = deriveKeys(other);
        expect(b.piiKey.equals(a.piiKey)).toBe(false);
        expect(b.hashKey.equals(a.hashKey)).toBe(false);
        expect(b.sessionKey.equals(a.sessionKey)).toBe(false);
      }),
      { numRuns: 30 },
    );
    expect(deriveKeys(`${secret}!`).piiKeyId).not.toBe(deriveKeys(secret).piiKeyId);
  });

  it('feeds createPiiCipher directly', () => {
    const k = deriveKeys(secret);
    const cipher = createPiiCipher({ key: k.piiKey, hashKey: k.hashKey, keyId: k.piiKeyId });
    expect(cipher.decrypt(cipher.encrypt('张三丰'))).toBe('张三丰');
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => deriveKeys('short-secret')).toThrow(RangeError);
    expect(() => deriveKeys(secret.slice(0, 31))).toThrow(RangeError);
  });
});

describe('masking', () => {
  it.each([
    ['410102199003071234', '4101**********1234'],
    ['41010519880810118X', '4101**********118X'],
    ['410102900307123', '4101*******7123'],
    ['41010219', '********'],
    ['', ''],
  ])('maskIdNumber(%j) is %j', (value, masked) => {
    expect(maskIdNumber(value)).toBe(masked);
  });

  it.each([
    ['13812348000', '138****8000'],
    ['8613812348000', '861******8000'],
    ['1381234', '*******'],
    ['', ''],
  ])('maskPhone(%j) is %j', (value, masked) => {
    expect(maskPhone(value)).toBe(masked);
  });

  it.each([
    ['张三丰', '张**'],
    ['李四', '李*'],
    ['欧阳娜娜', '欧***'],
    ['买买提·艾力', '买*****'],
    ['𠇔明', '𠇔*'],
    ['王', '*'],
    ['', ''],
  ])('maskName(%j) is %j', (value, masked) => {
    expect(maskName(value)).toBe(masked);
  });

  it('never shows the middle 10 characters of an ID number (birth date and sequence)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(4, 14)).toBe('**********');
        expect(masked.slice(0, 4) + masked.slice(14)).toBe(id.slice(0, 4) + id.slice(14));
        expect(masked).not.toContain(id.slice(6, 14));
      }),
    );
  });

  it('never shows the middle 4 digits of a mobile number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        const masked = maskPhone(phone);
        expect(masked).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
      }),
    );
  });

  it('never shows more than the first character of a name, counted in characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 2, maxLength: 8 }), (name) => {
        const chars = Array.from(name);
        const masked = Array.from(maskName(name));
        expect(masked).toHaveLength(chars.length);
        expect(masked[0]).toBe(chars[0]);
        expect(masked.slice(1).every((c) => c === '*')).toBe(true);
      }),
    );
  });
});
