import type { Pool, RowDataPacket } from 'mysql2/promise';
import { nameIds, type DesignSchema, type DesignTable } from '../../../../features/designer/shared/model';
import type { ForeignKeyAction } from '../../../../shared/model/schema';
import { CoreError } from '../../errors';
import { mysqlColumnDefault } from './mysql-column-default';
import { quoteMysqlIdent } from './mysql-types';
import { readMysqlObjects } from './mysql-object-reader';
import type { ReadDesignOptions } from '../engine';

function fkAction(a: string): ForeignKeyAction {
  const up = a.toUpperCase();
  return (['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'] as const).find((x) => x === up) ?? 'RESTRICT';
}

/**
 * Reads a whole MySQL/MariaDB database for the designer from information_schema, one query per
 * kind of object. Normalised on the way in: MariaDB's JSON (a LONGTEXT with a json_valid check),
 * its quoted defaults, and the index MySQL creates by itself for a foreign key (hidden: it is
 * the foreign key's, not the design's).
 */
export class MysqlDesignReader {
  constructor(
    private readonly pool: Pool,
    private readonly flavour: 'mysql' | 'mariadb',
  ) {}

  async read(schema: string, options: ReadDesignOptions = {}): Promise<DesignSchema> {
    const q = async (sql: string) => (await this.pool.query<RowDataPacket[]>(sql, [schema]))[0];
    const exists = await q(`SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`);
    if (exists.length === 0) throw new CoreError('not-found', `There is no database named "${schema}" (or you may not use it).`);
    const tableRows = await q(`SELECT TABLE_NAME AS name, TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`);
    const tables = new Map<string, DesignTable>();
    for (const r of tableRows) {
      const name = String(r.name);
      tables.set(name, { id: nameIds.table(name), name, comment: r.comment ? String(r.comment) : null, columns: [], primaryKey: null, uniques: [], indexes: [], checks: [], foreignKeys: [], triggers: [], withoutRowid: false, strict: false });
    }

    const checkRows = await this.checks(schema);
    const jsonChecks = new Set<string>(); // `${table}.${column}` of MariaDB's implicit json_valid checks

    const colRows = await q(
      `SELECT TABLE_NAME AS t, COLUMN_NAME AS name, COLUMN_TYPE AS type, DATA_TYPE AS base, IS_NULLABLE AS nullable,
              COLUMN_DEFAULT AS dflt, EXTRA AS extra, COLUMN_COMMENT AS comment, COLLATION_NAME AS coll,
              GENERATION_EXPRESSION AS gen
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    );
    const defaultCollation = await this.tableCollations(schema);
    for (const c of colRows) {
      const t = tables.get(String(c.t));
      if (!t) continue;
      const name = String(c.name);
      const extra = String(c.extra ?? '').toLowerCase();
      let type = String(c.type);
      const isJsonCheck = (k: { table: string; name: string; clause: string }) => k.table === t.name && k.name === name && /^json_valid\(`?[^`]*`?\)$/i.test(k.clause.trim());
      if (this.flavour === 'mariadb' && /^longtext$/i.test(type) && checkRows.some(isJsonCheck)) {
        type = 'json';
        jsonChecks.add(`${t.name}.${name}`);
      }
      const generated = /\b(virtual|stored|persistent) generated\b/.test(extra) || (c.gen && String(c.gen) !== '' && /generated/.test(extra));
      const onUpdate = /on update (current_timestamp(\(\d*\))?)/i.exec(extra);
      const coll = c.coll ? String(c.coll) : null;
      t.columns.push({
        id: nameIds.column(name),
        name,
        type,
        nullable: c.nullable === 'YES',
        default: generated ? null : mysqlColumnDefault(c.dflt as string | null, this.flavour, { baseType: String(c.base), extra }, true),
        autoIncrement: extra.includes('auto_increment'),
        generated: generated ? { expression: String(c.gen), stored: /stored|persistent/.test(extra) } : null,
        comment: c.comment ? String(c.comment) : null,
        collation: coll && coll !== defaultCollation.get(t.name) && !/^(json|longtext)$/i.test(type) ? coll : null,
        onUpdate: onUpdate ? onUpdate[1]! : null,
      });
    }
    const colId = (t: DesignTable, name: string) => t.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.id ?? nameIds.column(name);

    for (const k of checkRows) {
      const t = tables.get(k.table);
      if (!t || jsonChecks.has(`${k.table}.${k.name}`)) continue;
      t.checks.push({ id: nameIds.check(k.name, k.clause), name: k.name, expression: k.clause });
    }

    const statRows = await q(
      `SELECT TABLE_NAME AS t, INDEX_NAME AS name, NON_UNIQUE AS non_unique, INDEX_TYPE AS method, COLUMN_NAME AS col, SUB_PART AS sub,
              ${this.flavour === 'mysql' ? 'EXPRESSION' : 'NULL'} AS expr, COLLATION AS ord
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    );
    const indexes = new Map<string, { t: DesignTable; name: string; unique: boolean; method: string; parts: { col: string | null; sub: number | null; expr: string | null; desc: boolean }[] }>();
    for (const s of statRows) {
      const t = tables.get(String(s.t));
      if (!t) continue;
      const key = `${t.name}\u0000${String(s.name)}`;
      let ix = indexes.get(key);
      if (!ix) {
        ix = { t, name: String(s.name), unique: Number(s.non_unique) === 0, method: String(s.method ?? 'BTREE'), parts: [] };
        indexes.set(key, ix);
      }
      ix.parts.push({ col: s.col === null ? null : String(s.col), sub: s.sub === null ? null : Number(s.sub), expr: s.expr ? String(s.expr) : null, desc: s.ord === 'D' });
    }

    const fkRows = await q(
      `SELECT k.TABLE_NAME AS t, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.REFERENCED_TABLE_SCHEMA AS ref_schema,
              k.REFERENCED_TABLE_NAME AS ref_table, k.REFERENCED_COLUMN_NAME AS ref_col, r.DELETE_RULE AS del, r.UPDATE_RULE AS upd
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
        WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
        ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    );
    const fks = new Map<string, { t: DesignTable; name: string; cols: string[]; refSchema: string; refTable: string; refCols: string[]; del: string; upd: string }>();
    for (const r of fkRows) {
      const t = tables.get(String(r.t));
      if (!t) continue;
      const key = `${t.name}\u0000${String(r.name)}`;
      let fk = fks.get(key);
      if (!fk) {
        fk = { t, name: String(r.name), cols: [], refSchema: String(r.ref_schema), refTable: String(r.ref_table), refCols: [], del: String(r.del), upd: String(r.upd) };
        fks.set(key, fk);
      }
      fk.cols.push(String(r.col));
      fk.refCols.push(String(r.ref_col));
    }

    for (const ix of indexes.values()) {
      const { t } = ix;
      const plain = ix.parts.every((p) => p.col !== null && p.sub === null && !p.expr && !p.desc);
      if (ix.name === 'PRIMARY') {
        t.primaryKey = { name: null, columns: ix.parts.map((p) => colId(t, p.col ?? '')) };
        continue;
      }
      // The index InnoDB made for a foreign key carries the key's name and columns: it belongs to the key.
      const fk = fks.get(`${t.name}\u0000${ix.name}`);
      if (fk && plain && !ix.unique && ix.parts.length === fk.cols.length && ix.parts.every((p, i) => p.col === fk.cols[i])) continue;
      if (ix.unique && plain) {
        t.uniques.push({ id: nameIds.unique(ix.name, []), name: ix.name, columns: ix.parts.map((p) => colId(t, p.col!)) });
        continue;
      }
      const method = ix.method.toUpperCase();
      t.indexes.push({
        id: nameIds.index(ix.name),
        name: ix.name,
        columns: plain ? ix.parts.map((p) => colId(t, p.col!)) : [],
        unique: ix.unique,
        method: method === 'BTREE' ? null : method,
        where: null,
        // A complete read (schema compare) leaves the database's own name out, as in every other text.
        definition: plain ? null : this.indexDefinition(options.complete ? null : schema, t.name, ix),
      });
    }

    for (const fk of fks.values()) {
      const { t } = fk;
      const parent = fk.refSchema === schema ? tables.get(fk.refTable) : undefined;
      t.foreignKeys.push({
        id: nameIds.foreignKey(fk.name, [], ''),
        name: fk.name,
        columns: fk.cols.map((c) => colId(t, c)),
        refSchema: parent ? null : fk.refSchema,
        refTable: parent ? parent.id : fk.refTable,
        refColumns: parent ? fk.refCols.map((c) => colId(parent, c)) : fk.refCols,
        onDelete: fkAction(fk.del),
        onUpdate: fkAction(fk.upd),
      });
    }
    for (const t of tables.values()) {
      const names = (ids: string[]) => ids.map((id) => t.columns.find((c) => c.id === id)?.name ?? id);
      t.uniques = t.uniques.map((u) => ({ ...u, id: nameIds.unique(u.name, names(u.columns)) }));
      t.foreignKeys = t.foreignKeys.map((f) => ({ ...f, id: nameIds.foreignKey(f.name, names(f.columns), f.refTable) }));
    }
    const views = await q(`SELECT TABLE_NAME AS name, VIEW_DEFINITION AS def FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`);
    const design: DesignSchema = { engine: this.flavour, schema, tables: [...tables.values()], views: views.map((v) => ({ name: String(v.name), sql: String(v.def ?? '') })) };
    if (options.complete) design.objects = await readMysqlObjects(this.pool, schema, this.flavour, [...tables.keys()]);
    return design;
  }

