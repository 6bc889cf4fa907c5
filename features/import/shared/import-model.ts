import { z } from 'zod';
import { TableRef } from '../../../shared/model/schema';
import { ColumnMeta, ValueKind } from '../../../shared/model/values';

/** What a file holds: CSV or TSV (delimited text), JSON lines (one object a line) or one JSON array of objects. */
export const ImportFormat = z.enum(['csv', 'tsv', 'jsonl', 'json']);
export type ImportFormat = z.infer<typeof ImportFormat>;

/** How the bytes of a text file are read. A UTF-8 byte order mark is always skipped. */
export const ImportEncoding = z.enum(['utf-8', 'latin1']);
export type ImportEncoding = z.infer<typeof ImportEncoding>;

/** What an empty field becomes. PostgreSQL COPY … CSV: unquoted empty is NULL, quoted ("") is the empty string. */
export const EmptyAs = z.enum(['null', 'empty']);

export const CsvOptions = z
  .object({
    delimiter: z.string().min(1).max(4).default(','),
    quote: z.string().length(1).default('"'),
    header: z.boolean().default(true),
    encoding: ImportEncoding.default('utf-8'),
    unquotedEmpty: EmptyAs.default('null'),
    quotedEmpty: EmptyAs.default('empty'),
  })
  .strict();
export type CsvOptions = z.infer<typeof CsvOptions>;

/** Numbers as written in the file: the decimal mark and an optional thousands separator, removed before the value is sent. */
export const NumberFormat = z
  .object({
    decimal: z.enum(['.', ',']).default('.'),
    thousands: z.enum(['', ',', '.', ' ', "'", '_']).default(''),
  })
  .strict();
export type NumberFormat = z.infer<typeof NumberFormat>;

/**
 * A date pattern (`DD/MM/YYYY`, `MM-DD-YYYY HH:mm:ss`): YYYY, MM, DD, HH, mm, ss and an optional `.SSS…`
 * fraction. Values are rewritten to ISO text (`YYYY-MM-DD HH:mm:ss`); no time zone is applied. Empty: as written.
 */
export const DateFormat = z.string().max(64).regex(/^[YMDHms0-9 .,:/T_'-]*$/, 'Use YYYY, MM, DD, HH, mm, ss and separators.');

/** One target column and the file's field that fills it (index into the preview's `sources`; null: left to its default). */
export const ColumnMapping = z
  .object({
    column: z.string().min(1).max(1024),
    source: z.number().int().min(0).max(100_000).nullable(),
    dateFormat: DateFormat.default(''),
  })
  .strict();
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/** A column of a table the import creates. */
export const NewColumn = z
  .object({
    name: z.string().min(1).max(1024),
    type: z.string().min(1).max(300),
    nullable: z.boolean().default(true),
  })
  .strict();
export type NewColumn = z.infer<typeof NewColumn>;

export const ImportMode = z.enum(['all-or-nothing', 'skip-bad-rows']);
export type ImportMode = z.infer<typeof ImportMode>;

/** The file and how to read it (shared by preview and run). */
export const ImportSource = z
  .object({
    path: z.string().min(1).max(4096),
    format: ImportFormat,
    csv: CsvOptions.default(CsvOptions.parse({})),
    numbers: NumberFormat.default(NumberFormat.parse({})),
  })
  .strict();
export type ImportSource = z.infer<typeof ImportSource>;

/** Where rows go: an existing table, or a new one (`create`) made first, in the import's transaction where the engine allows. */
export const ImportTarget = z
  .object({
    table: TableRef,
    create: z.object({ columns: z.array(NewColumn).min(1).max(2000), primaryKey: z.array(z.string().max(1024)).max(32).default([]) }).strict().nullable().default(null),
  })
  .strict();
export type ImportTarget = z.infer<typeof ImportTarget>;

/** A converted cell of the preview, or why it cannot be converted. */
export const PreviewCell = z.union([z.null(), z.string(), z.object({ error: z.string() })]);

export const InferredColumn = z.object({
  name: z.string(),
  kind: ValueKind,
  /** The engine's type for it (editable before the table is made). */
  type: z.string(),
  nullable: z.boolean(),
});
export type InferredColumn = z.infer<typeof InferredColumn>;

export const ImportPreview = z.object({
  /** The file's fields: the header's names, the JSON keys, or `1`, `2`… without a header. */
  sources: z.array(z.string()),
  /** The first records as read (NULL as null), with their line numbers. */
  records: z.array(z.object({ line: z.number().int(), fields: z.array(z.string().nullable()) })),
  /** The target's columns (existing table, or the new table's as asked). */
  columns: z.array(ColumnMeta),
  /** The mapping used: as asked, or by name. */
  mapping: z.array(ColumnMapping),
  /** The preview's records converted to the target's columns, in `columns` order. */
  converted: z.array(z.array(PreviewCell)),
  /** Types inferred from a sample of the file, for a new table. */
  inferred: z.array(InferredColumn),
  /** The statements that create the new table, exactly as they will run; null for an existing table. */
  ddl: z.array(z.string()).nullable(),
  fileBytes: z.number().int(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportResult = z.object({
  rows: z.number().int(),
  rejected: z.number().int(),
  /** Where the rejected records were written (skip mode), or null. */
  rejectsPath: z.string().nullable(),
  bytes: z.number().int(),
  ms: z.number(),
  created: z.boolean(),
  /** Which loader ran: the server reading the file's CSV itself (PostgreSQL COPY) or rows converted here. */
  path: z.enum(['server-csv', 'rows']),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** Where an import failed: the file's line (1-based) and the column, when known. */
export interface ImportErrorPlace {
  line: number | null;
  column: string | null;
}
