import type pg from 'pg';
import { nameIds, type DesignColumn, type DesignSchema, type DesignTable, type EngineType } from '../../../../features/designer/shared/model';
import type { ForeignKeyAction } from '../../../../shared/model/schema';
import { CoreError } from '../../errors';
import { postgresBuiltinTypes } from './postgres-design-types';
import { checkoutClient } from './postgres-checkout';
import { readPostgresObjects, relativeIndex } from './postgres-object-reader';
import type { ReadDesignOptions } from '../engine';

const fkActions: Record<string, ForeignKeyAction> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/**
 * Reads a whole schema for the designer in six catalog queries, however many tables it has (the
 * table browser's describeTable reads one table at a time, with row counts the designer does not need).
 */
export class PostgresDesignReader {
  constructor(private readonly pool: pg.Pool) {}

  async read(schema: string, options: ReadDesignOptions = {}): Promise<DesignSchema> {
    const client = await checkoutClient(this.pool);
    try {
      // One snapshot for all queries: a concurrent DDL cannot give half a picture.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        // A complete read prints the schema's own names unqualified (types, defaults, view texts),
        // so two schemas of different names compare equal and the DDL runs in whichever it is aimed at.
        if (options.complete) await client.query(`SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident($1), true)`, [schema]);
        const design = await this.readWith(client, schema, !!options.complete);
        if (options.complete) {
          const nsOid = (await client.query<{ oid: number }>(`SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $1`, [schema])).rows[0]!.oid;
          design.objects = await readPostgresObjects(client, nsOid);
        }
        return design;
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    } finally {
      client.release();
    }
  }

