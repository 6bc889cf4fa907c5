import type { Change, DesignRules } from '../../../../features/designer/shared/diff';
import type { DesignColumn, DesignIndex, DesignSchema, DesignTable, EngineType } from '../../../../features/designer/shared/model';
import { ChangeSet, columnOf, isPlainDefault, namesOf, orderRenames, parentsFirst } from '../../../../features/designer/core/ddl-common';
import type { DdlScript, DesignDialect } from '../../../../features/designer/core/design-dialect';
import { normalizeExpression } from '../../../../features/designer/core/sql-expression-normalizer';
import { quoteSqliteIdent as q } from './sqlite-quote';
import { mentionsName, renameIdentifiers } from './sqlite-sql-tokens';

type Cat = EngineType['category'];
const t = (name: string, category: Cat, params: EngineType['params'] = 'none', example = name): EngineType => ({ name, category, params, example, source: 'builtin' });

/** SQLite's storage classes first, then the type names whose affinity people rely on; STRICT tables take only the first five. */
const sqliteTypes: EngineType[] = [
  t('INTEGER', 'number'),
  t('TEXT', 'text'),
  t('REAL', 'number'),
  t('BLOB', 'binary'),
  t('NUMERIC', 'number'),
  t('ANY', 'other'),
  t('VARCHAR', 'text', 'length', 'VARCHAR(255)'),
  t('BOOLEAN', 'boolean'),
  t('DATE', 'date-time'),
  t('DATETIME', 'date-time'),
  t('DECIMAL', 'number', 'precision', 'DECIMAL(12,2)'),
  t('BIGINT', 'number'),
  t('DOUBLE', 'number'),
  t('JSON', 'json'),
];

export const sqliteDesignRules: DesignRules = {
  normalizeType: (type) => type.trim().replace(/\s+/g, ' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')').toUpperCase(),
  normalizeExpression: (e) => normalizeExpression(e, { stripCasts: false, backslashEscapes: false, synonyms: [] }),
};

/** A DEFAULT that ALTER TABLE … ADD COLUMN accepts (constants only, no CURRENT_TIME*, no expressions). */
function constantDefault(expression: string | null): boolean {
  return expression === null || (isPlainDefault(expression) && !/^current_/i.test(expression.trim()));
}

export const FK_CHECK_TABLE = 'temp."_dbdesk_foreign_key_check"';

/**
 * SQLite DDL from design changes. ALTER TABLE does renames, simple added columns and dropped
 * columns nothing else uses; every other change rebuilds the table the documented way
 * (https://www.sqlite.org/lang_altertable.html#otheralter): foreign keys off, one transaction,
 * new table, copy the rows, drop, rename, recreate indexes, triggers and the views that named the
 * table, then PRAGMA foreign_key_check — and the migration fails if any row is left dangling.
 */
export class SqliteDesignDialect implements DesignDialect {
  readonly engine = 'sqlite' as const;
  readonly rules = sqliteDesignRules;

  builtinTypes(): EngineType[] {
    return sqliteTypes;
  }

