import type { LintWarning, MigrationPlan, TableComparison } from '../../../../shared/model/migrations';
import { identifierKey, type IdentifierRules } from '../../../../shared/sql/identifier-rules';
import { splitStatements } from '../../../../shared/sql/split-statements';
import { normaliseName, parseStatement, splitTopLevel } from '../lint/parse-statement';
import type { MigrationAdapter, MigrationConnection } from '../migration-adapter';
import type { ExecStep } from './plan';

/** A column as a CREATE TABLE statement declares it. */
export interface DeclaredColumn {
  name: string;
  type: string;
  notNull: boolean;
  /** Part of the primary key (NOT NULL on every engine but SQLite, whose catalog says nullable). */
  primaryKey: boolean;
}

/** Words that end a column's type in its definition. */
const AFTER_TYPE = /^(NOT|NULL|DEFAULT|PRIMARY|UNIQUE|REFERENCES|CHECK|CONSTRAINT|COLLATE|GENERATED|AUTO_INCREMENT|AUTOINCREMENT|COMMENT|ON|AS|CHARACTER|CHARSET|INVISIBLE|IDENTITY|STORAGE|COMPRESSION)$/i;
/** Table-level entries of a CREATE TABLE body, not columns. */
const TABLE_ENTRY = /^(CONSTRAINT|PRIMARY\s+KEY|UNIQUE|FOREIGN\s+KEY|CHECK|KEY|INDEX|FULLTEXT|SPATIAL|EXCLUDE|LIKE|PERIOD)\b/i;

function unquote(name: string): string {
  if (/^".*"$|^`.*`$|^\[.*\]$/s.test(name)) return name.slice(1, -1).replace(/""/g, '"').replace(/``/g, '`');
  return name;
}

