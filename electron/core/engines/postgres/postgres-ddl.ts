import type { Change, DesignRules } from '../../../../features/designer/shared/diff';
import type { DesignColumn, DesignForeignKey, DesignIndex, DesignSchema, DesignTable, EngineType } from '../../../../features/designer/shared/model';
import { ChangeSet, columnOf, namesOf, orderRenames, sqlString } from '../../../../features/designer/core/ddl-common';
import type { DdlScript, DesignDialect } from '../../../../features/designer/core/design-dialect';
import { memoizeText, normalizeExpression } from '../../../../features/designer/core/sql-expression-normalizer';
import { normalizePostgresType, postgresBuiltinTypes } from './postgres-design-types';
import { quotePgIdent as q } from './postgres-types';

export const postgresDesignRules: DesignRules = {
  normalizeType: normalizePostgresType,
  normalizeExpression: memoizeText((e) =>
    normalizeExpression(e, {
      stripCasts: true,
      backslashEscapes: false,
      synonyms: [
        [/\bnow \( \)/g, 'current_timestamp'],
        [/\btransaction_timestamp \( \)/g, 'current_timestamp'],
      ],
    }),
  ),
};

/** `GENERATED ALWAYS AS IDENTITY` where the design says so; BY DEFAULT otherwise (a value may still be given). */
function identityClause(c: DesignColumn): string {
  return `GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
}

/**
 * PostgreSQL DDL from design changes. Everything is schema-qualified, transactional (PostgreSQL
 * rolls DDL back), and ordered so no statement meets an object that is not there yet: foreign
 * keys go first and come back last, drops before renames, renames before creates.
 */
export class PostgresDesignDialect implements DesignDialect {
  readonly engine = 'postgresql' as const;
  readonly rules = postgresDesignRules;

  builtinTypes(): EngineType[] {
    return postgresBuiltinTypes;
  }

  migrate(from: DesignSchema, to: DesignSchema, changes: readonly Change[]): DdlScript {
    const set = new ChangeSet(from, to, changes);
    const s = to.schema;
    const tq = (name: string) => `${q(s)}.${q(name)}`;
    const out: string[] = [];
    const notes: string[] = [];
    const alter = (table: string, action: string) => out.push(`ALTER TABLE ${tq(table)} ${action}`);

    // 1. Foreign keys that change or go, before anything they depend on moves.
    for (const c of set.of('drop-foreign-key')) {
      const t = set.fromTable(c.tableId);
      const fk = t.foreignKeys.find((f) => f.id === c.foreignKeyId)!;
      if (fk.name) alter(t.name, `DROP CONSTRAINT ${q(fk.name)}`);
    }
    // 2. Constraints and indexes that change or go.
    for (const c of set.of('drop-check')) {
      const t = set.fromTable(c.tableId);
      const k = t.checks.find((x) => x.id === c.checkId)!;
      if (k.name) alter(t.name, `DROP CONSTRAINT ${q(k.name)}`);
    }
    for (const c of set.of('drop-unique')) {
      const t = set.fromTable(c.tableId);
      const u = t.uniques.find((x) => x.id === c.uniqueId)!;
      if (u.name) alter(t.name, `DROP CONSTRAINT ${q(u.name)}`);
    }
    for (const c of set.of('drop-index')) {
      const i = set.fromTable(c.tableId).indexes.find((x) => x.id === c.indexId)!;
      out.push(`DROP INDEX ${tq(i.name)}`);
    }
    for (const c of set.of('set-primary-key')) {
      const before = set.fromTable(c.tableId);
      if (before.primaryKey) alter(before.name, `DROP CONSTRAINT ${q(before.primaryKey.name ?? `${before.name}_pkey`)}`);
    }
    // 3. Columns and tables that go.
    for (const c of set.of('drop-column')) {
      const t = set.fromTable(c.tableId);
      alter(t.name, `DROP COLUMN ${q(columnOf(t, c.columnId).name)}`);
    }
    const dropped = set.droppedTables;
    if (dropped.length) out.push(`DROP TABLE ${dropped.map((t) => tq(t.name)).join(', ')}`);

    // 4. Renames (through temporary names when two swap).
    const tableRenames = orderRenames(
      set.of('rename-table').map((c) => ({ from: c.from, to: c.to })),
      from.tables.filter((t) => !dropped.includes(t)).map((t) => t.name),
    );
    for (const r of tableRenames) alter(r.from, `RENAME TO ${q(r.to)}`);
    for (const id of set.alteredTableIds) {
      const renames = set.changesOf(id).filter((c): c is Extract<Change, { kind: 'rename-column' }> => c.kind === 'rename-column');
      if (!renames.length) continue;
      const t = set.toTable(id);
      const before = set.fromTable(id);
      for (const r of orderRenames(renames, before.columns.map((c) => c.name))) alter(t.name, `RENAME COLUMN ${q(r.from)} TO ${q(r.to)}`);
    }

    // 5. New tables (foreign keys come at the end, so cycles and order do not matter).
    for (const t of set.createdTables) {
      out.push(this.createTable(s, t));
      for (const i of t.indexes) out.push(this.createIndex(s, t, i));
      out.push(...this.comments(s, t, null));
    }

    // 6. Column additions and changes.
    for (const c of set.of('add-column')) {
      const t = set.toTable(c.tableId);
      const col = columnOf(t, c.columnId);
      alter(t.name, `ADD COLUMN ${this.columnDef(col)}`);
      if (col.comment !== null) out.push(`COMMENT ON COLUMN ${tq(t.name)}.${q(col.name)} IS ${sqlString(col.comment)}`);
    }
    for (const c of set.of('alter-column')) {
      const t = set.toTable(c.tableId);
      const a = columnOf(set.fromTable(c.tableId), c.columnId);
      const b = columnOf(t, c.columnId);
      const col = `ALTER COLUMN ${q(b.name)}`;
      const has = (x: string) => c.aspects.includes(x as never);
      if (has('generated')) notes.push(`${t.name}.${b.name}: PostgreSQL cannot change a generated column in place; drop and add it instead.`);
      if ((has('default') || has('type')) && a.default !== null) alter(t.name, `${col} DROP DEFAULT`);
      if (has('autoIncrement') && !b.autoIncrement) alter(t.name, `${col} DROP IDENTITY IF EXISTS`);
      if (has('type') || has('collation')) {
        const type = b.type + (b.collation ? ` COLLATE ${q(b.collation)}` : '');
        alter(t.name, `${col} TYPE ${type} USING ${q(b.name)}::${b.type}`);
      }
      if ((has('default') || has('type')) && b.default !== null) alter(t.name, `${col} SET DEFAULT ${b.default}`);
      if (has('nullable')) alter(t.name, `${col} ${b.nullable ? 'DROP' : 'SET'} NOT NULL`);
      if (has('autoIncrement') && b.autoIncrement) {
        if (b.nullable) alter(t.name, `${col} SET NOT NULL`);
        alter(t.name, `${col} ADD ${identityClause(b)}`);
      }
      if (has('identity')) alter(t.name, `${col} SET ${identityClause(b).replace(/ AS IDENTITY$/, '')}`);
      if (has('comment')) out.push(`COMMENT ON COLUMN ${tq(t.name)}.${q(b.name)} IS ${b.comment === null ? 'NULL' : sqlString(b.comment)}`);
    }

    // 7. Keys, checks and indexes that are new or changed.
    for (const c of set.of('set-primary-key')) {
      const t = set.toTable(c.tableId);
      if (t.primaryKey) alter(t.name, `ADD ${this.constraintName(t.primaryKey.name)}PRIMARY KEY (${namesOf(t, t.primaryKey.columns).map(q).join(', ')})`);
    }
    for (const c of set.of('add-unique')) {
      const t = set.toTable(c.tableId);
      const u = t.uniques.find((x) => x.id === c.uniqueId)!;
      alter(t.name, `ADD ${this.constraintName(u.name)}UNIQUE (${namesOf(t, u.columns).map(q).join(', ')})`);
    }
    for (const c of set.of('add-check')) {
      const t = set.toTable(c.tableId);
      const k = t.checks.find((x) => x.id === c.checkId)!;
      alter(t.name, `ADD ${this.constraintName(k.name)}CHECK (${k.expression})`);
    }
    for (const c of set.of('add-index')) {
      const t = set.toTable(c.tableId);
      out.push(this.createIndex(s, t, t.indexes.find((x) => x.id === c.indexId)!));
    }

    // 8. Foreign keys last: of new tables, and new or changed ones.
    for (const t of set.createdTables) for (const f of t.foreignKeys) alter(t.name, `ADD ${this.foreignKey(to, t, f)}`);
    for (const c of set.of('add-foreign-key')) {
      const t = set.toTable(c.tableId);
      alter(t.name, `ADD ${this.foreignKey(to, t, t.foreignKeys.find((f) => f.id === c.foreignKeyId)!)}`);
    }
    for (const c of set.of('table-comment')) out.push(...this.comments(s, set.toTable(c.tableId), 'table-only'));
    return { statements: out, notes, transactional: true };
  }

  private constraintName(name: string | null): string {
    return name ? `CONSTRAINT ${q(name)} ` : '';
  }

  columnDef(c: DesignColumn): string {
    const parts = [q(c.name), c.type];
    if (c.collation) parts.push(`COLLATE ${q(c.collation)}`);
    if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated.expression}) STORED`);
    if (c.autoIncrement) parts.push(identityClause(c));
    if (!c.nullable) parts.push('NOT NULL');
    if (c.default !== null && !c.generated) parts.push(`DEFAULT ${c.default}`);
    return parts.join(' ');
  }

  createTable(schema: string, t: DesignTable): string {
    const lines = t.columns.map((c) => this.columnDef(c));
    if (t.primaryKey) lines.push(`${this.constraintName(t.primaryKey.name)}PRIMARY KEY (${namesOf(t, t.primaryKey.columns).map(q).join(', ')})`);
    for (const u of t.uniques) lines.push(`${this.constraintName(u.name)}UNIQUE (${namesOf(t, u.columns).map(q).join(', ')})`);
    for (const k of t.checks) lines.push(`${this.constraintName(k.name)}CHECK (${k.expression})`);
    return `CREATE TABLE ${q(schema)}.${q(t.name)} (\n  ${lines.join(',\n  ')}\n)`;
  }

  createIndex(schema: string, t: DesignTable, i: DesignIndex): string {
    if (i.definition) return i.definition;
    const using = i.method && i.method.toLowerCase() !== 'btree' ? ` USING ${i.method}` : '';
    const where = i.where ? ` WHERE ${i.where}` : '';
    return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)} ON ${q(schema)}.${q(t.name)}${using} (${namesOf(t, i.columns).map(q).join(', ')})${where}`;
  }

  foreignKey(design: DesignSchema, t: DesignTable, f: DesignForeignKey): string {
    let parent: string;
    let refCols: string[];
    if (f.refSchema === null) {
      const p = design.tables.find((x) => x.id === f.refTable)!;
      parent = `${q(design.schema)}.${q(p.name)}`;
      refCols = namesOf(p, f.refColumns);
    } else {
      parent = `${q(f.refSchema)}.${q(f.refTable)}`;
      refCols = f.refColumns;
    }
    const actions = `${f.onDelete !== 'NO ACTION' ? ` ON DELETE ${f.onDelete}` : ''}${f.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${f.onUpdate}` : ''}`;
    return `${this.constraintName(f.name)}FOREIGN KEY (${namesOf(t, f.columns).map(q).join(', ')}) REFERENCES ${parent} (${refCols.map(q).join(', ')})${actions}`;
  }

  private comments(schema: string, t: DesignTable, only: 'table-only' | null): string[] {
    const out: string[] = [];
    const tq = `${q(schema)}.${q(t.name)}`;
    if (t.comment !== null || only) out.push(`COMMENT ON TABLE ${tq} IS ${t.comment === null ? 'NULL' : sqlString(t.comment)}`);
    if (!only) for (const c of t.columns) if (c.comment !== null) out.push(`COMMENT ON COLUMN ${tq}.${q(c.name)} IS ${sqlString(c.comment)}`);
    return out;
  }
}
