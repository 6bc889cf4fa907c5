import type { SqlLexRules } from '../../migrations/sql/dialect-rules';

/** MySQL and MariaDB with the default sql_mode (no ANSI_QUOTES, no NO_BACKSLASH_ESCAPES). */
export const mysqlLexRules: SqlLexRules = {
  name: 'MySQL/MariaDB',
  hashComments: true,
  dashCommentNeedsSpace: true,
  nestedBlockComments: false,
  executableComments: true,
  backslashEscapes: 'always',
  doubleQuotes: 'string',
  backtickIdentifiers: true,
  bracketIdentifiers: false,
  dollarQuotes: false,
  delimiterCommand: true,
  compoundBodies: 'routines',
};
