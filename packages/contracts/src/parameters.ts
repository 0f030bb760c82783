import { z } from 'zod';

/** A label whose English side may still be missing (then the Chinese one shows). */
export const PartialLabelSchema = z.object({ zh: z.string(), en: z.string().optional() });
export type PartialLabel = z.infer<typeof PartialLabelSchema>;

/** A parameter value: a number, a date or text, a flag, or named parts (`{ province: 0.7, cityCounty: 0.3 }`). */
export const ParameterValueSchema = z.union([
  z.number(),
  z.string(),
  z.boolean(),
  z.record(z.string(), z.union([z.number(), z.string()])),
]);
export type ParameterValue = z.infer<typeof ParameterValueSchema>;

export const ParameterVersionSchema = z.object({
  from: z.string(),
  /** Exclusive: the version is in force on days `from <= day < to`; null = open-ended. */
  to: z.string().nullable(),
  value: ParameterValueSchema,
  /** The document and section that fix the value (DESIGN.md §3). */
  source: z.object({ doc: z.string(), section: z.string() }),
  revision: z.number().int(),
  publishedBy: z.string().optional(),
});
export type ParameterVersion = z.infer<typeof ParameterVersionSchema>;

export const ParameterSchema = z.object({
  key: z.string(),
  label: PartialLabelSchema,
  /** `hour`, `day`, `perDay`, `ratio` (0..1), `person`, `date` … */
  unit: z.string().nullable(),
  /** Labels of the named parts of a value, in the document's order, when it has parts. */
  parts: z.record(z.string(), PartialLabelSchema).nullable(),
  /** The value in force today (Asia/Shanghai), or null when none is. */
  current: ParameterValueSchema.nullable(),
  versions: z.array(ParameterVersionSchema),
});
export type Parameter = z.infer<typeof ParameterSchema>;
export const ParameterListSchema = z.object({ items: z.array(ParameterSchema) });

export const ParameterAtSchema = z.object({
  key: z.string(),
  asOf: z.string(),
  value: ParameterValueSchema,
  version: ParameterVersionSchema,
});

export const PublishParameterVersionBodySchema = z.strictObject({
  from: z.iso.date(),
  value: ParameterValueSchema,
  source: z.strictObject({ doc: z.string().min(1), section: z.string().min(1) }),
});
