import type pg from 'pg';
import type { ColumnInfo, ForeignKeyAction, ForeignKeyInfo, IndexInfo, SchemaSummary, TableDetail, TableKind, TableRef, TableSummary } from '../../../../shared/model/schema';
import { CoreError } from '../../errors';
import { EXACT_COUNT_THRESHOLD } from '../engine';
import { postgresValueKind, quotePgIdent } from './postgres-types';
import { checkoutClient } from './postgres-checkout';

const relkinds: Record<string, TableKind> = {
  r: 'table',
  p: 'partitioned-table',
  v: 'view',
  m: 'materialized-view',
  f: 'foreign-table',
};

const fkActions: Record<string, ForeignKeyAction> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/**
 * Reads pg_catalog directly: one query lists a schema's tables (cheap even with thousands),
 * details come per table. Names are always bound parameters; lists come back as JSON.
 */
export class PostgresIntrospector {
  constructor(private readonly pool: pg.Pool) {}

  async listSchemas(): Promise<SchemaSummary[]> {
    const { rows } = await this.pool.query<{ name: string; is_default: boolean }>(
      `SELECT n.nspname AS name, n.nspname = current_schema() AS is_default
         FROM pg_catalog.pg_namespace n
        WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
          AND has_schema_privilege(n.oid, 'USAGE')
        ORDER BY n.nspname`,
    );
    return rows.map((r) => ({ name: r.name, isDefault: r.is_default }));
  }

  async listTables(schema: string): Promise<TableSummary[]> {
    const { rows } = await this.pool.query<{ name: string; relkind: string; reltuples: number }>(
      `SELECT c.relname AS name, c.relkind, c.reltuples::float8 AS reltuples
         FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r','p','v','m','f') AND NOT c.relispartition
        ORDER BY c.relname`,
      [schema],
    );
    return rows.map((r) => ({
      schema,
      name: r.name,
      kind: relkinds[r.relkind] ?? 'table',
      estimatedRows: r.reltuples >= 0 && r.relkind !== 'v' ? Math.round(r.reltuples) : null,
    }));
  }

  async describeTable(ref: TableRef): Promise<TableDetail> {
    const client = await checkoutClient(this.pool);
    try {
      return await this.describeWith(client, ref);
    } finally {
      client.release();
    }
  }

