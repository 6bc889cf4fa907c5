import { sql } from 'kysely';
import type { ExplainedError } from '../../../../shared/model/explained-error';
import type { ForeignKeyInfo, TableRef } from '../../../../shared/model/schema';
import type { ReferencingKey, RowChange } from '../../../../shared/model/table-query';
import { SecretScrubber } from '../../../../shared/security/secrets';
import { withSummary, type ErrorExplainer, type FailedStatementContext } from '../explained-errors';
import type { TableDataDriver } from './table-data-driver';
import type { ResolvedTable } from './table-sql';
import type { DesignSchema } from '../../../../features/designer/shared/model';

/** What the table browser can ask its engine when a staged change is refused: the catalog beyond TableDetail. */
export interface EditExplaining {
  explainer: ErrorExplainer;
  /**
   * The table's constraints as the designer's reader has them: CHECK expressions, and the names of
   * unique and foreign keys where the catalog the browser reads has none (SQLite keeps them only in its CREATE TABLE).
   */
  constraints(table: TableRef): Promise<TableConstraints>;
}

/**
 * What the table browser needs to explain a refused change on this engine: the dialect's explainer,
 * and CHECK expressions and key names from the designer's reader (read only when a change failed).
 */
export function editExplaining(readDesign: (schema: string) => Promise<DesignSchema>, explainer: ErrorExplainer): EditExplaining {
  return {
    explainer,
    constraints: async (table) => {
      const design = await readDesign(table.schema);
      const t = design.tables.find((x) => x.name === table.name);
      if (!t) return { checks: [], uniques: [], foreignKeys: [] };
      const names = (ids: string[]) => ids.map((id) => t.columns.find((c) => c.id === id)?.name ?? id);
      return {
        checks: t.checks.map((k) => ({ name: k.name, expression: k.expression })),
        uniques: t.uniques.map((u) => ({ name: u.name, columns: names(u.columns) })),
        foreignKeys: t.foreignKeys.map((k) => ({ name: k.name, columns: names(k.columns), refTable: k.refSchema === null ? (design.tables.find((p) => p.id === k.refTable)?.name ?? k.refTable) : k.refTable })),
      };
    },
  };
}

export interface TableConstraints {
  checks: { name: string | null; expression: string }[];
  uniques: { name: string | null; columns: string[] }[];
  foreignKeys: { name: string | null; columns: string[]; refTable: string }[];
}

const NO_CONSTRAINTS: TableConstraints = { checks: [], uniques: [], foreignKeys: [] };

/** One refused change: the statement's error, the change, and the row as the check read it (updates, deletes). */
export interface EditFailure {
  err: unknown;
  change: RowChange;
  /** The row's current values in the table's column order (null for an insert). */
  row: unknown[] | null;
}

/** How long finding the missing or referencing row may take: an error path, never a second wait for the user. */
const LOOKUP_TIMEOUT_MS = 5_000;

const keyText = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Uint8Array ? `\\x${Buffer.from(v).toString('hex')}` : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * A staged change the server refused, in the user's terms: the engine's explainer reads its error,
 * then what the error leaves out is filled in from the table's catalog and the values the change
 * sent — the unique key's columns and values, the foreign key that failed (SQLite names none) and
 * its definition, the CHECK's expression, the column of a value too long or out of range. Best
 * effort: a lookup that fails leaves the explainer's answer as it was.
 */
export async function explainEditFailure(driver: TableDataDriver, t: ResolvedTable, explaining: EditExplaining, failure: EditFailure): Promise<ExplainedError | null> {
  const { change, row } = failure;
  const sent = change.kind === 'delete' ? [] : change.values;
  const context: FailedStatementContext = { schema: t.detail.schema, table: t.detail.name, values: sent, action: change.kind };
  const e = explaining.explainer.explain(failure.err, context);
  if (!e) return null;
  return explainFromCatalog(driver, t, explaining, e, { sent, row, context });
}

/** What the caller knows of the refused statement beyond its error. */
export interface FailureFacts {
  /** The values it sent, by column (a staged insert or update); empty when unknown (a statement of the SQL editor). */
  sent: readonly { column: string; value: unknown }[];
  /** The row's values before the change, in the table's column order (a staged update or delete); null when unknown. */
  row: unknown[] | null;
  context: FailedStatementContext;
}

