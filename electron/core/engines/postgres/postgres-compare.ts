import type { Change } from '../../../../features/designer/shared/diff';
import type { DesignIndex, DesignObject, DesignSchema, DesignTable } from '../../../../features/designer/shared/model';
import { sqlString } from '../../../../features/designer/core/ddl-common';
import type { DdlScript } from '../../../../features/designer/core/design-dialect';
import type { CompareDialect, ObjectChangeContext, ObjectDdl } from '../../../../features/schema-compare/core/compare-dialect';
import { PostgresDesignDialect } from './postgres-ddl';
import { quotePgIdent as q } from './postgres-types';

const KEYWORD: Record<DesignObject['kind'], string> = {
  enum: 'TYPE',
  domain: 'DOMAIN',
  sequence: 'SEQUENCE',
  function: 'FUNCTION',
  procedure: 'PROCEDURE',
  view: 'VIEW',
  'materialized-view': 'MATERIALIZED VIEW',
  trigger: 'TRIGGER',
};

const ADD_VALUE = /^ALTER TYPE \S.* ADD VALUE '/;

/** `text` with its first `from` replaced (the server printed it; we know exactly where). */
function replaceFirst(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  return at < 0 ? text : text.slice(0, at) + to + text.slice(at + from.length);
}

/** An index's CREATE text with its name taken out: what two indexes differing only by name share. */
function unnamedIndex(definition: string): string {
  return definition.replace(/^(CREATE (?:UNIQUE )?INDEX )(?:"(?:[^"]|"")*"|\S+) ON /, '$1 ON ');
}

/**
 * Schema compare's PostgreSQL DDL: types, domains, sequences, routines, views, materialized views and
 * triggers, aimed at the target schema. Texts come from the server's own printers (pg_get_viewdef,
 * pg_get_functiondef…), so two equal objects read back as equal text.
 */
export class PostgresCompareDialect implements CompareDialect {
  readonly design = new PostgresDesignDialect();

  sameObject(a: DesignObject, b: DesignObject): boolean {
    return a.definition.trim() === b.definition.trim();
  }

  private name(o: DesignObject, schema: string): string {
    // Routines, triggers and views keep the server's own quoting of the name in their texts.
    return `${q(schema)}.${q(o.name)}`;
  }

  create(o: DesignObject, schema: string): ObjectDdl {
    const qs = q(schema);
    const qn = this.name(o, schema);
    switch (o.kind) {
      case 'enum':
        return { statements: [`CREATE TYPE ${qn} AS ENUM (${(o.values ?? []).map((v) => sqlString(v)).join(', ')})`] };
      case 'domain':
        return { statements: [replaceFirst(o.definition, `CREATE DOMAIN ${q(o.name)} `, `CREATE DOMAIN ${qn} `)] };
      case 'sequence': {
        const owned = o.attributes.ownedBy;
        return { statements: [`CREATE SEQUENCE ${qn} ${o.attributes.options ?? ''}`.trim()], afterTables: owned ? [`ALTER SEQUENCE ${qn} OWNED BY ${qs}.${owned}`] : [] };
      }
      case 'function':
      case 'procedure': {
        const word = KEYWORD[o.kind];
        const bare = o.attributes.qname ?? q(o.name);
        return { statements: [replaceFirst(o.definition, `CREATE OR REPLACE ${word} ${bare}(`, `CREATE OR REPLACE ${word} ${qs}.${bare}(`)] };
      }
      case 'view':
      case 'materialized-view': {
        const create = `CREATE ${KEYWORD[o.kind]} ${qn}${o.attributes.options ?? ''} AS\n${o.attributes.body ?? ''}`;
        const qt = o.attributes.qt ?? q(o.name);
        const indexes = (JSON.parse(o.attributes.indexes ?? '[]') as string[]).map((i) => replaceFirst(replaceFirst(i, ` ON ${qt} USING `, ` ON ${qs}.${qt} USING `), ` ON ONLY ${qt} USING `, ` ON ONLY ${qs}.${qt} USING `));
        return { statements: [create, ...indexes] };
      }
      case 'trigger': {
        const qt = o.attributes.qt ?? q(o.table ?? '');
        return { statements: [replaceFirst(o.definition, ` ON ${qt} `, ` ON ${qs}.${qt} `)] };
      }
    }
  }

  drop(o: DesignObject, schema: string): string[] {
    const qn = this.name(o, schema);
    switch (o.kind) {
      case 'function':
      case 'procedure':
        return [`DROP ${KEYWORD[o.kind]} IF EXISTS ${qn}(${o.signature ?? ''})`];
      case 'trigger':
        return [`DROP TRIGGER IF EXISTS ${q(o.name)} ON ${q(schema)}.${q(o.table ?? '')}`];
      default:
        return [`DROP ${KEYWORD[o.kind]} IF EXISTS ${qn}`];
    }
  }

