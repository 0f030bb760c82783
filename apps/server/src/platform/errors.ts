import { ERROR_CATALOG, type ErrorCode, type FieldError, type Problem } from '@sibao/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { FileError } from './files/files.errors';

/**
 * The one application error. `code` is stable (ERROR_CATALOG in @sibao/contracts) and decides the HTTP
 * status and the Chinese and English messages; `errors` carries field or row errors.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly options: {
      errors?: FieldError[];
      detail?: string;
      status?: number;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(`${code}${options.detail ? `: ${options.detail}` : ''}`);
    this.name = 'AppError';
    this.status = options.status ?? ERROR_CATALOG[code].status;
  }
}

export function notFound(): AppError {
  return new AppError('NOT_FOUND');
}

export function problemOf(
  code: ErrorCode,
  requestId: string,
  extra: { errors?: FieldError[]; detail?: string; status?: number; instance?: string } = {},
): Problem {
  const entry = ERROR_CATALOG[code];
  const status = extra.status ?? entry.status;
  return {
    type: `https://sibao.invalid/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: entry.en,
    status,
    ...(extra.detail ? { detail: extra.detail } : {}),
    ...(extra.instance ? { instance: extra.instance } : {}),
    code,
    message: { zh: entry.zh, en: entry.en },
    ...(extra.errors?.length ? { errors: extra.errors } : {}),
    requestId,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}) {
  return reply
    .code(problem.status)
    .headers(headers)
    .type('application/problem+json; charset=utf-8')
    .serializer(JSON.stringify)
    .send(problem);
}

/** One validation issue as fastify-type-provider-zod reports it (a zod issue in Ajv's shape). */
interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: { keys?: string[] };
}

function fieldErrorsFromValidation(
  error: FastifyError & { validation?: unknown[] },
  context: string,
): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of (error.validation ?? []) as ValidationIssue[]) {
    const segments = (issue.instancePath ?? '').split('/').filter(Boolean);
    const base = [context, ...segments].filter(Boolean).join('.');
    if (issue.keyword === 'unrecognized_keys' && issue.params?.keys) {
      for (const key of issue.params.keys) {
        out.push({
          path: base ? `${base}.${key}` : key,
          code: 'UNKNOWN_FIELD',
          message: `unknown field "${key}"`,
        });
      }
      continue;
    }
    // Our validators put a stable code (ID_NUMBER_CHECK_DIGIT …) in the message; keep it as the code.
    const custom = issue.message && /^[A-Z][A-Z0-9_]+$/.test(issue.message) ? issue.message : null;
    out.push({
      path: base,
      code: custom ?? (issue.keyword ?? 'invalid').toUpperCase(),
      message: issue.message ?? 'invalid',
    });
  }
  return out;
}

/** One handler for every error: problem+json with a stable code; 5xx never carries internal details. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler(
    (error: FastifyError & { validation?: unknown[]; validationContext?: string }, request, reply) => {
      const requestId = String(request.id);
      if (error instanceof AppError) {
        if (error.status >= 500) request.log.error({ err: error }, 'application error');
        return sendProblem(
          reply,
          problemOf(error.code, requestId, {
            status: error.status,
            instance: request.url.split('?')[0],
            ...(error.options.errors ? { errors: error.options.errors } : {}),
            ...(error.options.detail && error.status < 500 ? { detail: error.options.detail } : {}),
          }),
          error.options.headers,
        );
      }
      if (error instanceof FileError) {
        const details = error.details ? JSON.stringify(error.details).slice(0, 500) : undefined;
        return sendProblem(
          reply,
          problemOf(error.code, requestId, { status: error.status, ...(details ? { detail: details } : {}) }),
        );
      }
      if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
        const errors = fieldErrorsFromValidation(error, error.validationContext ?? '');
        const code: ErrorCode = errors.some((e) => e.code === 'UNKNOWN_FIELD')
          ? 'UNKNOWN_FIELD'
          : 'VALIDATION_FAILED';
        return sendProblem(reply, problemOf(code, requestId, { errors }));
      }
      if (isResponseSerializationError(error)) {
        request.log.error({ err: error }, 'response did not match its schema');
        return sendProblem(reply, problemOf('INTERNAL', requestId));
      }
      const status = error.statusCode ?? 500;
      if (status === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return sendProblem(reply, problemOf('PAYLOAD_TOO_LARGE', requestId));
      }
      if (status === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return sendProblem(reply, problemOf('UNSUPPORTED_MEDIA_TYPE', requestId));
      }
      if (status === 429) return sendProblem(reply, problemOf('RATE_LIMITED', requestId));
      if (status === 503) return sendProblem(reply, problemOf('OVERLOADED', requestId));
      if (status >= 400 && status < 500) {
        // Malformed JSON, __proto__ keys (Fastify's secure JSON parser refuses them), bad content length …
        return sendProblem(
          reply,
          problemOf('BAD_REQUEST', requestId, { detail: error.message.slice(0, 200) }),
        );
      }
      request.log.error({ err: error }, 'unhandled error');
      return sendProblem(reply, problemOf('INTERNAL', requestId));
    },
  );

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, problemOf('NOT_FOUND', String(request.id), { instance: request.url.split('?')[0] })),
  );
}
