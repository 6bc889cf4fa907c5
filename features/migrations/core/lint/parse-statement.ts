import { identifierName, type IdentifierRules } from '../../../../shared/sql/identifier-rules';
import type { SqlStatement as SplitStatement } from '../../../../shared/sql/split-statements';

/** What lint reads of a statement (its place in the file text does not matter to it). */
type SqlStatement = Omit<SplitStatement, 'from' | 'to'>;

/** A quoted ("", ``, []) or bare identifier, in a statement skeleton. */
export const IDENT = '(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\\[[^\\]]+\\]|[A-Za-z_\\u0080-\\uffff][\\w$\\u0080-\\uffff]*)';
export const QUALIFIED = `${IDENT}(?:\\s*\\.\\s*${IDENT})*`;

/** The statement shapes lint rules look at; everything else is `other`. Names are as the server stores them (`identifierName`). */
export type ParsedStatement = { statement: SqlStatement } & (
  | { kind: 'drop-table'; tables: string[] }
  | { kind: 'alter-table'; table: string; actions: string[] }
  | { kind: 'create-table'; table: string }
  | { kind: 'create-index'; table: string | null; concurrently: boolean }
  /** `INSERT INTO a (cols) SELECT … FROM b` with nothing after the table: every row of b copied into a. */
  | { kind: 'copy-rows'; into: string; columns: string[]; from: string }
  | { kind: 'other' }
);

/**
 * The unqualified name as the server stores it: `public."Order Items"` → `Order Items`, `shop.Customer`
 * → `Customer` on MySQL/MariaDB/SQLite and `customer` on PostgreSQL (the engine's rules decide).
 * Shown as it is; compared by `identifierKey`.
 */
export function normaliseName(qualified: string, rules: IdentifierRules): string {
  const parts = qualified.match(new RegExp(IDENT, 'g')) ?? [qualified];
  return identifierName(parts[parts.length - 1]!, rules);
}

/** Splits `a, b (x, y), c` at the commas outside parentheses and quotes. */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === '`' || c === "'") quote = c;
    else if (c === '[') quote = ']';
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter((s) => s !== '');
}

export function parseStatement(statement: SqlStatement, rules: IdentifierRules): ParsedStatement {
  const s = statement.skeleton;
  const name = (qualified: string) => normaliseName(qualified, rules);
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^DROP\\s+(?:TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+EXISTS\\s+)?(${QUALIFIED}(?:\\s*,\\s*${QUALIFIED})*)`, 'i').exec(s))) {
    return { statement, kind: 'drop-table', tables: splitTopLevel(m[1]!).map(name) };
  }
  if ((m = new RegExp(`^ALTER\\s+(?:ONLINE\\s+|IGNORE\\s+)*TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?(${QUALIFIED})\\s*\\*?\\s+([\\s\\S]*)$`, 'i').exec(s))) {
    return { statement, kind: 'alter-table', table: name(m[1]!), actions: splitTopLevel(m[2]!) };
  }
  if ((m = new RegExp(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:(?:GLOBAL|LOCAL)\\s+)?(?:TEMP|TEMPORARY|UNLOGGED)?\\s*TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${QUALIFIED})`, 'i').exec(s))) {
    return { statement, kind: 'create-table', table: name(m[1]!) };
  }
  if ((m = /^CREATE\s+(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX\s+(CONCURRENTLY\s+)?/i.exec(s))) {
    const on = new RegExp(`\\sON\\s+(?:ONLY\\s+)?(${QUALIFIED})`, 'i').exec(s);
    return { statement, kind: 'create-index', table: on ? name(on[1]!) : null, concurrently: m[1] !== undefined };
  }
  if ((m = new RegExp(`^INSERT\\s+(?:OR\\s+\\w+\\s+)?INTO\\s+(${QUALIFIED})\\s*\\(([^()]*)\\)\\s*SELECT\\s[\\s\\S]*?\\sFROM\\s+(${QUALIFIED})$`, 'i').exec(s))) {
    const columns = splitTopLevel(m[2]!).map(name).filter((c) => c.toLowerCase() !== 'rowid');
    return { statement, kind: 'copy-rows', into: name(m[1]!), columns, from: name(m[3]!) };
  }
  return { statement, kind: 'other' };
}

/** The column an `ADD [COLUMN]` / `DROP [COLUMN]` action names, unless the action is about something else. */
export function columnAction(action: string, verb: 'ADD' | 'DROP', rules: IdentifierRules): { column: string; definition: string } | null {
  const notColumns = verb === 'ADD' ? 'CONSTRAINT|INDEX|KEY|PRIMARY|UNIQUE|FOREIGN|CHECK|FULLTEXT|SPATIAL|PARTITION|PERIOD|SYSTEM' : 'CONSTRAINT|INDEX|KEY|PRIMARY|FOREIGN|CHECK|PARTITION|DEFAULT|SYSTEM|PERIOD|IDENTITY|EXPRESSION|NOT';
  const m = new RegExp(`^${verb}\\s+(COLUMN\\s+)?(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?(${IDENT})\\s*([\\s\\S]*)$`, 'i').exec(action);
  if (!m) return null;
  if (!m[1] && new RegExp(`^(${notColumns})$`, 'i').test(m[2]!)) return null;
  return { column: normaliseName(m[2]!, rules), definition: m[3]! };
}
