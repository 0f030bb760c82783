/**
 * The typed fetch client: one function per API call, each response parsed with its contracts schema,
 * every error turned into an `ApiError` from the server's RFC 9457 problem+json.
 * The session is an HttpOnly cookie, so requests go same-origin with credentials and nothing is stored here.
 */
import {
  ActivationCodeSchema,
  type ALERT_KINDS,
  type ALERT_STATES,
  AlertCountsSchema,
  AlertSchema,
  type AlertTransitionBody,
  type ApplicationFile,
  ApplicationFileSchema,
  ApplicationListSchema,
  ApplicationSchema,
  type ApplicationStatusSchema,
  type ARRIVAL_ACTIONS,
  type ARRIVAL_STATES,
  type ArrivalBodyInput,
  ArrivalSchema,
  type ArrivalTestDoneBody,
  BatchListSchema,
  BatchSchema,
  type ChangePasswordBody,
  type ChangeTierBody,
  type ClaimEnterpriseBodySchema,
  ClaimEnterpriseResponseSchema,
  type ComplianceQuery,
  ComplianceResponseSchema,
  CoverageBreakdownSchema,
  CoverageTrendSchema,
  type CreateEnterpriseBodySchema,
  type CreateEnterpriseLinkBodySchema,
  type CriteriaBodySchema,
  CriteriaListSchema,
  CriteriaSchema,
  type DailyReportBodyInput,
  DailyReportSchema,
  DailyReportStatsSchema,
  type DecideRegistrationBodySchema,
  type EMPLOYEE_STATUSES,
  type EmployeeBodyInput,
  EmployeeSchema,
  type ENTRY_STATUSES,
  EnterpriseLiaisonSchema,
  EnterpriseLinkListSchema,
  EnterpriseLinkSchema,
  type EntryActionBodySchema,
  EntryDetailSchema,
  EntryListSchema,
  EntrySchema,
  ERROR_CATALOG,
  type FieldError,
  type IssueActivationCodeBodySchema,
  JobProgressSchema,
  type LoginBody,
  LoginResponseSchema,
  MeSchema,
  type MfaCodeBody,
  MfaEnrolmentSchema,
  ParameterListSchema,
  PlannerSchema,
  ProblemSchema,
  PublicBatchListSchema,
  PublicCriteriaSchema,
  PublicListSchema,
  PublicRegionTreeSchema,
  type PublishBatchBodySchema,
  REGISTRATION_STATUSES,
  RegionListSchema,
  type RegisterEnterpriseBodySchema,
  RegistrationListSchema,
  RegistrationSchema,
  type ResubmitApplicationBodySchema,
  type ReviewBatchBody,
  ReviewBatchResultSchema,
  type ReviewBody,
  RiskAreaSchema,
  SECTORS,
  SectorTotalListSchema,
  SessionListSchema,
  type SetLiaisonBodySchema,
  type SpotCheckBodySchema,
  SpotCheckListSchema,
  SpotCheckSchema,
  StatisticsImportResultSchema,
  type SubmitApplicationBodySchema,
  type UpdateCriteriaBodySchema,
} from '@sibao/contracts';
import { z } from 'zod';
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

/**
 * One call to the API, same-origin with the session cookie. A failure becomes an `ApiError` (a lost session
 * also tells the app, which sends the user back to sign in); a success is the raw response.
 */
async function send(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: BodyInit | null } = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: init.headers ?? {},
      credentials: 'same-origin',
      body: init.body ?? null,
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
  return response;
}

async function parseAnswer<T>(response: Response, parser: Parser<T>, what: string): Promise<T> {
  try {
    return parser.parse(await response.json());
  } catch (cause) {
    console.error('Unexpected response', what, cause);
    throw new ApiError({
      status: response.status,
      code: 'BAD_RESPONSE',
      messages: CLIENT_ERRORS.BAD_RESPONSE,
    });
  }
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
  const response = await send(method, path, {
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (parser === null) return undefined as T;
  return parseAnswer(response, parser, `${method} ${path}`);
}

/**
 * Sends one file as the raw body with upload progress (fetch cannot report it): the name in `x-file-name`,
 * the type left to the server, which reads it from the content. Errors become `ApiError`s as with `send`.
 */
function uploadWithProgress<T>(
  path: string,
  file: File,
  parser: Parser<T>,
  onProgress?: (percent: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'NETWORK', messages: CLIENT_ERRORS.NETWORK }));
    xhr.onload = () => {
      const response = new Response(xhr.status === 204 ? null : xhr.responseText, {
        status: xhr.status,
        headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'text/plain' },
      });
      if (!response.ok) {
        void toApiError(response).then((error) => {
          if (error.status === 401 && (error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED'))
            onAuthLost?.(error);
          reject(error);
        });
        return;
      }
      parseAnswer(response, parser, `POST ${path}`).then(resolve, reject);
    };
    xhr.send(file);
  });
}

