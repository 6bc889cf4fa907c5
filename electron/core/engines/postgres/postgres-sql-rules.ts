import type { SqlLexRules } from '../../migrations/sql/dialect-rules';

/** PostgreSQL with standard_conforming_strings on (the default since 9.1). */
export const postgresLexRules: SqlLexRules = {
  name: 'PostgreSQL',
  hashComments: false,
  dashCommentNeedsSpace: false,
  nestedBlockComments: true,
  executableComments: false,
  backslashEscapes: 'e-prefix',
  doubleQuotes: 'identifier',
  backtickIdentifiers: false,
  bracketIdentifiers: false,
  dollarQuotes: true,
  delimiterCommand: false,
  compoundBodies: 'begin-atomic',
};
