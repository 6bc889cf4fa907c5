import type { ErrorEvidence, ExplainedErrorKind } from '../../../../shared/model/explained-error';
import { explainedError, errorFields, type FailedStatementContext, type ErrorExplainer } from '../explained-errors';

/**
 * MySQL/MariaDB errors by errno (never by mysql2's `code`: its names are MySQL's, and MariaDB's 4025
 * "CONSTRAINT … failed" arrives labelled ER_INNODB_AUTOEXTEND_SIZE_OUT_OF_RANGE).
 */
const KINDS: Record<number, ExplainedErrorKind> = {
  1062: 'unique',
  1586: 'unique',
  1451: 'foreign-key',
  1452: 'foreign-key',
  1216: 'foreign-key',
  1217: 'foreign-key',
  1048: 'not-null',
  1364: 'not-null',
  4025: 'check',
  3819: 'check',
  1406: 'too-long',
  1264: 'out-of-range',
  1690: 'out-of-range',
  1366: 'invalid-value',
  1292: 'invalid-value',
  1265: 'invalid-value',
  1050: 'already-exists',
  1060: 'already-exists',
  1061: 'already-exists',
  1146: 'undefined-object',
  1054: 'undefined-object',
  1142: 'permission',
  1143: 'permission',
  1044: 'permission',
  1213: 'deadlock',
  1205: 'lock-timeout',
  1040: 'connection-limit',
  1203: 'connection-limit',
  1226: 'connection-limit',
};

const IDENT = '`((?:[^`]|``)+)`';
const ident = (s: string) => s.replace(/``/g, '`');
const identList = (s: string) => [...s.matchAll(new RegExp(IDENT, 'g'))].map((m) => ident(m[1]!));

/** The row MariaDB counts from 1 within the statement ("at row 1"), not the grid's. */
function statementRowOf(message: string): number | null {
  const m = / at row (\d+)$/.exec(message);
  return m ? Number(m[1]) : null;
}

/** `'code'`, or `` `db`.`t`.`code` `` (MariaDB's newer wording): the column a value message names. */
function columnOf(message: string): { schema: string | null; table: string | null; column: string } | null {
  const qualified = new RegExp(`for column ${IDENT}\\.${IDENT}\\.${IDENT}`).exec(message);
  if (qualified) return { schema: ident(qualified[1]!), table: ident(qualified[2]!), column: ident(qualified[3]!) };
  const plain = /(?:for column|Column|Field) '((?:[^']|'')+)'/.exec(message);
  return plain ? { schema: null, table: null, column: plain[1]!.replace(/''/g, "'") } : null;
}

export const mysqlExplainer: ErrorExplainer = {
  explain(err: unknown, context?: FailedStatementContext) {
    const f = errorFields(err);
    const kind = f.errno !== undefined ? KINDS[f.errno] : undefined;
    if (f.errno === undefined || !kind) return null;
    const evidence: ErrorEvidence = { message: f.message, code: f.errno, ...(f.sqlState ? { sqlState: f.sqlState } : {}) };
    const base = { schema: context?.schema ?? null, table: context?.table ?? null, statementRow: statementRowOf(f.message) };
    const m = f.message;
    switch (kind) {
      case 'unique': {
        // MariaDB names the index (`email`, `PRIMARY`); MySQL 8 prefixes the table (`people.email`). Its columns come from the catalog.
        const dup = /^Duplicate entry '((?:[^']|'')*)' for key '((?:[^']|'')+)'$/s.exec(m);
        const index = dup ? dup[2]!.replace(/''/g, "'").replace(/^.*\./, '') : null;
        return explainedError(kind, evidence, { ...base, constraint: index, key: dup ? { columns: [], values: [dup[1]!.replace(/''/g, "'")] } : null }, context);
      }
      case 'foreign-key': {
        // (`db`.`child`, CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `parent` (`id`))
        const fk = new RegExp(`\\(${IDENT}\\.${IDENT}, CONSTRAINT ${IDENT} (FOREIGN KEY \\((.+?)\\) REFERENCES ${IDENT} \\((.+?)\\)(?: ON [A-Z ]+)*)\\)$`, 's').exec(m);
        const referenced = f.errno === 1451 || f.errno === 1217;
        if (!fk) return explainedError(kind, evidence, { ...base, direction: referenced ? 'referenced' : 'missing' }, context);
        const [schema, child, name, definition, childCols, parent, parentCols] = [ident(fk[1]!), ident(fk[2]!), ident(fk[3]!), fk[4]!, identList(fk[5]!), ident(fk[6]!), identList(fk[7]!)];
        return referenced
          ? explainedError(kind, evidence, { ...base, schema, table: parent, column: parentCols[0] ?? null, columns: parentCols, constraint: name, definition, direction: 'referenced', otherTable: { schema, name: child, columns: childCols } }, context)
          : explainedError(kind, evidence, { ...base, schema, table: child, column: childCols[0] ?? null, columns: childCols, constraint: name, definition, direction: 'missing', otherTable: { schema, name: parent, columns: parentCols } }, context);
      }
      case 'check': {
        // MariaDB: CONSTRAINT `t.qty` failed for `db`.`t` (a column's own check is named after the column); MySQL: Check constraint 'x' is violated.
        const maria = new RegExp(`^CONSTRAINT ${IDENT} failed for ${IDENT}\\.${IDENT}`).exec(m);
        const mysqlName = /^Check constraint '((?:[^']|'')+)' is violated/.exec(m);
        const name = maria ? ident(maria[1]!) : mysqlName ? mysqlName[1]!.replace(/''/g, "'") : null;
        const table = maria ? ident(maria[3]!) : base.table;
        const column = name && table && name.startsWith(`${table}.`) ? name.slice(table.length + 1) : null;
        return explainedError(kind, evidence, { ...base, ...(maria ? { schema: ident(maria[2]!), table } : {}), constraint: column ?? name, column, columns: column ? [column] : [] }, context);
      }
      case 'already-exists':
      case 'undefined-object': {
        const table = /^Table '((?:[^']|'')+)'/.exec(m)?.[1];
        const column = /^(?:Unknown column|Duplicate column name|Duplicate key name) '((?:[^']|'')+)'/.exec(m)?.[1];
        return explainedError(
          kind,
          evidence,
          { ...base, ...(table ? { table: table.replace(/^.*\./, '') } : {}), ...(column ? { column, columns: [column] } : {}) },
          context,
        );
      }
      default: {
        const col = columnOf(m);
        return explainedError(
          kind,
          evidence,
          { ...base, ...(col ? { column: col.column, columns: [col.column], ...(col.table ? { table: col.table } : {}), ...(col.schema ? { schema: col.schema } : {}) } : {}) },
          context,
        );
      }
    }
  },
};
