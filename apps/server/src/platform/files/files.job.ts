import { eq } from 'drizzle-orm';
import type { Actor } from '../access';
import { writeAudit } from '../audit';
import type { Db } from '../db';
import { AppError } from '../errors';
import { once, requestHash } from '../idempotency';
import { newId } from '../ids';
import type { JobDefinition, JobQueue } from '../jobs';
import { uploads } from '../platform.tables';
import { createProgress, finishProgress, reportProgress } from '../progress';
import { isFileError } from './files.errors';
import {
  type ImportColumn,
  type ImportDefinition,
  type ImportRowError,
  type ImportRowValue,
  parseImport,
} from './files.import';
import { checkUploadSize, inspectXlsx } from './files.safety';

type Upload = typeof uploads.$inferSelect;

/** Refuses a whole import for a reason that is not a row's (the target enterprise is gone …). */
export class ImportRefused extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'ImportRefused';
  }
}

export interface UploadImport<Cols extends readonly ImportColumn[]> {
  definition: ImportDefinition<Cols>;
  /**
   * Checks that need the database or the importer's scope (already registered, outside the region …), once
   * every row has parsed cleanly. Returns row errors; may throw ImportRefused.
   */
  check?(rows: Array<{ rowNumber: number; value: ImportRowValue<Cols> }>): Promise<ImportRowError[]>;
  /** Writes every row (and its audit row) in the given transaction; returns what the progress row reports. */
  commit(
    tx: Db,
    rows: Array<{ rowNumber: number; value: ImportRowValue<Cols> }>,
    upload: Upload,
  ): Promise<Record<string, unknown>>;
}

const MAX_REPORTED_ERRORS = 1000;

/** What `startUploadImport` needs to know of one kind of import. */
export interface UploadImportStart<T extends { uploadId: string; progressId: string }> {
  /** The upload's and the progress row's kind, and the idempotency scope: `<module>.import-<what>`. */
  kind: string;
  job: JobDefinition<T>;
  /** The job's payload for the stored upload and its progress row (the importer as the job needs them). */
  payload(ids: { uploadId: string; progressId: string }): T;
  /** The audit action of the start (`<module>.<what>_import_started`) and anything its summary adds. */
  audit: { action: string; summary?: Record<string, unknown> };
}

/**
 * The request half of every upload import: refuses an unusable file at once (size, neither .xlsx nor .csv/.txt,
 * zip bomb), then stores it, a progress row, the job and the audit row in ONE transaction under the client's
 * idempotency key — a resent upload answers the same progress id and queues nothing.
 */
export async function startUploadImport<T extends { uploadId: string; progressId: string }>(
  db: Db,
  jobs: JobQueue | null | undefined,
  request: {
    actor: Actor;
    file: { buffer: Buffer; filename: string };
    idempotencyKey: string;
    requestId: string;
  },
  spec: UploadImportStart<T>,
): Promise<{ progressId: string; replayed: boolean }> {
  if (!jobs) throw new AppError('OVERLOADED', { detail: 'background jobs are not running' });
  const { actor, file } = request;
  checkUploadSize(file.buffer);
  if (/\.xlsx$/i.test(file.filename)) await inspectXlsx(file.buffer);
  else if (!/\.(csv|txt)$/i.test(file.filename)) throw new AppError('FILE_UNSUPPORTED_TYPE');
  const hash = requestHash(file.buffer);
  const { response, replayed } = await db.transaction((tx) =>
    once(tx, `${actor.orgUnitId}:${spec.kind}`, request.idempotencyKey, hash, async () => {
      const uploadId = newId();
      await tx.insert(uploads).values({
        id: uploadId,
        kind: spec.kind,
        filename: file.filename,
        sha256: hash,
        content: file.buffer,
        ownerUserId: actor.userId,
        orgUnitId: actor.orgUnitId,
      });
      const progressId = await createProgress(tx, {
        kind: spec.kind,
        ownerUserId: actor.userId,
        orgUnitId: actor.orgUnitId,
        regionCode: actor.regionCode,
      });
      await jobs.enqueue(tx, spec.job, spec.payload({ uploadId, progressId }));
      await writeAudit(
        tx,
        { actor, requestId: request.requestId },
        {
          action: spec.audit.action,
          objectType: 'upload',
          objectId: uploadId,
          summary: { ...spec.audit.summary, sha256: hash, bytes: file.buffer.length },
        },
      );
      return { progressId };
    }),
  );
  return { progressId: response.progressId, replayed };
}

/**
 * Runs a stored upload through an import definition, as a job: parse and validate every row with progress
 * (written as it goes, one write after another, all awaited before the outcome), the module's own checks,
 * then its commit + "succeeded" + removal of the upload in ONE transaction — or, on any error, nothing but a
 * "failed" progress row with the errors by row and column. A crash leaves nothing; a retried job starts over
 * from the stored upload; an upload already gone means the import already finished.
 */
export async function runUploadImport<Cols extends readonly ImportColumn[]>(
  db: Db,
  job: { uploadId: string; progressId: string },
  spec: UploadImport<Cols>,
): Promise<void> {
  const [upload] = await db.select().from(uploads).where(eq(uploads.id, job.uploadId));
  if (!upload) return;
  const fail = (result: unknown, message: string) =>
    db.transaction(async (tx) => {
      await finishProgress(tx, job.progressId, { status: 'failed', result, message });
      await tx.delete(uploads).where(eq(uploads.id, upload.id));
    });

  let lastReport = 0;
  let reports: Promise<void> = Promise.resolve();
  let parsed: Awaited<ReturnType<typeof parseImport<Cols>>>;
  try {
    parsed = await parseImport(
      spec.definition,
      { buffer: upload.content, filename: upload.filename },
      {
        onProgress: (done, total) => {
          if (done - lastReport >= 1000 || done === total) {
            lastReport = done;
            reports = reports.then(() =>
              reportProgress(db, job.progressId, { done, total, message: '校验中 validating' }).catch(
                () => {},
              ),
            );
          }
        },
      },
    );
  } catch (error) {
    await reports;
    if (isFileError(error)) {
      const result = {
        code: error.code,
        message: { zh: error.messageZh, en: error.messageEn },
        details: error.details ?? null,
      };
      return fail(result, error.code);
    }
    throw error;
  }
  await reports;
  await reportProgress(db, job.progressId, {
    done: parsed.totalRows,
    total: parsed.totalRows,
    message: '校验中 validating',
  });

  const errors: ImportRowError[] = [...parsed.errors];
  try {
    if (parsed.ok && spec.check) errors.push(...(await spec.check(parsed.rows)));
  } catch (error) {
    if (error instanceof ImportRefused) return fail({ code: error.code }, error.code);
    throw error;
  }
  if (errors.length) {
    errors.sort((a, b) => a.row - b.row);
    const result = {
      code: 'IMPORT_ROWS_INVALID',
      totalRows: parsed.totalRows,
      errors: errors.slice(0, MAX_REPORTED_ERRORS),
      errorCount: errors.length,
    };
    return fail(result, 'IMPORT_ROWS_INVALID');
  }
  await db.transaction(async (tx) => {
    const result = await spec.commit(tx, parsed.rows, upload);
    await finishProgress(tx, job.progressId, { status: 'succeeded', result, message: null });
    await tx.delete(uploads).where(eq(uploads.id, upload.id));
  });
}
