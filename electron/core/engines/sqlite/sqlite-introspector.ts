import type Database from 'better-sqlite3';
import type { ColumnInfo, ForeignKeyAction, ForeignKeyInfo, IndexInfo, SchemaSummary, TableDetail, TableKind, TableRef, TableSummary } from '../../../../shared/model/schema';
import { CoreError } from '../../errors';
import { EXACT_COUNT_THRESHOLD } from '../engine';
import { quoteSqliteIdent } from './sqlite-quote';
import { sqliteValueKind } from './sqlite-types';

interface XInfoRow {
  cid: bigint;
  name: string;
  type: string;
  notnull: bigint;
  dflt_value: string | null;
  pk: bigint;
  hidden: bigint;
}

/** Reads SQLite's catalog through the pragma table functions, every name bound as a value. */
export class SqliteIntrospector {
  constructor(private readonly db: Database.Database) {}

  listSchemas(): SchemaSummary[] {
    const rows = this.db.prepare('SELECT name FROM pragma_database_list ORDER BY seq').all() as { name: string }[];
    return rows.filter((r) => r.name !== 'temp' || this.hasObjects('temp')).map((r) => ({ name: r.name, isDefault: r.name === 'main' }));
  }

  private hasObjects(schema: string): boolean {
    return this.db.prepare(`SELECT 1 FROM ${quoteSqliteIdent(schema)}.sqlite_schema LIMIT 1`).get() !== undefined;
  }

  /** Only schemas SQLite itself lists may appear in SQL text, quoted. */
  assertSchema(schema: string): void {
    const known = this.db.prepare('SELECT 1 FROM pragma_database_list WHERE name = ?').get(schema);
    if (!known) throw new CoreError('not-found', `There is no attached database named "${schema}".`);
  }

  listTables(schema: string): TableSummary[] {
    this.assertSchema(schema);
    const rows = this.db
      .prepare(
        `SELECT name, type FROM ${quoteSqliteIdent(schema)}.sqlite_schema
         WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         ORDER BY name COLLATE NOCASE`,
      )
      .all() as { name: string; type: string }[];
    return rows.map((r) => ({ schema, name: r.name, kind: (r.type === 'view' ? 'view' : 'table') as TableKind, estimatedRows: null }));
  }

  describeTable(ref: TableRef): TableDetail {
    this.assertSchema(ref.schema);
    const master = this.db
      .prepare(`SELECT type, sql FROM ${quoteSqliteIdent(ref.schema)}.sqlite_schema WHERE name = ? AND type IN ('table','view')`)
      .get(ref.name) as { type: string; sql: string | null } | undefined;
    if (!master) throw new CoreError('not-found', `Table "${ref.name}" does not exist in "${ref.schema}".`);
    const kind: TableKind = master.type === 'view' ? 'view' : 'table';
    const xinfo = this.db.prepare('SELECT * FROM pragma_table_xinfo(?, ?)').all(ref.name, ref.schema) as XInfoRow[];
    const pkCols = xinfo.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
    const rowidAlias = pkCols.length === 1 && /^INTEGER$/i.test(pkCols[0]!.type.trim());
    const columns: ColumnInfo[] = xinfo
      .filter((c) => Number(c.hidden) !== 1)
      .map((c) => ({
        name: c.name,
        dataType: c.type,
        kind: sqliteValueKind(c.type),
        nullable: Number(c.notnull) === 0 && Number(c.pk) === 0,
        defaultValue: c.dflt_value,
        primaryKeyPosition: Number(c.pk) > 0 ? Number(c.pk) : null,
        autoIncrement: rowidAlias && Number(c.pk) === 1,
        generated: Number(c.hidden) === 2 || Number(c.hidden) === 3,
        comment: null,
      }));
    const primaryKey = pkCols.map((c) => c.name);
    const withoutRowid = kind === 'table' && /\bWITHOUT\s+ROWID\b/i.test(master.sql ?? '');

    const foreignKeys = this.foreignKeys(ref);
    const indexes = kind === 'table' ? this.indexes(ref) : [];
    const rowCount = kind === 'table' ? this.rowCount(ref, withoutRowid ? null : rowidName(xinfo)) : null;
    const count = rowCount?.value ?? null;
    let rowIdentity: TableDetail['rowIdentity'];
    if (kind === 'view') rowIdentity = { kind: 'none', reason: 'Views are read-only in the table browser.' };
    else if (primaryKey.length > 0) rowIdentity = { kind: 'primary-key', columns: primaryKey };
    else if (!withoutRowid) rowIdentity = { kind: 'rowid' };
    else rowIdentity = { kind: 'none', reason: 'The table has neither a primary key nor a rowid.' };
    return {
      schema: ref.schema,
      name: ref.name,
      kind,
      estimatedRows: count,
      columns,
      primaryKey,
      foreignKeys,
      indexes,
      rowCount,
      rowIdentity,
    };
  }

