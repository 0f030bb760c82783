import {
  createParameterStore,
  lintParameters,
  ParameterNotInForce,
  type ParameterStore,
  type ParameterTimeline,
  type ParameterValue,
  UnknownParameter,
} from '@sibao/rules';
import { asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type AuditContext, writeAudit } from '../../platform/audit';
import { businessDate } from '../../platform/clock';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { parameters, parameterVersions } from './parameters.tables';

/** Reads every parameter and version into timelines (a few dozen rows), or only those of `keys`. */
export async function readTimelines(db: Db, keys?: readonly string[]): Promise<ParameterTimeline[]> {
  const defs = await db
    .select()
    .from(parameters)
    .where(keys ? inArray(parameters.key, [...keys]) : undefined)
    .orderBy(asc(parameters.key));
  const versions = await db
    .select()
    .from(parameterVersions)
    .where(keys ? inArray(parameterVersions.key, [...keys]) : undefined)
    .orderBy(asc(parameterVersions.key), asc(parameterVersions.validFrom));
  return defs.map((d) => ({
    key: d.key,
    label: { zh: d.labelZh, ...(d.labelEn ? { en: d.labelEn } : {}) },
    ...(d.type ? { type: d.type as ParameterTimeline['type'] } : {}),
    ...(d.unit ? { unit: d.unit as ParameterTimeline['unit'] } : {}),
    ...(d.parts ? { parts: d.parts as ParameterTimeline['parts'] } : {}),
    versions: versions
      .filter((v) => v.key === d.key)
      .map((v) => ({
        from: v.validFrom,
        to: v.validTo,
        value: v.value as ParameterValue,
        source: { doc: v.sourceDoc, section: v.sourceSection },
        ...(v.alsoIn ? { alsoIn: v.alsoIn as { doc: string; section: string }[] } : {}),
        revision: v.revision,
        publishedBy: v.publishedBy,
      })),
  }));
}

/**
 * The parameter registry as `@sibao/rules` reads it: `store.valueAt(key, date)`. A hot read path that needs
 * one or two values passes their `keys` and reads only their rows.
 */
export async function loadParameterStore(db: Db, keys?: readonly string[]): Promise<ParameterStore> {
  return createParameterStore(await readTimelines(db, keys));
}

/**
 * The value of a parameter on a date. Outside every version it throws PARAMETER_NOT_IN_FORCE — never the last
 * known value (DESIGN.md §3).
 */
export async function valueAt(
  db: Db,
  key: string,
  date: string | Date = businessDate(),
): Promise<ParameterValue> {
  const store = await loadParameterStore(db);
  try {
    return store.valueAt(key, date);
  } catch (error) {
    throw mapStoreError(error);
  }
}

export function mapStoreError(error: unknown): unknown {
  if (error instanceof UnknownParameter) return new AppError('PARAMETER_NOT_FOUND');
  if (error instanceof ParameterNotInForce) return new AppError('PARAMETER_NOT_IN_FORCE');
  return error;
}

/**
 * Loads timelines (the seed's, at first start) into the registry: parameters and versions that are missing
 * are inserted; existing ones are left alone, so versions published later by officials are never overwritten.
 * Returns the number of versions inserted.
 */
export async function syncParameters(
  db: Db,
  timelines: readonly ParameterTimeline[],
  publishedBy = 'seed',
): Promise<number> {
  const errors = lintParameters(timelines).filter((i) => i.severity === 'error');
  if (errors.length)
    throw new Error(
      `parameter timelines are invalid: ${errors.map((e) => `${e.key}: ${e.message}`).join('; ')}`,
    );
  let inserted = 0;
  await db.transaction(async (tx) => {
    for (const t of timelines) {
      await tx
        .insert(parameters)
        .values({
          key: t.key,
          labelZh: t.label.zh,
          labelEn: t.label.en ?? null,
          type: t.type ?? null,
          unit: t.unit ?? null,
          parts: t.parts ?? null,
        })
        .onConflictDoNothing();
      for (const v of t.versions) {
        const result = await tx
          .insert(parameterVersions)
          .values({
            key: t.key,
            validFrom: v.from,
            validTo: v.to,
            value: v.value,
            sourceDoc: v.source.doc,
            sourceSection: v.source.section,
            alsoIn: v.alsoIn ?? null,
            revision: v.revision,
            publishedBy: v.publishedBy ?? publishedBy,
          })
          .onConflictDoNothing()
          .returning({ key: parameterVersions.key });
        inserted += result.length;
      }
    }
  });
  return inserted;
}

export interface PublishVersionInput {
  key: string;
  from: string;
  value: ParameterValue;
  source: { doc: string; section: string };
}

/**
 * Publishes a new version of a parameter from a date on: the open-ended version in force is closed at that
 * date, the new one opens there. The resulting timeline is linted before commit; an invalid one changes nothing.
 */
export async function publishParameterVersion(db: Db, input: PublishVersionInput, context: AuditContext) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from ${parameters} where ${parameters.key} = ${input.key} for update`);
    const timelines = await readTimelines(tx);
    const current = timelines.find((t) => t.key === input.key);
    if (!current) throw new AppError('PARAMETER_NOT_FOUND');
    const open = current.versions.find((v) => v.to === null);
    if (!open || open.from >= input.from) {
      throw new AppError('VALIDATION_FAILED', {
        errors: [
          {
            path: 'from',
            code: 'PARAMETER_FROM_NOT_AFTER_CURRENT',
            message: 'must be after the start of the version in force',
          },
        ],
      });
    }
    const revision = Math.max(...current.versions.map((v) => v.revision)) + 1;
    const next: ParameterTimeline = {
      ...current,
      versions: [
        ...current.versions.map((v) => (v === open ? { ...v, to: input.from } : v)),
        { from: input.from, to: null, value: input.value, source: input.source, revision },
      ],
    };
    const issues = lintParameters([next]).filter((i) => i.severity === 'error');
    if (issues.length) {
      throw new AppError('VALIDATION_FAILED', {
        errors: issues.map((i) => ({ path: 'value', code: i.code, message: i.message })),
      });
    }
    await tx
      .update(parameterVersions)
      .set({ validTo: input.from })
      .where(
        sql`${parameterVersions.key} = ${input.key} and ${parameterVersions.validFrom} = ${open.from} and ${isNull(parameterVersions.validTo)}`,
      );
    await tx.insert(parameterVersions).values({
      key: input.key,
      validFrom: input.from,
      validTo: null,
      value: input.value,
      sourceDoc: input.source.doc,
      sourceSection: input.source.section,
      revision,
      publishedBy: context.actor?.username ?? 'system',
    });
    await writeAudit(tx, context, {
      action: 'parameters.version_published',
      objectType: 'parameter',
      objectId: input.key,
      summary: { from: input.from, before: open.value, after: input.value, source: input.source },
    });
  });
}

export async function parameterExists(db: Db, key: string): Promise<boolean> {
  const [row] = await db.select({ key: parameters.key }).from(parameters).where(eq(parameters.key, key));
  return !!row;
}