  migrate(from: DesignSchema, to: DesignSchema, changes: readonly Change[]): DdlScript {
    const set = new ChangeSet(from, to, changes);
    const out: string[] = [];
    const notes: string[] = [];
    const dropped = set.droppedTables;
    const droppedIds = new Set(dropped.map((x) => x.id));

    // Which altered tables ALTER TABLE can handle, and which must be rebuilt.
    const rebuild = new Map<string, string[]>(); // table id → reasons
    const consumedFks = new Set<string>();
    for (const id of set.alteredTableIds) {
      const reasons = this.rebuildReasons(set, id, consumedFks);
      if (reasons.length) rebuild.set(id, reasons);
    }
    for (const [id, reasons] of rebuild) notes.push(`${set.toTable(id).name} is rebuilt (new table, copy of every row, swap): ${[...new Set(reasons)].join('; ')}.`);
    for (const tab of dropped) {
      const views = from.views.filter((v) => mentionsName(v.sql, tab.name)).map((v) => v.name);
      if (views.length) notes.push(`The view${views.length > 1 ? 's' : ''} ${views.join(', ')} name${views.length > 1 ? '' : 's'} ${tab.name}, which this migration drops: drop or change ${views.length > 1 ? 'them' : 'it'} first, or SQLite refuses later ALTER TABLE statements.`);
    }
    for (const c of set.of('table-comment')) notes.push(`SQLite keeps no comments: the comment of ${set.toTable(c.tableId).name} is not written.`);

    const envelope = rebuild.size > 0 || dropped.length > 0;
    const rebuilt = [...rebuild.keys()].map((id) => ({ before: set.fromTable(id), after: set.toTable(id) }));

    // Renames that the rebuilds carry into recreated trigger, view and index text.
    const renames = new Map<string, string>();
    for (const c of set.of('rename-table')) renames.set(c.from, c.to);
    for (const { before, after } of rebuilt) {
      for (const col of after.columns) {
        const old = before.columns.find((x) => x.id === col.id);
        if (old && old.name !== col.name) renames.set(old.name, col.name);
      }
    }

    // Views and other tables' triggers that name a rebuilt table are dropped before and recreated after
    // (otherwise the final RENAME fails: "error in view …: no such table").
    const rebuiltNames = rebuilt.flatMap(({ before, after }) => [before.name, after.name]);
    const dependents: { kind: 'VIEW' | 'TRIGGER'; name: string; sql: string }[] = [];
    if (rebuilt.length) {
      for (const v of from.views) if (rebuiltNames.some((n) => mentionsName(v.sql, n))) dependents.push({ kind: 'VIEW', ...v });
      for (const tab of from.tables) {
        if (rebuild.has(tab.id) || droppedIds.has(tab.id)) continue;
        for (const tr of tab.triggers) if (rebuiltNames.some((n) => mentionsName(tr.sql, n))) dependents.push({ kind: 'TRIGGER', ...tr });
      }
    }

    if (envelope) {
      out.push('PRAGMA foreign_keys = OFF');
      out.push('BEGIN IMMEDIATE');
    }
    for (const d of dependents) out.push(`DROP ${d.kind} IF EXISTS ${q(d.name)}`);

    // Indexes that go (a rebuilt table loses all of its own with the old table).
    for (const c of set.of('drop-index')) {
      if (rebuild.has(c.tableId)) continue;
      out.push(`DROP INDEX ${q(set.fromTable(c.tableId).indexes.find((i) => i.id === c.indexId)!.name)}`);
    }
    // Dropped tables, children first.
    for (const tab of parentsFirst(dropped).reverse()) out.push(`DROP TABLE ${q(tab.name)}`);
    // Table renames (ALTER TABLE RENAME also rewrites other tables' foreign keys to the new name).
    const tableRenames = orderRenames(
      set.of('rename-table').map((c) => ({ from: c.from, to: c.to })),
      from.tables.filter((x) => !droppedIds.has(x.id)).map((x) => x.name),
    );
    for (const r of tableRenames) out.push(`ALTER TABLE ${q(r.from)} RENAME TO ${q(r.to)}`);

    // Column renames by ALTER TABLE, rebuilt tables included: SQLite then rewrites the foreign keys of
    // other tables that name the column (a rebuild alone would leave them pointing at the old name).
    for (const id of set.alteredTableIds) {
      const before = set.fromTable(id);
      const after = set.toTable(id);
      const colRenames = set.changesOf(id).filter((c): c is Extract<Change, { kind: 'rename-column' }> => c.kind === 'rename-column');
      for (const r of orderRenames(colRenames, before.columns.map((c) => c.name))) out.push(`ALTER TABLE ${q(after.name)} RENAME COLUMN ${q(r.from)} TO ${q(r.to)}`);
    }

    // Tables ALTER TABLE can change in place.
    for (const id of set.alteredTableIds) {
      if (rebuild.has(id)) continue;
      const before = set.fromTable(id);
      const after = set.toTable(id);
      const mine = set.changesOf(id);
      for (const c of mine) if (c.kind === 'drop-column') out.push(`ALTER TABLE ${q(after.name)} DROP COLUMN ${q(columnOf(before, c.columnId).name)}`);
      for (const c of mine) {
        if (c.kind !== 'add-column') continue;
        const col = columnOf(after, c.columnId);
        const fk = after.foreignKeys.find((f) => consumedFks.has(f.id) && f.columns[0] === col.id);
        let def = this.columnDef(col, false);
        if (fk) {
          const parent = to.tables.find((x) => x.id === fk.refTable)!;
          def += ` ${fk.name ? `CONSTRAINT ${q(fk.name)} ` : ''}REFERENCES ${q(parent.name)} (${namesOf(parent, fk.refColumns).map(q).join(', ')})${this.actions(fk.onDelete, fk.onUpdate)}`;
        }
        out.push(`ALTER TABLE ${q(after.name)} ADD COLUMN ${def}`);
      }
    }

    // New tables, complete with foreign keys (SQLite resolves them when rows are written).
    for (const tab of set.createdTables) {
      out.push(this.createTable(tab, tab.name, to));
      for (const i of tab.indexes) out.push(this.createIndex(tab, i, new Map()));
    }

    // Rebuilds.
    for (const { before, after } of rebuilt) out.push(...this.rebuild(before, after, to, renames));

    for (const c of set.of('add-index')) {
      if (rebuild.has(c.tableId)) continue;
      const tab = set.toTable(c.tableId);
      out.push(this.createIndex(tab, tab.indexes.find((i) => i.id === c.indexId)!, new Map()));
    }
    const rewritten: string[] = [];
    for (const d of dependents) {
      const text = renameIdentifiers(d.sql, renames);
      if (text !== d.sql) rewritten.push(`${d.kind.toLowerCase()} ${d.name}`);
      out.push(text);
    }
    if (dependents.length) notes.push(`Recreated after the rebuild: ${dependents.map((d) => `${d.kind.toLowerCase()} ${d.name}`).join(', ')}.`);
    if (rewritten.length) notes.push(`Renamed tables or columns were carried into the text of ${rewritten.join(', ')}: review ${rewritten.length > 1 ? 'them' : 'it'}.`);

    if (envelope) {
      // Step 10, PRAGMA foreign_key_check, on the rebuilt tables and the tables that reference them.
      // The pragma reports rows instead of failing; the CHECK below makes a dangling row fail the migration.
      const rebuiltIds = new Set(rebuild.keys());
      const checked = to.tables.filter((x) => rebuiltIds.has(x.id) || x.foreignKeys.some((f) => f.refSchema === null && rebuiltIds.has(f.refTable)));
      if (checked.length) {
        const counts = checked.map((x) => `(SELECT count(*) FROM pragma_foreign_key_check('${x.name.replace(/'/g, "''")}'))`).join(' + ');
        out.push(`CREATE TEMP TABLE ${FK_CHECK_TABLE} (violations INTEGER NOT NULL CONSTRAINT "foreign_key_check_found_rows_without_parent" CHECK (violations = 0))`);
        out.push(`INSERT INTO ${FK_CHECK_TABLE} SELECT ${counts}`);
        out.push(`DROP TABLE ${FK_CHECK_TABLE}`);
      }
      out.push('COMMIT');
      out.push('PRAGMA foreign_keys = ON');
    }
    return { statements: out, notes, transactional: !envelope };
  }

