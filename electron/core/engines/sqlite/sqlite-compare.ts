import type { Change } from '../../../../features/designer/shared/diff';
import type { DesignObject, DesignSchema, DesignTable } from '../../../../features/designer/shared/model';
import type { DdlScript } from '../../../../features/designer/core/design-dialect';
import type { CompareDialect, ObjectDdl } from '../../../../features/schema-compare/core/compare-dialect';
import { FK_CHECK_TABLE, SqliteDesignDialect } from './sqlite-ddl';
import { quoteSqliteIdent as q } from './sqlite-quote';
import { tokenizeSqlite } from './sqlite-sql-tokens';

/** The text without comments and with every run of spaces as one: how SQLite's stored texts compare. */
function canonical(sql: string): string {
  return tokenizeSqlite(sql)
    .filter((t) => t.kind !== 'space' && t.kind !== 'comment')
    .map((t) => (t.kind === 'word' ? t.text.toLowerCase() : t.text))
    .join(' ');
}

/**
 * Schema compare's SQLite DDL: views and triggers, kept as SQLite stores them (its CREATE text), and
 * the compare's statements placed inside the designer's rebuild transaction when there is one.
 */
export class SqliteCompareDialect implements CompareDialect {
  readonly design = new SqliteDesignDialect();

  sameObject(a: DesignObject, b: DesignObject): boolean {
    return canonical(a.definition) === canonical(b.definition);
  }

  create(o: DesignObject): ObjectDdl {
    return { statements: [o.definition] };
  }

  drop(o: DesignObject): string[] {
    return [`DROP ${o.kind === 'trigger' ? 'TRIGGER' : 'VIEW'} IF EXISTS ${q(o.name)}`];
  }

  alter(): ObjectDdl | null {
    return null;
  }

  comment(): string | null {
    return null;
  }

  /** Most changes rebuild the table (dropping its triggers) or are refused while a view names a column. */
  affectsDependents(c: Change): boolean {
    return c.kind !== 'add-index' && c.kind !== 'drop-index' && c.kind !== 'table-comment';
  }

  renameIndex(): string | null {
    return null;
  }

  sameIndexButName(): boolean {
    return false;
  }

  fillNulls(_schema: string, table: string, column: string, value: string): string {
    return `UPDATE ${q(table)} SET ${q(column)} = ${value} WHERE ${q(column)} IS NULL`;
  }

  envelope(): { before: string[]; after: string[] } {
    return { before: [], after: [] };
  }

  /** Inside the rebuild's own transaction when it has one (after BEGIN IMMEDIATE, before the foreign-key check). */
  assemble(parts: { before: string[]; tables: DdlScript; after: string[]; notes: string[] }): DdlScript {
    const { tables } = parts;
    const notes = [...parts.notes, ...tables.notes];
    if (tables.transactional) return { statements: [...parts.before, ...tables.statements, ...parts.after], notes, transactional: true };
    const s = [...tables.statements];
    const begin = s.indexOf('BEGIN IMMEDIATE');
    s.splice(begin + 1, 0, ...parts.before);
    const check = s.findIndex((x) => x.startsWith(`CREATE TEMP TABLE ${FK_CHECK_TABLE}`));
    s.splice(check >= 0 ? check : s.lastIndexOf('COMMIT'), 0, ...parts.after);
    return { statements: s, notes, transactional: false };
  }

  /** For sqlite3: one transaction, unless the script manages its own (a rebuild turns foreign keys off outside it). */
  clientScript(script: DdlScript): string {
    if (script.statements.length === 0) return '';
    const notes = script.notes.map((n) => `-- ${n.replace(/\n/g, ' ')}\n`).join('');
    const body = script.statements.map((s) => `${s};\n`).join('\n');
    return script.transactional ? `${notes}BEGIN;\n\n${body}\nCOMMIT;\n` : `${notes}${body}`;
  }

  tableDdl(design: DesignSchema, t: DesignTable): string {
    return [this.design.createTable(t, t.name, design), ...t.indexes.map((i) => this.design.createIndex(t, i, new Map()))].map((s) => `${s};`).join('\n');
  }
}
