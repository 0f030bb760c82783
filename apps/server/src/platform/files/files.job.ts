import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { uploads } from '../platform.tables';
import { finishProgress, reportProgress } from '../progress';
import { isFileError } from './files.errors';
import {
  type ImportColumn,
  type ImportDefinition,
  type ImportRowError,
  type ImportRowValue,
  parseImport,
} from './files.import';

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
