import type { SqlLexRules } from '../../../shared/sql/dialect-rules';

/**
 * Types, defaults and check expressions are SQL a person writes into the design, and they end up
 * inside generated statements. This keeps each one a single expression: no statement separator,
 * no comment that would swallow the rest of a line, balanced quotes and parentheses. It returns a
 * reason in words, or null when the fragment is fine.
 */
export function fragmentProblem(text: string, rules: SqlLexRules): string | null {
  const backslashEscapes = rules.backslashEscapes === 'always';
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
    if (ch === '[' && rules.bracketIdentifiers) {
      const j = text.indexOf(']', i + 1);
      if (j < 0) return 'A [bracketed] name is not closed.';
      i = j;
      continue;
    }
    if (ch === ';') return 'It contains ";": one expression only, not several statements.';
    if (ch === '-' && next === '-') return 'It contains "--", which would comment out the rest of the statement.';
    if (ch === '/' && next === '*') return 'It contains "/*": comments are not allowed here.';
    if (ch === '#' && rules.hashComments) return `It contains "#", which starts a comment in ${rules.name}.`;
    if (ch === '$' && rules.dollarQuotes && /^\$[A-Za-z_]*\$/.test(text.slice(i))) return 'Dollar-quoted strings are not allowed here; use a normal quoted string.';
    if (ch === '(') depth++;
    if (ch === ')') {
      depth--;
      if (depth < 0) return 'It has a ")" without its "(".';
    }
  }
  if (depth !== 0) return 'Its parentheses are not balanced.';
  return null;
}
