import { Secret, TOTP } from 'otpauth';

/** RFC 6238 TOTP, 6 digits, 30 s, SHA-1 — what every authenticator app reads from an otpauth:// URI. */
const PERIOD = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: 'Sibao 四保',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secret),
  });
}

export function otpauthUri(secret: string, username: string): string {
  return totp(secret, username).toString();
}

/**
 * Checks a code within ±1 step and returns its time step, or null. The caller stores the step and refuses
 * any step not greater than the last accepted one, so each code works once.
 */
export function verifyTotp(secret: string, code: string, now = Date.now()): number | null {
  const delta = totp(secret, 'x').validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD) + delta;
}

export function totpCode(secret: string, now = Date.now()): string {
  return totp(secret, 'x').generate({ timestamp: now });
}
