/**
 * A small SQLite tokenizer: enough to read CREATE TABLE statements (SQLite has no catalog of check
 * constraints, constraint names or generated-column expressions; only the stored SQL has them) and
 * to rename identifiers inside trigger and view text during a table rebuild.
 */
export interface SqlToken {
  kind: 'word' | 'ident' | 'string' | 'number' | 'punct' | 'space' | 'comment';
  /** The text as written. */
  text: string;
  /** Identifier value: quotes removed for `ident`, the word itself for `word`. */
  value: string;
  start: number;
  end: number;
}

export function tokenizeSqlite(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  const push = (kind: SqlToken['kind'], end: number, value?: string) => {
    const text = sql.slice(i, end);
    out.push({ kind, text, value: value ?? text, start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    const rest = sql.slice(i);
    if (/\s/.test(ch)) {
      push('space', i + /^\s+/.exec(rest)![0].length);
    } else if (rest.startsWith('--')) {
      const nl = sql.indexOf('\n', i);
      push('comment', nl < 0 ? sql.length : nl);
    } else if (rest.startsWith('/*')) {
      const close = sql.indexOf('*/', i + 2);
      push('comment', close < 0 ? sql.length : close + 2);
    } else if (ch === "'") {
      push('string', quotedEnd(sql, i, "'"));
    } else if (ch === '"' || ch === '`') {
      const end = quotedEnd(sql, i, ch);
      push('ident', end, sql.slice(i + 1, end - 1).split(ch + ch).join(ch));
    } else if (ch === '[') {
      const close = sql.indexOf(']', i);
      const end = close < 0 ? sql.length : close + 1;
      push('ident', end, sql.slice(i + 1, end - 1));
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      push('number', i + /^(0x[0-9a-f]+|\d*\.?\d+(e[-+]?\d+)?)/i.exec(rest)![0].length);
    } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      push('word', i + /^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/.exec(rest)![0].length);
    } else {
      const op = /^(\|\||<<|>>|<=|>=|==|!=|<>|->>|->|.)/s.exec(rest)![0];
      push('punct', i + op.length);
    }
  }
  return out;
}

function quotedEnd(sql: string, start: number, q: string): number {
  let j = start + 1;
  while (j < sql.length) {
    if (sql[j] === q) {
      if (sql[j + 1] === q) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return sql.length;
}

/** Identifier tokens (quoted or bare words) equal to a name, case-insensitively. */
export function isName(t: SqlToken | undefined, name: string): boolean {
  return !!t && (t.kind === 'ident' || t.kind === 'word') && t.value.toLowerCase() === name.toLowerCase();
}

export function isWord(t: SqlToken | undefined, ...words: string[]): boolean {
  return !!t && t.kind === 'word' && words.includes(t.value.toUpperCase());
}

/** Whether the SQL text names an identifier (quoted or not) anywhere outside strings and comments. */
export function mentionsName(sql: string, name: string): boolean {
  return tokenizeSqlite(sql).some((t) => isName(t, name));
}

/**
 * The SQL with identifiers renamed (`old` → `new`, case-insensitive), strings and comments
 * untouched; renamed identifiers come out double-quoted. Used to carry table and column renames
 * into trigger, view and index text that a rebuild recreates.
 */
export function renameIdentifiers(sql: string, renames: ReadonlyMap<string, string>): string {
  if (renames.size === 0) return sql;
  const lower = new Map([...renames].map(([k, v]) => [k.toLowerCase(), v]));
  return tokenizeSqlite(sql)
    .map((t) => {
      if (t.kind !== 'ident' && t.kind !== 'word') return t.text;
      const to = lower.get(t.value.toLowerCase());
      return to === undefined ? t.text : `"${to.replace(/"/g, '""')}"`;
    })
    .join('');
}
