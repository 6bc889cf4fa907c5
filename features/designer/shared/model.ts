import { z } from 'zod';
import { EngineKind } from '../../../shared/model/engine';
import { ForeignKeyAction } from '../../../shared/model/schema';

/**
 * The schema designer's model: one schema's tables as a person designs them. Every object has an
 * id that survives renames, so "renamed" and "dropped then added" stay different things. Objects
 * read from a database get ids derived from their names (the same on every read); objects a person
 * adds get fresh ids. Columns are referred to by id inside their table, tables by id in the schema.
 */

const Id = z.string().min(1).max(300);
const Name = z.string().max(1024);

export const DesignColumn = z.object({
  id: Id,
  name: Name,
  /** As the engine spells it, with length/precision: `character varying(40)`, `decimal(12,2)`, `TEXT`. */
  type: z.string().max(300),
  nullable: z.boolean(),
  /** SQL expression, or null for none. */
  default: z.string().max(4000).nullable(),
  /** PostgreSQL identity, MySQL AUTO_INCREMENT, SQLite AUTOINCREMENT. */
  autoIncrement: z.boolean().default(false),
  /** A generated column: its expression, computed on write (stored) or read (virtual). */
  generated: z.object({ expression: z.string().max(4000), stored: z.boolean() }).nullable().default(null),
  comment: z.string().max(4000).nullable().default(null),
  /** A collation other than the table's default, when the engine reports one. */
  collation: z.string().max(200).nullable().default(null),
  /** MySQL/MariaDB `ON UPDATE current_timestamp()`: the expression, or null. */
  onUpdate: z.string().max(200).nullable().default(null),
  /**
   * How a PostgreSQL identity column generates values (`GENERATED ALWAYS` or `BY DEFAULT AS IDENTITY`),
   * when the reader knows; absent elsewhere (then `autoIncrement` says all there is).
   */
  identity: z.enum(['always', 'by-default']).nullable().optional(),
});
export type DesignColumn = z.infer<typeof DesignColumn>;

export const DesignPrimaryKey = z.object({
  /** Constraint name; null lets the engine choose (SQLite and MySQL have no PK names). */
  name: Name.nullable(),
  columns: z.array(Id).min(1),
});
export type DesignPrimaryKey = z.infer<typeof DesignPrimaryKey>;

export const DesignUnique = z.object({
  id: Id,
  name: Name.nullable(),
  columns: z.array(Id).min(1),
});
export type DesignUnique = z.infer<typeof DesignUnique>;

export const DesignIndex = z.object({
  id: Id,
  name: Name,
  /** Plain column indexes list their columns; expression indexes keep `definition` instead. */
  columns: z.array(Id),
  unique: z.boolean(),
  /** btree, hash, gin… (PostgreSQL, MySQL); null for the engine's default. */
  method: z.string().max(64).nullable().default(null),
  /** Partial index predicate, when the engine has them. */
  where: z.string().max(4000).nullable().default(null),
  /** The full CREATE INDEX statement of an index the model cannot describe (expressions). Kept as written. */
  definition: z.string().max(20000).nullable().default(null),
});
export type DesignIndex = z.infer<typeof DesignIndex>;

export const DesignCheck = z.object({
  id: Id,
  name: Name.nullable(),
  expression: z.string().min(1).max(4000),
});
export type DesignCheck = z.infer<typeof DesignCheck>;

export const DesignForeignKey = z.object({
  id: Id,
  name: Name.nullable(),
  columns: z.array(Id).min(1),
  /** null: the design's own schema, and refTable/refColumns are ids. Otherwise names in that schema. */
  refSchema: Name.nullable().default(null),
  refTable: z.string().min(1).max(1024),
  refColumns: z.array(z.string().min(1).max(1024)).min(1),
  onDelete: ForeignKeyAction,
  onUpdate: ForeignKeyAction,
});
export type DesignForeignKey = z.infer<typeof DesignForeignKey>;

/** A trigger or view, kept as the engine stores it: the SQLite table rebuild recreates them. */
export const DesignSqlObject = z.object({ name: Name, sql: z.string().max(200_000) });
export type DesignSqlObject = z.infer<typeof DesignSqlObject>;

