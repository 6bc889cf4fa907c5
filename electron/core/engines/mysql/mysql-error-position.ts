import { findWord } from '../common/error-position';

/**
 * MySQL and MariaDB give no error offset, but their messages say where: a syntax error quotes the
 * text that follows the error ("… near 'FROMM t' at line 2"), an unknown table or column names
 * it. The offset is found by looking for that text in the statement.
 */
export function mysqlErrorOffset(error: unknown, sql: string): number | null {
  const e = error as { errno?: number; sqlMessage?: string; message?: string };
  const message = e.sqlMessage ?? e.message ?? '';
  const syntax = /near '([\s\S]*)' at line (\d+)\s*$/.exec(message);
  if (syntax) {
    const near = syntax[1]!;
    const lineStart = startOfLine(sql, Number(syntax[2]));
    if (near === '') return sql.length;
    const at = sql.indexOf(near, lineStart);
    return at >= 0 ? at : lineStart;
  }
  const name = /^Unknown column '([^']+)'/.exec(message)?.[1] ?? /^Table '(?:[^'.]+\.)?([^']+)' doesn't exist/.exec(message)?.[1] ?? /^FUNCTION (?:\S+\.)?(\S+) does not exist/.exec(message)?.[1];
  if (name) return findWord(sql, name.split('.').pop()!);
  return null;
}

function startOfLine(sql: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = sql.indexOf('\n', offset);
    if (nl < 0) return offset;
    offset = nl + 1;
  }
  return offset;
}
