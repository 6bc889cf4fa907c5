import type { Change } from '../shared/diff';
import { tableById, type DesignColumn, type DesignSchema, type DesignTable } from '../shared/model';
import { fragmentProblem } from '../shared/sql-fragment';
import { lexRulesOf } from '../../../shared/sql/lex-rules';
import { CoreError } from '../../../electron/core/errors';

type Of<K extends Change['kind']> = Extract<Change, { kind: K }>;

/**
 * The changes between two designs, sorted for DDL generation. Engine-neutral bookkeeping only:
 * which tables are created, dropped, rebuilt, in which order; the SQL is the dialects' business.
 */
export class ChangeSet {
  constructor(
    readonly from: DesignSchema,
    readonly to: DesignSchema,
    readonly changes: readonly Change[],
  ) {
    for (const design of [from, to]) {
      for (const t of design.tables) {
        for (const c of t.columns) {
          checkFragment(design, c.type, `the type of ${t.name}.${c.name}`);
          if (c.default !== null) checkFragment(design, c.default, `the default of ${t.name}.${c.name}`);
          if (c.generated) checkFragment(design, c.generated.expression, `the expression of ${t.name}.${c.name}`);
        }
        for (const k of t.checks) checkFragment(design, k.expression, `the check ${k.name ?? ''} of ${t.name}`);
        for (const i of t.indexes) if (i.where) checkFragment(design, i.where, `the condition of index ${i.name}`);
      }
    }
  }

  of<K extends Change['kind']>(kind: K): Of<K>[] {
    return this.changes.filter((c): c is Of<K> => c.kind === kind);
  }

  fromTable(id: string): DesignTable {
    const t = tableById(this.from, id);
    if (!t) throw new CoreError('internal', `The change list names a table (${id}) that the old design does not have.`);
    return t;
  }

  toTable(id: string): DesignTable {
    const t = tableById(this.to, id);
    if (!t) throw new CoreError('internal', `The change list names a table (${id}) that the new design does not have.`);
    return t;
  }

  /** Tables of the old design that the new one drops. */
  get droppedTables(): DesignTable[] {
    return this.of('drop-table').map((c) => this.fromTable(c.tableId));
  }

  /** New tables in an order where a referenced table comes before the tables referencing it. */
  get createdTables(): DesignTable[] {
    return parentsFirst(this.of('create-table').map((c) => this.toTable(c.tableId)));
  }

  /** Ids of tables with any change other than being created or dropped. */
  get alteredTableIds(): string[] {
    const ids: string[] = [];
    for (const c of this.changes) if (c.kind !== 'create-table' && c.kind !== 'drop-table' && !ids.includes(c.tableId)) ids.push(c.tableId);
    return ids;
  }

  changesOf(tableId: string): Change[] {
    return this.changes.filter((c) => c.tableId === tableId);
  }
}

/**
 * What fragmentProblem said of a text, per engine: a schema repeats the same types and defaults
 * thousands of times (a 2,000-table compare checks ~40,000 fragments, a few hundred distinct).
 */
const fragmentVerdicts = new Map<string, Map<string, string | null>>();

function checkFragment(design: DesignSchema, text: string, what: string): void {
  let verdicts = fragmentVerdicts.get(design.engine);
  if (!verdicts) fragmentVerdicts.set(design.engine, (verdicts = new Map()));
  let problem = verdicts.get(text);
  if (problem === undefined) {
    problem = fragmentProblem(text, lexRulesOf(design.engine));
    // Bounded: a long-running process sees many schemas.
    if (verdicts.size > 20_000) verdicts.clear();
    verdicts.set(text, problem);
  }
  if (problem) throw new CoreError('invalid-input', `Cannot write ${what} into a migration. ${problem}`);
}

/** Tables sorted so each comes after the tables (in the list) it references; cycles keep list order. */
export function parentsFirst(tables: readonly DesignTable[]): DesignTable[] {
  const ids = new Set(tables.map((t) => t.id));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: DesignTable[] = [];
  const byId = new Map(tables.map((t) => [t.id, t]));
  const visit = (t: DesignTable) => {
    if (done.has(t.id) || visiting.has(t.id)) return;
    visiting.add(t.id);
    for (const f of t.foreignKeys) if (f.refSchema === null && ids.has(f.refTable) && f.refTable !== t.id) visit(byId.get(f.refTable)!);
    visiting.delete(t.id);
    done.add(t.id);
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

/**
 * Renames that may collide (a → b while b → a, or a → b while another b still exists) routed through
 * temporary names: first every colliding source to a temp name, then temps to their targets.
 */
export function orderRenames(renames: { from: string; to: string }[], existing: readonly string[]): { from: string; to: string }[] {
  const lower = (s: string) => s.toLowerCase();
  const sources = new Set(renames.map((r) => lower(r.from)));
  const occupied = new Set(existing.map(lower));
  const direct: { from: string; to: string }[] = [];
  const viaTemp: { from: string; to: string }[] = [];
  for (const r of renames) (occupied.has(lower(r.to)) && sources.has(lower(r.to)) ? viaTemp : direct).push(r);
  if (viaTemp.length === 0) return renames;
  const out: { from: string; to: string }[] = [];
  const temps = viaTemp.map((r, i) => ({ ...r, temp: `__dbdesk_tmp_${i}_${r.from}`.slice(0, 60) }));
  for (const t of temps) out.push({ from: t.from, to: t.temp });
  out.push(...direct);
  for (const t of temps) out.push({ from: t.temp, to: t.to });
  return out;
}

/** An SQL string literal; MySQL/MariaDB also treat backslashes as escapes. */
export function sqlString(value: string, backslashEscapes = false): string {
  const body = backslashEscapes ? value.replace(/\\/g, '\\\\').replace(/'/g, "''") : value.replace(/'/g, "''");
  return `'${body}'`;
}

/** A literal or keyword a DEFAULT clause takes without parentheses on every engine. */
export function isPlainDefault(expression: string): boolean {
  const e = expression.trim();
  return (
    /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(e) ||
    /^'(?:[^']|'')*'$/.test(e) ||
    /^(null|true|false|current_timestamp|current_date|current_time)$/i.test(e)
  );
}

/** The column's names for a list of ids. */
export function namesOf(table: DesignTable, ids: readonly string[]): string[] {
  return ids.map((id) => columnOf(table, id).name);
}

/** A column of the table by id; a key or index naming an id the table lacks is a design the window sent broken. */
export function columnOf(table: DesignTable, id: string): DesignColumn {
  const c = table.columns.find((x) => x.id === id);
  if (!c) throw new CoreError('invalid-input', `The design of table ${JSON.stringify(table.name)} refers to a column it does not have (id ${JSON.stringify(id)}). Reload the design.`);
  return c;
}
