import type { ForeignKeyAction } from '../../../../shared/model/schema';
import { isWord, tokenizeSqlite, type SqlToken } from './sqlite-sql-tokens';

export interface ParsedForeignKey {
  name: string | null;
  columns: string[];
  refTable: string;
  /** Empty: the parent's primary key. */
  refColumns: string[];
  onDelete: ForeignKeyAction;
  onUpdate: ForeignKeyAction;
}

export interface ParsedColumn {
  name: string;
  /** The declared type as written (`varchar(40)`), empty when none. */
  type: string;
  autoIncrement: boolean;
  collation: string | null;
  generated: { expression: string; stored: boolean } | null;
}

export interface ParsedCreateTable {
  columns: ParsedColumn[];
  primaryKeyName: string | null;
  uniques: { name: string | null; columns: string[] }[];
  checks: { name: string | null; expression: string }[];
  foreignKeys: ParsedForeignKey[];
  withoutRowid: boolean;
  strict: boolean;
}

const COLUMN_CONSTRAINT_START = ['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS'];
const TABLE_CONSTRAINT_START = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'];

/**
 * Reads the parts of a stored `CREATE TABLE` that SQLite's pragmas do not report: constraint names,
 * CHECK expressions, AUTOINCREMENT, collations, generated-column expressions and table options.
 * Columns, keys and foreign-key targets themselves come from the pragmas.
 */
export function parseCreateTable(sql: string): ParsedCreateTable {
  const all = tokenizeSqlite(sql);
  const tokens = all.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const open = tokens.findIndex((t) => t.text === '(');
  const result: ParsedCreateTable = { columns: [], primaryKeyName: null, uniques: [], checks: [], foreignKeys: [], withoutRowid: false, strict: false };
  if (open < 0) return result;
  // Split the body at top-level commas.
  const items: SqlToken[][] = [];
  let depth = 0;
  let current: SqlToken[] = [];
  let close = tokens.length;
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '(') depth++;
    if (t.text === ')') {
      if (depth === 0) {
        close = i;
        break;
      }
      depth--;
    }
    if (t.text === ',' && depth === 0) {
      items.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length) items.push(current);
  const options = tokens.slice(close + 1).map((t) => t.value.toUpperCase());
  result.withoutRowid = options.includes('ROWID') && options.includes('WITHOUT');
  result.strict = options.includes('STRICT');

  const text = (from: SqlToken, to: SqlToken) => sql.slice(from.start, to.end);
  for (const item of items) {
    if (item.length === 0) continue;
    // A quoted first token is a column name even when it spells a keyword ("check").
    if (isWord(item[0], ...TABLE_CONSTRAINT_START)) {
      readTableConstraint(item, result, text);
    } else {
      readColumn(item, result, text);
    }
  }
  return result;
}

type TextOf = (from: SqlToken, to: SqlToken) => string;

/** The tokens of a parenthesised group starting at `i` (which must be `(`), and the index after it. */
function group(ts: SqlToken[], i: number): { inner: SqlToken[]; next: number } {
  let depth = 0;
  for (let j = i; j < ts.length; j++) {
    if (ts[j]!.text === '(') depth++;
    if (ts[j]!.text === ')') {
      depth--;
      if (depth === 0) return { inner: ts.slice(i + 1, j), next: j + 1 };
    }
  }
  return { inner: ts.slice(i + 1), next: ts.length };
}

function nameList(inner: SqlToken[]): string[] {
  // `a, b COLLATE NOCASE DESC` → [a, b]: the first identifier of each comma-separated entry.
  const out: string[] = [];
  let first = true;
  for (const t of inner) {
    if (t.text === ',') {
      first = true;
      continue;
    }
    if (first && (t.kind === 'ident' || t.kind === 'word' || t.kind === 'string')) {
      out.push(t.kind === 'string' ? t.text.slice(1, -1).replace(/''/g, "'") : t.value);
      first = false;
    }
  }
  return out;
}

function action(ts: SqlToken[], i: number): { value: ForeignKeyAction; next: number } {
  const w = (k: number) => ts[k]?.value.toUpperCase();
  if (w(i) === 'SET' && w(i + 1) === 'NULL') return { value: 'SET NULL', next: i + 2 };
  if (w(i) === 'SET' && w(i + 1) === 'DEFAULT') return { value: 'SET DEFAULT', next: i + 2 };
  if (w(i) === 'CASCADE') return { value: 'CASCADE', next: i + 1 };
  if (w(i) === 'RESTRICT') return { value: 'RESTRICT', next: i + 1 };
  if (w(i) === 'NO' && w(i + 1) === 'ACTION') return { value: 'NO ACTION', next: i + 2 };
  return { value: 'NO ACTION', next: i + 1 };
}

