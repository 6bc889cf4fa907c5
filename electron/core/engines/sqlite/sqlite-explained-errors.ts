import type { ErrorEvidence, ExplainedErrorKind } from '../../../../shared/model/explained-error';
import { explainedError, errorFields, type FailedStatementContext, type ErrorExplainer } from '../explained-errors';

/** SQLite's extended result codes (better-sqlite3 gives their names as `code`). */
const KINDS: Record<string, ExplainedErrorKind> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign-key',
  SQLITE_CONSTRAINT_NOTNULL: 'not-null',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_DATATYPE: 'invalid-value',
  SQLITE_MISMATCH: 'invalid-value',
  SQLITE_TOOBIG: 'too-long',
  SQLITE_BUSY: 'lock-timeout',
  SQLITE_BUSY_TIMEOUT: 'lock-timeout',
  SQLITE_READONLY: 'permission',
  SQLITE_AUTH: 'permission',
};

/** `parent.a, parent.b` → the table and its columns. */
function tableColumns(list: string): { table: string | null; columns: string[] } {
  const parts = list.split(', ').map((p) => p.trim());
  const table = parts[0]?.includes('.') ? parts[0].slice(0, parts[0].indexOf('.')) : null;
  return { table, columns: parts.map((p) => (p.includes('.') ? p.slice(p.indexOf('.') + 1) : p)) };
}

export const sqliteExplainer: ErrorExplainer = {
  explain(err: unknown, context?: FailedStatementContext) {
    const f = errorFields(err);
    const m = f.message;
    // Plain SQLITE_ERROR covers "already exists" and "no such table": only the words tell them apart.
    const kind: ExplainedErrorKind | undefined =
      (f.code ? KINDS[f.code] : undefined) ?? (/^(table|index|view|trigger) \S+ already exists$/.test(m) ? 'already-exists' : /^no such (table|column): /.test(m) ? 'undefined-object' : undefined);
    if (!kind) return null;
    const evidence: ErrorEvidence = { message: m, ...(f.code ? { code: f.code } : {}) };
    const base = { schema: context?.schema ?? null, table: context?.table ?? null };
    switch (kind) {
      case 'unique':
      case 'not-null': {
        const listed = /constraint failed: (.+)$/.exec(m);
        if (!listed) return explainedError(kind, evidence, base, context);
        const { table, columns } = tableColumns(listed[1]!);
        return explainedError(kind, evidence, { ...base, table: table ?? base.table, column: columns[0] ?? null, columns }, context);
      }
      case 'check': {
        // SQLite names the constraint, or — when it has no name — prints its expression.
        const named = /^CHECK constraint failed: (.+)$/s.exec(m)?.[1] ?? null;
        const isName = named !== null && /^[A-Za-z_][\w$]*$/.test(named);
        return explainedError(kind, evidence, { ...base, constraint: isName ? named : null, definition: named && !isName ? `CHECK (${named})` : null }, context);
      }
      case 'invalid-value': {
        const strict = /^cannot store \w+ value in (\w+) column ([^.]+)\.(.+)$/.exec(m);
        return explainedError(kind, evidence, strict ? { ...base, table: strict[2]!, column: strict[3]!, columns: [strict[3]!], definition: strict[1]! } : base, context);
      }
      case 'already-exists':
      case 'undefined-object': {
        const name = /^(?:table|index|view|trigger) (\S+) already exists$/.exec(m)?.[1] ?? /^no such table: (?:\w+\.)?(.+)$/.exec(m)?.[1];
        const column = /^no such column: (.+)$/.exec(m)?.[1];
        return explainedError(kind, evidence, { ...base, ...(name ? { table: name } : {}), ...(column ? { column, columns: [column] } : {}) }, context);
      }
      default:
        // SQLite's foreign key error names nothing: the engine finds the key from the catalog and the values sent.
        return explainedError(kind, evidence, { ...base, ...(kind === 'foreign-key' && context?.action ? { direction: context.action === 'delete' ? 'referenced' : 'missing' } : {}) }, context);
    }
  },
};
