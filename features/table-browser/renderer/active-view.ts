import type { CopyFormat } from '../../../renderer/src/ui/data-grid/core/clipboard-format';

/** What the app-wide shortcuts can ask of the table tab in front. */
export interface TableViewCommands {
  review(): void;
  toggleFilter(): void;
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
