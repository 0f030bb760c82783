import { createHash } from 'node:crypto';
import {
  type ApplicationFile,
  type AttachmentMediaTypeSchema,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_APPLICATION,
} from '@sibao/contracts';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import yauzl from 'yauzl';
import type { z } from 'zod';
import type { Actor } from '../../platform/access';
import { type AuditContext, writeAudit } from '../../platform/audit';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { checkUploadSize } from '../../platform/files/files.safety';
import { newId } from '../../platform/ids';
import { getApplication } from './whitelist.queries';
import { whitelistApplicationFiles } from './whitelist.tables';

/**
 * The materials of an application (承诺书, 闭环方案, 物资清单 …): uploaded by the enterprise while the application
 * is open, stored in the database, read by whoever may read the application. Not personal data in the sense
 * of the retention rules: they stay with the application record.
 */

type MediaType = z.infer<typeof AttachmentMediaTypeSchema>;

const PDF = Buffer.from('%PDF-');
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The names in a zip's central directory, without inflating anything; null when it is not a readable zip. */
function zipEntryNames(buffer: Buffer): Promise<Set<string> | null> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, autoClose: true }, (error, zip) => {
      if (error || !zip) return resolve(null);
      const names = new Set<string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        names.add(entry.fileName);
        if (names.size > 5_000) {
          zip.close();
          resolve(null);
          return;
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', () => resolve(null));
      zip.readEntry();
    });
  });
}

/**
 * The media type of an upload, from its first bytes (the client's content type and file name are not
 * trusted): PDF, JPEG, PNG, and Office Open XML workbooks and documents told apart by their parts.
 * Anything else is null (legacy .doc/.xls, executables, archives …).
 */
export async function sniffMediaType(buffer: Buffer): Promise<MediaType | null> {
  const starts = (magic: Buffer) => buffer.subarray(0, magic.length).equals(magic);
  if (starts(PDF)) return 'application/pdf';
  if (starts(JPEG)) return 'image/jpeg';
  if (starts(PNG)) return 'image/png';
  if (!starts(ZIP)) return null;
  const names = await zipEntryNames(buffer);
  if (!names?.has('[Content_Types].xml')) return null;
  if (names.has('xl/workbook.xml')) return XLSX;
  if (names.has('word/document.xml')) return DOCX;
  return null;
}

/** A file name safe to store and to announce: no path, no control characters, at most 200 characters. */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (clean || 'attachment').slice(0, 200);
}

/** The application is the enterprise's to complete: open (submitted or returned), not decided. */
function assertEditable(actor: Actor, status: string) {
  if (actor.role !== 'enterprise') throw new AppError('FORBIDDEN');
  if (status !== 'submitted' && status !== 'returned') throw new AppError('WHITELIST_APPLICATION_DECIDED');
}

export function filesEditable(actor: Actor, application: { status: string; enterpriseId: string }) {
  return (
    actor.role === 'enterprise' &&
    actor.enterpriseId === application.enterpriseId &&
    (application.status === 'submitted' || application.status === 'returned')
  );
}

const META = {
  id: whitelistApplicationFiles.id,
  applicationId: whitelistApplicationFiles.applicationId,
  filename: whitelistApplicationFiles.filename,
  mediaType: whitelistApplicationFiles.mediaType,
  bytes: whitelistApplicationFiles.bytes,
  sha256: whitelistApplicationFiles.sha256,
  uploadedBy: whitelistApplicationFiles.uploadedBy,
  createdAt: whitelistApplicationFiles.createdAt,
};
type FileMeta = Omit<typeof whitelistApplicationFiles.$inferSelect, 'content'>;

export function presentFile(f: FileMeta): ApplicationFile {
  return {
    id: f.id,
    filename: f.filename,
    mediaType: f.mediaType as MediaType,
    bytes: f.bytes,
    sha256: f.sha256,
    uploadedBy: f.uploadedBy,
    createdAt: f.createdAt.toISOString(),
  };
}

/** The materials (metadata only, never the content) of the given applications, by application id. */
export async function findFilesOf(db: Db, applicationIds: string[]): Promise<Map<string, ApplicationFile[]>> {
  const out = new Map<string, ApplicationFile[]>();
  if (applicationIds.length === 0) return out;
  const rows = await db
    .select(META)
    .from(whitelistApplicationFiles)
    .where(inArray(whitelistApplicationFiles.applicationId, applicationIds))
    .orderBy(asc(whitelistApplicationFiles.createdAt), asc(whitelistApplicationFiles.id));
  for (const row of rows) {
    const list = out.get(row.applicationId) ?? [];
    list.push(presentFile(row));
    out.set(row.applicationId, list);
  }
  return out;
}

