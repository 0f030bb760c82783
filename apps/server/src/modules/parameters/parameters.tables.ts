import { date, integer, json, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** A parameter (DESIGN.md §3): what it is; its values over time are in parameter_versions. */
export const parameters = pgTable('parameters', {
  key: text('key').primaryKey(),
  labelZh: text('label_zh').notNull(),
  labelEn: text('label_en'),
  type: text('type'),
  unit: text('unit'),
  /** Labels of named parts ({ mobile: { zh, en } }); json, not jsonb, so the parts keep their order. */
  parts: json('parts'),
});

/** One version of a parameter, valid on the half-open interval [valid_from, valid_to). */
export const parameterVersions = pgTable(
  'parameter_versions',
  {
    key: text('key')
      .notNull()
      .references(() => parameters.key),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    /** json, not jsonb: a value with named parts keeps the order the document gives them. */
    value: json('value').notNull(),
    sourceDoc: text('source_doc').notNull(),
    sourceSection: text('source_section').notNull(),
    /** Other places in the documents that fix the same value. */
    alsoIn: jsonb('also_in'),
    revision: integer('revision').notNull(),
    publishedBy: text('published_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.key, t.validFrom] })],
);