  private async readWith(db: pg.PoolClient, schema: string, relative: boolean): Promise<DesignSchema> {
    const ns = await db.query<{ oid: number }>(`SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $1`, [schema]);
    if (!ns.rows[0]) throw new CoreError('not-found', `There is no schema named "${schema}" (or you may not use it).`);
    const nsOid = ns.rows[0].oid;

    const rels = await db.query<{ oid: number; name: string; comment: string | null }>(
      `SELECT c.oid, c.relname AS name, ds.description AS comment
         FROM pg_catalog.pg_class c
         LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0
        WHERE c.relnamespace = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY c.relname`,
      [nsOid],
    );
    const oids = rels.rows.map((r) => r.oid);
    const tables = new Map<number, DesignTable>();
    for (const r of rels.rows) {
      tables.set(r.oid, { id: nameIds.table(r.name), name: r.name, comment: r.comment, columns: [], primaryKey: null, uniques: [], indexes: [], checks: [], foreignKeys: [], triggers: [], withoutRowid: false, strict: false });
    }
    if (oids.length === 0) return { engine: 'postgresql', schema, tables: [], views: await this.views(db, nsOid) };

    const cols = await db.query<{ rel: number; num: number; name: string; type: string; notnull: boolean; dflt: string | null; identity: string; generated: string; comment: string | null; collation: string | null }>(
      `SELECT a.attrelid AS rel, a.attnum AS num, a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
              a.attnotnull AS notnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS dflt, a.attidentity AS identity,
              a.attgenerated AS generated, ds.description AS comment,
              CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname END AS collation
         FROM pg_catalog.pg_attribute a
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
         -- A join, not col_description(): that function is a query of its own per column (20,000 columns: 0.3 s).
         LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = a.attrelid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = a.attnum
        WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum`,
      [oids],
    );
    const attnames = new Map<string, string>(); // `${rel}:${num}` → name
    for (const c of cols.rows) {
      attnames.set(`${c.rel}:${c.num}`, c.name);
      const column: DesignColumn = {
        id: nameIds.column(c.name),
        name: c.name,
        type: c.type,
        nullable: !c.notnull,
        default: c.generated === 's' ? null : c.dflt,
        autoIncrement: c.identity === 'a' || c.identity === 'd',
        ...(relative ? { identity: c.identity === 'a' ? ('always' as const) : c.identity === 'd' ? ('by-default' as const) : null } : {}),
        generated: c.generated === 's' && c.dflt ? { expression: c.dflt, stored: true } : null,
        comment: c.comment,
        collation: c.collation,
        onUpdate: null,
      };
      tables.get(c.rel)?.columns.push(column);
    }
    const colIds = (rel: number, nums: number[]) => nums.map((n) => nameIds.column(attnames.get(`${rel}:${n}`) ?? `#${n}`));

    const cons = await db.query<{ rel: number; name: string; type: string; keys: string | null; frel: number | null; fkeys: string | null; fschema: string | null; ftable: string | null; del: string; upd: string; def: string | null; check_src: string | null }>(
      `SELECT con.conrelid AS rel, con.conname AS name, con.contype AS type, array_to_json(con.conkey)::text AS keys,
              con.confrelid AS frel, array_to_json(con.confkey)::text AS fkeys, fn.nspname AS fschema, fc.relname AS ftable,
              con.confdeltype AS del, con.confupdtype AS upd,
              -- Only checks need the text (pg_get_constraintdef costs ~20 µs a constraint; 5,000 keys add 0.1 s).
              CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_constraintdef(con.oid) END AS def,
              CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid) END AS check_src
         FROM pg_catalog.pg_constraint con
         LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'c', 'f')
        ORDER BY con.conrelid, con.conname`,
      [oids],
    );
    // The referenced columns' names for foreign keys into other schemas.
    const foreignCols = new Map<string, string>();
    const otherRels = [...new Set(cons.rows.filter((c) => c.type === 'f' && c.frel && !tables.has(c.frel)).map((c) => c.frel!))];
    if (otherRels.length) {
      const fc = await db.query<{ rel: number; num: number; name: string }>(
        `SELECT attrelid AS rel, attnum AS num, attname AS name FROM pg_catalog.pg_attribute WHERE attrelid = ANY($1::oid[]) AND attnum > 0`,
        [otherRels],
      );
      for (const r of fc.rows) foreignCols.set(`${r.rel}:${r.num}`, r.name);
    }
    const nums = (json: string | null) => (json ? (JSON.parse(json) as number[]) : []);
    for (const c of cons.rows) {
      const t = tables.get(c.rel);
      if (!t) continue;
      const columns = colIds(c.rel, nums(c.keys));
      if (c.type === 'p') t.primaryKey = { name: c.name, columns };
      else if (c.type === 'u') t.uniques.push({ id: nameIds.unique(c.name, []), name: c.name, columns });
      else if (c.type === 'c') {
        const expression = c.check_src ?? (c.def ?? '').replace(/^CHECK \((.*)\)( NOT VALID)?$/s, '$1');
        t.checks.push({ id: nameIds.check(c.name, expression), name: c.name, expression });
      } else if (c.type === 'f' && c.frel) {
        const parent = tables.get(c.frel);
        const inSchema = c.fschema === schema && !!parent;
        t.foreignKeys.push({
          id: nameIds.foreignKey(c.name, [], ''),
          name: c.name,
          columns,
          refSchema: inSchema ? null : c.fschema,
          refTable: inSchema ? parent!.id : (c.ftable ?? '?'),
          refColumns: inSchema ? colIds(c.frel, nums(c.fkeys)) : nums(c.fkeys).map((n) => foreignCols.get(`${c.frel}:${n}`) ?? `#${n}`),
          onDelete: fkActions[c.del] ?? 'NO ACTION',
          onUpdate: fkActions[c.upd] ?? 'NO ACTION',
        });
      }
    }

    // Indexes that are not the backing index of a constraint.
    const idx = await db.query<{ rel: number; name: string; unique: boolean; method: string; keys: string; nkey: number; pred: string | null; def: string; has_expr: boolean; plain: boolean; qs: string; qt: string }>(
      `SELECT ix.indrelid AS rel, i.relname AS name, pg_catalog.quote_ident(tn.nspname) AS qs, pg_catalog.quote_ident(tc.relname) AS qt, ix.indisunique AS unique, am.amname AS method,
              array_to_json(ix.indkey::int2[])::text AS keys, ix.indnkeyatts AS nkey, pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) AS pred,
              pg_catalog.pg_get_indexdef(ix.indexrelid) AS def, ix.indexprs IS NOT NULL AS has_expr,
              -- default operator classes, no collations, no DESC/NULLS FIRST: describable as a column list
              NOT EXISTS (SELECT 1 FROM unnest(ix.indclass::oid[]) AS oc(oid) JOIN pg_catalog.pg_opclass o ON o.oid = oc.oid WHERE NOT o.opcdefault)
                AND NOT EXISTS (SELECT 1 FROM unnest(ix.indoption::int2[]) AS op(v) WHERE op.v <> 0)
                AND ix.indnatts = ix.indnkeyatts AS plain
         FROM pg_catalog.pg_index ix
         JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
         JOIN pg_catalog.pg_am am ON am.oid = i.relam
         JOIN pg_catalog.pg_class tc ON tc.oid = ix.indrelid
         JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
        WHERE ix.indrelid = ANY($1::oid[])
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = ix.indexrelid AND c.contype IN ('p', 'u', 'x'))
        ORDER BY ix.indrelid, i.relname`,
      [oids],
    );
    for (const r of idx.rows) {
      const t = tables.get(r.rel);
      if (!t) continue;
      const describable = !r.has_expr && r.plain;
      t.indexes.push({
        id: nameIds.index(r.name),
        name: r.name,
        columns: describable ? colIds(r.rel, nums(r.keys).slice(0, r.nkey)) : [],
        unique: r.unique,
        method: r.method,
        where: describable ? r.pred : null,
        definition: describable ? null : relative ? relativeIndex(r.def, r.qs, r.qt) : r.def,
      });
    }

    // Name-derived ids for unnamed-in-catalog objects use the column names.
    for (const t of tables.values()) {
      const names = (ids: string[]) => ids.map((id) => t.columns.find((c) => c.id === id)?.name ?? id);
      t.uniques = t.uniques.map((u) => ({ ...u, id: nameIds.unique(u.name, names(u.columns)) }));
      t.foreignKeys = t.foreignKeys.map((f) => ({ ...f, id: nameIds.foreignKey(f.name, names(f.columns), f.refTable) }));
    }
    return { engine: 'postgresql', schema, tables: [...tables.values()], views: await this.views(db, nsOid) };
  }

