import { SECTOR_LABELS, SECTORS, type Sector } from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../platform/access';
import { type AuditContext, writeAudit } from '../../platform/audit';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { defineImport, parseImport } from '../../platform/files/files.import';
import { loadHenanDivisions } from '../regions';
import { sectorOutputTotals } from './whitelist.tables';

const sectorByLabel = new Map<string, Sector>();
for (const s of SECTORS) {
  sectorByLabel.set(s, s);
  sectorByLabel.set(SECTOR_LABELS[s].zh, s);
  sectorByLabel.set(SECTOR_LABELS[s].en.toLowerCase(), s);
}

let knownCodes: Set<string> | undefined;
const regionExists = (code: string) => {
  knownCodes ??= new Set(loadHenanDivisions().regions.map((r) => r.code));
  return knownCodes.has(code);
};

/**
 * Official statistics (the coverage denominator) from Excel or CSV: one row per region, sector and period,
 * with the document they come from. 万元 in the file, fen in the table.
 */
export const statisticsImport = defineImport({
  maxRows: 20_000,
  columns: [
    {
      key: 'regionCode',
      header: { zh: '行政区划代码', en: 'Region code' },
      aliases: ['区划代码'],
      required: true,
      schema: z.string().refine(regionExists, { message: 'REGION_NOT_FOUND' }),
      example: '410105',
    },
    {
      key: 'sector',
      header: { zh: '行业领域', en: 'Sector' },
      required: true,
      schema: z.string().transform((v, ctx) => {
        const s = sectorByLabel.get(v.trim().toLowerCase()) ?? sectorByLabel.get(v.trim());
        if (!s) ctx.addIssue({ code: 'custom', message: 'SECTOR_UNKNOWN' });
        return s ?? 'industry';
      }),
      example: '工业生产',
    },
    {
      key: 'period',
      header: { zh: '统计期', en: 'Period' },
      required: true,
      schema: z.coerce.string().regex(/^\d{4}(-\d{2})?$/, { message: 'PERIOD_FORMAT' }),
      example: '2021',
      note: { zh: '年份(2021)或年月(2022-04)', en: 'a year (2021) or a month (2022-04)' },
    },
    {
      key: 'totalFen',
      header: { zh: '总产值或投资额(万元)', en: 'Total output or investment (10k yuan)' },
      required: true,
      schema: z.coerce
        .number()
        .min(0)
        .max(1e10)
        .transform((wan) => Math.round(wan * 1_000_000)),
    },
    {
      key: 'source',
      header: { zh: '数据来源', en: 'Source' },
      required: true,
      schema: z.string().trim().min(2).max(200),
      example: '河南省统计局《2021年河南统计年鉴》',
    },
  ],
});

/**
 * Imports statistics at once (the files are small: a row per county and sector): every row validated and
 * in the official's region, then all upserted with one audit row — or nothing, with row-numbered errors
 * (IMPORT_ROWS_INVALID).
 */
export async function importStatistics(
  db: Db,
  actor: Actor,
  file: { buffer: Buffer; filename: string },
  context: AuditContext,
) {
  // A file that cannot be read at all throws FileError (answered 4xx by the error handler).
  const parsed = await parseImport(statisticsImport, file);
  const errors = parsed.errors.map((e) => ({ path: e.field, code: e.code, message: e.message, row: e.row }));
  const seen = new Set<string>();
  for (const { rowNumber, value } of parsed.rows) {
    const key = `${value.regionCode}|${value.sector}|${value.period}`;
    if (seen.has(key))
      errors.push({
        path: 'period',
        code: 'duplicate',
        message: '同一地区、行业、统计期重复',
        row: rowNumber,
      });
    seen.add(key);
    if (!value.regionCode.startsWith(actor.regionPrefix))
      errors.push({
        path: 'regionCode',
        code: 'REGION_OUT_OF_SCOPE',
        message: '不在本单位管辖范围内',
        row: rowNumber,
      });
  }
  if (!parsed.ok || errors.length) {
    throw new AppError('IMPORT_ROWS_INVALID', {
      errors: errors.sort((a, b) => a.row - b.row).slice(0, 1000),
    });
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < parsed.rows.length; i += 1000) {
      await tx
        .insert(sectorOutputTotals)
        .values(
          parsed.rows.slice(i, i + 1000).map(({ value }) => ({
            regionCode: value.regionCode,
            sector: value.sector as Sector,
            period: value.period,
            totalFen: value.totalFen,
            source: value.source,
          })),
        )
        .onConflictDoUpdate({
          target: [sectorOutputTotals.regionCode, sectorOutputTotals.sector, sectorOutputTotals.period],
          set: { totalFen: sql`excluded.total_fen`, source: sql`excluded.source`, importedAt: sql`now()` },
        });
    }
    await writeAudit(tx, context, {
      action: 'whitelist.statistics_imported',
      objectType: 'sector_output_totals',
      objectId: parsed.source.sha256,
      summary: { filename: file.filename, rows: parsed.rows.length },
    });
  });
  return { imported: parsed.rows.length, sha256: parsed.source.sha256 };
}
