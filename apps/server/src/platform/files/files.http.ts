import type { Permission } from '@sibao/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../errors';
import type { ImportDefinition } from './files.import';
import { templateWorkbook } from './files.template';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Lets the routes of a plugin take an uploaded .xlsx or CSV as the raw request body (as a Buffer). The file
 * name travels in the `x-file-name` header, URI-encoded — never in the URL.
 */
export function acceptFileUploads(app: FastifyInstance, bodyLimit: number) {
  app.addContentTypeParser(
    [XLSX_TYPE, 'text/csv', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit },
    (_request, body, done) => done(null, body),
  );
}

/** The file-name header of a raw-body upload (URI-encoded UTF-8). */
export const FileNameHeaderSchema = z.string().min(1).max(300);

/**
 * The uploaded file of a raw-body upload route (`acceptFileUploads`): the body as a Buffer, the name URI-decoded
 * from `x-file-name`. A body that is not a file is UNSUPPORTED_MEDIA_TYPE; a badly encoded name a field error.
 */
export function uploadedFile(request: FastifyRequest): { buffer: Buffer; filename: string } {
  if (!Buffer.isBuffer(request.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  const header = request.headers['x-file-name'];
  try {
    if (typeof header !== 'string') throw new URIError('x-file-name missing');
    return { buffer: request.body, filename: decodeURIComponent(header) };
  } catch {
    throw new AppError('VALIDATION_FAILED', {
      errors: [{ path: 'headers.x-file-name', code: 'BAD_ENCODING', message: 'URI-encode the file name' }],
    });
  }
}

/** `Content-Disposition: attachment` with an ASCII name for old clients and the real one (RFC 5987). */
export function attachmentDisposition(filename: string, asciiName?: string): string {
  const ascii = asciiName ?? filename.replace(/[^\x20-\x7e]|["\\;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Sends a generated file as a download: the right content type for the format and encoding, an ASCII file
 * name for old clients and the Chinese one (RFC 5987) for the rest.
 */
export function sendDownload(
  reply: FastifyReply,
  body: Buffer,
  file: { format: 'xlsx' | 'csv'; encoding?: 'utf8' | 'gb18030'; asciiName: string; name: string },
) {
  const type =
    file.format === 'xlsx'
      ? XLSX_TYPE
      : `text/csv; charset=${file.encoding === 'gb18030' ? 'gb18030' : 'utf-8'}`;
  return reply
    .type(type)
    .header(
      'content-disposition',
      attachmentDisposition(`${file.name}.${file.format}`, `${file.asciiName}.${file.format}`),
    )
    .send(body);
}

/**
 * `GET <url>?locale=zh|en`: the import's .xlsx template (Chinese headers and a notes sheet) as a download.
 * One declaration for every module's template route, with its permission.
 */
export function addTemplateRoute(
  app: FastifyInstance,
  route: {
    url: string;
    permission: Permission;
    tag: string;
    definition: ImportDefinition;
    asciiName: string;
    name: string;
  },
) {
  app.withTypeProvider<ZodTypeProvider>().get(
    route.url,
    {
      config: { access: { permission: route.permission, scope: 'none' } },
      schema: {
        tags: [route.tag],
        querystring: z.strictObject({ locale: z.enum(['zh', 'en']).default('zh') }),
      },
    },
    async (request, reply) => {
      const body = await templateWorkbook(route.definition, request.query.locale);
      return sendDownload(reply, body, { format: 'xlsx', asciiName: route.asciiName, name: route.name });
    },
  );
}
