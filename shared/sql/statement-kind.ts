import type { SqlLexRules } from './dialect-rules';
import { splitStatements } from './split-statements';

/** First words of statements that only read, or that only steer the session and its transaction. */
const READ_STARTS = new Set(['SELECT', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'DESC', 'VALUES', 'TABLE', 'HELP', 'USE', 'SET', 'RESET', 'BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'PRAGMA', 'WITH']);
const WRITE_WORDS = /\b(INSERT|UPDATE|DELETE|MERGE|REPLACE|UPSERT|TRUNCATE|CREATE|DROP|ALTER|GRANT|REVOKE|CALL|COPY|LOCK|INTO)\b/i;

/**
 * Whether a statement may change data or schema, judged from its text with strings and comments
 * stripped. It errs towards "may write" (anything unknown counts), and it is only the cue for the
 * production confirmation: read-only connections are enforced by the server, never by this.
 * Functions called from a SELECT can still write; the confirmation cannot see that.
 */
export function mayWrite(sql: string, rules: SqlLexRules): boolean {
  let skeleton: string;
  try {
    skeleton = splitStatements(sql, rules)
      .map((s) => s.skeleton)
      .join(' ; ')
      .trim();
  } catch {
    return true;
  }
  const first = (/^[A-Za-z]+/.exec(skeleton)?.[0] ?? '').toUpperCase();
  if (first === '') return skeleton !== '';
  if (!READ_STARTS.has(first)) return true;
  switch (first) {
    case 'PRAGMA':
      return /=/.test(skeleton);
    case 'SET':
      return /\b(GLOBAL|PERSIST|PERSIST_ONLY)\b|@@global\./i.test(skeleton);
    case 'EXPLAIN':
      return /\bANALY[SZ]E\b/i.test(skeleton) && WRITE_WORDS.test(skeleton);
    default:
      // WITH … DELETE, SELECT … INTO (a new table in PostgreSQL, variables or files in MySQL).
      return WRITE_WORDS.test(skeleton);
  }
}
