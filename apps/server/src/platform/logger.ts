import pino, { type LoggerOptions } from 'pino';

/**
 * Log fields that may carry personal data or secrets; pino replaces them with "[redacted]".
 * Personal data never goes into URLs (DESIGN.md §4), so request URLs are safe to log.
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.idNumber',
  '*.phone',
  '*.mobile',
  '*.secret',
  '*.token',
  'body',
];

export function loggerOptions(level = process.env.LOG_LEVEL ?? 'info'): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'sibao' },
  };
}

export function createLogger(level?: string) {
  return pino(loggerOptions(level));
}
