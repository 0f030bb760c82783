/**
 * The typed fetch client: one function per API call, each response parsed with its contracts schema,
 * every error turned into an `ApiError` from the server's RFC 9457 problem+json.
 * The session is an HttpOnly cookie, so requests go same-origin with credentials and nothing is stored here.
 */
import {
  type ChangePasswordBody,
  ERROR_CATALOG,
  type FieldError,
  type LoginBody,
  LoginResponseSchema,
  MeSchema,
  type MfaCodeBody,
  MfaEnrolmentSchema,
  ParameterListSchema,
  ProblemSchema,
  RegionListSchema,
  SessionListSchema,
} from '@sibao/contracts';
import type { Label, Lang } from './messages';

/** What parses an answer: any zod schema fits. */
interface Parser<T> {
  parse(data: unknown): T;
}

/** Codes the client makes up itself when there is no problem document to read. */
const CLIENT_ERRORS = {
  NETWORK: { zh: '无法连接服务器，请检查网络', en: 'Cannot reach the server; check the network' },
  BAD_RESPONSE: { zh: '服务器返回的数据格式有误', en: 'The server answered in an unexpected format' },
} as const satisfies Record<string, Label>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messages: Label;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | null;

  constructor(init: {
    status: number;
    code: string;
    messages: Label;
    fieldErrors?: FieldError[];
    requestId?: string | null;
  }) {
    super(`${init.code}: ${init.messages.en}`);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.messages = init.messages;
    this.fieldErrors = init.fieldErrors ?? [];
    this.requestId = init.requestId ?? null;
  }

  /** The message to show, in the UI language. */
  text(lang: Lang): string {
    return this.messages[lang];
  }
}

/** The message of one field error in the UI language: the catalogue's when the code is known. */
export function fieldErrorText(error: FieldError, lang: Lang): string {
  const known = (ERROR_CATALOG as Record<string, Label | undefined>)[error.code];
  return known ? known[lang] : error.message;
}

/**
 * Form field name of a field error path: `newPassword`, `/newPassword`, `body.newPassword` and
 * `body/newPassword` all name the `newPassword` field.
 */
export function fieldName(path: string): string[] {
  const parts = path.split(/[./]/).filter((part) => part !== '');
  return parts[0] === 'body' ? parts.slice(1) : parts;
}

/** Called when the server says the session is gone, so the app can send the user back to sign in. */
let onAuthLost: ((error: ApiError) => void) | null = null;
export function setAuthLostHandler(handler: ((error: ApiError) => void) | null): void {
  onAuthLost = handler;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty 502): fall through to a status-based error.
  }
  const problem = ProblemSchema.safeParse(body);
  if (problem.success) {
    return new ApiError({
      status: problem.data.status,
      code: problem.data.code,
      messages: problem.data.message,
      fieldErrors: problem.data.errors ?? [],
      requestId: problem.data.requestId,
    });
  }
  const fallback =
    response.status === 401
      ? 'UNAUTHENTICATED'
      : response.status === 403
        ? 'FORBIDDEN'
        : response.status === 404
          ? 'NOT_FOUND'
          : response.status === 503
            ? 'OVERLOADED'
            : 'INTERNAL';
  const { zh, en } = ERROR_CATALOG[fallback];
  return new ApiError({ status: response.status, code: fallback, messages: { zh, en } });
}

async function request<T>(
  method: string,
  path: string,
  parser: Parser<T> | null,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // A bodiless POST must not claim JSON: Fastify rejects an empty JSON body.
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ status: 0, code: 'NETWORK', messages: CLIENT_ERRORS.NETWORK });
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && (error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED')) {
      onAuthLost?.(error);
    }
    throw error;
  }
  if (parser === null) return undefined as T;
  let data: unknown;
  try {
    data = await response.json();
    return parser.parse(data);
  } catch (cause) {
    console.error('Unexpected response', method, path, cause);
    throw new ApiError({
      status: response.status,
      code: 'BAD_RESPONSE',
      messages: CLIENT_ERRORS.BAD_RESPONSE,
    });
  }
}

const noContent = null;

// ---- the calls ----

export const api = {
  login: (body: LoginBody) => request('POST', '/auth/login', LoginResponseSchema, body),
  verifyMfa: (body: MfaCodeBody) => request('POST', '/auth/mfa/verify', LoginResponseSchema, body),
  enrolMfa: () => request('POST', '/auth/mfa/enroll', MfaEnrolmentSchema),
  confirmMfa: (body: MfaCodeBody) => request('POST', '/auth/mfa/confirm', LoginResponseSchema, body),
  logout: () => request('POST', '/auth/logout', noContent),
  me: () => request('GET', '/auth/me', MeSchema),
  changePassword: (body: ChangePasswordBody) => request('POST', '/auth/password', noContent, body),
  sessions: () => request('GET', '/auth/sessions', SessionListSchema),
  endSession: (id: string) => request('DELETE', `/auth/sessions/${encodeURIComponent(id)}`, noContent),
  regions: (parent?: string) =>
    request('GET', parent ? `/regions?parent=${encodeURIComponent(parent)}` : '/regions', RegionListSchema),
  parameters: () => request('GET', '/parameters', ParameterListSchema),
};
