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

/**
 * Errors are logged without the values bound to a failed SQL statement: Drizzle puts them in `params` and in
 * the message ("Failed query: … params: …"), and they can be personal data (an ID number looked up).
 */
export function serializeError(error: unknown): Record<string, unknown> {
  const base = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  const { params: _params, ...rest } = base;
  const strip = (text: unknown) =>
    typeof text === 'string' ? text.replace(/\nparams: [\s\S]*$/, '\nparams: [redacted]') : text;
  const out: Record<string, unknown> = { ...rest, message: strip(rest.message), stack: strip(rest.stack) };
  if (rest.cause && typeof rest.cause === 'object') {
    const { parameters: _p, params: _q, ...cause } = rest.cause as Record<string, unknown>;
    out.cause = cause;
  }
  return out;
}

export function loggerOptions(level = process.env.LOG_LEVEL ?? 'info'): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'sibao' },
    serializers: { err: serializeError, error: serializeError },
  };
}

export function createLogger(level?: string) {
  return pino(loggerOptions(level));
}
