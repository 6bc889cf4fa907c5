import type { CopyFormat } from '../../../renderer/src/ui/data-grid/core/clipboard-format';

/** What the app-wide shortcuts can ask of the table tab in front. */
export interface TableViewCommands {
  review(): void;
  toggleFilter(): void;
  /** Shows (and focuses) or hides the raw SQL WHERE box. */
  toggleWhere(): void;
  /** Sorts by the active cell's column: ascending, descending, then not; `additive` keeps the other sort columns. */
  sortActive(additive: boolean): void;
  /** Shows or hides the value viewer and references. */
  togglePanel(): void;
  exportView(): void;
  refresh(): void;
  insertRow(): void;
  duplicateRows(): void;
  deleteRows(): void;
  setNull(): void;
  revertRows(): void;
  copy(format: CopyFormat): void;
}

let active: TableViewCommands | null = null;

/** The visible table tab registers itself; returns the unregister function. */
export function setActiveTableView(view: TableViewCommands): () => void {
  active = view;
  return () => {
    if (active === view) active = null;
  };
}

export function activeTableView(): TableViewCommands | null {
  return active;
}
