import type { DesignLint } from '../../../shared/ipc/commands/designer';
import type { DesignSchema } from '../shared/model';
import type { MigrationAdapter } from '../../migrations/core/migration-adapter';
import { CoreError } from '../../../electron/core/errors';
import { PlanLinter, splitStatements } from '../../migrations/core';
import { identifierKey, type IdentifierRules } from '../../../shared/sql/identifier-rules';
import type { DdlScript } from './design-dialect';
import { sectionBody } from './plan-migration';

/**
 * The stored columns of a table the design's base had (lint follows the migration's renames from
 * there). Generated columns are computed again, never copied, so a rebuild loses nothing of them.
 */
function baseColumns(base: DesignSchema, table: string, rules: IdentifierRules): string[] | null {
  const t = base.tables.find((x) => identifierKey(x.name, rules) === identifierKey(table, rules));
  return t ? t.columns.filter((c) => !c.generated).map((c) => c.name.toLowerCase()) : null;
}

/**
 * The migrations runner's lint on a generated up section, before anything is written or run.
 * The section goes through the runner's own splitter, so what is linted is what would run — and a
 * generated statement the splitter would cut differently is caught here, not in production.
 */
export async function lintDesignMigration(adapter: MigrationAdapter, up: DdlScript, base: DesignSchema): Promise<DesignLint[]> {
  const statements = splitStatements(sectionBody(up), adapter.lexRules);
  if (statements.length !== up.statements.length) {
    throw new CoreError('internal', `The generated migration splits into ${statements.length} statements where ${up.statements.length} were written; it is not saved.`);
  }
  const conn = await adapter.openConnection();
  let target;
  try {
    target = await adapter.describeTarget(conn);
  } finally {
    await conn.close();
  }
  const linter = new PlanLinter(adapter, target, (table) => baseColumns(base, table, adapter.identifiers));
  return statements.flatMap((st) => linter.lint('new', st, st.startLine)).map((w) => ({ rule: w.rule, statementIndex: w.statementIndex, message: w.message, ...(w.suggestion ? { suggestion: w.suggestion } : {}) }));
}