/** `REFERENCES parent (cols) ON DELETE … ON UPDATE … [MATCH …] [DEFERRABLE …]` from index i. */
function references(ts: SqlToken[], i: number): { fk: Omit<ParsedForeignKey, 'name' | 'columns'>; next: number } {
  let j = i + 1;
  const refTable = ts[j]?.value ?? '';
  j++;
  let refColumns: string[] = [];
  if (ts[j]?.text === '(') {
    const g = group(ts, j);
    refColumns = nameList(g.inner);
    j = g.next;
  }
  let onDelete: ForeignKeyAction = 'NO ACTION';
  let onUpdate: ForeignKeyAction = 'NO ACTION';
  while (j < ts.length) {
    if (isWord(ts[j], 'ON')) {
      const which = ts[j + 1]?.value.toUpperCase();
      const a = action(ts, j + 2);
      if (which === 'DELETE') onDelete = a.value;
      if (which === 'UPDATE') onUpdate = a.value;
      j = a.next;
    } else if (isWord(ts[j], 'MATCH')) j += 2;
    else if (isWord(ts[j], 'NOT', 'DEFERRABLE', 'INITIALLY', 'DEFERRED', 'IMMEDIATE')) j++;
    else break;
  }
  return { fk: { refTable, refColumns, onDelete, onUpdate }, next: j };
}

function readTableConstraint(ts: SqlToken[], out: ParsedCreateTable, text: TextOf): void {
  let i = 0;
  let name: string | null = null;
  if (isWord(ts[0], 'CONSTRAINT')) {
    name = ts[1]?.value ?? null;
    i = 2;
  }
  const kw = ts[i]?.value.toUpperCase();
  if (kw === 'PRIMARY') {
    out.primaryKeyName = name;
  } else if (kw === 'UNIQUE') {
    const g = group(ts, i + 1);
    out.uniques.push({ name, columns: nameList(g.inner) });
  } else if (kw === 'CHECK') {
    const g = group(ts, i + 1);
    if (g.inner.length) out.checks.push({ name, expression: text(g.inner[0]!, g.inner[g.inner.length - 1]!) });
  } else if (kw === 'FOREIGN') {
    const g = group(ts, i + 2);
    const r = references(ts, g.next);
    out.foreignKeys.push({ name, columns: nameList(g.inner), ...r.fk });
  }
}

function readColumn(ts: SqlToken[], out: ParsedCreateTable, text: TextOf): void {
  const column: ParsedColumn = { name: ts[0]!.value, type: '', autoIncrement: false, collation: null, generated: null };
  let i = 1;
  const typeStart = i;
  while (i < ts.length && !isWord(ts[i], ...COLUMN_CONSTRAINT_START)) {
    if (ts[i]!.text === '(') i = group(ts, i).next;
    else i++;
  }
  if (i > typeStart) column.type = text(ts[typeStart]!, ts[i - 1]!);
  let name: string | null = null;
  while (i < ts.length) {
    const kw = ts[i]!.value.toUpperCase();
    if (kw === 'CONSTRAINT') {
      name = ts[i + 1]?.value ?? null;
      i += 2;
      continue;
    }
    if (kw === 'PRIMARY') {
      out.primaryKeyName = name ?? out.primaryKeyName;
      i += 2;
      while (i < ts.length && !isWord(ts[i], ...COLUMN_CONSTRAINT_START)) {
        if (isWord(ts[i], 'AUTOINCREMENT')) column.autoIncrement = true;
        i++;
      }
    } else if (kw === 'UNIQUE') {
      out.uniques.push({ name, columns: [column.name] });
      i++;
      while (i < ts.length && !isWord(ts[i], ...COLUMN_CONSTRAINT_START)) i++;
    } else if (kw === 'CHECK') {
      const g = group(ts, i + 1);
      if (g.inner.length) out.checks.push({ name, expression: text(g.inner[0]!, g.inner[g.inner.length - 1]!) });
      i = g.next;
    } else if (kw === 'COLLATE') {
      column.collation = ts[i + 1]?.value ?? null;
      i += 2;
    } else if (kw === 'REFERENCES') {
      const r = references(ts, i);
      out.foreignKeys.push({ name, columns: [column.name], ...r.fk });
      i = r.next;
    } else if (kw === 'GENERATED' || kw === 'AS') {
      if (kw === 'GENERATED') i += 2; // GENERATED ALWAYS
      const g = group(ts, i + 1);
      const expression = g.inner.length ? text(g.inner[0]!, g.inner[g.inner.length - 1]!) : '';
      i = g.next;
      const stored = isWord(ts[i], 'STORED');
      if (isWord(ts[i], 'STORED', 'VIRTUAL')) i++;
      column.generated = { expression, stored };
    } else if (kw === 'DEFAULT') {
      // Defaults come from pragma_table_xinfo; skip the value (a literal, a signed number or a group).
      i++;
      if (ts[i]?.text === '(') i = group(ts, i).next;
      else {
        if (ts[i]?.text === '-' || ts[i]?.text === '+') i++;
        i++;
      }
    } else {
      i++; // NOT NULL, NULL, ON CONFLICT …, anything else
    }
    if (kw !== 'CONSTRAINT') name = null;
  }
  out.columns.push(column);
}
