import { z } from 'zod';
import { ValueKind } from './values';

export const ServerInfo = z.object({
  product: z.enum(['postgresql', 'mysql', 'mariadb', 'sqlite']),
  version: z.string(),
  /** The full banner the server reports (`version()`, `@@version_comment`…). */
  versionText: z.string(),
  currentUser: z.string().nullable(),
  currentDatabase: z.string().nullable(),
  readOnly: z.boolean(),
  /** Galera: `wsrep_on` is set on the node. */
  galera: z.boolean().default(false),
});
export type ServerInfo = z.infer<typeof ServerInfo>;

export const SchemaSummary = z.object({
  name: z.string(),
  /** The schema the connection lands in (`current_schema()`, the MySQL database, SQLite `main`). */
  isDefault: z.boolean(),
});
export type SchemaSummary = z.infer<typeof SchemaSummary>;

export const TableKind = z.enum(['table', 'view', 'materialized-view', 'foreign-table', 'partitioned-table']);
export type TableKind = z.infer<typeof TableKind>;

export const TableRef = z.object({
  /** PostgreSQL schema, MySQL database, SQLite attached database name (`main`). */
  schema: z.string().min(1).max(1024),
  name: z.string().min(1).max(1024),
});
export type TableRef = z.infer<typeof TableRef>;

export const TableSummary = TableRef.extend({
  kind: TableKind,
  /** The engine's cheap estimate when it has one; null when unknown. Never a count(*). */
  estimatedRows: z.number().nullable(),
});
export type TableSummary = z.infer<typeof TableSummary>;

export const ColumnInfo = z.object({
  name: z.string(),
  /** As the engine spells it, with length/precision: `character varying(40)`, `decimal(12,2)`. */
  dataType: z.string(),
  nullable: z.boolean(),
  /** The default as an SQL expression, or null when there is none. */
  defaultValue: z.string().nullable(),
  primaryKeyPosition: z.number().int().nullable(),
  autoIncrement: z.boolean(),
  generated: z.boolean().default(false),
  comment: z.string().nullable().default(null),
  /** How the grid treats its values (the engine maps its own type names onto these). */
  kind: ValueKind.default('other'),
});
export type ColumnInfo = z.infer<typeof ColumnInfo>;

export const ForeignKeyAction = z.enum(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']);
export type ForeignKeyAction = z.infer<typeof ForeignKeyAction>;

export const ForeignKeyInfo = z.object({
  name: z.string(),
  columns: z.array(z.string()),
  referencedSchema: z.string(),
  referencedTable: z.string(),
  referencedColumns: z.array(z.string()),
  onDelete: ForeignKeyAction,
  onUpdate: ForeignKeyAction,
});
export type ForeignKeyInfo = z.infer<typeof ForeignKeyInfo>;

export const IndexInfo = z.object({
  name: z.string(),
  columns: z.array(z.string()),
  unique: z.boolean(),
  primary: z.boolean(),
  /** Engine-specific method (`btree`, `gin`, `HASH`…) when known. */
  method: z.string().nullable(),
  /** Full definition when the engine gives one (`CREATE INDEX …`). */
  definition: z.string().nullable(),
});
export type IndexInfo = z.infer<typeof IndexInfo>;

export const RowCount = z.object({
  value: z.number(),
  exact: z.boolean(),
});
export type RowCount = z.infer<typeof RowCount>;

export const TableDetail = TableSummary.extend({
  columns: z.array(ColumnInfo),
  primaryKey: z.array(z.string()),
  foreignKeys: z.array(ForeignKeyInfo),
  indexes: z.array(IndexInfo),
  rowCount: RowCount.nullable(),
  /** How rows of this table are identified for edits, and why not when they can't be. */
  rowIdentity: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('primary-key'), columns: z.array(z.string()) }),
    z.object({ kind: z.literal('rowid') }),
    z.object({ kind: z.literal('ctid'), warning: z.string() }),
    z.object({ kind: z.literal('none'), reason: z.string() }),
  ]),
});
export type TableDetail = z.infer<typeof TableDetail>;