/** The table a statement creates (named as the engine stores it), when it is a CREATE TABLE (comments before it allowed). */
export function createdTableName(sql: string, rules: IdentifierRules): string | null {
  const text = sql.replace(/^(?:\s*(?:--[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*/, '');
  const parsed = parseStatement({ index: 1, sql: text, skeleton: text.replace(/\s+/g, ' ').trim(), startLine: 1, endLine: 1, leadingComments: [] }, rules);
  return parsed.kind === 'create-table' ? parsed.table : null;
}

/** The table a CREATE TABLE statement makes and its columns, or null when `sql` is not one (or `CREATE TABLE … AS`). */
export function declaredTable(sql: string, adapter: Pick<MigrationAdapter, 'lexRules' | 'identifiers'>): { table: string; columns: DeclaredColumn[] } | null {
  const statement = splitStatements(sql, adapter.lexRules)[0];
  if (!statement) return null;
  const parsed = parseStatement(statement, adapter.identifiers);
  if (parsed.kind !== 'create-table') return null;
  const open = statement.sql.indexOf('(');
  const close = statement.sql.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const entries = splitTopLevel(statement.sql.slice(open + 1, close));
  const keyColumns = new Set<string>();
  const columns: DeclaredColumn[] = [];
  for (const entry of entries) {
    const pk = /^(?:CONSTRAINT\s+\S+\s+)?PRIMARY\s+KEY\s*\(([^)]*)\)/i.exec(entry);
    if (pk) for (const c of splitTopLevel(pk[1]!)) keyColumns.add(normaliseName(c.split(/\s+/)[0]!, adapter.identifiers).toLowerCase());
    if (TABLE_ENTRY.test(entry)) continue;
    const m = /^("(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|\S+)\s*([\s\S]*)$/.exec(entry);
    if (!m) continue;
    const rest = m[2]!;
    // The type: words (with their parenthesised arguments) up to the first constraint word.
    const words = rest.match(/[^\s(]+(?:\s*\([^)]*\))?|\([^)]*\)/g) ?? [];
    const typeWords: string[] = [];
    for (const w of words) {
      if (AFTER_TYPE.test(w.replace(/\(.*$/s, ''))) break;
      typeWords.push(w);
    }
    columns.push({ name: unquote(m[1]!), type: typeWords.join(' '), notNull: /\bNOT\s+NULL\b/i.test(rest), primaryKey: /\bPRIMARY\s+KEY\b/i.test(rest) });
  }
  for (const c of columns) if (keyColumns.has(c.name.toLowerCase())) c.primaryKey = true;
  return { table: parsed.table, columns };
}

/**
 * The table a failed CREATE TABLE wanted to make, next to the one that exists: column names, types
 * (as the catalog spells them) and NULL/NOT NULL. When every column is the same, the migration can be
 * marked applied instead of being run. Defaults, keys and indexes are not compared (said so in `note`).
 */
export async function compareDeclaredTable(conn: MigrationConnection, adapter: MigrationAdapter, version: string, createSql: string): Promise<TableComparison | null> {
  const declared = declaredTable(createSql, adapter);
  if (!declared) return null;
  const existing = await adapter.columnTypes(conn, declared.table);
  const byName = new Map((existing ?? []).map((c) => [c.name.toLowerCase(), c]));
  const columns: TableComparison['columns'] = declared.columns.map((d) => {
    const e = byName.get(d.name.toLowerCase());
    byName.delete(d.name.toLowerCase());
    const sameType = e !== undefined && adapter.normalizeType(d.type) === adapter.normalizeType(e.type);
    // A key column's NULL rule is the engine's (SQLite lets a non-INTEGER key hold NULL): only an explicit one is compared.
    const sameNull = e !== undefined && (d.primaryKey ? !d.notNull || !e.nullable : d.notNull === !e.nullable);
    return {
      name: d.name,
      migration: `${d.type}${d.primaryKey ? ' PRIMARY KEY' : ''}${d.notNull ? ' NOT NULL' : ''}`,
      database: e ? `${e.type}${e.nullable ? '' : ' NOT NULL'}` : null,
      same: sameType && sameNull,
    };
  });
  for (const e of byName.values()) columns.push({ name: e.name, migration: null, database: `${e.type}${e.nullable ? '' : ' NOT NULL'}`, same: false });
  return {
    version,
    table: declared.table,
    exists: existing !== null,
    columns,
    match: existing !== null && columns.every((c) => c.same),
    note: 'Compared: column names, types and NULL/NOT NULL. Not compared: defaults, keys, indexes and checks — look at those before marking the migration applied.',
  };
}

/**
 * A plan whose CREATE TABLE statements (without IF NOT EXISTS) name tables that already exist gets a
 * warning on each, before anything runs: that statement will fail. Tables the plan drops or creates
 * before it are followed in order. One catalog read.
 */
export async function warnExistingTables(conn: MigrationConnection, adapter: MigrationAdapter, plan: MigrationPlan, steps: ExecStep[]): Promise<MigrationPlan> {
  const creates = steps.flatMap((s) => (s.direction === 'up' ? s.units.flatMap((u) => u.statements.map((st) => ({ step: s, st, parsed: parseStatement({ ...st, startLine: st.line, endLine: st.line }, adapter.identifiers) }))) : []));
  const names = [...new Set(creates.filter((c) => c.parsed.kind === 'create-table').map((c) => (c.parsed as { table: string }).table))];
  if (names.length === 0) return plan;
  const key = (table: string) => identifierKey(table, adapter.identifiers);
  const live = new Set((await adapter.listTables(conn, names)).filter((t) => t.schema === null).map((t) => key(t.name)));
  const warnings = new Map<ExecStep, LintWarning[]>();
  for (const { step, st, parsed } of creates) {
    if (parsed.kind === 'drop-table') for (const t of parsed.tables) live.delete(key(t));
    if (parsed.kind !== 'create-table') continue;
    if (live.has(key(parsed.table)) && !/^CREATE\s+(?:OR\s+REPLACE\s+)?(?:\w+\s+)*TABLE\s+IF\s+NOT\s+EXISTS\b/i.test(st.skeleton)) {
      const list = warnings.get(step) ?? [];
      list.push({
        rule: 'table-exists',
        version: step.plan.version,
        statementIndex: st.index,
        line: st.line,
        message: `\`${parsed.table}\` already exists in this database: this CREATE TABLE will fail.`,
        suggestion: 'If the table is what this migration creates (made by hand, or by another tool), mark the migration applied instead of running it — after a failed run, "Compare with the database" shows whether the columns match. Otherwise rename or drop one of them first.',
      });
      warnings.set(step, list);
    }
    live.add(key(parsed.table));
  }
  if (warnings.size === 0) return plan;
  return { ...plan, steps: plan.steps.map((ps) => { const step = steps.find((s) => s.plan === ps); const extra = step ? warnings.get(step) : undefined; return extra ? { ...ps, lint: [...ps.lint, ...extra] } : ps; }) };
}