  /** Why a table cannot be changed with ALTER TABLE alone (empty: it can). */
  private rebuildReasons(set: ChangeSet, id: string, consumedFks: Set<string>): string[] {
    const before = set.fromTable(id);
    const after = set.toTable(id);
    const reasons: string[] = [];
    const mine = set.changesOf(id);
    const addedCols = new Set(mine.filter((c) => c.kind === 'add-column').map((c) => (c as { columnId: string }).columnId));
    const candidateFks = new Set<string>();
    for (const c of mine) {
      switch (c.kind) {
        case 'alter-column':
          reasons.push(`column ${columnOf(after, c.columnId).name} changes (${c.aspects.join(', ')})`);
          break;
        case 'set-primary-key':
          reasons.push('the primary key changes');
          break;
        case 'add-unique':
        case 'drop-unique':
          reasons.push('a unique constraint changes');
          break;
        case 'add-check':
        case 'drop-check':
          reasons.push('a check constraint changes');
          break;
        case 'drop-foreign-key':
          reasons.push('a foreign key is dropped');
          break;
        case 'add-foreign-key': {
          const fk = after.foreignKeys.find((f) => f.id === c.foreignKeyId)!;
          // A single-column key on a column added in this migration rides on ADD COLUMN … REFERENCES.
          const col = fk.columns.length === 1 && addedCols.has(fk.columns[0]!) ? columnOf(after, fk.columns[0]!) : null;
          if (col && col.default === null && fk.refSchema === null) candidateFks.add(fk.id);
          else reasons.push('a foreign key is added to existing columns');
          break;
        }
        case 'drop-column': {
          const col = columnOf(before, c.columnId);
          const uses = (ids: readonly string[]) => ids.includes(c.columnId);
          const used =
            (before.primaryKey && uses(before.primaryKey.columns)) ||
            before.uniques.some((u) => uses(u.columns)) ||
            before.indexes.some((i) => uses(i.columns) || (!!i.definition && mentionsName(i.definition, col.name))) ||
            before.foreignKeys.some((f) => uses(f.columns)) ||
            before.checks.some((k) => mentionsName(k.expression, col.name)) ||
            before.columns.some((x) => x.generated && mentionsName(x.generated.expression, col.name)) ||
            before.triggers.some((tr) => mentionsName(tr.sql, col.name)) ||
            set.from.views.some((v) => mentionsName(v.sql, col.name)) ||
            set.from.tables.some((p) => p.foreignKeys.some((f) => f.refSchema === null && f.refTable === before.id && f.refColumns.includes(c.columnId)));
          if (used) reasons.push(`column ${col.name} is dropped while a key, index, check, trigger or view uses it`);
          break;
        }
        case 'add-column': {
          const col = columnOf(after, c.columnId);
          const inKey = (after.primaryKey?.columns.includes(col.id) ?? false) || after.uniques.some((u) => u.columns.includes(col.id));
          if (inKey) reasons.push(`column ${col.name} is added as part of a key`);
          else if (!constantDefault(col.default)) reasons.push(`column ${col.name} is added with a non-constant default`);
          else if (!col.nullable && col.default === null) reasons.push(`column ${col.name} is added NOT NULL without a default`);
          else if (col.autoIncrement || col.generated?.stored) reasons.push(`column ${col.name} is added as ${col.autoIncrement ? 'AUTOINCREMENT' : 'a stored generated column'}`);
          break;
        }
        default:
          break;
      }
    }
    if (reasons.length === 0) for (const f of candidateFks) consumedFks.add(f);
    return reasons;
  }

