import type Database from 'better-sqlite3';
import { nameIds, type DesignObject, type DesignSchema, type DesignTable } from '../../../../features/designer/shared/model';
import type { ForeignKeyAction } from '../../../../shared/model/schema';
import { parseCreateTable } from './sqlite-create-table-parser';
import { quoteSqliteIdent } from './sqlite-quote';
import { tokenizeSqlite } from './sqlite-sql-tokens';
import type { ReadDesignOptions } from '../engine';

interface XInfo {
  cid: bigint;
  name: string;
  type: string;
  notnull: bigint;
  dflt_value: string | null;
  pk: bigint;
  hidden: bigint;
}

function fkAction(a: string): ForeignKeyAction {
  const up = a.toUpperCase();
  return (['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'] as const).find((x) => x === up) ?? 'NO ACTION';
}

/**
 * Reads one attached database for the designer: pragmas for what SQLite reports, the stored
 * CREATE TABLE text for what it does not (check constraints, constraint names, AUTOINCREMENT,
 * generated expressions), and the triggers and views a table rebuild must recreate.
 */
export class SqliteDesignReader {
  constructor(private readonly db: Database.Database) {}

  read(schema: string, options: ReadDesignOptions = {}): DesignSchema {
    const s = quoteSqliteIdent(schema);
    const objects = this.db.prepare(`SELECT type, name, tbl_name, sql FROM ${s}.sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid`).all() as { type: string; name: string; tbl_name: string; sql: string }[];
    const tables: DesignTable[] = [];
    const byName = new Map<string, DesignTable>();
    for (const o of objects) {
      if (o.type !== 'table' || o.name.startsWith('sqlite_') || /^CREATE\s+VIRTUAL\b/i.test(o.sql)) continue;
      const t = this.table(schema, o.name, o.sql);
      tables.push(t);
      byName.set(o.name.toLowerCase(), t);
    }
    for (const o of objects) {
      if (o.type === 'trigger') byName.get(o.tbl_name.toLowerCase())?.triggers.push({ name: o.name, sql: o.sql });
    }
    // Foreign keys name their parent by text; resolve to ids once every table is read.
    for (const t of tables) {
      t.foreignKeys = t.foreignKeys.map((f) => {
        const parent = byName.get(f.refTable.toLowerCase());
        if (!parent) return { ...f, refSchema: schema };
        const refColumns =
          f.refColumns.length > 0 ? f.refColumns.map((c) => parent.columns.find((x) => x.name.toLowerCase() === c.toLowerCase())?.id ?? nameIds.column(c)) : (parent.primaryKey?.columns ?? []);
        const id = nameIds.foreignKey(f.name, f.columns.map((id) => t.columns.find((c) => c.id === id)?.name ?? id), parent.name);
        return { ...f, id, refTable: parent.id, refColumns };
      });
    }
    const views = objects.filter((o) => o.type === 'view').map((o) => ({ name: o.name, sql: o.sql }));
    const design: DesignSchema = { engine: 'sqlite', schema, tables, views };
    if (options.complete) design.objects = this.objects(objects, tables);
    return design;
  }

  /** Views and triggers as schema compare sees them: the stored CREATE text, and the names it mentions. */
  private objects(stored: { type: string; name: string; tbl_name: string; sql: string }[], tables: DesignTable[]): DesignObject[] {
    const known = new Map([...tables.map((t) => t.name), ...stored.filter((o) => o.type === 'view').map((o) => o.name)].map((n) => [n.toLowerCase(), n]));
    const mentioned = (sql: string, self: string) => {
      const names = new Set<string>();
      for (const t of tokenizeSqlite(sql)) {
        const n = (t.kind === 'ident' || t.kind === 'word') && known.get(t.value.toLowerCase());
        if (n && n.toLowerCase() !== self.toLowerCase()) names.add(n);
      }
      return [...names];
    };
    return stored
      .filter((o) => o.type === 'view' || o.type === 'trigger')
      .map((o) => ({
        kind: o.type === 'view' ? ('view' as const) : ('trigger' as const),
        name: o.name,
        signature: null,
        table: o.type === 'trigger' ? o.tbl_name : null,
        definition: o.sql,
        comment: null,
        values: null,
        attributes: {},
        dependsOn: mentioned(o.sql, o.name),
      }));
  }