export const DesignTable = z.object({
  id: Id,
  name: Name,
  comment: z.string().max(4000).nullable().default(null),
  columns: z.array(DesignColumn),
  primaryKey: DesignPrimaryKey.nullable(),
  uniques: z.array(DesignUnique).default([]),
  indexes: z.array(DesignIndex).default([]),
  checks: z.array(DesignCheck).default([]),
  foreignKeys: z.array(DesignForeignKey).default([]),
  triggers: z.array(DesignSqlObject).default([]),
  /** SQLite table options. */
  withoutRowid: z.boolean().default(false),
  strict: z.boolean().default(false),
});
export type DesignTable = z.infer<typeof DesignTable>;

/** The kinds of schema objects besides tables that schema compare reads, diffs and writes DDL for. */
export const schemaObjectKinds = ['enum', 'domain', 'sequence', 'function', 'procedure', 'view', 'materialized-view', 'trigger'] as const;
export const SchemaObjectKind = z.enum(schemaObjectKinds);
export type SchemaObjectKind = z.infer<typeof SchemaObjectKind>;

/**
 * A schema object other than a table, as the engine reads it back: its kind, its name, and the
 * statement that creates it, with names of the schema's own objects left unqualified (so two schemas
 * of different names compare equal, and the DDL runs in whichever schema it is aimed at).
 */
export const DesignObject = z.object({
  kind: SchemaObjectKind,
  name: Name,
  /** Functions and procedures: the identity arguments (`integer, text`); they are part of the name. */
  signature: z.string().max(4000).nullable().default(null),
  /** Triggers: the table (or view) they belong to. */
  table: Name.nullable().default(null),
  /** The CREATE statement, as the engine prints it back (no trailing semicolon). */
  definition: z.string().max(1_000_000),
  comment: z.string().max(4000).nullable().default(null),
  /** PostgreSQL enums: the labels in order (new labels are added in place). */
  values: z.array(z.string().max(1024)).nullable().default(null),
  /**
   * Facts the engine's compare dialect needs to change the object in place instead of dropping and
   * creating it (a sequence's options and owner, a domain's default and checks, a routine's result type).
   */
  attributes: z.record(z.string().max(300), z.string().max(1_000_000)).default({}),
  /** Names of the tables and objects of this schema the definition uses, for ordering creates and drops. */
  dependsOn: z.array(Name).default([]),
});
export type DesignObject = z.infer<typeof DesignObject>;

export const DesignSchema = z.object({
  engine: EngineKind,
  /** The schema (PostgreSQL), database (MySQL/MariaDB) or attached database (SQLite `main`). */
  schema: Name,
  tables: z.array(DesignTable).max(20_000),
  views: z.array(DesignSqlObject).default([]),
  /**
   * Every object besides tables (views, sequences, types, routines, triggers): read only for schema
   * compare (the designer leaves it out, and keeps `views` and tables' `triggers` for SQLite rebuilds).
   */
  objects: z.array(DesignObject).max(100_000).optional(),
});
export type DesignSchema = z.infer<typeof DesignSchema>;

export const FOREIGN_KEY_ACTIONS = ForeignKeyAction.options;

export function tableById(design: DesignSchema, id: string): DesignTable | undefined {
  return design.tables.find((t) => t.id === id);
}

export function columnById(table: DesignTable, id: string): DesignColumn | undefined {
  return table.columns.find((c) => c.id === id);
}

/** Column ids → names; an id that is gone shows as `?`. */
export function columnNames(table: DesignTable, ids: readonly string[]): string[] {
  return ids.map((id) => columnById(table, id)?.name ?? '?');
}

/** The referenced table of a foreign key inside the design (null when it points to another schema). */
export function referencedTable(design: DesignSchema, fk: DesignForeignKey): DesignTable | undefined {
  return fk.refSchema === null ? tableById(design, fk.refTable) : undefined;
}

/** Names of a foreign key's referenced columns, whether it points inside the design or elsewhere. */
export function referencedColumnNames(design: DesignSchema, fk: DesignForeignKey): string[] {
  const parent = referencedTable(design, fk);
  return parent ? columnNames(parent, fk.refColumns) : fk.refColumns;
}

