/**
 * What a data-changing statement writes, read from its text (dialect-neutral: every engine's
 * identifier quotes are taken off). The engines' errors often leave the table out (MySQL's
 * "Duplicate entry", SQLite's "FOREIGN KEY constraint failed"); an explainer takes it from here.
 */

/**
 * The table an INSERT, UPDATE, DELETE or REPLACE writes, as written (quotes of any engine taken off,
 * the schema left out): MySQL's and SQLite's errors often do not name it.
 */
export function writtenTable(sql: string): string | null {
  const m = /^\s*(?:WITH\b[\s\S]*?\)\s*)?(?:INSERT(?:\s+(?:IGNORE|OR\s+\w+))?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+(?:IGNORE|OR\s+\w+))?|DELETE\s+FROM)\s+((?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[^\s.(,;]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[^\s.(,;]+))*)/i.exec(sql);
  if (!m) return null;
  const parts = m[1]!.match(/"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[^\s.]+/g) ?? [];
  const last = parts[parts.length - 1];
  if (!last) return null;
  if (last.startsWith('"')) return last.slice(1, -1).replace(/""/g, '"');
  if (last.startsWith('`')) return last.slice(1, -1).replace(/``/g, '`');
  if (last.startsWith('[')) return last.slice(1, -1);
  return last;
}

/** The table a statement writes and what it does to rows, for an explainer's context; empty when it is no INSERT/UPDATE/DELETE/REPLACE. */
export function writtenBy(sql: string): { table?: string; action?: 'insert' | 'update' | 'delete' } {
  const table = writtenTable(sql);
  const verb = /^\s*(?:WITH\b[\s\S]*?\)\s*)?(INSERT|REPLACE|UPDATE|DELETE)\b/i.exec(sql)?.[1]?.toLowerCase();
  const action = verb === 'replace' ? 'insert' : (verb as 'insert' | 'update' | 'delete' | undefined);
  return { ...(table ? { table } : {}), ...(action ? { action } : {}) };
}
