import type { Change, DesignRules } from '../../../../features/designer/shared/diff';
import type { DesignColumn, DesignForeignKey, DesignIndex, DesignSchema, DesignTable, EngineType } from '../../../../features/designer/shared/model';
import { ChangeSet, columnOf, isPlainDefault, namesOf, orderRenames, parentsFirst, sqlString } from '../../../../features/designer/core/ddl-common';
import { atLeast, type DdlScript, type DesignDialect } from '../../../../features/designer/core/design-dialect';
import { normalizeExpression } from '../../../../features/designer/core/sql-expression-normalizer';
import { mysqlBuiltinTypes, normalizeMysqlType } from './mysql-design-types';
import { quoteMysqlIdent as q } from './mysql-types';

/** A default MySQL 8 takes without parentheses: literals and CURRENT_TIMESTAMP in its spellings. */
function plainMysqlDefault(e: string): boolean {
  return isPlainDefault(e) || /^(current_timestamp|now|localtime|localtimestamp)(\s*\(\s*\d*\s*\))?$/i.test(e.trim()) || /^b'[01]*'$/i.test(e.trim()) || /^0x[0-9a-f]+$/i.test(e.trim());
}

/**
 * InnoDB treats NO ACTION as RESTRICT and MariaDB reports RESTRICT; a unique index is what MySQL
 * reads back as a unique constraint. Both designs are reshaped that way before comparing.
 */
function canonicalizeMysql(design: DesignSchema): DesignSchema {
  return {
    ...design,
    tables: design.tables.map((t) => ({
      ...t,
      uniques: [...t.uniques, ...t.indexes.filter((i) => i.unique && !i.definition && !i.where).map((i) => ({ id: i.id, name: i.name, columns: i.columns }))],
      indexes: t.indexes.filter((i) => !(i.unique && !i.definition && !i.where)),
      foreignKeys: t.foreignKeys.map((f) => ({
        ...f,
        onDelete: f.onDelete === 'NO ACTION' ? 'RESTRICT' : f.onDelete,
        onUpdate: f.onUpdate === 'NO ACTION' ? 'RESTRICT' : f.onUpdate,
      })),
    })),
  };
}

export function mysqlDesignRules(): DesignRules {
  return {
    normalizeType: normalizeMysqlType,
    normalizeExpression: (e) =>
      normalizeExpression(e, {
        stripCasts: false,
        backslashEscapes: true,
        synonyms: [
          [/\b(current_timestamp|now|localtime|localtimestamp) \( \)/g, 'current_timestamp'],
          [/\b(now|localtime|localtimestamp) \( (\d+) \)/g, 'current_timestamp ( $2 )'],
          [/\b(localtime|localtimestamp)\b/g, 'current_timestamp'],
        ],
      }),
    canonicalize: canonicalizeMysql,
  };
}

/**
 * MySQL and MariaDB DDL from design changes. DDL commits implicitly there, so the script is
 * ordered to stay valid at every statement and each table's column/key changes go into one
 * ALTER TABLE (one table copy instead of many, and MySQL checks the end state, not each step).
 */
export class MysqlDesignDialect implements DesignDialect {
  readonly rules = mysqlDesignRules();

  constructor(
    readonly engine: 'mysql' | 'mariadb',
    private readonly version: string | null,
  ) {}

  builtinTypes(): EngineType[] {
    return mysqlBuiltinTypes(this.engine, this.version);
  }

  private get hasRenameColumn(): boolean {
    return this.engine === 'mariadb' ? atLeast(this.version, [10, 5, 2]) : atLeast(this.version, [8, 0, 3]);
  }

