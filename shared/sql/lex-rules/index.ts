import type { EngineFamily } from '../../model/engine';
import type { SqlLexRules } from '../dialect-rules';
import { mysqlLexRules } from './mysql';
import { postgresLexRules } from './postgres';
import { sqliteLexRules } from './sqlite';

/** The lexical rules of an engine family (shared: the SQL editor splits in the renderer, migrations in the core). */
export function lexRulesFor(family: EngineFamily): SqlLexRules {
  return family === 'postgres' ? postgresLexRules : family === 'mysql' ? mysqlLexRules : sqliteLexRules;
}
