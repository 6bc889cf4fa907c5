import type { SqlLexRules } from '../../migrations/sql/dialect-rules';

/** SQLite: no backslash escapes anywhere; "…", `…` and […] all quote names. */
export const sqliteLexRules: SqlLexRules = {
  name: 'SQLite',
  hashComments: false,
  dashCommentNeedsSpace: false,
  nestedBlockComments: false,
  executableComments: false,
  backslashEscapes: 'never',
  doubleQuotes: 'identifier',
  backtickIdentifiers: true,
  bracketIdentifiers: true,
  dollarQuotes: false,
  delimiterCommand: false,
  compoundBodies: 'triggers',
};