/** The file name a download announces (`filename*=UTF-8''…` first, then `filename="…"`). */
function announcedFileName(response: Response, fallback: string): string {
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded.trim());
    } catch {
      // A malformed name: fall through to the plain one.
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

/**
 * Fetches a file and hands it to the browser as a download. Going through fetch (not a link) keeps the
 * session cookie, turns a refusal into an `ApiError` the page can show, and puts nothing in the address bar.
 */
async function download(path: string, fallbackName: string): Promise<string> {
  const response = await send('GET', path);
  const name = announcedFileName(response, fallbackName);
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.style.display = 'none';
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Chromium reads the blob when the click is handled; give it a moment before letting go.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return name;
}

const noContent = null;

// ---- enterprise registry shapes ----
// These mirror apps/server/src/modules/enterprises/enterprises.routes.ts and enterprises.service.ts; they
// belong in @sibao/contracts once the server takes them from there.

export const EnterpriseSchema = z.object({
  id: z.string(),
  kind: z.enum(['enterprise', 'project', 'park']),
  uscc: z.string(),
  name: z.string(),
  sectors: z.array(z.enum(SECTORS)),
  regionCode: z.string(),
  address: z.string().nullable(),
  headcount: z.number().int(),
  annualValueFen: z.number().int(),
  cityOperations: z.boolean(),
});
export type Enterprise = z.infer<typeof EnterpriseSchema>;

export const EnterprisePageSchema = z.object({
  items: z.array(EnterpriseSchema),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type EnterprisePage = z.infer<typeof EnterprisePageSchema>;

/** What narrows the registry: the list, the count and the exports take the same filter. */
export interface EnterpriseFilter {
  q?: string | undefined;
  sector?: (typeof SECTORS)[number] | undefined;
  region?: string | undefined;
}

export const ImportStartedSchema = z.object({ progressId: z.string(), replayed: z.boolean() });

/** One row-numbered error of an import (platform/files/files.import.ts `ImportRowError`). */
export const ImportRowErrorSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  field: z.string(),
  code: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowErrorSchema>;

/** The `result` of a finished import job: rows imported, or why nothing was (rows or the whole file). */
export const ImportResultSchema = z.union([
  z.object({ imported: z.number().int() }),
  z.object({
    code: z.literal('IMPORT_ROWS_INVALID'),
    totalRows: z.number().int(),
    errors: z.array(ImportRowErrorSchema),
    errorCount: z.number().int(),
  }),
  z.object({ code: z.string(), message: z.object({ zh: z.string(), en: z.string() }) }),
]);
export type ImportResult = z.infer<typeof ImportResultSchema>;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The content type an upload is sent with. Named by the extension first: Windows labels a .csv
 * `application/vnd.ms-excel`, which the server does not take.
 */
export function uploadContentType(file: File): string {
  if (/\.xlsx$/i.test(file.name)) return XLSX_TYPE;
  if (/\.csv$/i.test(file.name)) return 'text/csv';
  return file.type || 'application/octet-stream';
}

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

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
  job: (id: string) => request('GET', `/jobs/${encodeURIComponent(id)}`, JobProgressSchema),

  enterprises: (filter: EnterpriseFilter, page: { limit: number; cursor?: string | null }) =>
    request(
      'GET',
      `/enterprises${query({ ...filter, limit: page.limit, cursor: page.cursor })}`,
      EnterprisePageSchema,
    ),
  enterprise: (id: string) => request('GET', `/enterprises/${encodeURIComponent(id)}`, EnterpriseSchema),
  exportEnterprises: (filter: EnterpriseFilter, format: 'xlsx' | 'csv', encoding: 'utf8' | 'gb18030') =>
    download(`/enterprises/export${query({ ...filter, format, encoding })}`, `enterprises.${format}`),
  enterpriseTemplate: (locale: Lang) =>
    download(`/enterprises/import/template${query({ locale })}`, 'enterprise-template.xlsx'),
  /**
   * Sends a registry file as the raw body. The idempotency key belongs to this file: send the same key when
   * retrying it, and the server answers the same progress id instead of importing twice.
   */
  importEnterprises: async (file: File, idempotencyKey: string) => {
    const response = await send('POST', '/enterprises/import', {
      headers: {
        accept: 'application/json',
        'content-type': uploadContentType(file),
        'idempotency-key': idempotencyKey,
        'x-file-name': encodeURIComponent(file.name),
      },
      body: file,
    });
    return parseAnswer(response, ImportStartedSchema, 'POST /enterprises/import');
  },
};

// ---- whitelist management for officials: entries, spot checks, batches, coverage, statistics ----

/** What narrows the entries list (the server has no tier filter: the page narrows loaded rows by tier). */
export interface EntryFilter {
  status?: (typeof ENTRY_STATUSES)[number] | undefined;
  sector?: (typeof SECTORS)[number] | undefined;
  region?: string | undefined;
  q?: string | undefined;
}
export type EntryAction = 'suspend' | 'reinstate' | 'remove';

export const whitelistManageApi = {
  entries: (filter: EntryFilter, page: { limit: number; cursor?: string | null }) =>
    request(
      'GET',
      `/whitelist/entries${query({ ...filter, limit: page.limit, cursor: page.cursor })}`,
      EntryListSchema,
    ),
  entry: (id: string) => request('GET', `/whitelist/entries/${encodeURIComponent(id)}`, EntryDetailSchema),
  changeEntry: (id: string, action: EntryAction, body: z.input<typeof EntryActionBodySchema>) =>
    request('POST', `/whitelist/entries/${encodeURIComponent(id)}/${action}`, EntrySchema, body),
  changeTier: (id: string, body: ChangeTierBody) =>
    request('POST', `/whitelist/entries/${encodeURIComponent(id)}/tier`, EntrySchema, body),
  recordSpotCheck: (entryId: string, body: z.input<typeof SpotCheckBodySchema>) =>
    request('POST', `/whitelist/entries/${encodeURIComponent(entryId)}/spot-checks`, SpotCheckSchema, body),
  spotChecks: (filter: {
    sector?: string | undefined;
    region?: string | undefined;
    overdue?: 'true' | undefined;
    entryId?: string | undefined;
  }) => request('GET', `/whitelist/spot-checks${query(filter)}`, SpotCheckListSchema),
  markRectified: (id: string) =>
    request('POST', `/whitelist/spot-checks/${encodeURIComponent(id)}/rectified`, SpotCheckSchema),
  batches: (sector?: string) => request('GET', `/whitelist/batches${query({ sector })}`, BatchListSchema),
  publishBatch: (body: z.input<typeof PublishBatchBodySchema>) =>
    request('POST', '/whitelist/batches', BatchSchema, body),
  coverageBreakdown: (filter: { region: string; date?: string | undefined; sector?: string | undefined }) =>
    request('GET', `/whitelist/coverage/breakdown${query(filter)}`, CoverageBreakdownSchema),
  coverageTrend: (filter: { sector: string; region: string; from: string; to: string; step: string }) =>
    request('GET', `/whitelist/coverage/trend${query(filter)}`, CoverageTrendSchema),
  planner: (filter: { sector: string; region: string; limit: number }) =>
    request('GET', `/whitelist/coverage/planner${query(filter)}`, PlannerSchema),
  statistics: (filter: { sector?: string | undefined; region?: string | undefined }) =>
    request('GET', `/whitelist/statistics${query(filter)}`, SectorTotalListSchema),
  statisticsTemplate: (locale: Lang) =>
    download(`/whitelist/statistics/import/template${query({ locale })}`, 'statistics-template.xlsx'),
  /** Synchronous on the server: all rows or none, row-numbered errors in the problem's `errors`. */
  importStatistics: async (file: File) => {
    const response = await send('POST', '/whitelist/statistics/import', {
      headers: {
        accept: 'application/json',
        'content-type': uploadContentType(file),
        'x-file-name': encodeURIComponent(file.name),
      },
      body: file,
    });
    return parseAnswer(response, StatisticsImportResultSchema, 'POST /whitelist/statistics/import');
  },
};

// ---- whitelist: the public list and criteria (no sign-in), applications and their review ----

/** What narrows the public list; the address bar of the public page holds the same fields. */
export interface PublicListFilter {
  sector?: (typeof SECTORS)[number] | undefined;
  region?: string | undefined;
  batch?: string | undefined;
  q?: string | undefined;
}

/** What narrows the review queue (the server sorts city-operations and linked enterprises first). */
export interface ApplicationFilter {
  status?: z.infer<typeof ApplicationStatusSchema> | undefined;
  sector?: (typeof SECTORS)[number] | undefined;
  overdue?: 'true' | undefined;
}

export const whitelistApi = {
  publicList: (filter: PublicListFilter, page: { limit: number; offset: number }) =>
    request('GET', `/public/whitelist${query({ ...filter, ...page })}`, PublicListSchema),
  publicBatches: (filter: { sector?: string | undefined; region?: string | undefined }) =>
    request('GET', `/public/whitelist/batches${query(filter)}`, PublicBatchListSchema),
  publicCriteria: (sector: string) =>
    request('GET', `/public/whitelist/criteria${query({ sector })}`, PublicCriteriaSchema),
  exportPublicList: (filter: PublicListFilter, format: 'xlsx' | 'csv', encoding: 'utf8' | 'gb18030') =>
    download(`/public/whitelist/export${query({ ...filter, format, encoding })}`, `whitelist.${format}`),
  applications: (filter: ApplicationFilter, page: { limit: number; cursor?: string | null }) =>
    request(
      'GET',
      `/whitelist/applications${query({ ...filter, limit: page.limit, cursor: page.cursor })}`,
      ApplicationListSchema,
    ),
  application: (id: string) =>
    request('GET', `/whitelist/applications/${encodeURIComponent(id)}`, ApplicationSchema),
  submitApplication: (body: z.input<typeof SubmitApplicationBodySchema>) =>
    request('POST', '/whitelist/applications', ApplicationSchema, body),
  resubmitApplication: (id: string, body: z.input<typeof ResubmitApplicationBodySchema>) =>
    request('POST', `/whitelist/applications/${encodeURIComponent(id)}/resubmit`, ApplicationSchema, body),
  reviewApplication: (id: string, body: ReviewBody) =>
    request('POST', `/whitelist/applications/${encodeURIComponent(id)}/review`, ApplicationSchema, body),
  /** One decision over many applications, all or nothing (the problem's `errors` name the failing ids). */
  reviewBatch: (body: ReviewBatchBody) =>
    request('POST', '/whitelist/applications/review-batch', ReviewBatchResultSchema, body),
  publicRegions: () => request('GET', '/public/whitelist/regions', PublicRegionTreeSchema),
  uploadApplicationFile: (applicationId: string, file: File, onProgress?: (percent: number) => void) =>
    uploadWithProgress(
      `/whitelist/applications/${encodeURIComponent(applicationId)}/attachments`,
      file,
      ApplicationFileSchema,
      onProgress,
    ),
  downloadApplicationFile: (applicationId: string, file: ApplicationFile) =>
    download(
      `/whitelist/applications/${encodeURIComponent(applicationId)}/attachments/${encodeURIComponent(file.id)}`,
      file.filename,
    ),
  deleteApplicationFile: (applicationId: string, fileId: string) =>
    request(
      'DELETE',
      `/whitelist/applications/${encodeURIComponent(applicationId)}/attachments/${encodeURIComponent(fileId)}`,
      noContent,
    ),
};

/** What `POST /public/enterprises/registrations` answers (declared inline by the route). */
const RegistrationReceiptSchema = z.object({ id: z.string(), status: z.enum(REGISTRATION_STATUSES) });

// ---- registry administration (links, liaison, activation codes, claim, registrations) and criteria ----

export const registryApi = {
  createEnterprise: (body: z.input<typeof CreateEnterpriseBodySchema>) =>
    request('POST', '/enterprises', EnterpriseSchema, body),
  links: (id: string) =>
    request('GET', `/enterprises/${encodeURIComponent(id)}/links`, EnterpriseLinkListSchema),
  addLink: (id: string, body: z.input<typeof CreateEnterpriseLinkBodySchema>) =>
    request('POST', `/enterprises/${encodeURIComponent(id)}/links`, EnterpriseLinkSchema, body),
  removeLink: (id: string, linkId: string) =>
    request(
      'DELETE',
      `/enterprises/${encodeURIComponent(id)}/links/${encodeURIComponent(linkId)}`,
      noContent,
    ),
  liaison: (id: string) =>
    request('GET', `/enterprises/${encodeURIComponent(id)}/liaison`, EnterpriseLiaisonSchema),
  setLiaison: (id: string, body: z.input<typeof SetLiaisonBodySchema>) =>
    request('PUT', `/enterprises/${encodeURIComponent(id)}/liaison`, EnterpriseLiaisonSchema, body),
  /** The code is in the answer only, never in an address: show it once, keep it nowhere. */
  issueActivationCode: (id: string, body: z.input<typeof IssueActivationCodeBodySchema>) =>
    request('POST', `/enterprises/${encodeURIComponent(id)}/activation-codes`, ActivationCodeSchema, body),
  claim: (body: z.input<typeof ClaimEnterpriseBodySchema>) =>
    request('POST', '/public/enterprises/claim', ClaimEnterpriseResponseSchema, body),
  register: (body: z.input<typeof RegisterEnterpriseBodySchema>) =>
    request('POST', '/public/enterprises/registrations', RegistrationReceiptSchema, body),
  registrations: (status?: (typeof REGISTRATION_STATUSES)[number]) =>
    request('GET', `/enterprises/registrations${query({ status })}`, RegistrationListSchema),
  decideRegistration: (id: string, body: z.input<typeof DecideRegistrationBodySchema>) =>
    request(
      'POST',
      `/enterprises/registrations/${encodeURIComponent(id)}/decision`,
      RegistrationSchema,
      body,
    ),
  criteria: (sector?: (typeof SECTORS)[number]) =>
    request('GET', `/whitelist/criteria${query({ sector })}`, CriteriaListSchema),
  createCriteria: (body: z.input<typeof CriteriaBodySchema>) =>
    request('POST', '/whitelist/criteria', CriteriaSchema, body),
  updateCriteria: (id: string, body: z.input<typeof UpdateCriteriaBodySchema>) =>
    request('PUT', `/whitelist/criteria/${encodeURIComponent(id)}`, CriteriaSchema, body),
  /** A 422 `WHITELIST_CRITERIA_NOT_PUBLISHABLE` lists every problem in the error's `fieldErrors`. */
  publishCriteria: (id: string) =>
    request('POST', `/whitelist/criteria/${encodeURIComponent(id)}/publish`, CriteriaSchema),
};

// ---- workforce (issue 5): roster, daily reports, sentinel alerts ----
// Names, ID numbers and phones arrive masked (the shapes are the contracts', shared with the server).
export type { DailyReport, DailyReportStats, Employee } from '@sibao/contracts';

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), nextCursor: z.string().nullable() });
export const EmployeePageSchema = pageOf(EmployeeSchema);
export const AlertPageSchema = pageOf(AlertSchema);

