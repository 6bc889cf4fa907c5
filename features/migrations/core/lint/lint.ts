import type { LintWarning } from '../../../../shared/model/migrations';
import type { LintContext, MigrationAdapter, MigrationTarget } from '../migration-adapter';
import type { SqlStatement as SplitStatement } from '../../../../shared/sql/split-statements';

/** What lint reads of a statement (its place in the file text does not matter to it). */
type SqlStatement = Omit<SplitStatement, 'from' | 'to'>;
import { columnAction, IDENT, normaliseName, parseStatement, type ParsedStatement } from './parse-statement';

/** `-- dbdesk:nolint` (every rule) or `-- dbdesk:nolint drop-table type-rewrite` before a statement. */
export function suppressed(statement: Pick<SqlStatement, 'leadingComments'>, rule: string): boolean {
  for (const c of statement.leadingComments) {
    const m = /dbdesk:nolint\b([^\n*]*)/i.exec(c);
    if (!m) continue;
    const rules = m[1]!.trim().split(/[\s,]+/).filter(Boolean);
    if (rules.length === 0 || rules.includes(rule)) return true;
  }
  return false;
}

type Finding = Omit<LintWarning, 'version' | 'statementIndex' | 'line'>;

/** Rows of an existing table copied into a table the plan created: the first half of a table rebuild. */
export interface RowCopy {
  into: string;
  columns: string[];
}

/**
 * Dropping a table whose rows were just copied into a new one is a rebuild (SQLite's documented
 * way to change what ALTER TABLE cannot), not a loss of the table: what is lost are the columns
 * the copy leaves out, and the cost is a copy of every row under the write lock.
 */
function rebuildRules(table: string, copy: RowCopy, columnsOf: ((table: string) => string[] | null) | undefined): Finding[] {
  const out: Finding[] = [
    {
      rule: 'table-copy',
      message: `Rebuilds ${table}: every row is copied into ${copy.into} (columns ${copy.columns.join(', ')}), then ${table} is dropped and the copy takes its name. Writes wait until it ends.`,
      suggestion: 'Run it when writes can wait for a copy of the whole table; check that every column you keep is in the copy.',
    },
  ];
  const before = columnsOf?.(table);
  for (const c of before?.filter((c) => !copy.columns.includes(c)) ?? []) {
    out.push({ rule: 'drop-column', message: `Drops the column ${table}.${c} and its data: the rebuild does not copy it.`, suggestion: 'Deploy code that no longer uses the column first; the data is gone after this runs.' });
  }
  return out;
}

/** Dialect-independent rules: dropping tables and columns, NOT NULL columns added without a default. */
function commonRules(p: ParsedStatement, ctx: LintContext, copies: ReadonlyMap<string, RowCopy>, columnsOf?: (table: string) => string[] | null): Finding[] {
  const out: Finding[] = [];
  if (p.kind === 'drop-table') {
    for (const t of p.tables.filter((t) => !ctx.isNewTable(t))) {
      const copy = copies.get(t);
      if (copy) out.push(...rebuildRules(t, copy, columnsOf));
      else out.push({ rule: 'drop-table', message: `Drops the table ${t} and every row in it.`, suggestion: 'Make sure nothing reads it any more and that a backup exists; data cannot be brought back by a down migration.' });
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
  private readonly copies = new Map<string, RowCopy>();
  /** Columns of existing tables as the plan's earlier statements left them (renames, adds, drops). */
  private readonly columns = new Map<string, string[] | null>();
  /**
   * `columnsOf` (lower-case column names of an existing table, as the database has it before the
   * plan, when the caller knows them) lets a rebuild name the columns it leaves out.
   */
  constructor(
    private readonly adapter: MigrationAdapter,
    private readonly target: MigrationTarget,
    private readonly columnsOf?: (table: string) => string[] | null,
  ) {}

  private columnsNow(table: string): string[] | null {
    if (!this.columns.has(table)) this.columns.set(table, this.columnsOf?.(table)?.slice() ?? null);
    return this.columns.get(table)!;
  }

  /** Follows ALTER TABLE renames, adds and drops, so a later rebuild compares with the right columns. */
  private track(p: ParsedStatement): void {
    if (p.kind === 'drop-table') for (const t of p.tables) this.columns.set(t, null);
    if (p.kind !== 'alter-table' || this.created.has(p.table)) return;
    const cols = this.columnsNow(p.table);
    if (!cols) return;
    for (const action of p.actions) {
      const renameTable = new RegExp(`^RENAME\\s+TO\\s+(${IDENT})$`, 'i').exec(action);
      const renameColumn = new RegExp(`^RENAME\\s+(?:COLUMN\\s+)?(${IDENT})\\s+TO\\s+(${IDENT})$`, 'i').exec(action);
      const add = columnAction(action, 'ADD');
      const drop = columnAction(action, 'DROP');
      if (renameTable) {
        this.columns.set(normaliseName(renameTable[1]!), cols);
        this.columns.set(p.table, null);
      } else if (renameColumn) {
        const i = cols.indexOf(normaliseName(renameColumn[1]!));
        if (i >= 0) cols[i] = normaliseName(renameColumn[2]!);
      } else if (add) cols.push(add.column);
      else if (drop && cols.includes(drop.column)) cols.splice(cols.indexOf(drop.column), 1);
    }
  }

  lint(version: string, statement: SqlStatement, line: number): LintWarning[] {
    const parsed = parseStatement(statement);
    const ctx: LintContext = { isNewTable: (name) => this.created.has(name.toLowerCase()), target: this.target };
    const findings = [...commonRules(parsed, ctx, this.copies, (t) => this.columnsNow(t)), ...this.adapter.lint(parsed, ctx)];
    this.track(parsed);
    if (parsed.kind === 'create-table') this.created.add(parsed.table);
    if (parsed.kind === 'copy-rows' && this.created.has(parsed.into) && !this.created.has(parsed.from)) this.copies.set(parsed.from, { into: parsed.into, columns: parsed.columns });
    if (parsed.kind === 'drop-table') for (const t of parsed.tables) this.copies.delete(t);
    return findings.filter((f) => !suppressed(statement, f.rule)).map((f) => ({ ...f, version, statementIndex: statement.index, line }));
  }
}
