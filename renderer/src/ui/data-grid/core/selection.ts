/** The active cell and the rectangle selected from an anchor to it (Shift extends). */
export interface CellPosition {
  row: number;
  col: number;
}

export interface Selection {
  active: CellPosition;
  anchor: CellPosition;
}

export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export function rangeOf(s: Selection): CellRange {
  return {
    top: Math.min(s.active.row, s.anchor.row),
    bottom: Math.max(s.active.row, s.anchor.row),
    left: Math.min(s.active.col, s.anchor.col),
    right: Math.max(s.active.col, s.anchor.col),
  };
}

export function inRange(r: CellRange, row: number, col: number): boolean {
  return row >= r.top && row <= r.bottom && col >= r.left && col <= r.right;
}

export function rowsOf(r: CellRange): number {
  return r.bottom - r.top + 1;
}

export interface NavigationKey {
  key: string;
  shift: boolean;
  /** Ctrl, or ⌘ on macOS. */
  mod: boolean;
}

export interface GridSize {
  rows: number;
  cols: number;
  /** Rows that fit one page (Page Up/Down). */
  pageRows: number;
}

/**
 * Spreadsheet navigation: arrows, Page Up/Down, Home/End (row start/end), Ctrl+Home/End
 * (first/last cell of the table), Ctrl+arrows (to the edge). Shift extends the selection from
 * its anchor. Returns null for keys that do not navigate.
 */
export function navigate(s: Selection, k: NavigationKey, size: GridSize): Selection | null {
  if (size.rows === 0 || size.cols === 0) return null;
  let { row, col } = s.active;
  const lastRow = size.rows - 1;
  const lastCol = size.cols - 1;
  switch (k.key) {
    case 'ArrowUp':
      row = k.mod ? 0 : row - 1;
      break;
    case 'ArrowDown':
      row = k.mod ? lastRow : row + 1;
      break;
    case 'ArrowLeft':
      col = k.mod ? 0 : col - 1;
      break;
    case 'ArrowRight':
      col = k.mod ? lastCol : col + 1;
      break;
    case 'PageUp':
      row -= size.pageRows;
      break;
    case 'PageDown':
      row += size.pageRows;
      break;
    case 'Home':
      col = 0;
      if (k.mod) row = 0;
      break;
    case 'End':
      col = lastCol;
      if (k.mod) row = lastRow;
      break;
    default:
      return null;
  }
  const active = { row: Math.min(Math.max(0, row), lastRow), col: Math.min(Math.max(0, col), lastCol) };
  return { active, anchor: k.shift ? s.anchor : active };
}

/** Keeps a selection inside the grid after the row count or columns changed. */
export function clampSelection(s: Selection, size: Pick<GridSize, 'rows' | 'cols'>): Selection {
  const clamp = (p: CellPosition) => ({ row: Math.min(Math.max(0, p.row), Math.max(0, size.rows - 1)), col: Math.min(Math.max(0, p.col), Math.max(0, size.cols - 1)) });
  return { active: clamp(s.active), anchor: clamp(s.anchor) };
}
