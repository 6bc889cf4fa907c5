import type { LintWarning } from '../../../../shared/model/migrations';
import type { LintContext, MigrationAdapter, MigrationTarget } from '../../engines/migration-adapter';
import type { SqlStatement } from '../sql/split-statements';
import { columnAction, parseStatement, type ParsedStatement } from './parse-statement';

/** `-- dbdesk:nolint` (every rule) or `-- dbdesk:nolint drop-table type-rewrite` before a statement. */
function suppressed(statement: SqlStatement, rule: string): boolean {
  for (const c of statement.leadingComments) {
    const m = /dbdesk:nolint\b([^\n*]*)/i.exec(c);
    if (!m) continue;
    const rules = m[1]!.trim().split(/[\s,]+/).filter(Boolean);
    if (rules.length === 0 || rules.includes(rule)) return true;
  }
  return false;
}

/** Dialect-independent rules: dropping tables and columns, NOT NULL columns added without a default. */
function commonRules(p: ParsedStatement, ctx: LintContext): Omit<LintWarning, 'version' | 'statementIndex' | 'line'>[] {
  const out: Omit<LintWarning, 'version' | 'statementIndex' | 'line'>[] = [];
  if (p.kind === 'drop-table') {
    for (const t of p.tables.filter((t) => !ctx.isNewTable(t))) {
      out.push({ rule: 'drop-table', message: `Drops the table ${t} and every row in it.`, suggestion: 'Make sure nothing reads it any more and that a backup exists; data cannot be brought back by a down migration.' });
    }
  }
  if (p.kind === 'alter-table' && !ctx.isNewTable(p.table)) {
    for (const action of p.actions) {
      const drop = columnAction(action, 'DROP');
      if (drop) {
        out.push({ rule: 'drop-column', message: `Drops the column ${p.table}.${drop.column} and its data.`, suggestion: 'Deploy code that no longer uses the column first; the data is gone after this runs.' });
      }
      const add = columnAction(action, 'ADD');
      if (add && /\bNOT\s+NULL\b/i.test(add.definition) && !/\b(DEFAULT|GENERATED|AUTO_INCREMENT|AUTOINCREMENT|SERIAL|BIGSERIAL|SMALLSERIAL|IDENTITY)\b|\bAS\s*\(/i.test(add.definition) && !/^\s*(BIG|SMALL)?SERIAL\b/i.test(add.definition)) {
        out.push({
          rule: 'not-null-without-default',
          message: `Adds ${p.table}.${add.column} as NOT NULL without a default: it fails on a table with rows (or fills them with an implicit value on MySQL).`,
          suggestion: 'Add the column with a DEFAULT, or add it nullable, backfill it, then set NOT NULL.',
        });
      }
    }
  }
  return out;
}

/** Lints every statement of a plan in order; tables created earlier in the plan count as new. */
export class PlanLinter {
  private readonly created = new Set<string>();
  constructor(
    private readonly adapter: MigrationAdapter,
    private readonly target: MigrationTarget,
  ) {}

  lint(version: string, statement: SqlStatement, line: number): LintWarning[] {
    const parsed = parseStatement(statement);
    const ctx: LintContext = { isNewTable: (name) => this.created.has(name.toLowerCase()), target: this.target };
    const findings = [...commonRules(parsed, ctx), ...this.adapter.lint(parsed, ctx)];
    if (parsed.kind === 'create-table') this.created.add(parsed.table);
    return findings.filter((f) => !suppressed(statement, f.rule)).map((f) => ({ ...f, version, statementIndex: statement.index, line }));
  }
}
