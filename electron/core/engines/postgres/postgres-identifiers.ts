import type { IdentifierRules } from '../../../../shared/sql/identifier-rules';

/** PostgreSQL folds unquoted names to lower case; `"Customer"` and `customer` are two tables. */
export const postgresIdentifiers: IdentifierRules = { unquoted: 'fold-lower', caseInsensitive: false };
