import type { CellValue } from '../../../shared/model/values';
import type { GridRows, RowState } from '../../../renderer/src/ui/data-grid/core/types';
import type { WindowController } from '../../../renderer/src/ui/data-grid/core/window-controller';
import { editValueCell, type RowRef, type StagedEdits, type StagedInsert } from './edits/staged-edits';
import type { TableWindowExtra } from './table-source';

export type TableRowInfo = { kind: 'insert'; insert: StagedInsert } | { kind: 'data'; index: number; ref: RowRef | null; values: (c: number) => CellValue } | { kind: 'pending' };

/**
 * The rows a table tab shows: staged new rows pinned on top, then the table's rows from the
 * windowing core. Row identities and fingerprints come from each window, for staging edits.
 */
export class TableRows implements GridRows {
  constructor(
    readonly controller: WindowController,
    readonly edits: StagedEdits,
  ) {}

  get insertCount(): number {
    return this.edits.inserts.length;
  }

  rowCount(): number {
    return this.insertCount + this.controller.rowCount();
  }

  countExact(): boolean {
    return this.controller.countExact();
  }

  row(index: number): RowState {
    const n = this.insertCount;
    if (index < n) {
      const ins = this.edits.inserts[index]!;
      return { status: 'ready', row: { key: ins.id, cell: (c) => (ins.values.has(c) ? editValueCell(ins.values.get(c)!) : null), isTruncated: () => false } };
    }
    return this.controller.row(index - n);
  }

  setViewport(first: number, last: number): void {
    const n = this.insertCount;
    this.controller.setViewport(Math.max(0, first - n), Math.max(0, last - n));
  }

  subscribe(listener: () => void): () => void {
    const a = this.controller.subscribe(listener);
    const b = this.edits.subscribe(listener);
    return () => {
      a();
      b();
    };
  }

  version(): number {
    return this.controller.version() * 100_003 + this.edits.version();
  }

  /** What a grid row is: a staged insert, a read row (with its identity when the table has one), or not loaded yet. */
  info(index: number): TableRowInfo {
    const n = this.insertCount;
    if (index < n) return { kind: 'insert', insert: this.edits.inserts[index]! };
    const at = this.controller.blockOf(index - n);
    if (!at) return { kind: 'pending' };
    const extra = at.block.extra as TableWindowExtra;
    const values = (c: number) => at.block.batch.values[c]?.[at.row] ?? null;
    const ref = extra.rowIds && extra.versions ? { rowId: extra.rowIds.map((col) => col[at.row]!), version: extra.versions[at.row]! } : null;
    return { kind: 'data', index: index - n, ref, values };
  }

  /**
   * The grid row of a change (`i:…` a staged insert, `u:`/`d:` + row key a read row), looked up among
   * the rows loaded now; null when it is not in the grid (scrolled far away, or filtered out).
   */
  indexOfChange(changeId: string, scanLimit = 50_000): number | null {
    const insert = this.edits.inserts.findIndex((i) => i.id === changeId);
    if (insert >= 0) return insert;
    const key = changeId.slice(2);
    const n = this.insertCount;
    const end = Math.min(this.rowCount(), n + scanLimit);
    for (let i = n; i < end; i++) {
      const at = this.controller.blockOf(i - n);
      if (!at) continue;
      const extra = at.block.extra as TableWindowExtra;
      if (!extra.rowIds) return null;
      if (JSON.stringify(extra.rowIds.map((col) => col[at.row]!)) === key) return i;
    }
    return null;
  }
}