  private async views(db: pg.PoolClient, nsOid: number): Promise<{ name: string; sql: string }[]> {
    const { rows } = await db.query<{ name: string; def: string; kind: string }>(
      `SELECT c.relname AS name, pg_catalog.pg_get_viewdef(c.oid, true) AS def, c.relkind AS kind
         FROM pg_catalog.pg_class c WHERE c.relnamespace = $1 AND c.relkind IN ('v', 'm') ORDER BY c.relname`,
      [nsOid],
    );
    return rows.map((r) => ({ name: r.name, sql: r.def }));
  }

  /** Built-in types plus the database's own: enums, domains, composite and range types of visible schemas. */
  async types(): Promise<EngineType[]> {
    const { rows } = await this.pool.query<{ name: string; kind: string }>(
      `SELECT pg_catalog.format_type(t.oid, NULL) AS name, t.typtype AS kind
         FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
          AND t.typtype IN ('e', 'd', 'r', 'b')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.reltype = t.oid)
          AND t.typelem = 0
        ORDER BY 1
        LIMIT 2000`,
    );
    const own: EngineType[] = rows.map((r) => ({ name: r.name, category: r.kind === 'e' ? 'enum' : 'other', params: 'none', example: r.name, source: 'database' }));
    return [...postgresBuiltinTypes, ...own];
  }
}
