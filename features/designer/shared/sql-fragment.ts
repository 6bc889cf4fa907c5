import type { EngineKind } from '../../../shared/model/engine';

/**
 * Types, defaults and check expressions are SQL a person writes into the design, and they end up
 * inside generated statements. This keeps each one a single expression: no statement separator,
 * no comment that would swallow the rest of a line, balanced quotes and parentheses. It returns a
 * reason in words, or null when the fragment is fine.
 */
export function fragmentProblem(text: string, engine: EngineKind): string | null {
  const backslashEscapes = engine === 'mysql' || engine === 'mariadb';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === "'" || ch === '"' || ch === '`') {
      const close = ch;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (backslashEscapes && close === "'" && text[j] === '\\') {
          j++;
          continue;
        }
        if (text[j] === close) {
          if (text[j + 1] === close) {
            j++;
            continue;
          }
          break;
        }
      }
      if (j >= text.length) return `${close === "'" ? 'A string' : 'A quoted name'} is not closed.`;
      i = j;
      continue;
    }
    if (ch === '[' && engine === 'sqlite') {
      const j = text.indexOf(']', i + 1);
      if (j < 0) return 'A [bracketed] name is not closed.';
      i = j;
      continue;
    }
    if (ch === ';') return 'It contains ";": one expression only, not several statements.';
    if (ch === '-' && next === '-') return 'It contains "--", which would comment out the rest of the statement.';
    if (ch === '/' && next === '*') return 'It contains "/*": comments are not allowed here.';
    if (ch === '#' && backslashEscapes) return 'It contains "#", which starts a comment on MySQL and MariaDB.';
    if (ch === '$' && engine === 'postgresql' && /^\$[A-Za-z_]*\$/.test(text.slice(i))) return 'Dollar-quoted strings are not allowed here; use a normal quoted string.';
    if (ch === '(') depth++;
    if (ch === ')') {
      depth--;
      if (depth < 0) return 'It has a ")" without its "(".';
    }
  }
  if (depth !== 0) return 'Its parentheses are not balanced.';
  return null;
}

/** The same check as an exception with what was being checked named. */
export function assertFragment(text: string, engine: EngineKind, what: string): void {
  const problem = fragmentProblem(text, engine);
  if (problem) throw new FragmentError(`${what}: ${problem}`);
}

export class FragmentError extends Error {
  override readonly name = 'FragmentError';
}