  alter(from: DesignObject, to: DesignObject, schema: string, context: ObjectChangeContext): ObjectDdl | null {
    const qn = this.name(to, schema);
    switch (to.kind) {
      case 'enum':
        return this.alterEnum(from, to, schema, context);
      case 'domain': {
        const a = from.attributes;
        const b = to.attributes;
        if (a.base !== b.base || a.collation !== b.collation) return null;
        const out: string[] = [];
        if (a.default !== b.default) out.push(`ALTER DOMAIN ${qn} ${b.default ? `SET DEFAULT ${b.default}` : 'DROP DEFAULT'}`);
        if (a.notNull !== b.notNull) out.push(`ALTER DOMAIN ${qn} ${b.notNull === 'true' ? 'SET' : 'DROP'} NOT NULL`);
        const checks = (x: Record<string, string>) => new Map(Object.entries(x).filter(([k]) => k.startsWith('check:')).map(([k, v]) => [k.slice(6), v]));
        const [ca, cb] = [checks(a), checks(b)];
        for (const [name, def] of ca) if (cb.get(name) !== def) out.push(`ALTER DOMAIN ${qn} DROP CONSTRAINT ${q(name)}`);
        for (const [name, def] of cb) if (ca.get(name) !== def) out.push(`ALTER DOMAIN ${qn} ADD CONSTRAINT ${q(name)} ${def}`);
        return { statements: out };
      }
      case 'sequence': {
        const statements = from.attributes.options !== to.attributes.options ? [`ALTER SEQUENCE ${qn} ${to.attributes.options ?? ''}`.trim()] : [];
        const owned = to.attributes.ownedBy;
        const afterTables = from.attributes.ownedBy !== owned ? [`ALTER SEQUENCE ${qn} OWNED BY ${owned ? `${q(schema)}.${owned}` : 'NONE'}`] : [];
        return { statements, afterTables };
      }
      case 'function':
      case 'procedure':
        // CREATE OR REPLACE keeps grants and dependents, but cannot change argument names or the result type.
        if (from.attributes.arguments !== to.attributes.arguments || from.attributes.result !== to.attributes.result) return null;
        return this.create(to, schema);
      default:
        return null;
    }
  }

  /**
   * New labels are added in place (ADD VALUE BEFORE/AFTER). Removing or reordering labels needs a new
   * type: the old one is renamed away, every column using it converted through text, and dropped.
   */
  private alterEnum(from: DesignObject, to: DesignObject, schema: string, context: ObjectChangeContext): ObjectDdl {
    const qn = this.name(to, schema);
    const before = from.values ?? [];
    const after = to.values ?? [];
    const kept = after.filter((v) => before.includes(v));
    if (kept.length === before.length && kept.every((v, i) => v === before[i])) {
      const statements = after.flatMap((v, i) => {
        if (before.includes(v)) return [];
        const next = after.slice(i + 1).find((x) => before.includes(x));
        const where = next !== undefined ? `BEFORE ${sqlString(next)}` : i > 0 ? `AFTER ${sqlString(after[i - 1]!)}` : '';
        return [`ALTER TYPE ${qn} ADD VALUE ${sqlString(v)} ${where}`.trim()];
      });
      return { statements };
    }
    const typeName = from.attributes.qname ?? q(from.name);
    const old = `${to.name}__dbdesk_old`.slice(0, 63);
    const statements = [`ALTER TYPE ${qn} RENAME TO ${q(old)}`, `CREATE TYPE ${qn} AS ENUM (${after.map((v) => sqlString(v)).join(', ')})`];
    const tables: string[] = [];
    for (const t of context.from.tables) {
      for (const c of t.columns) {
        const array = c.type === `${typeName}[]`;
        if (c.type !== typeName && !array) continue;
        const tq = `${q(schema)}.${q(t.name)}`;
        const col = q(c.name);
        const newDefault = context.to.tables.find((x) => x.name === t.name)?.columns.find((x) => x.name === c.name)?.default ?? null;
        if (c.default !== null) statements.push(`ALTER TABLE ${tq} ALTER COLUMN ${col} DROP DEFAULT`);
        statements.push(`ALTER TABLE ${tq} ALTER COLUMN ${col} TYPE ${qn}${array ? '[]' : ''} USING ${col}::text${array ? '[]' : ''}::${qn}${array ? '[]' : ''}`);
        if (newDefault !== null) statements.push(`ALTER TABLE ${tq} ALTER COLUMN ${col} SET DEFAULT ${newDefault}`);
        tables.push(t.name);
      }
    }
    statements.push(`DROP TYPE ${q(schema)}.${q(old)}`);
    const removed = before.filter((v) => !after.includes(v));
    const notes = [`The enum ${to.name} is recreated${removed.length ? ` without ${removed.join(', ')}` : ' in a new order'}: every column using it is converted, and a row holding a removed value makes the migration fail.`];
    return { statements, notes, rewritesTables: tables };
  }

