import type { CellValue, RowBatch } from '../../../../../shared/model/values';

/** One fetched window of `blockSize` rows (fewer for the last one). */
export interface Block {
  index: number;
  batch: RowBatch;
  keys: { first: unknown; last: unknown } | null;
  extra: unknown;
  /** Cells cut for the grid, as `column * rowCount + row`. */
  truncated: Set<number> | null;
}

export function cellOf(block: Block, row: number, column: number): CellValue {
  return block.batch.values[column]?.[row] ?? null;
}

/**
 * A bounded least-recently-used cache of blocks. Scrolling a million rows keeps at most
 * `maxBlocks` blocks in memory; the oldest ones are dropped, except the ones in view.
 */
export class BlockCache {
  private readonly blocks = new Map<number, Block>();

  constructor(readonly maxBlocks: number) {}

  get size(): number {
    return this.blocks.size;
  }

  /** Reads a block and marks it recently used. */
  get(index: number): Block | undefined {
    const b = this.blocks.get(index);
    if (b) {
      this.blocks.delete(index);
      this.blocks.set(index, b);
    }
    return b;
  }

  /** Looks without touching the order (for choosing anchors). */
  peek(index: number): Block | undefined {
    return this.blocks.get(index);
  }

  has(index: number): boolean {
    return this.blocks.has(index);
  }

  /** Adds a block, then drops least-recently-used ones outside `keep` until the cache fits. */
  set(block: Block, keep: (index: number) => boolean = () => false): void {
    this.blocks.delete(block.index);
    this.blocks.set(block.index, block);
    if (this.blocks.size <= this.maxBlocks) return;
    for (const index of this.blocks.keys()) {
      if (this.blocks.size <= this.maxBlocks) break;
      if (index !== block.index && !keep(index)) this.blocks.delete(index);
    }
  }

  /** Drops blocks past the end of the data (the count shrank). */
  dropFrom(firstBlock: number): void {
    for (const index of [...this.blocks.keys()]) if (index >= firstBlock) this.blocks.delete(index);
  }

  clear(): void {
    this.blocks.clear();
  }

  indexes(): number[] {
    return [...this.blocks.keys()];
  }
}
