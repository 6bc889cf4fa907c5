import { engineFamily, type EngineFamily, type EngineKind } from '../../model/engine';
import type { SqlLexRules } from '../dialect-rules';
import { mysqlLexRules } from './mysql';
import { postgresLexRules } from './postgres';
import { sqliteLexRules } from './sqlite';

/**
 * The lexical rules of each engine family, as data: the renderer splits SQL with them before any
 * connection exists (SQL editor, designer fragments), and each Dialect holds its family's.
 */
export const lexRules: Record<EngineFamily, SqlLexRules> = {
  postgres: postgresLexRules,
  mysql: mysqlLexRules,
  sqlite: sqliteLexRules,
};

export function lexRulesFor(family: EngineFamily): SqlLexRules {
  return lexRules[family];
}

export function lexRulesOf(kind: EngineKind): SqlLexRules {
  return lexRules[engineFamily(kind)];
}
