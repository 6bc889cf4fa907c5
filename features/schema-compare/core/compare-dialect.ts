import type { DdlScript, DesignDialect } from '../../designer/core/design-dialect';
import type { Change } from '../../designer/shared/diff';
import type { DesignIndex, DesignObject, DesignSchema, DesignTable } from '../../designer/shared/model';

/** Statements an in-place change of one object needs: now (before the tables change), and after them. */
export interface ObjectDdl {
  statements: string[];
  /** Run once the tables are in their new shape (a sequence's OWNED BY a column that is being added). */
  afterTables?: string[];
  /** Remarks for the review. */
  notes?: string[];
  /** Tables whose columns the change rewrites (an enum recreated): views reading them are recreated too. */
  rewritesTables?: string[];
}

/** Both sides of a change, for changes that reach beyond the object (an enum's columns). */
export interface ObjectChangeContext {
  /** The schema before (the target as it is) and after (as the source has it); named as the target. */
  from: DesignSchema;
  to: DesignSchema;
}

/**
 * What schema compare needs from one engine beyond the designer's table DDL: the other object kinds'
 * DDL, how a script is wrapped for the runner and for the engine's own client, and a few table facts.
 * Implemented in electron/core/engines/<family>/<family>-compare.ts; pure (no connection).
 */
export interface CompareDialect {
  /** The designer's DDL for tables, columns, keys, indexes and checks. */
  readonly design: DesignDialect;
  /** Whether two objects of the same kind and name are the same (comments aside). */
  sameObject(a: DesignObject, b: DesignObject): boolean;
  create(o: DesignObject, schema: string): ObjectDdl;
  drop(o: DesignObject, schema: string): string[];
  /** The statements changing `from` into `to` in place; null when it is dropped and created again. */
  alter(from: DesignObject, to: DesignObject, schema: string, context: ObjectChangeContext): ObjectDdl | null;
  /** The statement setting an object's comment (null removes it); null when the engine keeps none. */
  comment(o: DesignObject, comment: string | null, schema: string): string | null;
  /**
   * Whether a table change invalidates what reads the table (a column's type, a dropped column, a
   * SQLite rebuild): its views and triggers are then dropped before and created again after.
   */
  affectsDependents(change: Change): boolean;
  /** Renames an index in place; null when the engine cannot (it is dropped and created). */
  renameIndex(schema: string, table: string, from: string, to: string): string | null;
  /** Two indexes of one table that differ only by their names. */
  sameIndexButName(a: DesignIndex, b: DesignIndex): boolean;
  /** Fills NULLs before a column becomes NOT NULL (with the default it gets). */
  fillNulls(schema: string, table: string, column: string, value: string): string;
  /**
   * Statements around a script aimed at `schema`, in a session whose default schema is `sessionSchema`:
   * the texts name the schema's objects unqualified, so the session must resolve them there.
   */
  envelope(schema: string, sessionSchema: string | null): { before: string[]; after: string[] };
  /** The compare's statements around the designer's table script, in this engine's transaction shape. */
  assemble(parts: { before: string[]; tables: DdlScript; after: string[]; notes: string[] }): DdlScript;
  /** The script as the engine's own command-line client runs it (psql, mariadb, sqlite3). */
  clientScript(script: DdlScript): string;
  /** A table's whole DDL as this engine writes it, for the side-by-side view. */
  tableDdl(design: DesignSchema, table: DesignTable): string;
}