export function referencedTableName(design: DesignSchema, fk: DesignForeignKey): string {
  if (fk.refSchema !== null) return `${fk.refSchema}.${fk.refTable}`;
  return tableById(design, fk.refTable)?.name ?? '?';
}

export function emptyDesign(engine: EngineKind, schema: string): DesignSchema {
  return { engine, schema, tables: [], views: [] };
}

/** Ids derived from names, so two reads of the same database give the same ids. */
export const nameIds = {
  table: (name: string) => `t:${name}`,
  column: (name: string) => `c:${name}`,
  index: (name: string) => `i:${name}`,
  unique: (name: string | null, columns: readonly string[]) => (name ? `u:${name}` : `u:(${columns.join(',')})`),
  check: (name: string | null, expression: string) => (name ? `k:${name}` : `k:(${expression})`),
  foreignKey: (name: string | null, columns: readonly string[], refTable: string) => (name ? `f:${name}` : `f:(${columns.join(',')})->${refTable}`),
};

let counter = 0;
/** A fresh id for an object a person adds (never equal to a name-derived id). */
export function freshId(prefix: string): string {
  counter = (counter + 1) % 1_000_000;
  return `${prefix}+${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * The same schema with every id re-derived from names. Two designs compare by name after this:
 * what a round trip needs (a design against the database it was applied to).
 */
export function rekeyByName(design: DesignSchema): DesignSchema {
  const tableIds = new Map(design.tables.map((t) => [t.id, nameIds.table(t.name)]));
  const colIdsOf = new Map(design.tables.map((t) => [t.id, new Map(t.columns.map((c) => [c.id, nameIds.column(c.name)]))]));
  return {
    ...design,
    tables: design.tables.map((t) => {
      const cols = colIdsOf.get(t.id)!;
      const col = (id: string) => cols.get(id) ?? id;
      const names = (ids: readonly string[]) => ids.map((id) => columnById(t, id)?.name ?? id);
      return {
        ...t,
        id: tableIds.get(t.id)!,
        columns: t.columns.map((c) => ({ ...c, id: col(c.id) })),
        primaryKey: t.primaryKey ? { ...t.primaryKey, columns: t.primaryKey.columns.map(col) } : null,
        uniques: t.uniques.map((u) => ({ ...u, id: nameIds.unique(u.name, names(u.columns)), columns: u.columns.map(col) })),
        indexes: t.indexes.map((i) => ({ ...i, id: nameIds.index(i.name), columns: i.columns.map(col) })),
        checks: t.checks.map((k) => ({ ...k, id: nameIds.check(k.name, k.expression) })),
        foreignKeys: t.foreignKeys.map((f) => {
          const parent = f.refSchema === null ? design.tables.find((p) => p.id === f.refTable) : undefined;
          const parentCols = parent ? colIdsOf.get(parent.id)! : undefined;
          return {
            ...f,
            id: nameIds.foreignKey(f.name, names(f.columns), parent?.name ?? f.refTable),
            columns: f.columns.map(col),
            refTable: parent ? tableIds.get(parent.id)! : f.refTable,
            refColumns: parentCols ? f.refColumns.map((id) => parentCols.get(id) ?? id) : f.refColumns,
          };
        }),
      };
    }),
  };
}

/** One entry of an engine's type list, as the type picker offers it. */
export const EngineType = z.object({
  /** As written in DDL: `integer`, `character varying`, `decimal`, `TEXT`, or a user-defined `public.mood`. */
  name: z.string(),
  category: z.enum(['number', 'text', 'date-time', 'boolean', 'binary', 'json', 'uuid', 'network', 'geometry', 'array', 'enum', 'other']),
  /** What goes in parentheses after the name: nothing, a length (`varchar(n)`), precision and scale (`decimal(p,s)`), or enum values. */
  params: z.enum(['none', 'length', 'optional-length', 'precision', 'values']).default('none'),
  /** A ready-to-use spelling for the picker (`character varying(255)`, `decimal(12,2)`). */
  example: z.string(),
  /** Where it comes from: built into the engine, or defined in the database (domains, enums, extensions). */
  source: z.enum(['builtin', 'database']).default('builtin'),
});
export type EngineType = z.infer<typeof EngineType>;
