import { z } from 'zod';

/** What a backup holds: everything, only the definitions, or only the rows. */
export const BackupScope = z.enum(['all', 'schema', 'data']);
export type BackupScope = z.infer<typeof BackupScope>;

/** One table to back up; `schema` null means the connection's own (search_path, the MySQL database, SQLite main). */
export const BackupTable = z
  .object({
    schema: z.string().min(1).max(1024).nullable(),
    name: z.string().min(1).max(1024),
  })
  .strict();
export type BackupTable = z.infer<typeof BackupTable>;

export const BackupOptions = z
  .object({
    scope: BackupScope.default('all'),
    /** Empty: every table. */
    tables: z.array(BackupTable).max(1000).default([]),
  })
  .strict();
export type BackupOptions = z.infer<typeof BackupOptions>;

/** How far a backup or restore is: bytes written (backup) or read (restore), tables the tool reported done. */
export const BackupProgress = z.object({
  bytes: z.number().int().min(0),
  /** The backup file's size when restoring (for a percentage); null while backing up. */
  totalBytes: z.number().int().min(0).nullable(),
  tables: z.number().int().min(0),
  /** The table the tool says it is on now, as it names it. */
  currentTable: z.string().nullable(),
});
export type BackupProgress = z.infer<typeof BackupProgress>;

export const BackupResult = z.object({
  path: z.string(),
  bytes: z.number().int(),
  tables: z.number().int(),
  ms: z.number(),
  /** The tool and version that did it: `pg_dump 15.20`, `mariadb-dump 10.11.19-MariaDB`, `SQLite backup API`. */
  tool: z.string(),
});
export type BackupResult = z.infer<typeof BackupResult>;

/** `public.orders` → {schema: public, name: orders}; `orders` → {schema: null}. A name with a dot in it cannot be given this way. */
export function parseTableArgument(text: string): BackupTable {
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1) return { schema: null, name: text };
  return { schema: text.slice(0, dot), name: text.slice(dot + 1) };
}

export function tableLabel(t: BackupTable): string {
  return t.schema ? `${t.schema}.${t.name}` : t.name;
}
