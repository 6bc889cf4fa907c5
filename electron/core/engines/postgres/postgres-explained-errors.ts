import type { ErrorEvidence, ExplainedErrorKind } from '../../../../shared/model/explained-error';
import { explainedError, errorFields, type FailedStatementContext, type ErrorExplainer } from '../explained-errors';

/** SQLSTATEs of the kinds (PostgreSQL appendix A); pg puts the SQLSTATE in `code`. */
const KINDS: Record<string, ExplainedErrorKind> = {
  '23505': 'unique',
  '23503': 'foreign-key',
  '23502': 'not-null',
  '23514': 'check',
  '22001': 'too-long',
  '22003': 'out-of-range',
  '22008': 'out-of-range',
  '22P02': 'invalid-value',
  '22007': 'invalid-value',
  '22023': 'invalid-value',
  '42P07': 'already-exists',
  '42710': 'already-exists',
  '42P01': 'undefined-object',
  '42703': 'undefined-object',
  '42704': 'undefined-object',
  '42501': 'permission',
  '40P01': 'deadlock',
  '55P03': 'lock-timeout',
  '53300': 'connection-limit',
};

/**
 * `Key (a, b)=(1, x)`: the columns and values PostgreSQL prints in DETAIL. Values are split by
 * the column count when the text allows it (a value with ", " inside stays whole otherwise).
 */
function keyOf(detail: string | undefined): { columns: string[]; values: (string | null)[] } | null {
  const m = /^Key \((.+?)\)=\((.*)\)(?: already exists| is not present| is still referenced)/s.exec(detail ?? '');
  if (!m) return null;
  const columns = m[1]!.split(', ').map((c) => c.replace(/^"(.*)"$/, '$1'));
  const parts = m[2]!.split(', ');
  const values = parts.length === columns.length ? parts : [m[2]!];
  return { columns, values: values.map((v) => (v === 'null' && columns.length === values.length ? null : v)) };
}

const unquote = (s: string | undefined) => (s === undefined ? null : s);

export const postgresExplainer: ErrorExplainer = {
  explain(err: unknown, context?: FailedStatementContext) {
    const f = errorFields(err);
    const state = f.code && /^[0-9A-Z]{5}$/.test(f.code) ? f.code : f.sqlState;
    const kind = state ? KINDS[state] : undefined;
    if (!state || !kind) return null;
    const evidence: ErrorEvidence = { message: f.message, sqlState: state, ...(f.detail ? { detail: f.detail } : {}), ...(f.hint ? { hint: f.hint } : {}) };
    const raw = f.raw as { schema?: string; table?: string; column?: string; constraint?: string; dataType?: string };
    const key = keyOf(f.detail);
    const base = {
      schema: unquote(raw.schema) ?? context?.schema ?? null,
      table: unquote(raw.table) ?? context?.table ?? null,
      column: unquote(raw.column) ?? null,
      constraint: unquote(raw.constraint) ?? null,
      key,
      columns: key?.columns ?? (raw.column ? [raw.column] : []),
    };
    switch (kind) {
      case 'unique':
        return explainedError(kind, evidence, { ...base, column: key?.columns[0] ?? null }, context);
      case 'foreign-key': {
        // Delete/update of a referenced row: the message names this row's table, DETAIL the referencing one.
        const referenced = /is still referenced from table "((?:[^"]|"")+)"/.exec(f.detail ?? '');
        if (referenced) {
          const here = /^update or delete on table "((?:[^"]|"")+)"/.exec(f.message)?.[1] ?? context?.table ?? null;
          return explainedError(
            kind,
            evidence,
            { ...base, table: here, column: key?.columns[0] ?? null, direction: 'referenced', otherTable: { schema: base.schema, name: referenced[1]!, columns: [] } },
            context,
          );
        }
        const missing = /is not present in table "((?:[^"]|"")+)"/.exec(f.detail ?? '');
        return explainedError(
          kind,
          evidence,
          { ...base, column: key?.columns[0] ?? null, direction: 'missing', otherTable: missing ? { schema: base.schema, name: missing[1]!, columns: [] } : null },
          context,
        );
      }
      case 'too-long':
      case 'out-of-range':
      case 'invalid-value': {
        // The type is named, the column is not: found among the values sent, or by the engine from the table's types.
        const type = /for type ([^:]+?)(?::|$)/.exec(f.message)?.[1] ?? /^(\w[\w ]*?) out of range$/.exec(f.message)?.[1] ?? null;
        const value = /: "(.*)"$/s.exec(f.message)?.[1] ?? /^value "(.*)" is out of range/s.exec(f.message)?.[1] ?? null;
        const limit = kind === 'too-long' ? Number(/\((\d+)\)$/.exec(type ?? '')?.[1] ?? NaN) : NaN;
        const candidates = (context?.values ?? []).filter((v) =>
          value !== null ? String(v.value) === value : Number.isFinite(limit) ? typeof v.value === 'string' && [...v.value].length > limit : false,
        );
        const column = candidates.length === 1 ? candidates[0]!.column : null;
        return explainedError(kind, evidence, { ...base, column, columns: column ? [column] : [], definition: type }, context);
      }
      case 'already-exists':
      case 'undefined-object': {
        const name = /^(?:relation|table|index|type|schema|sequence|constraint "[^"]*" for relation) "((?:[^"]|"")+)"/.exec(f.message)?.[1] ?? null;
        const column = /^column "((?:[^"]|"")+)"/.exec(f.message)?.[1] ?? null;
        return explainedError(kind, evidence, { ...base, table: name ?? base.table, column: column ?? base.column }, context);
      }
      default:
        return explainedError(kind, evidence, base, context);
    }
  },
};