  private async describeWith(db: Queryable, ref: TableRef): Promise<TableDetail> {
    const head = await db.query<{ oid: number; relkind: string; reltuples: number }>(
      `SELECT c.oid AS oid, c.relkind, c.reltuples::float8 AS reltuples
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r','p','v','m','f')`,
      [ref.schema, ref.name],
    );
    const rel = head.rows[0];
    if (!rel) throw new CoreError('not-found', `Table "${ref.schema}"."${ref.name}" does not exist (or you may not see it).`);
    const kind = relkinds[rel.relkind] ?? 'table';
    const oid = rel.oid;

    const cols = await db.query<{
      name: string;
      data_type: string;
      nullable: boolean;
      default_value: string | null;
      identity: string;
      generated: string;
      comment: string | null;
    }>(
      `SELECT a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS data_type,
              NOT a.attnotnull AS nullable, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_value,
              a.attidentity AS identity, a.attgenerated AS generated,
              pg_catalog.col_description(a.attrelid, a.attnum) AS comment
         FROM pg_catalog.pg_attribute a
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [oid],
    );
    const pk = await db.query<{ columns: string }>(
      `SELECT json_agg(a.attname ORDER BY k.ord)::text AS columns
         FROM pg_catalog.pg_constraint con
         CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
        WHERE con.conrelid = $1::oid AND con.contype = 'p'
        GROUP BY con.oid`,
      [oid],
    );
    const primaryKey: string[] = pk.rows[0] ? (JSON.parse(pk.rows[0].columns) as string[]) : [];

    const columns: ColumnInfo[] = cols.rows.map((c) => {
      const pkPos = primaryKey.indexOf(c.name);
      return {
        name: c.name,
        dataType: c.data_type,
        kind: postgresValueKind(c.data_type),
        nullable: c.nullable,
        defaultValue: c.default_value,
        primaryKeyPosition: pkPos >= 0 ? pkPos + 1 : null,
        autoIncrement: c.identity === 'a' || c.identity === 'd' || /^nextval\(/.test(c.default_value ?? ''),
        generated: c.generated === 's',
        comment: c.comment,
      };
    });

    const fks = await db.query<{ name: string; ref_schema: string; ref_table: string; columns: string; ref_columns: string; del: string; upd: string }>(
      `SELECT con.conname AS name, rn.nspname AS ref_schema, rc.relname AS ref_table,
              (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum)::text AS columns,
              (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)::text AS ref_columns,
              con.confdeltype AS del, con.confupdtype AS upd
         FROM pg_catalog.pg_constraint con
         JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
         JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
        WHERE con.conrelid = $1::oid AND con.contype = 'f'
        ORDER BY con.conname`,
      [oid],
    );
    const foreignKeys: ForeignKeyInfo[] = fks.rows.map((f) => ({
      name: f.name,
      columns: JSON.parse(f.columns) as string[],
      referencedSchema: f.ref_schema,
      referencedTable: f.ref_table,
      referencedColumns: JSON.parse(f.ref_columns) as string[],
      onDelete: fkActions[f.del] ?? 'NO ACTION',
      onUpdate: fkActions[f.upd] ?? 'NO ACTION',
    }));

    const idx = await db.query<{ name: string; unique: boolean; primary: boolean; method: string; definition: string; columns: string }>(
      `SELECT i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary, am.amname AS method,
              pg_catalog.pg_get_indexdef(ix.indexrelid) AS definition,
              (SELECT json_agg(COALESCE(a.attname, '(expression)') ORDER BY k.ord)
                 FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                 LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
                WHERE k.ord <= ix.indnkeyatts)::text AS columns
         FROM pg_catalog.pg_index ix
         JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
         JOIN pg_catalog.pg_am am ON am.oid = i.relam
        WHERE ix.indrelid = $1::oid
        ORDER BY ix.indisprimary DESC, i.relname`,
      [oid],
    );
    const indexes: IndexInfo[] = idx.rows.map((r) => ({
      name: r.name,
      columns: r.columns ? (JSON.parse(r.columns) as string[]) : [],
      unique: r.unique,
      primary: r.primary,
      method: r.method,
      definition: r.definition,
    }));

    const rowCount = kind === 'view' || kind === 'foreign-table' ? null : await this.rowCount(db, ref, rel.reltuples);
    let rowIdentity: TableDetail['rowIdentity'];
    if (kind === 'view' || kind === 'foreign-table' || kind === 'materialized-view') {
      rowIdentity = { kind: 'none', reason: `A ${kind.replace('-', ' ')} cannot be edited in the table browser.` };
    } else if (primaryKey.length > 0) {
      rowIdentity = { kind: 'primary-key', columns: primaryKey };
    } else {
      rowIdentity = {
        kind: 'ctid',
        warning: 'This table has no primary key: rows are identified by their physical position (ctid), which changes when a row is updated or the table is vacuumed. Add a primary key for safe editing.',
      };
    }
    return {
      schema: ref.schema,
      name: ref.name,
      kind,
      estimatedRows: rel.reltuples >= 0 ? Math.round(rel.reltuples) : null,
      columns,
      primaryKey,
      foreignKeys,
      indexes,
      rowCount,
      rowIdentity,
    };
  }

  /** Exact count when the planner's estimate says it is small (or unknown), bounded by a statement timeout. */
  private async rowCount(db: Queryable, ref: TableRef, reltuples: number): Promise<TableDetail['rowCount']> {
    if (reltuples >= EXACT_COUNT_THRESHOLD) return { value: Math.round(reltuples), exact: false };
    const client = 'release' in db ? db : null;
    if (!client) return reltuples >= 0 ? { value: Math.round(reltuples), exact: false } : null;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = 2000`);
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quotePgIdent(ref.schema)}.${quotePgIdent(ref.name)}`);
      await client.query('COMMIT');
      return { value: Number(rows[0]!.n), exact: true };
    } catch {
      await client.query('ROLLBACK').catch(() => undefined);
      return reltuples >= 0 ? { value: Math.round(reltuples), exact: false } : null;
    }
  }
}