  migrate(fromIn: DesignSchema, toIn: DesignSchema, changes: readonly Change[]): DdlScript {
    const from = canonicalizeMysql(fromIn);
    const to = canonicalizeMysql(toIn);
    const set = new ChangeSet(from, to, changes);
    const s = to.schema;
    const tq = (name: string) => `${q(s)}.${q(name)}`;
    const out: string[] = [];
    const notes: string[] = [];

    // 1. Foreign keys that change or go, and the index MySQL made for each of them.
    const dropFk = (t: DesignTable, fk: DesignForeignKey) => {
      if (!fk.name) return;
      out.push(`ALTER TABLE ${tq(t.name)} DROP FOREIGN KEY ${q(fk.name)}`);
      if (!this.hasSupportingIndex(t, fk.columns)) out.push(`ALTER TABLE ${tq(t.name)} DROP INDEX ${q(fk.name)}`);
    };
    for (const c of set.of('drop-foreign-key')) {
      const t = set.fromTable(c.tableId);
      dropFk(t, t.foreignKeys.find((f) => f.id === c.foreignKeyId)!);
    }
    // 2. Dropped tables: first the keys between them, then children before parents.
    const dropped = set.droppedTables;
    const droppedIds = new Set(dropped.map((t) => t.id));
    for (const t of dropped) for (const f of t.foreignKeys) if (f.refSchema === null && droppedIds.has(f.refTable) && f.name) out.push(`ALTER TABLE ${tq(t.name)} DROP FOREIGN KEY ${q(f.name)}`);
    for (const t of parentsFirst(dropped).reverse()) out.push(`DROP TABLE ${tq(t.name)}`);

    // 3. Table renames in one statement (MySQL swaps names atomically there).
    const tableRenames = orderRenames(
      set.of('rename-table').map((c) => ({ from: c.from, to: c.to })),
      from.tables.filter((t) => !droppedIds.has(t.id)).map((t) => t.name),
    );
    if (tableRenames.length) out.push(`RENAME TABLE ${tableRenames.map((r) => `${tq(r.from)} TO ${tq(r.to)}`).join(', ')}`);

    // 4. One ALTER TABLE per changed table.
    for (const id of set.alteredTableIds) {
      const before = set.fromTable(id);
      const t = set.toTable(id);
      const mine = set.changesOf(id);
      const renames = mine.filter((c): c is Extract<Change, { kind: 'rename-column' }> => c.kind === 'rename-column');
      for (const r of orderRenames(renames, before.columns.map((c) => c.name))) {
        const col = t.columns.find((c) => c.name === r.to);
        const action = this.hasRenameColumn || !col ? `RENAME COLUMN ${q(r.from)} TO ${q(r.to)}` : `CHANGE COLUMN ${q(r.from)} ${this.columnDef(col)}`;
        out.push(`ALTER TABLE ${tq(t.name)} ${action}`);
      }
      const clauses: string[] = [];
      const written: string[] = [];
      for (const c of mine) {
        if (c.kind === 'drop-index') clauses.push(`DROP INDEX ${q(before.indexes.find((i) => i.id === c.indexId)!.name)}`);
        if (c.kind === 'drop-unique') {
          const u = before.uniques.find((x) => x.id === c.uniqueId)!;
          if (u.name) clauses.push(`DROP INDEX ${q(u.name)}`);
        }
        if (c.kind === 'drop-check') {
          const k = before.checks.find((x) => x.id === c.checkId)!;
          if (k.name) clauses.push(this.engine === 'mariadb' ? `DROP CONSTRAINT ${q(k.name)}` : `DROP CHECK ${q(k.name)}`);
        }
      }
      if (mine.some((c) => c.kind === 'set-primary-key') && before.primaryKey) clauses.push('DROP PRIMARY KEY');
      for (const c of mine) if (c.kind === 'drop-column') clauses.push(`DROP COLUMN ${q(columnOf(before, c.columnId).name)}`);
      for (const c of mine) {
        if (c.kind !== 'alter-column') continue;
        if (c.aspects.includes('generated')) notes.push(`${t.name}.${columnOf(t, c.columnId).name}: a generated column's expression is changed with MODIFY; MariaDB and MySQL recompute it for every row.`);
        clauses.push(`MODIFY COLUMN ${this.columnDef(columnOf(t, c.columnId))}`);
      }
      for (const c of mine) {
        if (c.kind !== 'add-column') continue;
        const i = t.columns.findIndex((x) => x.id === c.columnId);
        const after = i === 0 ? ' FIRST' : ` AFTER ${q(t.columns[i - 1]!.name)}`;
        clauses.push(`ADD COLUMN ${this.columnDef(t.columns[i]!)}${after}`);
      }
      if (mine.some((c) => c.kind === 'set-primary-key') && t.primaryKey) clauses.push(`ADD PRIMARY KEY (${namesOf(t, t.primaryKey.columns).map(q).join(', ')})`);
      for (const c of mine) {
        if (c.kind === 'add-unique') {
          const u = t.uniques.find((x) => x.id === c.uniqueId)!;
          clauses.push(`ADD ${u.name ? `CONSTRAINT ${q(u.name)} ` : ''}UNIQUE (${namesOf(t, u.columns).map(q).join(', ')})`);
        }
        if (c.kind === 'add-index') {
          const i = t.indexes.find((x) => x.id === c.indexId)!;
          // An index kept as written (a prefix or an expression) is its own CREATE INDEX, after the ALTER.
          if (i.definition) written.push(i.definition);
          else clauses.push(`ADD ${this.indexClause(t, i)}`);
        }
        if (c.kind === 'add-check') {
          const k = t.checks.find((x) => x.id === c.checkId)!;
          clauses.push(`ADD ${k.name ? `CONSTRAINT ${q(k.name)} ` : ''}CHECK (${k.expression})`);
        }
        if (c.kind === 'table-comment') clauses.push(`COMMENT = ${sqlString(t.comment ?? '', true)}`);
      }
      if (clauses.length) out.push(`ALTER TABLE ${tq(t.name)}\n  ${clauses.join(',\n  ')}`);
      out.push(...written);
    }

    // 5. New tables, then every new foreign key (so creation order and cycles never matter).
    for (const t of set.createdTables) out.push(...this.createTable(s, t));
    for (const t of set.createdTables) for (const f of t.foreignKeys) out.push(`ALTER TABLE ${tq(t.name)} ADD ${this.foreignKey(to, t, f)}`);
    for (const c of set.of('add-foreign-key')) {
      const t = set.toTable(c.tableId);
      out.push(`ALTER TABLE ${tq(t.name)} ADD ${this.foreignKey(to, t, t.foreignKeys.find((f) => f.id === c.foreignKeyId)!)}`);
    }
    if (out.length) notes.push(`${this.engine === 'mariadb' ? 'MariaDB' : 'MySQL'} commits each DDL statement by itself: if one fails, the ones before it stay applied.`);
    return { statements: out, notes, transactional: true };
  }

