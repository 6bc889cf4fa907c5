/**
 * What a data-changing statement writes, read from its text (dialect-neutral: every engine's
 * identifier quotes are taken off). The engines' errors often leave the table out (MySQL's
 * "Duplicate entry", SQLite's "FOREIGN KEY constraint failed"); an explainer takes it from here.
 */
import { identifierName, type IdentifierRules } from './identifier-rules';

/**
 * The table an INSERT, UPDATE, DELETE or REPLACE writes, as written (quotes of any engine taken off,
 * the schema left out): MySQL's and SQLite's errors often do not name it.
 */
export function writtenTable(sql: string): string | null {
  return writtenTableRef(sql)?.name ?? null;
}

/**
 * The same, with the schema (or database) the statement names — null when it names none (the
 * session's search path decides). With the engine's `rules`, an unquoted name is the one the server
 * stores (PostgreSQL folds it to lower case), for looking it up in the catalog.
 */
export function writtenTableRef(sql: string, rules?: IdentifierRules): { schema: string | null; name: string } | null {
  const m = /^\s*(?:WITH\b[\s\S]*?\)\s*)?(?:INSERT(?:\s+(?:IGNORE|OR\s+\w+))?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+(?:IGNORE|OR\s+\w+))?|DELETE\s+FROM)\s+((?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[^\s.(,;]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[^\s.(,;]+))*)/i.exec(sql);
  if (!m) return null;
  const parts = (m[1]!.match(/"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[^\s.]+/g) ?? []).map((p) => (rules ? identifierName(p, rules) : unquote(p)));
  const name = parts[parts.length - 1];
  if (!name) return null;
  return { schema: parts.length >= 2 ? parts[parts.length - 2]! : null, name };
}

function unquote(part: string): string {
  if (part.startsWith('"')) return part.slice(1, -1).replace(/""/g, '"');
  if (part.startsWith('`')) return part.slice(1, -1).replace(/``/g, '`');
  if (part.startsWith('[')) return part.slice(1, -1);
  return part;
}

/** The table a statement writes and what it does to rows, for an explainer's context; empty when it is no INSERT/UPDATE/DELETE/REPLACE. */
export function writtenBy(sql: string): { table?: string; action?: 'insert' | 'update' | 'delete' } {
  const table = writtenTable(sql);
  const verb = /^\s*(?:WITH\b[\s\S]*?\)\s*)?(INSERT|REPLACE|UPDATE|DELETE)\b/i.exec(sql)?.[1]?.toLowerCase();
  const action = verb === 'replace' ? 'insert' : (verb as 'insert' | 'update' | 'delete' | undefined);
  return { ...(table ? { table } : {}), ...(action ? { action } : {}) };
}
