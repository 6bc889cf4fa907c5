import type { ValueKind } from '../../../../../shared/model/values';
import type { GridColumn } from './types';

const KIND_WIDTH: Record<ValueKind, number> = {
  integer: 90,
  bigint: 170,
  decimal: 140,
  float: 120,
  boolean: 80,
  text: 200,
  date: 110,
  time: 110,
  timestamp: 200,
  json: 240,
  bytes: 200,
  uuid: 290,
  other: 160,
};

export const MIN_COLUMN_WIDTH = 48;
const MAX_INITIAL_WIDTH = 360;

/** A first width from the kind of values and the length of the name. */
export function initialWidth(column: GridColumn): number {
  const byName = column.name.length * 7.5 + 36;
  return Math.round(Math.min(MAX_INITIAL_WIDTH, Math.max(KIND_WIDTH[column.kind] ?? 160, byName)));
}

/** Text widths in px as the grid draws them (a canvas in the browser; anything that counts in tests). */
export interface TextMeasure {
  /** A column name in the header (bold). */
  name(text: string): number;
  /** The data type under it (small monospace). */
  type(text: string): number;
  /** A cell's text (monospace). */
  cell(text: string): number;
}

/** Room around the text: the header's padding and sort mark, a cell's padding and foreign-key arrow. */
const HEADER_CHROME = 10 + 22 + 2;
const CELL_CHROME = 10 + 10 + 2;
const CELL_ACTION = 22;

/**
 * Widths that show each column's name and type whole and the values of a sample (the rows in view)
 * — a short name over short values is narrow, a name longer than its values is not cut — within
 * [MIN_COLUMN_WIDTH, MAX_INITIAL_WIDTH]; a longer value is cut with an ellipsis (the side panel
 * shows it whole). `samples[c]` are the texts of column c; `actions[c]` marks a column whose cells
 * carry an action button.
 */
export function fittedWidths(columns: readonly GridColumn[], samples: readonly (readonly string[])[], measure: TextMeasure, actions?: readonly boolean[]): number[] {
  return columns.map((column, c) => {
    const header = Math.max(measure.name(column.name), measure.type(column.dataType)) + HEADER_CHROME;
    let cells = 0;
    for (const text of samples[c] ?? []) cells = Math.max(cells, measure.cell(text));
    const values = cells > 0 ? cells + CELL_CHROME + (actions?.[c] ? CELL_ACTION : 0) : 0;
    return Math.round(Math.min(MAX_INITIAL_WIDTH, Math.max(MIN_COLUMN_WIDTH, header, values)));
  });
}

/** Column positions and the horizontal window of columns to render (columns are virtualized too). */
export class ColumnLayout {
  private readonly widths: number[];
  private offsets: number[] = [];

  constructor(columns: readonly GridColumn[], widths?: readonly number[]) {
    this.widths = columns.map((c, i) => Math.max(MIN_COLUMN_WIDTH, widths?.[i] ?? initialWidth(c)));
    this.recompute();
  }

  private recompute(): void {
    this.offsets = new Array(this.widths.length + 1);
    this.offsets[0] = 0;
    for (let i = 0; i < this.widths.length; i++) this.offsets[i + 1] = this.offsets[i]! + this.widths[i]!;
  }

  get count(): number {
    return this.widths.length;
  }

  get totalWidth(): number {
    return this.offsets[this.widths.length]!;
  }

  left(column: number): number {
    return this.offsets[column]!;
  }

  width(column: number): number {
    return this.widths[column]!;
  }

  resize(column: number, width: number): void {
    this.widths[column] = Math.max(MIN_COLUMN_WIDTH, Math.round(width));
    this.recompute();
  }

  allWidths(): number[] {
    return [...this.widths];
  }

  /** The column under horizontal position x (clamped). */
  columnAt(x: number): number {
    let lo = 0;
    let hi = this.widths.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid]! <= x) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  }

  /** Columns intersecting [scrollLeft, scrollLeft + viewportWidth), plus `overscan` on each side. */
  visibleColumns(scrollLeft: number, viewportWidth: number, overscan = 1): { first: number; last: number } {
    if (this.widths.length === 0) return { first: 0, last: -1 };
    const first = Math.max(0, this.columnAt(scrollLeft) - overscan);
    const last = Math.min(this.widths.length - 1, this.columnAt(scrollLeft + Math.max(0, viewportWidth - 1)) + overscan);
    return { first, last };
  }

  /** The scrollLeft that brings `column` into view. */
  revealColumn(column: number, scrollLeft: number, viewportWidth: number): number {
    const l = this.left(column);
    const r = l + this.width(column);
    if (l < scrollLeft) return l;
    if (r > scrollLeft + viewportWidth) return Math.min(l, r - viewportWidth);
    return scrollLeft;
  }
}