  private table(schema: string, name: string, sql: string): DesignTable {
    const parsed = parseCreateTable(sql);
    const xinfo = this.db.prepare('SELECT * FROM pragma_table_xinfo(?, ?)').all(name, schema) as XInfo[];
    const cols = xinfo.filter((c) => Number(c.hidden) !== 1);
    const id = (col: string) => nameIds.column(cols.find((c) => c.name.toLowerCase() === col.toLowerCase())?.name ?? col);
    const pkCols = cols.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
    const table: DesignTable = {
      id: nameIds.table(name),
      name,
      comment: null,
      columns: cols.map((c) => {
        const p = parsed.columns.find((x) => x.name.toLowerCase() === c.name.toLowerCase());
        const generated = Number(c.hidden) === 2 || Number(c.hidden) === 3;
        return {
          id: nameIds.column(c.name),
          name: c.name,
          type: p?.type || c.type,
          nullable: Number(c.notnull) === 0 && Number(c.pk) === 0,
          default: c.dflt_value,
          autoIncrement: p?.autoIncrement ?? false,
          generated: generated ? { expression: p?.generated?.expression ?? '', stored: Number(c.hidden) === 3 } : null,
          comment: null,
          collation: p?.collation ?? null,
          onUpdate: null,
        };
      }),
      primaryKey: pkCols.length ? { name: parsed.primaryKeyName, columns: pkCols.map((c) => nameIds.column(c.name)) } : null,
      uniques: [],
      indexes: [],
      checks: parsed.checks.map((k) => ({ id: nameIds.check(k.name, k.expression), name: k.name, expression: k.expression })),
      foreignKeys: [],
      triggers: [],
      withoutRowid: parsed.withoutRowid,
      strict: parsed.strict,
    };

    const list = this.db.prepare('SELECT name, "unique", origin, partial FROM pragma_index_list(?, ?) ORDER BY seq').all(name, schema) as { name: string; unique: bigint; origin: string; partial: bigint }[];
    const info = this.db.prepare('SELECT name, cid, desc, coll, key FROM pragma_index_xinfo(?, ?) WHERE key = 1 ORDER BY seqno');
    const sqlOf = this.db.prepare(`SELECT sql FROM ${quoteSqliteIdent(schema)}.sqlite_schema WHERE type = 'index' AND name = ?`);
    for (const ix of list.reverse()) {
      if (ix.origin === 'pk') continue;
      const parts = info.all(ix.name, schema) as { name: string | null; cid: bigint; desc: bigint; coll: string }[];
      const columns = parts.map((p) => p.name ?? '');
      if (ix.origin === 'u') {
        // A UNIQUE constraint: its name, if any, is only in the CREATE TABLE text.
        const named = parsed.uniques.find((u) => u.columns.length === columns.length && u.columns.every((c, i) => c.toLowerCase() === columns[i]!.toLowerCase()));
        table.uniques.push({ id: nameIds.unique(named?.name ?? null, columns), name: named?.name ?? null, columns: columns.map(id) });
        continue;
      }
      const def = (sqlOf.get(ix.name) as { sql: string | null } | undefined)?.sql ?? null;
      const plain = Number(ix.partial) === 0 && parts.every((p) => p.name !== null && Number(p.desc) === 0 && p.coll.toUpperCase() === 'BINARY');
      table.indexes.push({ id: nameIds.index(ix.name), name: ix.name, columns: plain ? columns.map(id) : [], unique: Number(ix.unique) === 1, method: null, where: null, definition: plain ? null : def });
    }

    const fkRows = this.db.prepare('SELECT * FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq').all(name, schema) as { id: bigint; table: string; from: string; to: string | null; on_update: string; on_delete: string }[];
    const groups = new Map<number, typeof fkRows>();
    for (const r of fkRows) groups.set(Number(r.id), [...(groups.get(Number(r.id)) ?? []), r]);
    // pragma_foreign_key_list numbers keys from the last declared: reverse for declaration order.
    for (const rows of [...groups.values()].reverse()) {
      const from = rows.map((r) => r.from);
      const named = parsed.foreignKeys.find((f) => f.refTable.toLowerCase() === rows[0]!.table.toLowerCase() && f.columns.length === from.length && f.columns.every((c, i) => c.toLowerCase() === from[i]!.toLowerCase()));
      table.foreignKeys.push({
        id: '',
        name: named?.name ?? null,
        columns: from.map(id),
        refSchema: null,
        refTable: rows[0]!.table,
        refColumns: rows.every((r) => r.to !== null) ? rows.map((r) => r.to!) : [],
        onDelete: fkAction(rows[0]!.on_delete),
        onUpdate: fkAction(rows[0]!.on_update),
      });
    }
    return table;
  }
}
