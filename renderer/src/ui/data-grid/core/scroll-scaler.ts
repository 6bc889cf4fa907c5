/**
 * Browsers stop growing an element at roughly 33 million pixels (Chrome; Firefox near 17.9
 * million), so a million rows of 28 px — or a hundred million — cannot be one tall element.
 * The scaler keeps a *virtual* scroll position in row pixels and maps it onto a physical
 * scrollbar no taller than MAX_PHYSICAL_PX: dragging the scrollbar moves proportionally
 * through the whole table, while wheel and keyboard move by exact row pixels.
 */
export const MAX_PHYSICAL_PX = 15_000_000;

export interface VisibleRows {
  /** First and last row index (inclusive) to render, overscan included. */
  first: number;
  last: number;
  /** Where row `first` sits, in px from the top of the viewport (≤ 0 for a partly hidden row). */
  firstOffset: number;
}

export class ScrollScaler {
  private rows = 0;
  private viewport = 0;

  constructor(
    readonly rowHeight: number,
    private readonly maxPhysical = MAX_PHYSICAL_PX,
  ) {}

  setSize(rowCount: number, viewportHeight: number): void {
    this.rows = Math.max(0, rowCount);
    this.viewport = Math.max(0, viewportHeight);
  }

  get rowCount(): number {
    return this.rows;
  }

  get virtualHeight(): number {
    return this.rows * this.rowHeight;
  }

  /** The height of the element the browser scrolls. */
  get physicalHeight(): number {
    return Math.min(this.virtualHeight, this.maxPhysical);
  }

  get maxVirtualTop(): number {
    return Math.max(0, this.virtualHeight - this.viewport);
  }

  get maxPhysicalTop(): number {
    return Math.max(0, this.physicalHeight - this.viewport);
  }

  /** Virtual pixels per physical pixel of scrollbar travel (1 when no scaling is needed). */
  get ratio(): number {
    return this.maxPhysicalTop > 0 ? this.maxVirtualTop / this.maxPhysicalTop : 1;
  }

  get scaled(): boolean {
    return this.virtualHeight > this.maxPhysical;
  }

  clampVirtual(top: number): number {
    return Math.min(Math.max(0, top), this.maxVirtualTop);
  }

  virtualFromPhysical(scrollTop: number): number {
    return this.clampVirtual(Math.min(scrollTop, this.maxPhysicalTop) * this.ratio);
  }

  physicalFromVirtual(top: number): number {
    return this.clampVirtual(top) / this.ratio;
  }

  visibleRows(virtualTop: number, overscan = 2): VisibleRows {
    const top = this.clampVirtual(virtualTop);
    const firstVisible = Math.floor(top / this.rowHeight);
    const lastVisible = Math.min(this.rows - 1, Math.floor((top + this.viewport - 1) / this.rowHeight));
    const first = Math.max(0, firstVisible - overscan);
    const last = Math.min(this.rows - 1, lastVisible + overscan);
    return { first, last, firstOffset: first * this.rowHeight - top };
  }

  /** Rows that fit the viewport completely (Page Up/Down move by this). */
  get pageRows(): number {
    return Math.max(1, Math.floor(this.viewport / this.rowHeight));
  }

  /** The virtual top that brings `row` fully into view, moving as little as possible. */
  revealRow(row: number, virtualTop: number): number {
    const y = row * this.rowHeight;
    if (y < virtualTop) return this.clampVirtual(y);
    if (y + this.rowHeight > virtualTop + this.viewport) return this.clampVirtual(y + this.rowHeight - this.viewport);
    return virtualTop;
  }
}
