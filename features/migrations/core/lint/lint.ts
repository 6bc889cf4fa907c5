import type { LintWarning } from '../../../../shared/model/migrations';
import type { LintContext, MigrationAdapter, MigrationTarget } from '../migration-adapter';
import type { SqlStatement as SplitStatement } from '../../../../shared/sql/split-statements';

/** What lint reads of a statement (its place in the file text does not matter to it). */
type SqlStatement = Omit<SplitStatement, 'from' | 'to'>;
import { identifierKey, type IdentifierRules } from '../../../../shared/sql/identifier-rules';
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

/**
 * Column names compare without case here: the runner reads a table's columns lower-case
 * (MigrationAdapter.listTables), and only PostgreSQL's quoted columns could differ by case alone.
 */
const sameColumn = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

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
  for (const c of before?.filter((c) => !copy.columns.some((k) => sameColumn(k, c))) ?? []) {
    out.push({ rule: 'drop-column', message: `Drops the column ${table}.${c} and its data: the rebuild does not copy it.`, suggestion: 'Deploy code that no longer uses the column first; the data is gone after this runs.' });
  }
  return out;
}

/** Dialect-independent rules: dropping tables and columns, NOT NULL columns added without a default. */
function commonRules(p: ParsedStatement, ctx: LintContext, rules: IdentifierRules, copies: ReadonlyMap<string, RowCopy>, columnsOf?: (table: string) => string[] | null): Finding[] {
  const out: Finding[] = [];
  if (p.kind === 'drop-table') {
    for (const t of p.tables.filter((t) => !ctx.isNewTable(t))) {
      const copy = copies.get(identifierKey(t, rules));
      if (copy) out.push(...rebuildRules(t, copy, columnsOf));
      else out.push({ rule: 'drop-table', message: `Drops the table ${t} and every row in it.`, suggestion: 'Make sure nothing reads it any more and that a backup exists; data cannot be brought back by a down migration.' });
    }
  }
  if (p.kind === 'alter-table' && !ctx.isNewTable(p.table)) {
    for (const action of p.actions) {
      const drop = columnAction(action, 'DROP', rules);
      if (drop) {
        out.push({ rule: 'drop-column', message: `Drops the column ${p.table}.${drop.column} and its data.`, suggestion: 'Deploy code that no longer uses the column first; the data is gone after this runs.' });
      }
      const add = columnAction(action, 'ADD', rules);
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

/**
 * Lints every statement of a plan in order; tables created earlier in the plan count as new. Tables
 * are named as the server stores them (the adapter's identifier rules) and compared by their key.
 */
export class PlanLinter {
  /** Keys of the tables the plan created. */
  private readonly created = new Set<string>();
  /** By the key of the table copied from. */
  private readonly copies = new Map<string, RowCopy>();
  /** Columns of existing tables (by key) as the plan's earlier statements left them (renames, adds, drops). */
  private readonly columns = new Map<string, string[] | null>();
  /**
   * `columnsOf` (the column names of an existing table, as the database has it before the plan,
   * when the caller knows them) lets a rebuild name the columns it leaves out.
   */
  constructor(
    private readonly adapter: MigrationAdapter,
    private readonly target: MigrationTarget,
    private readonly columnsOf?: (table: string) => string[] | null,
  ) {}

  private key(table: string): string {
    return identifierKey(table, this.adapter.identifiers);
  }

  private columnsNow(table: string): string[] | null {
    const key = this.key(table);
    if (!this.columns.has(key)) this.columns.set(key, this.columnsOf?.(table)?.slice() ?? null);
    return this.columns.get(key)!;
  }

  /** Follows ALTER TABLE renames, adds and drops, so a later rebuild compares with the right columns. */
  private track(p: ParsedStatement): void {
    const rules = this.adapter.identifiers;
    if (p.kind === 'drop-table') for (const t of p.tables) this.columns.set(this.key(t), null);
    if (p.kind !== 'alter-table' || this.created.has(this.key(p.table))) return;
    const cols = this.columnsNow(p.table);
    if (!cols) return;
    for (const action of p.actions) {
      const renameTable = new RegExp(`^RENAME\\s+TO\\s+(${IDENT})$`, 'i').exec(action);
      const renameColumn = new RegExp(`^RENAME\\s+(?:COLUMN\\s+)?(${IDENT})\\s+TO\\s+(${IDENT})$`, 'i').exec(action);
      const add = columnAction(action, 'ADD', rules);
      const drop = columnAction(action, 'DROP', rules);
      if (renameTable) {
        this.columns.set(this.key(normaliseName(renameTable[1]!, rules)), cols);
        this.columns.set(this.key(p.table), null);
      } else if (renameColumn) {
        const from = normaliseName(renameColumn[1]!, rules);
        const i = cols.findIndex((c) => sameColumn(c, from));
        if (i >= 0) cols[i] = normaliseName(renameColumn[2]!, rules);
      } else if (add) cols.push(add.column);
      else if (drop) {
        const i = cols.findIndex((c) => sameColumn(c, drop.column));
        if (i >= 0) cols.splice(i, 1);
      }
    }
  }

  lint(version: string, statement: SqlStatement, line: number): LintWarning[] {
    const parsed = parseStatement(statement, this.adapter.identifiers);
    const ctx: LintContext = { isNewTable: (name) => this.created.has(this.key(name)), target: this.target };
    const findings = [...commonRules(parsed, ctx, this.adapter.identifiers, this.copies, (t) => this.columnsNow(t)), ...this.adapter.lint(parsed, ctx)];
    this.track(parsed);
    if (parsed.kind === 'create-table') this.created.add(this.key(parsed.table));
    if (parsed.kind === 'copy-rows' && ctx.isNewTable(parsed.into) && !ctx.isNewTable(parsed.from)) this.copies.set(this.key(parsed.from), { into: parsed.into, columns: parsed.columns });
    if (parsed.kind === 'drop-table') for (const t of parsed.tables) this.copies.delete(this.key(t));
    return findings.filter((f) => !suppressed(statement, f.rule)).map((f) => ({ ...f, version, statementIndex: statement.index, line }));
  }
}
