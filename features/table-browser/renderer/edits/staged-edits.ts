import type { EditProblem, EditValue, RowChange } from '../../../../shared/model/table-query';
import type { CellValue } from '../../../../shared/model/values';
import type { GridColumn } from '../../../../renderer/src/ui/data-grid/core/types';

export interface RowRef {
  rowId: CellValue[];
  version: string;
}

interface StagedUpdate extends RowRef {
  values: Map<number, EditValue>;
}

export interface StagedInsert {
  id: string;
  values: Map<number, EditValue>;
}

export function rowKeyOf(rowId: readonly CellValue[]): string {
  return JSON.stringify(rowId);
}

/** An edit value as the grid shows it. */
export function editValueCell(v: EditValue): CellValue {
  if (v !== null && typeof v === 'object') return { bytes: v.hex.toLowerCase(), size: v.hex.length / 2, truncated: false };
  return v;
}

function sameValue(a: EditValue, b: CellValue): boolean {
  if (a !== null && typeof a === 'object') return b !== null && typeof b === 'object' && !b.truncated && b.bytes === a.hex.toLowerCase();
  if (b !== null && typeof b === 'object') return false;
  return a === b || (a !== null && b !== null && String(a) === String(b) && typeof b !== 'boolean');
}

let nextInsert = 1;

/**
 * Changes staged in a table tab, not yet sent: cell updates and deletions of read rows (by row
 * identity, so they survive re-sorting and filtering), and new rows. Nothing reaches the database
 * until Apply; what Apply would run is shown by Review SQL.
 */
export class StagedEdits {
  private readonly updates = new Map<string, StagedUpdate>();
  private readonly deletes = new Map<string, RowRef>();
  inserts: StagedInsert[] = [];
  /** What the last Apply said about each change (conflict or error), by change id. */
  private problems = new Map<string, EditProblem>();
  private readonly listeners = new Set<() => void>();
  private versionNo = 0;

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  version(): number {
    return this.versionNo;
  }

  private changed(): void {
    this.versionNo++;
    for (const l of [...this.listeners]) l();
  }

  get count(): number {
    let n = this.deletes.size + this.inserts.length;
    for (const u of this.updates.values()) if (!this.deletes.has(rowKeyOf(u.rowId))) n++;
    return n;
  }

  /** Stages a new value for a cell of a read row; setting it back to the original drops the change. */
  setCell(row: RowRef, column: number, value: EditValue, original: CellValue): void {
    const key = rowKeyOf(row.rowId);
    let u = this.updates.get(key);
    if (sameValue(value, original)) {
      if (!u?.values.delete(column)) return;
      if (u.values.size === 0) this.updates.delete(key);
    } else {
      if (!u) this.updates.set(key, (u = { ...row, values: new Map() }));
      u.values.set(column, value);
    }
    this.problems.delete(`u:${key}`);
    this.changed();
  }

  setInsertCell(id: string, column: number, value: EditValue): void {
    const ins = this.inserts.find((i) => i.id === id);
    if (!ins) return;
    ins.values.set(column, value);
    this.problems.delete(id);
    this.changed();
  }

  stagedValue(rowId: readonly CellValue[], column: number): EditValue | undefined {
    return this.updates.get(rowKeyOf(rowId))?.values.get(column);
  }

  hasUpdate(rowId: readonly CellValue[]): boolean {
    return this.updates.has(rowKeyOf(rowId));
  }

  isDeleted(rowId: readonly CellValue[]): boolean {
    return this.deletes.has(rowKeyOf(rowId));
  }

  /** Marks read rows for deletion (or unmarks them when all were marked already). */
  toggleDelete(rows: RowRef[]): void {
    const allMarked = rows.every((r) => this.deletes.has(rowKeyOf(r.rowId)));
    for (const r of rows) {
      const key = rowKeyOf(r.rowId);
      if (allMarked) this.deletes.delete(key);
      else this.deletes.set(key, r);
      this.problems.delete(`d:${key}`);
    }
    this.changed();
  }

  /** Puts a read row back as it was read. */
  revertRow(rowId: readonly CellValue[]): void {
    const key = rowKeyOf(rowId);
    this.updates.delete(key);
    this.deletes.delete(key);
    this.problems.delete(`u:${key}`);
    this.problems.delete(`d:${key}`);
    this.changed();
  }

  addInsert(values: Map<number, EditValue> = new Map()): string {
    const id = `i:${nextInsert++}`;
    this.inserts = [{ id, values }, ...this.inserts];
    this.changed();
    return id;
  }

  removeInsert(id: string): void {
    this.inserts = this.inserts.filter((i) => i.id !== id);
    this.problems.delete(id);
    this.changed();
  }

  problemOf(changeId: string): EditProblem | undefined {
    return this.problems.get(changeId);
  }

  problemForRow(rowId: readonly CellValue[]): EditProblem | undefined {
    const key = rowKeyOf(rowId);
    return this.problems.get(`u:${key}`) ?? this.problems.get(`d:${key}`);
  }

  allProblems(): EditProblem[] {
    return [...this.problems.values()];
  }

  setProblems(problems: EditProblem[]): void {
    this.problems = new Map(problems.map((p) => [p.changeId, p]));
    this.changed();
  }

  /** Drops the changes a partly applied batch committed (by change id): they are in the database now. */
  removeApplied(changeIds: readonly string[]): void {
    for (const id of changeIds) {
      if (id.startsWith('u:')) this.updates.delete(id.slice(2));
      else if (id.startsWith('d:')) this.deletes.delete(id.slice(2));
      else this.inserts = this.inserts.filter((i) => i.id !== id);
      this.problems.delete(id);
    }
    this.changed();
  }

  clear(): void {
    this.updates.clear();
    this.deletes.clear();
    this.inserts = [];
    this.problems.clear();
    this.changed();
  }

  /** The staged changes in the contract's shape, in a stable order: updates, inserts, deletes. */
  changes(columns: readonly GridColumn[]): RowChange[] {
    const values = (m: Map<number, EditValue>) => [...m].sort((a, b) => a[0] - b[0]).map(([c, value]) => ({ column: columns[c]!.name, value }));
    const out: RowChange[] = [];
    for (const [key, u] of this.updates) {
      if (this.deletes.has(key) || u.values.size === 0) continue;
      out.push({ kind: 'update', id: `u:${key}`, rowId: u.rowId, version: u.version, values: values(u.values) });
    }
    for (const ins of [...this.inserts].reverse()) out.push({ kind: 'insert', id: ins.id, values: values(ins.values) });
    for (const [key, d] of this.deletes) out.push({ kind: 'delete', id: `d:${key}`, rowId: d.rowId, version: d.version });
    return out;
  }
}
