import type pg from 'pg';
import type { DesignObject } from '../../../../features/designer/shared/model';
import { quotePgIdent as q } from './postgres-types';

/** Not created by an extension (those come and go with CREATE EXTENSION, not with the schema). */
/**
 * Not an extension's member. The catalog is named so the lookup uses pg_depend's (classid, objid)
 * index: without it each object scans all of pg_depend (5 s for 2,000 sequences).
 */
const notFromExtension = (oid: string, catalog: 'pg_class' | 'pg_type' | 'pg_proc') =>
  `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;

const object = (o: Partial<DesignObject> & Pick<DesignObject, 'kind' | 'name' | 'definition'>): DesignObject => ({
  signature: null,
  table: null,
  comment: null,
  values: null,
  attributes: {},
  dependsOn: [],
  ...o,
});

/** `CREATE … a.f(` printed by the server → `CREATE … f(`: the schema's own name is left out, as everywhere else in a compare read. */
function relative(text: string, qualified: string, bare: string): string {
  const at = text.indexOf(qualified);
  return at < 0 ? text : text.slice(0, at) + bare + text.slice(at + qualified.length);
}

/**
 * Reads a schema's objects besides tables for schema compare: enums, domains, sequences (not the ones
 * identity columns own), functions and procedures, views, materialized views (with their indexes) and
 * triggers, each with its comment and the names it depends on. Runs inside the design reader's
 * snapshot with search_path set to the schema, so every text the server prints names the schema's
 * own objects unqualified.
 */
export async function readPostgresObjects(db: pg.PoolClient, nsOid: number): Promise<DesignObject[]> {
  const out: DesignObject[] = [];

  const enums = await db.query<{ name: string; qn: string; labels: string; comment: string | null }>(
    `SELECT t.typname AS name, pg_catalog.quote_ident(t.typname) AS qn, array_to_json(array_agg(e.enumlabel::text ORDER BY e.enumsortorder))::text AS labels, pg_catalog.obj_description(t.oid, 'pg_type') AS comment
       FROM pg_catalog.pg_type t JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
      WHERE t.typnamespace = $1 AND ${notFromExtension('t.oid', 'pg_type')}
      GROUP BY t.oid, t.typname ORDER BY t.typname`,
    [nsOid],
  );
  for (const r of enums.rows) {
    const labels = json<string[]>(r.labels) ?? [];
    const definition = `CREATE TYPE ${q(r.name)} AS ENUM (${labels.map(literal).join(', ')})`;
    // `qname`: the type as format_type() spells it in column types (quoted only where needed).
    out.push(object({ kind: 'enum', name: r.name, definition, comment: r.comment, values: labels, attributes: { qname: r.qn } }));
  }

  const domains = await db.query<{ oid: number; name: string; base: string; notnull: boolean; dflt: string | null; coll: string | null; comment: string | null; checks: string | null; deps: string | null }>(
    `SELECT t.oid, t.typname AS name, pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull AS notnull,
            pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS dflt,
            CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN co.collname END AS coll,
            pg_catalog.obj_description(t.oid, 'pg_type') AS comment,
            (SELECT json_agg(json_build_object('name', c.conname, 'def', pg_catalog.pg_get_constraintdef(c.oid)) ORDER BY c.conname)
               FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid)::text AS checks,
            (SELECT json_agg(dt.typname) FROM pg_catalog.pg_type dt WHERE dt.oid = t.typbasetype AND dt.typnamespace = $1)::text AS deps
       FROM pg_catalog.pg_type t
       JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
       LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
      WHERE t.typnamespace = $1 AND t.typtype = 'd' AND ${notFromExtension('t.oid', 'pg_type')}
      ORDER BY t.typname`,
    [nsOid],
  );
  for (const r of domains.rows) {
    const checks = json<{ name: string; def: string }[]>(r.checks) ?? [];
    const parts = [`CREATE DOMAIN ${q(r.name)} AS ${r.base}`];
    if (r.coll) parts.push(`COLLATE ${q(r.coll)}`);
    if (r.dflt !== null) parts.push(`DEFAULT ${r.dflt}`);
    if (r.notnull) parts.push('NOT NULL');
    for (const c of checks) parts.push(`CONSTRAINT ${q(c.name)} ${c.def}`);
    const attributes: Record<string, string> = { base: r.base, notNull: String(r.notnull), default: r.dflt ?? '', collation: r.coll ?? '' };
    for (const c of checks) attributes[`check:${c.name}`] = c.def;
    out.push(object({ kind: 'domain', name: r.name, definition: parts.join(' '), comment: r.comment, attributes, dependsOn: json<string[]>(r.deps) ?? [] }));
  }

  const sequences = await db.query<{ name: string; type: string; start: string; inc: string; min: string; max: string; cache: string; cycle: boolean; owner_table: string | null; owner_column: string | null; comment: string | null }>(
    `SELECT c.relname AS name, pg_catalog.format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start, s.seqincrement::text AS inc,
            s.seqmin::text AS min, s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
            ot.relname AS owner_table, oa.attname AS owner_column, pg_catalog.obj_description(c.oid, 'pg_class') AS comment
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
       LEFT JOIN pg_catalog.pg_depend d ON d.objid = c.oid AND d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'a'
       LEFT JOIN pg_catalog.pg_class ot ON ot.oid = d.refobjid AND ot.relnamespace = $1
       LEFT JOIN pg_catalog.pg_attribute oa ON oa.attrelid = ot.oid AND oa.attnum = d.refobjsubid
      WHERE c.relnamespace = $1 AND c.relkind = 'S' AND ${notFromExtension('c.oid', 'pg_class')}
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.objid = c.oid AND i.classid = 'pg_catalog.pg_class'::regclass AND i.deptype = 'i')
      ORDER BY c.relname`,
    [nsOid],
  );
  for (const r of sequences.rows) {
    const options = `AS ${r.type} INCREMENT BY ${r.inc} MINVALUE ${r.min} MAXVALUE ${r.max} START WITH ${r.start} CACHE ${r.cache} ${r.cycle ? 'CYCLE' : 'NO CYCLE'}`;
    const ownedBy = r.owner_table && r.owner_column ? `${q(r.owner_table)}.${q(r.owner_column)}` : '';
    out.push(
      object({
        kind: 'sequence',
        name: r.name,
        definition: `CREATE SEQUENCE ${q(r.name)} ${options}${ownedBy ? ` OWNED BY ${ownedBy}` : ''}`,
        comment: r.comment,
        attributes: { options, ownedBy },
        dependsOn: r.owner_table ? [r.owner_table] : [],
      }),
    );
  }

  const routines = await db.query<{ oid: number; name: string; kind: string; def: string; identity: string; args: string; result: string | null; qs: string; qn: string; comment: string | null; types: string | null }>(
    `SELECT p.oid, p.proname AS name, p.prokind AS kind, pg_catalog.pg_get_functiondef(p.oid) AS def,
            pg_catalog.pg_get_function_identity_arguments(p.oid) AS identity, pg_catalog.pg_get_function_arguments(p.oid) AS args,
            pg_catalog.pg_get_function_result(p.oid) AS result, pg_catalog.quote_ident(n.nspname) AS qs, pg_catalog.quote_ident(p.proname) AS qn,
            pg_catalog.obj_description(p.oid, 'pg_proc') AS comment,
            (SELECT json_agg(DISTINCT t.typname) FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_type t ON t.oid = d.refobjid
              WHERE d.objid = p.oid AND d.classid = 'pg_catalog.pg_proc'::regclass AND d.refclassid = 'pg_catalog.pg_type'::regclass AND t.typnamespace = $1)::text AS types
       FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE p.pronamespace = $1 AND p.prokind IN ('f', 'p') AND ${notFromExtension('p.oid', 'pg_proc')}
      ORDER BY p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)`,
    [nsOid],
  );
  for (const r of routines.rows) {
    const word = r.kind === 'p' ? 'PROCEDURE' : 'FUNCTION';
    const definition = relative(r.def.trimEnd(), `CREATE OR REPLACE ${word} ${r.qs}.${r.qn}(`, `CREATE OR REPLACE ${word} ${r.qn}(`);
    out.push(
      object({
        kind: r.kind === 'p' ? 'procedure' : 'function',
        name: r.name,
        signature: r.identity,
        definition,
        comment: r.comment,
        attributes: { arguments: r.args, result: r.result ?? '', qname: r.qn },
        dependsOn: json<string[]>(r.types) ?? [],
      }),
    );
  }

  const views = await db.query<{ oid: number; name: string; kind: string; def: string; options: string | null; comment: string | null; uses: string | null; indexes: string | null; qs: string; qt: string }>(
    `SELECT c.oid, c.relname AS name, c.relkind AS kind, pg_catalog.pg_get_viewdef(c.oid, true) AS def, array_to_json(c.reloptions)::text AS options,
            pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
            pg_catalog.quote_ident(n.nspname) AS qs, pg_catalog.quote_ident(c.relname) AS qt,
            (SELECT json_agg(DISTINCT u.name) FROM (
                SELECT rc.relname AS name FROM pg_catalog.pg_rewrite rw JOIN pg_catalog.pg_depend d ON d.objid = rw.oid AND d.classid = 'pg_catalog.pg_rewrite'::regclass
                  JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid AND d.refclassid = 'pg_catalog.pg_class'::regclass
                 WHERE rw.ev_class = c.oid AND rc.oid <> c.oid AND rc.relnamespace = $1
                UNION
                SELECT rp.proname FROM pg_catalog.pg_rewrite rw JOIN pg_catalog.pg_depend d ON d.objid = rw.oid AND d.classid = 'pg_catalog.pg_rewrite'::regclass
                  JOIN pg_catalog.pg_proc rp ON rp.oid = d.refobjid AND d.refclassid = 'pg_catalog.pg_proc'::regclass
                 WHERE rw.ev_class = c.oid AND rp.pronamespace = $1
                UNION
                SELECT rt.typname FROM pg_catalog.pg_rewrite rw JOIN pg_catalog.pg_depend d ON d.objid = rw.oid AND d.classid = 'pg_catalog.pg_rewrite'::regclass
                  JOIN pg_catalog.pg_type rt ON rt.oid = d.refobjid AND d.refclassid = 'pg_catalog.pg_type'::regclass
                 WHERE rw.ev_class = c.oid AND rt.typnamespace = $1) u)::text AS uses,
            (SELECT json_agg(json_build_object('def', pg_catalog.pg_get_indexdef(ix.indexrelid), 'qs', pg_catalog.quote_ident(n.nspname), 'qt', pg_catalog.quote_ident(c.relname))
                     ORDER BY ic.relname)
               FROM pg_catalog.pg_index ix JOIN pg_catalog.pg_class ic ON ic.oid = ix.indexrelid WHERE ix.indrelid = c.oid)::text AS indexes
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relnamespace = $1 AND c.relkind IN ('v', 'm') AND ${notFromExtension('c.oid', 'pg_class')}
      ORDER BY c.relname`,
    [nsOid],
  );
  for (const r of views.rows) {
    const matview = r.kind === 'm';
    const options = json<string[]>(r.options) ?? [];
    const withOptions = options.length ? ` WITH (${options.join(', ')})` : '';
    const body = r.def.trim().replace(/;$/, '');
    const indexes = (json<{ def: string; qt: string; qs: string }[]>(r.indexes) ?? []).map((i) => relativeIndex(i.def, i.qs, i.qt));
    const definition = [`CREATE ${matview ? 'MATERIALIZED ' : ''}VIEW ${q(r.name)}${withOptions} AS\n${body}`, ...indexes].join(';\n');
    out.push(
      object({
        kind: matview ? 'materialized-view' : 'view',
        name: r.name,
        definition,
        comment: r.comment,
        attributes: { body, options: withOptions, indexes: JSON.stringify(indexes), qt: r.qt },
        dependsOn: json<string[]>(r.uses) ?? [],
      }),
    );
  }

  const triggers = await db.query<{ name: string; table: string; def: string; qs: string; qt: string; fn: string | null; comment: string | null }>(
    `SELECT tg.tgname AS name, c.relname AS "table", pg_catalog.pg_get_triggerdef(tg.oid) AS def,
            pg_catalog.quote_ident(n.nspname) AS qs, pg_catalog.quote_ident(c.relname) AS qt,
            CASE WHEN p.pronamespace = $1 THEN p.proname END AS fn, pg_catalog.obj_description(tg.oid, 'pg_trigger') AS comment
       FROM pg_catalog.pg_trigger tg
       JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_proc p ON p.oid = tg.tgfoid
      WHERE c.relnamespace = $1 AND NOT tg.tgisinternal AND NOT c.relispartition
      ORDER BY c.relname, tg.tgname`,
    [nsOid],
  );
  for (const r of triggers.rows) {
    const definition = relative(r.def, ` ON ${r.qs}.${r.qt} `, ` ON ${r.qt} `);
    out.push(object({ kind: 'trigger', name: r.name, table: r.table, definition, comment: r.comment, attributes: { qt: r.qt }, dependsOn: [r.table, ...(r.fn ? [r.fn] : [])] }));
  }
  return out;
}

/** A CREATE INDEX the server printed with its table schema-qualified, with the schema left out. */
export function relativeIndex(def: string, qs: string, qt: string): string {
  return relative(relative(def, ` ON ONLY ${qs}.${qt} USING `, ` ON ONLY ${qt} USING `), ` ON ${qs}.${qt} USING `, ` ON ${qt} USING `);
}

/** Arrays and JSON arrive as text (the engine's type parsers keep values as the server sent them). */
function json<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