export interface EmployeeFilter {
  /** Officials narrowing the roster to one enterprise (from the compliance view). */
  enterpriseId?: string | undefined;
  status?: (typeof EMPLOYEE_STATUSES)[number] | undefined;
  overdue?: 'true' | undefined;
  /** Due within the `workforce.dueSoonHours` window, soonest first. */
  dueSoon?: 'true' | undefined;
  workUnit?: string | undefined;
}

export interface AlertFilter {
  enterpriseId?: string | undefined;
  state?: (typeof ALERT_STATES)[number] | undefined;
  kind?: (typeof ALERT_KINDS)[number] | undefined;
  open?: 'true' | undefined;
}

export type { Arrival, ComplianceResponse, ComplianceRow, RiskArea } from '@sibao/contracts';
export const ArrivalPageSchema = pageOf(ArrivalSchema);
const RiskAreaImportSchema = z.object({ rows: z.number(), inserted: z.number(), updated: z.number() });

export interface ArrivalFilter {
  enterpriseId?: string | undefined;
  state?: (typeof ARRIVAL_STATES)[number] | undefined;
  action?: (typeof ARRIVAL_ACTIONS)[number] | undefined;
  unregistered?: 'true' | undefined;
}

export type ComplianceFilter = Partial<ComplianceQuery>;