/** The longest key MySQL/MariaDB print whole in "Duplicate entry '…'" (longer ones are cut, MariaDB adds "..."). */
const WHOLE_ENTRY_CHARS = 64;

/**
 * An explainer's answer filled in from the catalog of `t`, the table the refused statement writes:
 * the unique key's columns and definition (and its values, from what was sent or the server's words),
 * the foreign key that failed (SQLite names none) with its definition and the other table, the
 * CHECK's expression, the column (and its type) of a NOT NULL, too long or out of range value.
 * Shared by the table browser (values known) and the SQL editor (only the server's words). Best
 * effort: a lookup that fails leaves that part as the explainer had it.
 */
export async function explainFromCatalog(driver: TableDataDriver, t: ResolvedTable, explaining: EditExplaining, e: ExplainedError, facts: FailureFacts): Promise<ExplainedError> {
  const { sent, row, context } = facts;
  const detail = t.detail;
  const sentNames = new Set(sent.map((v) => v.column));
  /** A column's value in the row after the change: sent, or as the row holds it; undefined when not known. */
  const valueOf = (name: string): unknown => {
    const s = sent.find((v) => v.column === name);
    if (s) return s.value;
    const i = detail.columns.findIndex((c) => c.name === name);
    return row && i >= 0 ? row[i] : undefined;
  };
  const known = (columns: readonly string[]) => columns.every((c) => valueOf(c) !== undefined);
  const typeOf = (name: string) => detail.columns.find((c) => c.name === name);
  /** The same value as this driver binds it: a sent value through toParam, the row's raw value as the driver read it. */
  const paramOf = (name: string): unknown => {
    const s = sent.find((v) => v.column === name);
    return s ? driver.toParam(s.value, typeOf(name)?.kind ?? 'other') : valueOf(name);
  };
  const out: ExplainedError = { ...e, schema: e.schema ?? detail.schema, table: e.table ?? detail.name };
  let read: Promise<TableConstraints> | null = null;
  const constraints = () => (read ??= explaining.constraints(detail).catch(() => NO_CONSTRAINTS));
  const ours = !e.table || e.table === detail.name;

  switch (e.kind) {
    case 'unique': {
      if (!ours) break;
      const index =
        (e.constraint ? detail.indexes.find((ix) => ix.unique && (ix.name === e.constraint || (ix.primary && e.constraint === 'PRIMARY'))) : undefined) ??
        (e.columns.length ? detail.indexes.find((ix) => ix.unique && sameSet(ix.columns, e.columns)) : undefined);
      const isPrimary = !index && e.columns.length > 0 && sameSet(detail.primaryKey, e.columns);
      if (isPrimary) out.definition = `PRIMARY KEY (${e.columns.join(', ')})`;
      if (!out.constraint && out.columns.length) out.constraint = (await constraints()).uniques.find((u) => u.name && sameSet(u.columns, out.columns))?.name ?? null;
      if (index) {
        out.columns = index.columns;
        // An index the engine made on its own for a UNIQUE column has no statement and no name worth showing.
        if (!out.constraint && index.definition !== null) out.constraint = index.name;
        out.definition = `${index.primary ? 'PRIMARY KEY' : 'UNIQUE'} (${index.columns.join(', ')})`;
      }
      const whole = out.key && out.key.columns.length === out.columns.length && out.key.values.length === out.columns.length;
      if (out.columns.length && !whole) {
        if (known(out.columns)) out.key = { columns: out.columns, values: out.columns.map((c) => keyText(valueOf(c))) };
        else if (out.key && out.key.columns.length === 0 && out.key.values.length === 1) {
          // MySQL/MariaDB print the key as one text, its parts joined by '-': split only where that cannot be ambiguous.
          const printed = out.key.values[0] ?? '';
          const parts = printed.split('-');
          if (printed.length < WHOLE_ENTRY_CHARS && (out.columns.length === 1 || parts.length === out.columns.length)) {
            out.key = { columns: out.columns, values: out.columns.length === 1 ? [printed] : parts };
          }
        }
      }
      out.column = out.columns.find((c) => sentNames.has(c)) ?? out.columns[0] ?? out.column;
      break;
    }
    case 'foreign-key': {
      if (e.direction === 'referenced') {
        // SQLite's driver answers at once, and may throw rather than reject.
        const refs = await (async () => driver.referencedBy(detail))().catch(() => [] as ReferencingKey[]);
        const ref =
          refs.find((r) => r.name === e.constraint) ??
          (await firstReferencing(driver, refs, valueOf, paramOf)) ??
          // Nothing known to look with (a statement of the SQL editor): a key no other could be.
          (!e.constraint && refs.length === 1 && !refs.some((r) => known(r.referencedColumns)) ? refs[0] : undefined);
        if (ref) {
          // The referencing table's own CREATE TABLE may name the key where the catalog does not (SQLite).
          const declared = e.constraint ? null : (await explaining.constraints({ schema: ref.schema, name: ref.table }).catch(() => NO_CONSTRAINTS)).foreignKeys.find((k) => k.name && sameSet(k.columns, ref.columns) && k.refTable === detail.name);
          out.constraint = e.constraint ?? declared?.name ?? ref.name;
          out.otherTable = { schema: ref.schema, name: ref.table, columns: ref.columns };
          out.columns = ref.referencedColumns;
          out.column = ref.referencedColumns[0] ?? null;
          if (known(ref.referencedColumns)) out.key = { columns: ref.referencedColumns, values: ref.referencedColumns.map((c) => keyText(valueOf(c))) };
          out.definition = `FOREIGN KEY (${ref.columns.join(', ')}) REFERENCES ${detail.name} (${ref.referencedColumns.join(', ')})`;
        }
        break;
      }
      if (!ours) break;
      const fk =
        detail.foreignKeys.find((f) => f.name === e.constraint) ??
        (e.constraint ? undefined : await firstMissing(driver, t, valueOf, paramOf, sentNames)) ??
        (!e.constraint && detail.foreignKeys.length === 1 && !known(detail.foreignKeys[0]!.columns) ? detail.foreignKeys[0] : undefined);
      if (fk) {
        out.constraint = e.constraint ?? (await constraints()).foreignKeys.find((k) => k.name && sameSet(k.columns, fk.columns) && k.refTable === fk.referencedTable)?.name ?? fk.name;
        out.columns = fk.columns;
        out.column = fk.columns.find((c) => sentNames.has(c)) ?? fk.columns[0] ?? null;
        out.otherTable = { schema: fk.referencedSchema, name: fk.referencedTable, columns: fk.referencedColumns };
        out.definition = fkDefinition(fk);
        out.direction = 'missing';
        if ((!out.key || out.key.values.length !== fk.columns.length) && known(fk.columns)) out.key = { columns: fk.columns, values: fk.columns.map((c) => keyText(valueOf(c))) };
      }
      break;
    }
    case 'not-null': {
      if (!ours) break;
      if (!out.column) out.column = [...sentNames].find((c) => valueOf(c) === null && typeOf(c)?.nullable === false) ?? null;
      const info = out.column ? typeOf(out.column) : undefined;
      if (info) {
        out.columns = [info.name];
        out.definition = `${info.name} ${info.dataType} NOT NULL`;
      }
      break;
    }
    case 'check': {
      if (!ours) break;
      const found = (await constraints()).checks.find((k) => k.name !== null && k.name === out.constraint);
      if (found) out.definition = `CHECK (${found.expression})`;
      if (!out.column) {
        const text = out.definition ?? '';
        const named = (c: string) => new RegExp(`(^|[^\\w$])${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w$]|$)`).test(text);
        // The column the expression names: among those sent, or — nothing sent known — the table's only one it names.
        const pick = [...sentNames].filter(named);
        const among = pick.length ? pick : sent.length === 0 ? detail.columns.map((c) => c.name).filter(named) : [];
        out.column = among.length === 1 || pick.length ? (among[0] ?? null) : null;
        if (out.column) out.columns = [out.column];
      }
      break;
    }
    case 'too-long':
    case 'out-of-range':
    case 'invalid-value': {
      if (!out.column && ours) {
        // The server named the type, not the column: the one sent column that can break this rule —
        // or, nothing sent known, the table's one column of that type.
        const candidates = sent.filter((v) => {
          const info = typeOf(v.column);
          if (!info || v.value === null) return false;
          if (e.kind === 'too-long') {
            const limit = Number(/\((\d+)\)/.exec(info.dataType)?.[1] ?? NaN);
            return typeof v.value === 'string' && (!Number.isFinite(limit) || [...v.value].length > limit);
          }
          if (e.kind === 'out-of-range') return info.kind === 'integer' || info.kind === 'bigint' || info.kind === 'decimal' || info.kind === 'float';
          return true;
        });
        const byType = e.definition ? candidates.filter((v) => typeOf(v.column)!.dataType.toLowerCase().startsWith(e.definition!.toLowerCase())) : [];
        const pick = byType.length === 1 ? byType : candidates;
        if (pick.length === 1) out.column = pick[0]!.column;
        else if (sent.length === 0 && e.definition) {
          const ofType = detail.columns.filter((c) => c.dataType.toLowerCase() === e.definition!.toLowerCase());
          if (ofType.length === 1) out.column = ofType[0]!.name;
        }
      }
      const info = out.column && ours ? typeOf(out.column) : undefined;
      if (info) {
        out.columns = [info.name];
        out.definition = `${info.name} ${info.dataType}`;
      }
      break;
    }
    default:
      break;
  }
  return withSummary(out, context);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function fkDefinition(fk: ForeignKeyInfo): string {
  return `FOREIGN KEY (${fk.columns.join(', ')}) REFERENCES ${fk.referencedTable} (${fk.referencedColumns.join(', ')})`;
}

/** Whether a row with these values exists (one bound equality per column). */
async function exists(driver: TableDataDriver, table: TableRef, columns: readonly string[], values: readonly unknown[]): Promise<boolean> {
  const where = sql.join(
    columns.map((c, i) => sql`${sql.id(c)} = ${values[i]}`),
    sql` AND `,
  );
  const q = sql`SELECT 1 FROM ${sql.id(table.schema, table.name)} WHERE ${where} LIMIT 1`.compile(driver.kysely);
  return (await driver.select(q, { userSql: false, timeoutMs: LOOKUP_TIMEOUT_MS })).length > 0;
}

/** The foreign key whose referenced row is missing (the server did not say which): checked one by one. */
async function firstMissing(driver: TableDataDriver, t: ResolvedTable, valueOf: (c: string) => unknown, paramOf: (c: string) => unknown, sentNames: ReadonlySet<string>): Promise<ForeignKeyInfo | undefined> {
  // Keys the change set first: an unchanged key was valid before.
  const keys = [...t.detail.foreignKeys].sort((a, b) => Number(b.columns.some((c) => sentNames.has(c))) - Number(a.columns.some((c) => sentNames.has(c))));
  for (const fk of keys) {
    const values = fk.columns.map(valueOf);
    if (values.some((v) => v === null || v === undefined)) continue; // NULL never violates a foreign key
    const params = fk.columns.map(paramOf);
    try {
      if (!(await exists(driver, { schema: fk.referencedSchema, name: fk.referencedTable }, fk.referencedColumns, params))) return fk;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The first foreign key of another table whose rows still point at this row (a refused delete). */
async function firstReferencing(driver: TableDataDriver, refs: readonly ReferencingKey[], valueOf: (c: string) => unknown, paramOf: (c: string) => unknown): Promise<ReferencingKey | undefined> {
  for (const ref of refs) {
    const values = ref.referencedColumns.map(valueOf);
    if (values.some((v) => v === null || v === undefined)) continue;
    const params = ref.referencedColumns.map(paramOf);
    try {
      if (await exists(driver, { schema: ref.schema, name: ref.table }, ref.columns, params)) return ref;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The explained error as it may leave the worker: every text scrubbed of the connection's secrets, like any error. */
export function scrubExplained(e: ExplainedError, secrets: readonly string[]): ExplainedError {
  return new SecretScrubber(secrets).scrubDeep(e);
}