  /**
   * count(*) reads the whole table and SQLite cannot stop it, so a big table gets its largest
   * rowid as an estimate (one index probe) and the table browser counts exactly in the background.
   */
  private rowCount(ref: TableRef, rowid: string | null): { value: number; exact: boolean } {
    const target = `${quoteSqliteIdent(ref.schema)}.${quoteSqliteIdent(ref.name)}`;
    if (rowid !== null) {
      const max = Number((this.db.prepare(`SELECT max(${rowid}) AS m FROM ${target}`).get() as { m: bigint | null }).m ?? 0);
      if (max >= EXACT_COUNT_THRESHOLD) return { value: max, exact: false };
    }
    return { value: Number((this.db.prepare(`SELECT count(*) AS n FROM ${target}`).get() as { n: bigint }).n), exact: true };
  }

  private foreignKeys(ref: TableRef): ForeignKeyInfo[] {
    const rows = this.db.prepare('SELECT * FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq').all(ref.name, ref.schema) as {
      id: bigint;
      table: string;
      from: string;
      to: string | null;
      on_update: string;
      on_delete: string;
    }[];
    const byId = new Map<number, ForeignKeyInfo>();
    for (const r of rows) {
      const id = Number(r.id);
      let fk = byId.get(id);
      if (!fk) {
        fk = {
          name: `fk_${ref.name}_${id}`,
          columns: [],
          referencedSchema: ref.schema,
          referencedTable: r.table,
          referencedColumns: [],
          onDelete: fkAction(r.on_delete),
          onUpdate: fkAction(r.on_update),
        };
        byId.set(id, fk);
      }
      fk.columns.push(r.from);
      if (r.to !== null) fk.referencedColumns.push(r.to);
    }
    // A foreign key written without column names refers to the parent's primary key.
    for (const fk of byId.values()) {
      if (fk.referencedColumns.length === 0) {
        const parentPk = this.db.prepare('SELECT name FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk').all(fk.referencedTable, ref.schema) as { name: string }[];
        fk.referencedColumns = parentPk.map((p) => p.name);
      }
    }
    return [...byId.values()];
  }

  private indexes(ref: TableRef): IndexInfo[] {
    const list = this.db.prepare('SELECT * FROM pragma_index_list(?, ?) ORDER BY seq').all(ref.name, ref.schema) as {
      name: string;
      unique: bigint;
      origin: string;
    }[];
    const sqlOf = this.db.prepare(`SELECT sql FROM ${quoteSqliteIdent(ref.schema)}.sqlite_schema WHERE type = 'index' AND name = ?`);
    const info = this.db.prepare('SELECT name FROM pragma_index_info(?, ?) ORDER BY seqno');
    return list.map((ix) => {
      const cols = (info.all(ix.name, ref.schema) as { name: string | null }[]).map((c) => c.name ?? '(expression)');
      const def = sqlOf.get(ix.name) as { sql: string | null } | undefined;
      return {
        name: ix.name,
        columns: cols,
        unique: Number(ix.unique) === 1,
        primary: ix.origin === 'pk',
        method: null,
        definition: def?.sql ?? null,
      };
    });
  }
}

/** A name that still means the rowid in this table (a column may have taken `rowid`). */
function rowidName(columns: { name: string }[]): string | null {
  const taken = new Set(columns.map((c) => c.name.toLowerCase()));
  return ['rowid', '_rowid_', 'oid'].find((n) => !taken.has(n)) ?? null;
}

function fkAction(a: string): ForeignKeyAction {
  const up = a.toUpperCase();
  return (['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'] as const).find((x) => x === up) ?? 'NO ACTION';
}