  /** Whether another index (or the key) of the table starts with these columns, so MySQL made none for the foreign key. */
  private hasSupportingIndex(t: DesignTable, columns: readonly string[]): boolean {
    const leads = (cols: readonly string[]) => columns.every((c, i) => cols[i] === c);
    return (!!t.primaryKey && leads(t.primaryKey.columns)) || t.uniques.some((u) => leads(u.columns)) || t.indexes.some((i) => !i.definition && leads(i.columns));
  }

  columnDef(c: DesignColumn): string {
    const parts = [q(c.name), c.type];
    if (c.collation) parts.push(`COLLATE ${c.collation}`);
    if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated.expression}) ${c.generated.stored ? 'STORED' : 'VIRTUAL'}`);
    if (!c.generated) parts.push(c.nullable ? 'NULL' : 'NOT NULL');
    if (c.default !== null && !c.generated) parts.push(`DEFAULT ${plainMysqlDefault(c.default) ? c.default : `(${c.default})`}`);
    if (c.onUpdate) parts.push(`ON UPDATE ${c.onUpdate}`);
    if (c.autoIncrement) parts.push('AUTO_INCREMENT');
    if (c.comment !== null) parts.push(`COMMENT ${sqlString(c.comment, true)}`);
    return parts.join(' ');
  }

  private indexClause(t: DesignTable, i: DesignIndex): string {
    const cols = namesOf(t, i.columns).map(q).join(', ');
    const method = (i.method ?? '').toUpperCase();
    if (method === 'FULLTEXT' || method === 'SPATIAL') return `${method} INDEX ${q(i.name)} (${cols})`;
    const using = method === 'HASH' ? ' USING HASH' : '';
    return `${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)}${using} (${cols})`;
  }

  /** CREATE TABLE, and CREATE INDEX for indexes kept as written (prefix or expression indexes). */
  createTable(schema: string, t: DesignTable): string[] {
    const lines = t.columns.map((c) => this.columnDef(c));
    if (t.primaryKey) lines.push(`PRIMARY KEY (${namesOf(t, t.primaryKey.columns).map(q).join(', ')})`);
    for (const u of t.uniques) lines.push(`${u.name ? `CONSTRAINT ${q(u.name)} ` : ''}UNIQUE (${namesOf(t, u.columns).map(q).join(', ')})`);
    const deferred: string[] = [];
    for (const i of t.indexes) {
      if (i.definition) deferred.push(i.definition);
      else lines.push(this.indexClause(t, i));
    }
    for (const k of t.checks) lines.push(`${k.name ? `CONSTRAINT ${q(k.name)} ` : ''}CHECK (${k.expression})`);
    const comment = t.comment !== null ? ` COMMENT = ${sqlString(t.comment, true)}` : '';
    const create = `CREATE TABLE ${q(schema)}.${q(t.name)} (\n  ${lines.join(',\n  ')}\n)${comment}`;
    return [create, ...deferred];
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
    const actions = `${f.onDelete !== 'RESTRICT' && f.onDelete !== 'NO ACTION' ? ` ON DELETE ${f.onDelete}` : ''}${f.onUpdate !== 'RESTRICT' && f.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${f.onUpdate}` : ''}`;
    return `${f.name ? `CONSTRAINT ${q(f.name)} ` : ''}FOREIGN KEY (${namesOf(t, f.columns).map(q).join(', ')}) REFERENCES ${parent} (${refCols.map(q).join(', ')})${actions}`;
  }
}
