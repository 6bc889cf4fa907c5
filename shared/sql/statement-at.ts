import type { SqlLexRules } from './dialect-rules';
import { splitStatements } from './split-statements';

/** A statement the editor will run, with where it is in the editor's text. */
export interface PickedStatement {
  sql: string;
  from: number;
  to: number;
}

/**
 * What Ctrl/Cmd+Enter runs: the selection (split into its statements) when there is one, else
 * the statement at the cursor — the one the cursor is in, the one that ended on the cursor's line
 * (the cursor usually sits right after its `;`), else the next one. `all` runs everything.
 * Throws SqlSplitError (with a line) for text that never closes a string, comment or block.
 */
export function statementsToRun(text: string, selection: { from: number; to: number }, mode: 'cursor' | 'all', rules: SqlLexRules): PickedStatement[] {
  const from = Math.min(selection.from, selection.to);
  const to = Math.max(selection.from, selection.to);
  if (to > from && text.slice(from, to).trim() !== '') {
    return splitStatements(text.slice(from, to), rules).map((s) => ({ sql: s.sql, from: s.from + from, to: s.to + from }));
  }
  const all = splitStatements(text, rules).map((s) => ({ sql: s.sql, from: s.from, to: s.to }));
  if (mode === 'all' || all.length === 0) return all;
  const cursor = from;
  const inside = all.find((s) => cursor >= s.from && cursor <= s.to);
  if (inside) return [inside];
  const before = all.filter((s) => s.to <= cursor).at(-1);
  const after = all.find((s) => s.from >= cursor);
  if (!before) return after ? [after] : [];
  // The rest of a line belongs to the statement that ended on it; the lines below, to the next one.
  const laterLine = text.slice(before.to, cursor).includes('\n');
  return [laterLine && after ? after : before];
}

/** 1-based line and column of an offset, for messages. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
