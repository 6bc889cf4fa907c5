import { z } from 'zod';

/**
 * A statement the server refused, in the user's terms: what rule it broke, where (table, column,
 * constraint and its definition, the conflicting key), and the engine's own words kept as evidence.
 * Each engine family reads its driver's errors into this shape in engines/<family>/ (the dialect's
 * `explainer`); nothing outside engines/ looks at an SQLSTATE, errno or SQLite code.
 */
export const explainedErrorKinds = [
  /** A unique or primary key already holds this key. */
  'unique',
  /** The referenced row is missing (insert/update), or rows still reference this one (delete/update). */
  'foreign-key',
  'not-null',
  'check',
  /** Text or bytes longer than the column allows. */
  'too-long',
  /** A number outside the column's type (or a date out of its range). */
  'out-of-range',
  /** A value the column's type cannot take at all ('abc' for an integer, a malformed date). */
  'invalid-value',
  /** CREATE of a table, index or other object whose name is taken. */
  'already-exists',
  /** A table, column or other object the statement names does not exist. */
  'undefined-object',
  'permission',
  'deadlock',
  'lock-timeout',
  /** The account's or the server's connection limit. */
  'connection-limit',
] as const;
export const ExplainedErrorKind = z.enum(explainedErrorKinds);
export type ExplainedErrorKind = z.infer<typeof ExplainedErrorKind>;

export const explainedErrorTitles: Record<ExplainedErrorKind, string> = {
  unique: 'Duplicate key',
  'foreign-key': 'Foreign key violated',
  'not-null': 'Value required (NOT NULL)',
  check: 'Check constraint violated',
  'too-long': 'Value too long',
  'out-of-range': 'Value out of range',
  'invalid-value': 'Invalid value for the type',
  'already-exists': 'Already exists',
  'undefined-object': 'Does not exist',
  permission: 'Permission denied',
  deadlock: 'Deadlock',
  'lock-timeout': 'Lock wait timeout',
  'connection-limit': 'Connection limit reached',
};

/** The engine's own report, as the driver gave it (secrets removed). */
export const ErrorEvidence = z.object({
  message: z.string(),
  /** SQLSTATE (PostgreSQL, MySQL), when the driver gives one. */
  sqlState: z.string().optional(),
  /** MySQL/MariaDB errno, or SQLite's extended result code name (SQLITE_CONSTRAINT_UNIQUE). */
  code: z.union([z.string(), z.number()]).optional(),
  /** PostgreSQL's DETAIL and HINT lines. */
  detail: z.string().optional(),
  hint: z.string().optional(),
});
export type ErrorEvidence = z.infer<typeof ErrorEvidence>;

export const ExplainedError = z.object({
  kind: ExplainedErrorKind,
  /** One sentence in the user's terms: what was refused and why. */
  summary: z.string(),
  schema: z.string().nullable(),
  table: z.string().nullable(),
  /** The column the problem is in (the first of a multi-column key). */
  column: z.string().nullable(),
  /** Every column of the key or constraint, when known. */
  columns: z.array(z.string()),
  constraint: z.string().nullable(),
  /** The constraint as the catalog defines it: `UNIQUE (email)`, `CHECK (qty > 0)`, `FOREIGN KEY (…) REFERENCES …`. */
  definition: z.string().nullable(),
  /** The key that conflicts (unique) or is missing/still referenced (foreign key), as the server printed its values. */
  key: z.object({ columns: z.array(z.string()), values: z.array(z.string().nullable()) }).nullable(),
  /** Foreign key: the table the key points at (insert/update), or the table whose rows still point here (delete). */
  otherTable: z.object({ schema: z.string().nullable(), name: z.string(), columns: z.array(z.string()) }).nullable(),
  /**
   * Foreign key: `missing` — no row in `otherTable` has this key (open it to see); `referenced` — rows of
   * `otherTable` still point at this row.
   */
  direction: z.enum(['missing', 'referenced']).nullable(),
  /** The row number the server names ("at row 1"): of the statement's rows, not the grid's. */
  statementRow: z.number().int().nullable(),
  evidence: ErrorEvidence,
});
export type ExplainedError = z.infer<typeof ExplainedError>;
