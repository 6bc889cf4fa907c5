import type { DesignLint } from '../../../shared/ipc/commands/designer';
import type { DesignSchema } from '../../../shared/designer/model';
import type { MigrationAdapter } from '../engines/migration-adapter';
import { CoreError } from '../errors';
import { PlanLinter, splitStatements } from '../migrations';
import type { DdlScript } from '../engines/design-dialect';
import { sectionBody } from './plan-migration';

/**
 * The stored columns a table has when a rebuild copies it: the base's columns under their new names
 * (renames happen in place before a rebuild, table renames too). Lets lint name the columns a
 * rebuild leaves behind. Generated columns are computed again, never copied, so they lose nothing.
 */
function columnsBeforeRebuild(base: DesignSchema, design: DesignSchema, table: string): string[] | null {
  const now = design.tables.find((t) => t.name.toLowerCase() === table);
  const before = now && base.tables.find((t) => t.id === now.id);
  if (!now || !before) return null;
  return before.columns.filter((c) => !c.generated).map((c) => (now.columns.find((x) => x.id === c.id)?.name ?? c.name).toLowerCase());
}

/**
 * The migrations runner's lint on a generated up section, before anything is written or run.
 * The section goes through the runner's own splitter, so what is linted is what would run — and a
 * generated statement the splitter would cut differently is caught here, not in production.
 */
export async function lintDesignMigration(adapter: MigrationAdapter, up: DdlScript, base: DesignSchema, design: DesignSchema): Promise<DesignLint[]> {
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
  const linter = new PlanLinter(adapter, target, (table) => columnsBeforeRebuild(base, design, table));
  return statements.flatMap((st) => linter.lint('new', st, st.startLine)).map((w) => ({ rule: w.rule, statementIndex: w.statementIndex, message: w.message, ...(w.suggestion ? { suggestion: w.suggestion } : {}) }));
}