export const workforceApi = {
  employees: (filter: EmployeeFilter, page: { limit: number; cursor?: string | null }) =>
    request(
      'GET',
      `/workforce/employees${query({ ...filter, limit: page.limit, cursor: page.cursor })}`,
      EmployeePageSchema,
    ),
  /** The body carries the full ID number and phone: it goes in the request body, never in a URL. */
  addEmployee: (body: EmployeeBodyInput) => request('POST', '/workforce/employees', EmployeeSchema, body),
  updateEmployee: (id: string, body: EmployeeBodyInput) =>
    request('PUT', `/workforce/employees/${encodeURIComponent(id)}`, EmployeeSchema, body),
  rosterTemplate: (locale: Lang) =>
    download(`/workforce/employees/import/template${query({ locale })}`, 'roster-template.xlsx'),
  /** Raw body, one idempotency key per chosen file (as `api.importEnterprises`). */
  importRoster: async (file: File, idempotencyKey: string) => {
    const response = await send('POST', '/workforce/employees/import', {
      headers: {
        accept: 'application/json',
        'content-type': uploadContentType(file),
        'idempotency-key': idempotencyKey,
        'x-file-name': encodeURIComponent(file.name),
      },
      body: file,
    });
    return parseAnswer(response, ImportStartedSchema, 'POST /workforce/employees/import');
  },
  testResultsTemplate: (locale: Lang) =>
    download(`/workforce/test-results/import/template${query({ locale })}`, 'test-results-template.xlsx'),
  /** An enterprise's file of its employees' test results: raw body, one idempotency key per chosen file. */
  importTestResults: async (file: File, idempotencyKey: string) => {
    const response = await send('POST', '/workforce/test-results/import', {
      headers: {
        accept: 'application/json',
        'content-type': uploadContentType(file),
        'idempotency-key': idempotencyKey,
        'x-file-name': encodeURIComponent(file.name),
      },
      body: file,
    });
    return parseAnswer(response, ImportStartedSchema, 'POST /workforce/test-results/import');
  },
  dailyReports: (date?: string) =>
    request(
      'GET',
      `/workforce/daily-reports${query({ date })}`,
      z.object({ items: z.array(DailyReportSchema) }),
    ),
  dailyReportStats: (date?: string) =>
    request('GET', `/workforce/daily-reports/stats${query({ date })}`, DailyReportStatsSchema),
  fileDailyReport: (body: DailyReportBodyInput) =>
    request('POST', '/workforce/daily-reports', DailyReportSchema, body),
  alerts: (filter: AlertFilter, page: { limit: number; cursor?: string | null }) =>
    request(
      'GET',
      `/workforce/alerts${query({ ...filter, limit: page.limit, cursor: page.cursor })}`,
      AlertPageSchema,
    ),
  alertCounts: (by: 'city' | 'county') =>
    request('GET', `/workforce/alerts/counts${query({ by })}`, AlertCountsSchema),
  transitionAlert: (id: string, body: AlertTransitionBody) =>
    request('POST', `/workforce/alerts/${encodeURIComponent(id)}/transitions`, AlertSchema, body),

  // 入豫报备: arrivals with their required action, the risk-area table, and the compliance view.
  arrivals: (filter: ArrivalFilter, page: { limit: number; cursor?: string | null }) =>
    request(
      'GET',
      `/workforce/arrivals${query({ ...filter, limit: page.limit, cursor: page.cursor })}`,
      ArrivalPageSchema,
    ),
  /** The body carries the full ID number and phone: request body only, never a URL. */
  recordArrival: (body: ArrivalBodyInput) => request('POST', '/workforce/arrivals', ArrivalSchema, body),
  completeArrivalRegistration: (id: string, reference: string | null) =>
    request('POST', `/workforce/arrivals/${encodeURIComponent(id)}/registration`, ArrivalSchema, {
      reference,
    }),
  reportArrivalTest: (id: string, body: ArrivalTestDoneBody) =>
    request('POST', `/workforce/arrivals/${encodeURIComponent(id)}/test-done`, ArrivalSchema, body),
  riskAreas: (onDate?: string) =>
    request('GET', `/workforce/risk-areas${query({ onDate })}`, z.object({ items: z.array(RiskAreaSchema) })),
  riskAreaTemplate: (locale: Lang) =>
    download(`/workforce/risk-areas/import/template${query({ locale })}`, 'risk-areas-template.xlsx'),
  /** Imported at once (a few hundred rows): answers the count, or refuses the whole file with row errors. */
  importRiskAreas: async (file: File) => {
    const response = await send('POST', '/workforce/risk-areas/import', {
      headers: {
        accept: 'application/json',
        'content-type': uploadContentType(file),
        'x-file-name': encodeURIComponent(file.name),
      },
      body: file,
    });
    return parseAnswer(response, RiskAreaImportSchema, 'POST /workforce/risk-areas/import');
  },
  compliance: (filter: ComplianceFilter) =>
    request('GET', `/workforce/compliance${query({ ...filter })}`, ComplianceResponseSchema),
  exportCompliance: (filter: ComplianceFilter, format: 'xlsx' | 'csv', encoding: 'utf8' | 'gb18030') =>
    download(
      `/workforce/compliance/export${query({ ...filter, limit: undefined, format, encoding })}`,
      `workforce-compliance.${format}`,
    ),
};