  comment(o: DesignObject, comment: string | null, schema: string): string | null {
    const text = comment === null ? 'NULL' : sqlString(comment);
    const what =
      o.kind === 'function' || o.kind === 'procedure'
        ? `${this.name(o, schema)}(${o.signature ?? ''})`
        : o.kind === 'trigger'
          ? `${q(o.name)} ON ${q(schema)}.${q(o.table ?? '')}`
          : this.name(o, schema);
    return `COMMENT ON ${o.kind === 'enum' ? 'TYPE' : KEYWORD[o.kind]} ${what} IS ${text}`;
  }

  affectsDependents(c: Change): boolean {
    switch (c.kind) {
      case 'drop-table':
      case 'rename-table':
      case 'drop-column':
      case 'rename-column':
      case 'set-primary-key':
        return true;
      case 'alter-column':
        return c.aspects.some((a) => a === 'type' || a === 'collation' || a === 'generated');
      default:
        return false;
    }
  }

  renameIndex(schema: string, _table: string, from: string, to: string): string {
    return `ALTER INDEX ${q(schema)}.${q(from)} RENAME TO ${q(to)}`;
  }

  sameIndexButName(a: DesignIndex, b: DesignIndex): boolean {
    if (a.definition || b.definition) return !!a.definition && !!b.definition && unnamedIndex(a.definition) === unnamedIndex(b.definition);
    return a.unique === b.unique && a.columns.join('\u0000') === b.columns.join('\u0000') && (a.method ?? 'btree') === (b.method ?? 'btree') && (a.where ?? '') === (b.where ?? '');
  }

  fillNulls(schema: string, table: string, column: string, value: string): string {
    return `UPDATE ${q(schema)}.${q(table)} SET ${q(column)} = ${value} WHERE ${q(column)} IS NULL`;
  }

  /** The texts name the schema's objects unqualified: a session elsewhere looks there for this migration only. */
  envelope(schema: string, sessionSchema: string | null): { before: string[]; after: string[] } {
    if (schema === sessionSchema) return { before: [], after: [] };
    return { before: [`SET LOCAL search_path TO ${q(schema)}`], after: ['SET LOCAL search_path TO DEFAULT'] };
  }

  /**
   * One transaction, but for new enum values: PostgreSQL lets a value be used (in a default, a check, a
   * view) only once the ALTER TYPE … ADD VALUE that made it has committed, so those run first. A migration
   * file cannot commit in the middle of its transaction (dbmate runs one file in one), so such a file runs
   * statement by statement instead.
   */
  assemble(parts: { before: string[]; tables: DdlScript; after: string[]; notes: string[] }): DdlScript {
    const all = [...parts.before, ...parts.tables.statements, ...parts.after];
    const first = all.filter((x) => ADD_VALUE.test(x));
    const notes = [...parts.notes, ...parts.tables.notes];
    if (!first.length) return { statements: all, notes, transactional: true };
    notes.push('New enum values come first: PostgreSQL lets a statement use an enum value only once the value is committed. As a migration every statement commits on its own (transaction:false); psql runs them first and the rest in one transaction.');
    return { statements: [...first, ...all.filter((x) => !ADD_VALUE.test(x))], notes, transactional: false, committedFirst: first.length };
  }

  /** For psql: one transaction, so a failure leaves the target as it was (new enum values, committed first, aside). */
  clientScript(script: DdlScript): string {
    if (script.statements.length === 0) return '';
    const n = script.committedFirst ?? 0;
    const notes = script.notes.map((x) => `-- ${x.replace(/\n/g, ' ')}\n`).join('');
    const first = script.statements.slice(0, n).map((s) => `${s};\n`).join('');
    const rest = script.statements.slice(n);
    return `${notes}${first}${first && rest.length ? '\n' : ''}${rest.length ? `BEGIN;\n\n${rest.map((s) => `${s};\n`).join('\n')}\nCOMMIT;\n` : ''}`;
  }

  tableDdl(design: DesignSchema, t: DesignTable): string {
    const out = [this.design.createTable(design.schema, t), ...t.indexes.map((i) => this.design.createIndex(design.schema, t, i))];
    const tq = `${q(design.schema)}.${q(t.name)}`;
    for (const f of t.foreignKeys) if (f.refSchema !== null || design.tables.some((x) => x.id === f.refTable)) out.push(`ALTER TABLE ${tq} ADD ${this.design.foreignKey(design, t, f)}`);
    if (t.comment !== null) out.push(`COMMENT ON TABLE ${tq} IS ${sqlString(t.comment)}`);
    for (const c of t.columns) if (c.comment !== null) out.push(`COMMENT ON COLUMN ${tq}.${q(c.name)} IS ${sqlString(c.comment)}`);
    return out.map((s) => `${s};`).join('\n');
  }
}
