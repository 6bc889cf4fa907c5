import type pg from 'pg';
import type { ColumnMeta } from '../../../../shared/model/values';
import { postgresValueKind } from './postgres-types';

/** Names of the built-in types (pg_type.oid is stable for them), so most results need no catalog lookup. */
const BUILTIN: Record<number, string> = {
  16: 'boolean', 17: 'bytea', 18: '"char"', 19: 'name', 20: 'bigint', 21: 'smallint', 23: 'integer', 24: 'regproc', 25: 'text',
  26: 'oid', 114: 'json', 142: 'xml', 194: 'pg_node_tree', 600: 'point', 601: 'lseg', 602: 'path', 603: 'box', 604: 'polygon',
  628: 'line', 650: 'cidr', 700: 'real', 701: 'double precision', 718: 'circle', 774: 'macaddr8', 790: 'money', 829: 'macaddr',
  869: 'inet', 1000: 'boolean[]', 1001: 'bytea[]', 1005: 'smallint[]', 1007: 'integer[]', 1009: 'text[]', 1014: 'character[]',
  1015: 'character varying[]', 1016: 'bigint[]', 1021: 'real[]', 1022: 'double precision[]', 1028: 'oid[]', 1033: 'aclitem',
  1034: 'aclitem[]', 1042: 'character', 1043: 'character varying', 1082: 'date', 1083: 'time without time zone',
  1114: 'timestamp without time zone', 1115: 'timestamp without time zone[]', 1182: 'date[]', 1184: 'timestamp with time zone',
  1185: 'timestamp with time zone[]', 1186: 'interval', 1231: 'numeric[]', 1266: 'time with time zone', 1560: 'bit',
  1562: 'bit varying', 1700: 'numeric', 2249: 'record', 2278: 'void', 2950: 'uuid', 2951: 'uuid[]', 3220: 'pg_lsn',
  3614: 'tsvector', 3615: 'tsquery', 3802: 'jsonb', 3807: 'jsonb[]', 199: 'json[]', 3904: 'int4range', 3906: 'numrange',
  3908: 'tsrange', 3910: 'tstzrange', 3912: 'daterange', 3926: 'int8range', 4089: 'regnamespace', 2205: 'regclass', 2206: 'regtype',
};

/**
 * Column metadata of a result from pg's field descriptions. Types that are not built in (domains,
 * enums, extension types) are named once through the pool and remembered for the engine's life.
 */
export class PostgresResultTypes {
  private readonly names = new Map<number, string>();

  constructor(private readonly pool: pg.Pool) {}

  async columns(fields: readonly pg.FieldDef[]): Promise<ColumnMeta[]> {
    const unknown = [...new Set(fields.map((f) => f.dataTypeID).filter((oid) => BUILTIN[oid] === undefined && !this.names.has(oid)))];
    if (unknown.length > 0) {
      try {
        const { rows } = await this.pool.query<{ oid: number; name: string }>('SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::oid[])', [unknown]);
        for (const r of rows) this.names.set(r.oid, r.name);
      } catch {
        /* the names are a nicety: a failed lookup leaves the oid shown */
      }
    }
    return fields.map((f) => {
      const dataType = BUILTIN[f.dataTypeID] ?? this.names.get(f.dataTypeID) ?? `oid ${f.dataTypeID}`;
      return { name: f.name, dataType, kind: postgresValueKind(dataType) };
    });
  }
}