/**
 * Stores one material of an open application of the actor's enterprise. Refused: an empty or too large file
 * (FILE_EMPTY, FILE_TOO_LARGE), a type that is not PDF/JPEG/PNG/XLSX/DOCX by content
 * (WHITELIST_ATTACHMENT_TYPE), more than MAX_ATTACHMENTS_PER_APPLICATION (WHITELIST_ATTACHMENT_LIMIT), a
 * decided application (WHITELIST_APPLICATION_DECIDED); another's application answers NOT_FOUND.
 */
export async function addAttachment(
  db: Db,
  actor: Actor,
  applicationId: string,
  file: { buffer: Buffer; filename: string },
  now: Date,
  context: AuditContext,
): Promise<ApplicationFile> {
  checkUploadSize(file.buffer, { maxUploadBytes: MAX_ATTACHMENT_BYTES });
  const mediaType = await sniffMediaType(file.buffer);
  if (!mediaType) throw new AppError('WHITELIST_ATTACHMENT_TYPE');
  const filename = cleanFileName(file.filename);
  const sha256 = createHash('sha256').update(file.buffer).digest('hex');
  return db.transaction(async (tx) => {
    // Locks the application row: concurrent uploads count one after another.
    const { application, enterprise } = await getApplication(tx, actor, applicationId, true);
    assertEditable(actor, application.status);
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
      .from(whitelistApplicationFiles)
      .where(eq(whitelistApplicationFiles.applicationId, applicationId));
    if ((count?.n ?? 0) >= MAX_ATTACHMENTS_PER_APPLICATION)
      throw new AppError('WHITELIST_ATTACHMENT_LIMIT', {
        detail: `at most ${MAX_ATTACHMENTS_PER_APPLICATION} materials per application`,
      });
    const [row] = await tx
      .insert(whitelistApplicationFiles)
      .values({
        id: newId(),
        applicationId,
        filename,
        mediaType,
        bytes: file.buffer.length,
        sha256,
        // As base64 text decoded by the database: PGlite serialises a bytea parameter byte by byte (10 MiB:
        // ~6 s against ~0.6 s this way); PostgreSQL takes either.
        content: sql`decode(${file.buffer.toString('base64')}, 'base64')`,
        uploadedBy: actor.username,
        createdAt: now,
      })
      .returning(META);
    await writeAudit(tx, context, {
      action: 'whitelist.attachment_added',
      objectType: 'whitelist_application',
      objectId: applicationId,
      summary: {
        enterprise: enterprise.name,
        fileId: row!.id,
        filename,
        mediaType,
        bytes: file.buffer.length,
        sha256,
      },
    });
    return presentFile(row!);
  });
}

/** Deletes a material while the application is open; audited with its name and hash. */
export async function deleteAttachment(
  db: Db,
  actor: Actor,
  applicationId: string,
  fileId: string,
  context: AuditContext,
): Promise<void> {
  await db.transaction(async (tx) => {
    const { application, enterprise } = await getApplication(tx, actor, applicationId, true);
    const [file] = await tx
      .select(META)
      .from(whitelistApplicationFiles)
      .where(
        and(
          eq(whitelistApplicationFiles.id, fileId),
          eq(whitelistApplicationFiles.applicationId, applicationId),
        ),
      );
    if (!file) throw new AppError('NOT_FOUND');
    assertEditable(actor, application.status);
    await tx.delete(whitelistApplicationFiles).where(eq(whitelistApplicationFiles.id, fileId));
    await writeAudit(tx, context, {
      action: 'whitelist.attachment_deleted',
      objectType: 'whitelist_application',
      objectId: applicationId,
      summary: { enterprise: enterprise.name, fileId, filename: file.filename, sha256: file.sha256 },
    });
  });
}

/** One material with its content, for whoever may read the application; otherwise NOT_FOUND. */
export async function getAttachment(db: Db, actor: Actor, applicationId: string, fileId: string) {
  await getApplication(db, actor, applicationId);
  const [file] = await db
    .select({ ...META, content: sql<string>`encode(${whitelistApplicationFiles.content}, 'base64')` })
    .from(whitelistApplicationFiles)
    .where(
      and(
        eq(whitelistApplicationFiles.id, fileId),
        eq(whitelistApplicationFiles.applicationId, applicationId),
      ),
    );
  if (!file) throw new AppError('NOT_FOUND');
  return { ...file, content: Buffer.from(file.content, 'base64') };
}
