import { SECTORS, type Sector } from '@sibao/contracts';
import { z } from 'zod';
import type { Actor } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { AppContext } from '../../platform/context';
import type { Db } from '../../platform/db';
import type { ImportRowError } from '../../platform/files/files.import';
import { runUploadImport, startUploadImport } from '../../platform/files/files.job';
import { newId } from '../../platform/ids';
import { defineJob } from '../../platform/jobs';
import { enterpriseImport } from './enterprises.import';
import { findExistingUsccs, insertEnterprises } from './enterprises.queries';

/** What the import job needs to know of the official who started it (scope and audit). */
const ImportActorSchema = z.object({
  userId: z.string().nullable(),
  tokenId: z.string().nullable(),
  username: z.string(),
  orgUnitId: z.string(),
  regionCode: z.string(),
  regionPrefix: z.string(),
  role: z.string(),
  sectors: z.array(z.enum(SECTORS)),
});

const ImportJobSchema = z.object({ uploadId: z.uuid(), progressId: z.uuid(), actor: ImportActorSchema });
type ImportJob = z.infer<typeof ImportJobSchema>;

/**
 * Checks an uploaded registry file enough to refuse it at once (size, not a spreadsheet, zip bomb), stores it,
 * and queues its import — all in one transaction under the client's idempotency key, so a resent upload
 * answers the same progress id and queues nothing. Returns the progress id the web polls.
 */
export async function startEnterpriseImport(
  ctx: AppContext,
  actor: Actor,
  file: { buffer: Buffer; filename: string },
  idempotencyKey: string,
  requestId: string,
): Promise<{ progressId: string; replayed: boolean }> {
  return startUploadImport(
    ctx.db,
    ctx.jobs,
    { actor, file, idempotencyKey, requestId },
    {
      kind: 'enterprises.import',
      job: importEnterprisesJob,
      payload: (ids) => ({
        ...ids,
        actor: {
          userId: actor.userId,
          tokenId: actor.tokenId,
          username: actor.username,
          orgUnitId: actor.orgUnitId,
          regionCode: actor.regionCode,
          regionPrefix: actor.regionPrefix,
          role: actor.role,
          sectors: actor.sectors,
        },
      }),
      audit: { action: 'enterprises.import_started', summary: { filename: file.filename } },
    },
  );
}

/**
 * The import itself (a job): parse and validate every row, check each against the official's scope and the
 * registry, then insert all rows, write the audit row and mark the progress succeeded in ONE transaction —
 * or, on any error, insert nothing and report the errors by row and column. A crash mid-way leaves nothing
 * behind; the retried job starts over from the stored upload.
 */
export async function runEnterpriseImport(db: Db, job: ImportJob): Promise<void> {
  await runUploadImport(db, job, {
    definition: enterpriseImport,
    async check(rows) {
      const errors: ImportRowError[] = [];
      const existing = await findExistingUsccs(
        db,
        rows.map((r) => r.value.uscc),
      );
      for (const { rowNumber, value } of rows) {
        if (existing.has(value.uscc))
          errors.push({
            row: rowNumber,
            column: '统一社会信用代码',
            field: 'uscc',
            code: 'USCC_EXISTS',
            message: '该统一社会信用代码已登记 already registered',
          });
        if (!value.regionCode.startsWith(job.actor.regionPrefix))
          errors.push({
            row: rowNumber,
            column: '所在县(市、区)代码',
            field: 'regionCode',
            code: 'REGION_OUT_OF_SCOPE',
            message: '不在本单位管辖范围内 outside your region',
          });
        if (
          job.actor.role === 'sector_department' &&
          !value.sectors.some((s: Sector) => job.actor.sectors.includes(s))
        ) {
          errors.push({
            row: rowNumber,
            column: '行业领域',
            field: 'sectors',
            code: 'SECTOR_OUT_OF_SCOPE',
            message: '不属于本部门主管行业 not a sector you manage',
          });
        }
      }
      return errors;
    },
    async commit(tx, rows, upload) {
      await insertEnterprises(
        tx,
        rows.map(({ value }) => ({
          id: newId(),
          kind: (value.kind ?? 'enterprise') as 'enterprise' | 'project' | 'park',
          uscc: value.uscc,
          name: value.name,
          sectors: value.sectors,
          regionCode: value.regionCode,
          address: value.address ?? null,
          headcount: value.headcount ?? 0,
          annualValueFen: value.annualValueFen ?? 0,
          cityOperations: value.cityOperations ?? value.sectors.includes('city_operations'),
        })),
      );
      await writeAudit(
        tx,
        { actor: job.actor },
        {
          action: 'enterprises.imported',
          objectType: 'upload',
          objectId: upload.id,
          summary: { filename: upload.filename, sha256: upload.sha256, rows: rows.length },
        },
      );
      return { imported: rows.length };
    },
  });
}

export const importEnterprisesJob = defineJob({
  name: 'enterprises.import-file',
  schema: ImportJobSchema,
  expireInSeconds: 15 * 60,
  retry: { limit: 3, delaySeconds: 5, backoff: true },
  handler: (data, { db }) => runEnterpriseImport(db, data),
});
