import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { ColumnInfo, ForeignKeyAction, ForeignKeyInfo, IndexInfo, SchemaSummary, TableDetail, TableKind, TableRef, TableSummary } from '../../../../shared/model/schema';
import { CoreError } from '../../errors';
import { EXACT_COUNT_THRESHOLD } from '../engine';
import { mysqlColumnDefault } from './mysql-column-default';
import { mysqlValueKind, quoteMysqlIdent } from './mysql-types';

const systemSchemas = ['information_schema', 'mysql', 'performance_schema', 'sys'];

/**
 * Reads information_schema with bound names. MariaDB and MySQL differ in how they report
 * defaults (MariaDB: SQL expressions, 'NULL' for none; MySQL: the bare literal), normalised here.
 */
export class MysqlIntrospector {
  constructor(
    private readonly pool: Pool,
    private readonly flavour: 'mysql' | 'mariadb',
  ) {}

  async listSchemas(): Promise<SchemaSummary[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT SCHEMA_NAME AS name, SCHEMA_NAME = DATABASE() AS is_default
         FROM information_schema.SCHEMATA
        WHERE SCHEMA_NAME NOT IN (?)
        ORDER BY SCHEMA_NAME`,
      [systemSchemas],
    );
    return rows.map((r) => ({ name: String(r.name), isDefault: Number(r.is_default) === 1 }));
  }

  async listTables(schema: string): Promise<TableSummary[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT TABLE_NAME AS name, TABLE_TYPE AS type, TABLE_ROWS AS est
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`,
      [schema],
    );
    return rows.map((r) => ({
      schema,
      name: String(r.name),
      kind: tableKind(String(r.type)),
      estimatedRows: r.est === null || r.est === undefined ? null : Number(r.est),
    }));
  }

  async describeTable(ref: TableRef): Promise<TableDetail> {
    const [head] = await this.pool.query<RowDataPacket[]>(
      `SELECT TABLE_TYPE AS type, TABLE_ROWS AS est FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
      [ref.schema, ref.name],
    );
    const rel = head[0];
    if (!rel) throw new CoreError('not-found', `Table \`${ref.schema}\`.\`${ref.name}\` does not exist (or you may not see it).`);
    const kind = tableKind(String(rel.type));
    const est = rel.est === null ? null : Number(rel.est);

    const [cols] = await this.pool.query<RowDataPacket[]>(
      `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, DATA_TYPE AS base, IS_NULLABLE AS nullable,
              COLUMN_DEFAULT AS dflt, EXTRA AS extra, COLUMN_COMMENT AS comment
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      [ref.schema, ref.name],
    );
    const [stats] = await this.pool.query<RowDataPacket[]>(
      `SELECT INDEX_NAME AS name, NON_UNIQUE AS non_unique, INDEX_TYPE AS method, COLUMN_NAME AS col, SEQ_IN_INDEX AS seq
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX`,
      [ref.schema, ref.name],
    );
    const indexMap = new Map<string, IndexInfo>();
    for (const s of stats) {
      const name = String(s.name);
      let ix = indexMap.get(name);
      if (!ix) {
        ix = { name, columns: [], unique: Number(s.non_unique) === 0, primary: name === 'PRIMARY', method: s.method ? String(s.method) : null, definition: null };
        indexMap.set(name, ix);
      }
      ix.columns.push(s.col === null ? '(expression)' : String(s.col));
    }
    const indexes = [...indexMap.values()];
    const primaryKey = indexMap.get('PRIMARY')?.columns ?? [];

    const jsonColumns = this.flavour === 'mariadb' ? await this.mariadbJsonColumns(ref) : new Set<string>();
    const columns: ColumnInfo[] = cols.map((c) => {
      const extra = String(c.extra ?? '').toLowerCase();
      const pkPos = primaryKey.indexOf(String(c.name));
      return {
        name: String(c.name),
        // MariaDB's JSON is LONGTEXT with a json_valid() check: show the type that was declared.
        dataType: jsonColumns.has(String(c.name)) && String(c.type) === 'longtext' ? 'json' : String(c.type),
        kind: mysqlValueKind(jsonColumns.has(String(c.name)) ? 'json' : String(c.type)),
        nullable: c.nullable === 'YES',
        defaultValue: mysqlColumnDefault(c.dflt as string | null, this.flavour, { baseType: String(c.base), extra }, false),
        primaryKeyPosition: pkPos >= 0 ? pkPos + 1 : null,
        autoIncrement: extra.includes('auto_increment'),
        generated: /virtual|stored|persistent/.test(extra) && extra.includes('generated'),
        comment: c.comment ? String(c.comment) : null,
      };
    });

    const [fkRows] = await this.pool.query<RowDataPacket[]>(
      `SELECT k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.REFERENCED_TABLE_SCHEMA AS ref_schema,
              k.REFERENCED_TABLE_NAME AS ref_table, k.REFERENCED_COLUMN_NAME AS ref_col,
              r.DELETE_RULE AS del, r.UPDATE_RULE AS upd
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
        WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
        ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      [ref.schema, ref.name],
    );
    const fkMap = new Map<string, ForeignKeyInfo>();
    for (const r of fkRows) {
      const name = String(r.name);
      let fk = fkMap.get(name);
      if (!fk) {
        fk = {
          name,
          columns: [],
          referencedSchema: String(r.ref_schema),
          referencedTable: String(r.ref_table),
          referencedColumns: [],
          onDelete: fkAction(String(r.del)),
          onUpdate: fkAction(String(r.upd)),
        };
        fkMap.set(name, fk);
      }
      fk.columns.push(String(r.col));
      fk.referencedColumns.push(String(r.ref_col));
    }

    const rowCount = kind === 'view' ? null : await this.rowCount(ref, est);
    let rowIdentity: TableDetail['rowIdentity'];
    if (kind === 'view') rowIdentity = { kind: 'none', reason: 'Views cannot be edited in the table browser.' };
    else if (primaryKey.length > 0) rowIdentity = { kind: 'primary-key', columns: primaryKey };
    else {
      const unique = indexes.find((ix) => ix.unique && ix.columns.every((col) => columns.find((c) => c.name === col && !c.nullable)));
      rowIdentity = unique
        ? { kind: 'primary-key', columns: unique.columns }
        : {
            kind: 'none',
            reason: 'This table has no primary key or NOT NULL unique key, and MySQL/MariaDB have no stable row address: edits could change the wrong row, so the table is read-only here. Add a primary key to edit it.',
          };
    }
    return {
      schema: ref.schema,
      name: ref.name,
      kind,
      estimatedRows: est,
      columns,
      primaryKey,
      foreignKeys: [...fkMap.values()],
      indexes,
      rowCount,
      rowIdentity,
    };
  }

  /** Columns MariaDB created for a JSON declaration: LONGTEXT with a `json_valid(col)` check. */
  private async mariadbJsonColumns(ref: TableRef): Promise<Set<string>> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?`,
      [ref.schema, ref.name],
    );
    const out = new Set<string>();
    for (const r of rows) {
      const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(String(r.clause).trim());
      if (m) out.add(m[1]!.replace(/``/g, '`'));
    }
    return out;
  }

  private async rowCount(ref: TableRef, est: number | null): Promise<TableDetail['rowCount']> {
    if (est !== null && est >= EXACT_COUNT_THRESHOLD) return { value: est, exact: false };
    const target = `${quoteMysqlIdent(ref.schema)}.${quoteMysqlIdent(ref.name)}`;
    const sql =
      this.flavour === 'mariadb'
        ? `SET STATEMENT max_statement_time = 2 FOR SELECT COUNT(*) AS n FROM ${target}`
        : `SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(*) AS n FROM ${target}`;
    try {
      const [rows] = await this.pool.query<RowDataPacket[]>(sql);
      return { value: Number(rows[0]!.n), exact: true };
    } catch {
      return est === null ? null : { value: est, exact: false };
    }
  }
}

function tableKind(type: string): TableKind {
  return type === 'VIEW' || type === 'SYSTEM VIEW' ? 'view' : 'table';
}

function fkAction(a: string): ForeignKeyAction {
  const up = a.toUpperCase();
  return (['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'] as const).find((x) => x === up) ?? 'NO ACTION';
}
