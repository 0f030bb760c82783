import {
  TestResultBatchBodySchema,
  TestResultBatchHeadersSchema,
  TestResultBatchResponseSchema,
} from '@sibao/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/access';
import type { AppContext } from '../../platform/context';
import { addTemplateRoute, FileNameHeaderSchema, uploadedFile } from '../../platform/files/files.http';
import { parseNdjson } from './workforce.ingest';
import { resultsUploadImport, startTestResultImport } from './workforce.ingest.upload';
import { ingestTestResults } from './workforce.service';

/**
 * 10,000 rows of ~250 bytes: a lab batch may exceed the default 1 MiB body limit. The same for NDJSON (one row
 * a line is a few bytes shorter than the array).
 */
const TEST_BATCH_BODY_LIMIT = 8 * 1024 * 1024;
/** An enterprise's results file (Excel or CSV, at most `resultsUploadImport.maxRows` rows). */
const RESULTS_UPLOAD_LIMIT = 10 * 1024 * 1024;

/**
 * Test results in: labs push batches through the API (JSON array or NDJSON, token auth), and an enterprise
 * uploads its own employees' results as an Excel/CSV file (template route + upload, run as a job).
 * Registered inside the workforce plugin, so the raw upload parser of that plugin applies here too; the NDJSON
 * parser is registered in this plugin only.
 */
export function registerTestResultRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(
      ['application/x-ndjson', 'application/ndjson'],
      { parseAs: 'string', bodyLimit: TEST_BATCH_BODY_LIMIT },
      (_request, body, done) => done(null, parseNdjson(String(body))),
    );

    app.post(
      '/workforce/test-results',
      {
        bodyLimit: TEST_BATCH_BODY_LIMIT,
        config: { access: { permission: 'workforce.ingest_tests', scope: 'region' } },
        schema: {
          tags: ['workforce'],
          description:
            'A lab batch of up to 10,000 results: a JSON array, or NDJSON (`application/x-ndjson`, one row a ' +
            'line; a line that is not JSON is that row’s error WORKFORCE_LINE_MALFORMED, `row` = line − 1).',
          headers: TestResultBatchHeadersSchema,
          body: TestResultBatchBodySchema,
          response: { 200: TestResultBatchResponseSchema },
        },
      },
      async (request) =>
        ingestTestResults(
          ctx,
          actorOf(request),
          request.body,
          request.headers['idempotency-key'],
          String(request.id),
        ),
    );

    addTemplateRoute(app, {
      url: '/workforce/test-results/import/template',
      permission: 'workforce.manage_roster',
      tag: 'workforce',
      definition: resultsUploadImport,
      asciiName: 'test-results-template',
      name: '核酸检测结果导入模板',
    });

    app.post(
      '/workforce/test-results/import',
      {
        bodyLimit: RESULTS_UPLOAD_LIMIT,
        config: { access: { permission: 'workforce.manage_roster', scope: 'enterprise' } },
        schema: {
          tags: ['workforce'],
          description:
            'An enterprise uploads its own employees’ results (Excel/CSV, template above) — checked row by row, ' +
            'stored all or nothing by a job; follow the progress id.',
          headers: z.object({
            'idempotency-key': z.string().min(8).max(100),
            'x-file-name': FileNameHeaderSchema,
          }),
          response: { 202: z.object({ progressId: z.string(), replayed: z.boolean() }) },
        },
      },
      async (request, reply) => {
        const upload = uploadedFile(request);
        const result = await startTestResultImport(
          ctx,
          actorOf(request),
          upload,
          request.headers['idempotency-key'],
          String(request.id),
        );
        return reply.code(202).send(result);
      },
    );
  };
}