  private async checks(schema: string): Promise<{ table: string; name: string; clause: string }[]> {
    try {
      const [rows] = await this.pool.query<RowDataPacket[]>(
        this.flavour === 'mariadb'
          ? `SELECT TABLE_NAME AS t, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME, CONSTRAINT_NAME`
          : `SELECT tc.TABLE_NAME AS t, cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS clause
               FROM information_schema.CHECK_CONSTRAINTS cc
               JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
              WHERE cc.CONSTRAINT_SCHEMA = ? ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME`,
        [schema],
      );
      return rows.map((r) => ({ table: String(r.t), name: String(r.name), clause: String(r.clause) }));
    } catch (err) {
      // Servers before MariaDB 10.2.22 / MySQL 8.0.16 have no CHECK_CONSTRAINTS (and enforce no checks).
      if ((err as { code?: string }).code === 'ER_UNKNOWN_TABLE') return [];
      throw err;
    }
  }

  private async tableCollations(schema: string): Promise<Map<string, string>> {
    const [rows] = await this.pool.query<RowDataPacket[]>(`SELECT TABLE_NAME AS t, TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`, [schema]);
    return new Map(rows.map((r) => [String(r.t), String(r.c)]));
  }

  private indexDefinition(schema: string | null, table: string, ix: { name: string; unique: boolean; method: string; parts: { col: string | null; sub: number | null; expr: string | null; desc: boolean }[] }): string {
    const q = quoteMysqlIdent;
    const parts = ix.parts.map((p) => `${p.expr ? `(${p.expr})` : `${q(p.col ?? '')}${p.sub !== null ? `(${p.sub})` : ''}`}${p.desc ? ' DESC' : ''}`);
    const kind = ix.method === 'FULLTEXT' || ix.method === 'SPATIAL' ? `${ix.method} ` : ix.unique ? 'UNIQUE ' : '';
    return `CREATE ${kind}INDEX ${q(ix.name)} ON ${schema === null ? '' : `${q(schema)}.`}${q(table)} (${parts.join(', ')})`;
  }
}