  private actions(onDelete: string, onUpdate: string): string {
    return `${onDelete !== 'NO ACTION' ? ` ON DELETE ${onDelete}` : ''}${onUpdate !== 'NO ACTION' ? ` ON UPDATE ${onUpdate}` : ''}`;
  }

  /** The column as CREATE TABLE / ADD COLUMN write it; `inlinePk` puts a one-column AUTOINCREMENT key on the column. */
  columnDef(c: DesignColumn, inlinePk: boolean): string {
    const parts = [q(c.name)];
    if (c.type) parts.push(c.type);
    if (!c.nullable) parts.push('NOT NULL');
    if (inlinePk) parts.push(`PRIMARY KEY${c.autoIncrement ? ' AUTOINCREMENT' : ''}`);
    if (c.default !== null && !c.generated) parts.push(`DEFAULT ${isPlainDefault(c.default) ? c.default : `(${c.default})`}`);
    if (c.collation) parts.push(`COLLATE ${c.collation}`);
    if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated.expression}) ${c.generated.stored ? 'STORED' : 'VIRTUAL'}`);
    return parts.join(' ');
  }

  createTable(tab: DesignTable, name: string, design: DesignSchema): string {
    const pk = tab.primaryKey;
    // AUTOINCREMENT exists only on a column-level INTEGER PRIMARY KEY.
    const inlinePkColumn = pk && pk.columns.length === 1 && !pk.name && columnOf(tab, pk.columns[0]!).autoIncrement ? pk.columns[0]! : null;
    const lines = tab.columns.map((c) => this.columnDef(c, c.id === inlinePkColumn));
    if (pk && !inlinePkColumn) lines.push(`${pk.name ? `CONSTRAINT ${q(pk.name)} ` : ''}PRIMARY KEY (${namesOf(tab, pk.columns).map(q).join(', ')})`);
    for (const u of tab.uniques) lines.push(`${u.name ? `CONSTRAINT ${q(u.name)} ` : ''}UNIQUE (${namesOf(tab, u.columns).map(q).join(', ')})`);
    for (const k of tab.checks) lines.push(`${k.name ? `CONSTRAINT ${q(k.name)} ` : ''}CHECK (${k.expression})`);
    for (const f of tab.foreignKeys) {
      const parent = design.tables.find((x) => x.id === f.refTable);
      const parentName = f.refSchema !== null || !parent ? f.refTable : parent.name;
      const refCols = f.refSchema !== null || !parent ? f.refColumns : namesOf(parent, f.refColumns);
      lines.push(`${f.name ? `CONSTRAINT ${q(f.name)} ` : ''}FOREIGN KEY (${namesOf(tab, f.columns).map(q).join(', ')}) REFERENCES ${q(parentName)} (${refCols.map(q).join(', ')})${this.actions(f.onDelete, f.onUpdate)}`);
    }
    const options = [tab.withoutRowid ? 'WITHOUT ROWID' : '', tab.strict ? 'STRICT' : ''].filter(Boolean).join(', ');
    return `CREATE TABLE ${q(name)} (\n  ${lines.join(',\n  ')}\n)${options ? ' ' + options : ''}`;
  }

  createIndex(tab: DesignTable, i: DesignIndex, renames: ReadonlyMap<string, string>): string {
    if (i.definition) return renameIdentifiers(i.definition, renames);
    const where = i.where ? ` WHERE ${renameIdentifiers(i.where, renames)}` : '';
    return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)} ON ${q(tab.name)} (${namesOf(tab, i.columns).map(q).join(', ')})${where}`;
  }

  /** Steps 4–8 of the documented procedure for one table (the envelope does 1–3 and 9–12); renames already ran. */
  private rebuild(before: DesignTable, after: DesignTable, design: DesignSchema, renames: ReadonlyMap<string, string>): string[] {
    const out: string[] = [];
    // After the table renames ran, the old table carries the new table name.
    const current = after.name;
    const temp = `_dbdesk_new_${after.name}`.slice(0, 200);
    out.push(this.createTable(after, temp, design));
    const targets: string[] = [];
    const sources: string[] = [];
    const rowidKept = !before.withoutRowid && !after.withoutRowid && !this.hasRowidAlias(after);
    if (rowidKept) {
      targets.push('rowid');
      sources.push('rowid');
    }
    for (const col of after.columns) {
      if (col.generated) continue;
      const old = before.columns.find((x) => x.id === col.id);
      if (!old || old.generated) continue;
      // Renamed columns were renamed in place before the rebuild: the old table has the new name.
      targets.push(q(col.name));
      sources.push(q(col.name));
    }
    if (targets.length) out.push(`INSERT INTO ${q(temp)} (${targets.join(', ')})\n  SELECT ${sources.join(', ')} FROM ${q(current)}`);
    const autoinc = after.columns.some((c) => c.autoIncrement) && before.columns.some((c) => c.autoIncrement);
    if (autoinc) {
      // Keep AUTOINCREMENT's high-water mark, so ids of deleted rows are not handed out again.
      out.push(`DELETE FROM sqlite_sequence WHERE name = '${temp.replace(/'/g, "''")}'`);
      out.push(`INSERT INTO sqlite_sequence (name, seq) SELECT '${temp.replace(/'/g, "''")}', seq FROM sqlite_sequence WHERE name = '${current.replace(/'/g, "''")}'`);
    }
    out.push(`DROP TABLE ${q(current)}`);
    out.push(`ALTER TABLE ${q(temp)} RENAME TO ${q(after.name)}`);
    for (const i of after.indexes) out.push(this.createIndex(after, i, renames));
    for (const tr of after.triggers) out.push(renameIdentifiers(tr.sql, renames));
    return out;
  }

  private hasRowidAlias(tab: DesignTable): boolean {
    const pk = tab.primaryKey;
    return !!pk && pk.columns.length === 1 && /^INTEGER$/i.test(columnOf(tab, pk.columns[0]!).type.trim());
  }
}
