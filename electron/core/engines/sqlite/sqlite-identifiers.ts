import type { IdentifierRules } from '../../../../shared/sql/identifier-rules';

/** SQLite keeps a name as written and compares names without (ASCII) case, quoted or not. */
export const sqliteIdentifiers: IdentifierRules = { unquoted: 'as-written', caseInsensitive: true };
