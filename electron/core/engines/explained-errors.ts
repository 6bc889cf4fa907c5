import type { ErrorEvidence, ExplainedError, ExplainedErrorKind } from '../../../shared/model/explained-error';

/** What the caller knows about the statement that failed: the server's text often leaves it out. */
export interface FailedStatementContext {
  /** The table the statement writes (the table browser always knows it). */
  schema?: string;
  table?: string;
  /** The values it sent, by column (a table-browser insert or update). */
  values?: { column: string; value: unknown }[];
  /** What the statement did to the row. */
  action?: 'insert' | 'update' | 'delete';
}

/**
 * How one engine family reads its driver's constraint and limit errors (SQLSTATE, errno, SQLite's
 * extended codes and messages) into an ExplainedError: a member of the Dialect, so nothing outside
 * engines/<family>/ knows a code. Pure: reads the error alone; the engine fills in what needs its
 * catalog (a constraint's definition, a unique index's columns) (`table-data/explain-edit-failure.ts`).
 */
export interface ErrorExplainer {
  /** The error in the user's terms, or null when it is none of the kinds (the driver's text then stands as it is). */
  explain(err: unknown, context?: FailedStatementContext): ExplainedError | null;
}

/** Fields a driver error may carry, read without trusting their types. */
export function errorFields(err: unknown): { message: string; code?: string; errno?: number; sqlState?: string; detail?: string; hint?: string; raw: Record<string, unknown> } {
  const raw = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
  const message = str('sqlMessage') ?? (err instanceof Error ? err.message : (str('message') ?? String(err)));
  const out: ReturnType<typeof errorFields> = { message, raw };
  const code = str('code');
  if (code !== undefined) out.code = code;
  if (typeof raw.errno === 'number') out.errno = raw.errno;
  const sqlState = str('sqlState');
  if (sqlState !== undefined) out.sqlState = sqlState;
  const detail = str('detail');
  if (detail !== undefined) out.detail = detail;
  const hint = str('hint');
  if (hint !== undefined) out.hint = hint;
  return out;
}

/** A ExplainedError with every field present and its sentence written; `fields` are what the engine's error told. */
export function explainedError(
  kind: ExplainedErrorKind,
  evidence: ErrorEvidence,
  fields: Partial<Omit<ExplainedError, 'kind' | 'summary' | 'evidence'>> = {},
  context?: FailedStatementContext,
): ExplainedError {
  return withSummary(
    { kind, schema: null, table: null, column: null, columns: [], constraint: null, definition: null, key: null, otherTable: null, direction: null, statementRow: null, ...fields, evidence },
    context,
  );
}

/** The value the statement sent for a column, as text for a sentence (null when it sent none). */
export function sentValue(context: FailedStatementContext | undefined, column: string | null): string | null {
  if (!column) return null;
  const v = context?.values?.find((x) => x.column === column);
  if (!v || v.value === null || v.value === undefined) return null;
  return typeof v.value === 'object' ? JSON.stringify(v.value) : String(v.value);
}

/** `'TOOLONG1'`, cut for a sentence. */
export function quote(text: string): string {
  return `'${text.length > 60 ? `${text.slice(0, 57)}…` : text}'`;
}

/**
 * The sentence for a kind, from what is known. One wording for every engine, so the grid, Review SQL,
 * the editor and the CLI say the same thing whichever server refused.
 */
export function summaryOf(e: Omit<ExplainedError, 'summary'>, context?: FailedStatementContext): string {
  const col = e.column ? `“${e.column}”` : 'a column';
  const table = e.table ? `“${e.table}”` : 'the table';
  const values = e.key ? e.key.values.map((v) => (v === null ? 'NULL' : v)).join(', ') : '';
  // MariaDB names the index, not its columns: then only the value the server printed.
  const keyText = !e.key ? null : e.key.columns.length ? `(${e.key.columns.join(', ')}) = (${values})` : `the key ${quote(values)}`;
  switch (e.kind) {
    case 'unique':
      return `Another row of ${table} already has ${keyText ?? `this value${e.columns.length ? ` in (${e.columns.join(', ')})` : ''}`}${e.constraint ? ` — ${e.constraint} allows each only once` : ''}.`;
    case 'foreign-key':
      if (e.direction === 'referenced') return `Rows of ${e.otherTable ? `“${e.otherTable.name}”` : 'another table'} still point at this row${keyText ? ` ${keyText}` : ''}${e.constraint ? ` through ${e.constraint}` : ''}: delete or change them first.`;
      return `${keyText ? `The key ${keyText}` : 'The referenced key'} is not present in ${e.otherTable ? `“${e.otherTable.name}”` : 'the referenced table'}${e.constraint ? ` (${e.constraint})` : ''}: add that row first, or pick an existing key.`;
    case 'not-null':
      return `${col} needs a value: it is NOT NULL.`;
    case 'check':
      return `The row breaks ${e.constraint ? `the check ${e.constraint}` : 'a check constraint'}${e.definition ? `: ${e.definition}` : ''}.`;
    case 'too-long': {
      const v = sentValue(context, e.column);
      return `The value for ${col}${v !== null ? ` (${[...v].length} characters)` : ''} is longer than the column allows${e.definition ? ` (${e.definition})` : ''}.`;
    }
    case 'out-of-range': {
      const v = sentValue(context, e.column);
      return `${v !== null ? quote(v) : 'The value'} is out of range for ${col}${e.definition ? ` (${e.definition})` : ''}.`;
    }
    case 'invalid-value': {
      const v = sentValue(context, e.column);
      return `${v !== null ? quote(v) : 'The value'} is not a valid value for ${col}${e.definition ? ` (${e.definition})` : ''}.`;
    }
    case 'already-exists':
      return `${e.table ? `“${e.table}”` : 'An object of that name'} already exists.`;
    case 'undefined-object':
      return `${e.table ? `“${e.table}”` : 'An object the statement names'} does not exist.`;
    case 'permission':
      return 'This user may not do that here.';
    case 'deadlock':
      return 'The statement was chosen as the victim of a deadlock with another session and rolled back; run it again.';
    case 'lock-timeout':
      return 'Another session holds a lock the statement waited for too long.';
    case 'connection-limit':
      return 'No more connections are allowed for this account or server.';
  }
}

/** The ExplainedError with its summary written from its fields. */
export function withSummary(e: Omit<ExplainedError, 'summary'> & { summary?: string }, context?: FailedStatementContext): ExplainedError {
  const { summary: _old, ...rest } = e;
  return { ...rest, summary: summaryOf(rest, context) };
}
