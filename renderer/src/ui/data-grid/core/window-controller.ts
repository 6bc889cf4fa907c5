import { BlockCache, cellOf, type Block } from './block-cache';
import type { GridDataSource, GridRows, RowCountInfo, RowState, RowView, WindowFetch, WindowResult } from './types';

export interface WindowControllerOptions {
  /** Rows per fetched window. */
  blockSize?: number;
  /** Blocks kept in memory at most (the bounded cache). */
  maxBlocks?: number;
  /** Blocks fetched ahead in the scroll direction (and one behind). */
  prefetchBlocks?: number;
  /** Fetches running at once. */
  maxInFlight?: number;
  /** A neighbour this many blocks away still beats an offset: seek from its key and skip the rows between. */
  maxSkipBlocks?: number;
  /** After a jump (a scrollbar drag), wait this long for the scroll to settle before fetching. */
  settleMs?: number;
  /** The count known before the first fetch (the table's estimate), so the scrollbar is right at once. */
  initialCount?: RowCountInfo | null;
}

type Plan = Omit<WindowFetch, 'signal'>;

interface InFlight {
  controller: AbortController;
  visible: boolean;
}

const JUMP_BLOCKS = 3;

/**
 * The grid's windowing core, outside React: which rows are needed (the viewport plus a prefetch
 * ahead of the scroll direction), how to fetch each window (keyset from a cached neighbour, from
 * the end, or by offset), a bounded cache, and the row count — exact, estimated, or corrected
 * when a short window reveals where the data really ends.
 */
export class WindowController implements GridRows {
  readonly blockSize: number;
  private readonly cache: BlockCache;
  private readonly prefetch: number;
  private readonly maxInFlight: number;
  private readonly maxSkipBlocks: number;
  private readonly settleMs: number;
  private count: RowCountInfo | null;
  private countError: string | null = null;
  /** The exact number of rows, learned from a window that came back short. */
  private knownEnd: number | null = null;
  private first = 0;
  private last = -1;
  private direction: 1 | -1 = 1;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly errors = new Map<number, string>();
  private readonly listeners = new Set<() => void>();
  private versionNo = 0;
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastJumpAt = 0;
  private countController: AbortController | null = null;
  private countAfterFirstWindow = false;
  private countTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  /** Fetches made, for the status line and the tests. */
  fetches = 0;

  constructor(
    readonly source: GridDataSource,
    options: WindowControllerOptions = {},
  ) {
    this.blockSize = options.blockSize ?? 100;
    this.cache = new BlockCache(options.maxBlocks ?? 60);
    this.prefetch = options.prefetchBlocks ?? 2;
    this.maxInFlight = options.maxInFlight ?? 3;
    this.maxSkipBlocks = options.maxSkipBlocks ?? 50;
    this.settleMs = options.settleMs ?? 16;
    this.count = options.initialCount ?? null;
  }

  /**
   * Starts the count — once the first window is in, so the first rows never wait behind a count
   * (SQLite answers one statement at a time). An exact count given up front is not repeated.
   */
  start(): void {
    this.disposed = false;
    if (this.count?.exact) return;
    this.countAfterFirstWindow = true;
    // Nothing may ever ask for rows (a hidden grid): count anyway after a moment.
    this.countTimer = setTimeout(() => this.countNow(), 500);
  }

  private countNow(): void {
    if (!this.countAfterFirstWindow) return;
    this.countAfterFirstWindow = false;
    if (this.countTimer) clearTimeout(this.countTimer);
    this.recount();
  }

  dispose(): void {
    this.disposed = true;
    this.countController?.abort();
    for (const f of this.inFlight.values()) f.controller.abort();
    this.inFlight.clear();
    if (this.timer) clearTimeout(this.timer);
    if (this.countTimer) clearTimeout(this.countTimer);
  }

  // --- GridRows ---------------------------------------------------------

  /** Until a count or a window says otherwise, one window's worth of rows is assumed, so the first window is fetched at once. */
  rowCount(): number {
    if (this.knownEnd !== null) return this.knownEnd;
    return this.count?.value ?? this.blockSize;
  }

  countExact(): boolean {
    return this.knownEnd !== null || this.count?.exact === true;
  }

  countFailure(): string | null {
    return this.countError;
  }

  /** Whether the count is still being worked out (nothing known yet). */
  countPending(): boolean {
    return this.count === null && this.knownEnd === null;
  }

  row(index: number): RowState {
    const b = Math.floor(index / this.blockSize);
    const block = this.cache.get(b);
    if (block) {
      const r = index - b * this.blockSize;
      if (r < block.batch.rowCount) return { status: 'ready', row: this.view(block, r) };
      return { status: 'loading' };
    }
    const error = this.errors.get(b);
    return error ? { status: 'error', message: error } : { status: 'loading' };
  }

  setViewport(first: number, last: number): void {
    const f = Math.max(0, first);
    const l = Math.max(f - 1, last);
    if (f === this.first && l === this.last) return;
    const jump = Math.abs(f - this.first) > JUMP_BLOCKS * this.blockSize;
    if (f !== this.first) this.direction = f > this.first ? 1 : -1;
    this.first = f;
    this.last = l;
    // A lone jump is fetched at once; jumps in quick succession (a scrollbar being dragged) wait for it to settle.
    const now = Date.now();
    const dragging = jump && now - this.lastJumpAt < 150;
    if (jump) this.lastJumpAt = now;
    this.schedule(dragging ? this.settleMs : 0);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  version(): number {
    return this.versionNo;
  }

  // --- reading ----------------------------------------------------------

  /** The block holding a row, if cached (features read row ids and versions from `extra`). */
  blockOf(index: number): { block: Block; row: number } | null {
    const b = Math.floor(index / this.blockSize);
    const block = this.cache.peek(b);
    if (!block) return null;
    const r = index - b * this.blockSize;
    return r < block.batch.rowCount ? { block, row: r } : null;
  }

  private view(block: Block, r: number): RowView {
    const index = block.index * this.blockSize + r;
    return {
      key: `${this.generation}:${index}`,
      cell: (c) => cellOf(block, r, c),
      isTruncated: (c) => block.truncated?.has(c * block.batch.rowCount + r) ?? false,
    };
  }

  /**
   * Every row from `start` to `end` (exclusive), fetching what the cache lacks — for copying a
   * selection. Blocks read here are not cached, so a large copy does not push the view out.
   */
  async readRange(start: number, end: number, signal: AbortSignal): Promise<RowView[]> {
    const out: RowView[] = [];
    let previous: Block | null = null;
    for (let b = Math.floor(start / this.blockSize); b * this.blockSize < end; b++) {
      let block: Block | undefined = this.cache.peek(b);
      if (!block) {
        const plan: Plan = previous?.keys && previous.batch.rowCount === this.blockSize ? { start: b * this.blockSize, count: this.blockSize, anchor: { key: previous.keys.last, direction: 'after', skip: 0 } } : this.plan(b);
        block = await this.load(b, plan, signal);
      }
      previous = block;
      for (let r = 0; r < block.batch.rowCount; r++) {
        const i = b * this.blockSize + r;
        if (i >= start && i < end) out.push(this.view(block, r));
      }
      if (block.batch.rowCount < this.blockSize) break;
    }
    return out;
  }

  // --- changes ----------------------------------------------------------

  /** Forgets every row and the count (after edits were applied, or on Refresh), then reads again. */
  invalidate(): void {
    this.generation++;
    for (const f of this.inFlight.values()) f.controller.abort();
    this.inFlight.clear();
    this.cache.clear();
    this.errors.clear();
    this.knownEnd = null;
    this.recount();
    this.notify();
    this.schedule(0);
  }

  /** Tries failed windows again. */
  retry(): void {
    this.errors.clear();
    this.notify();
    this.schedule(0);
  }

  private recount(): void {
    this.countController?.abort();
    const controller = new AbortController();
    this.countController = controller;
    const generation = this.generation;
    this.countError = null;
    this.source.count(controller.signal).then(
      (count) => {
        if (controller.signal.aborted || generation !== this.generation) return;
        // A short window already told the exact end; an estimate does not override it.
        if (this.knownEnd !== null && !count.exact) return;
        this.count = count;
        if (count.exact) this.setKnownEnd(count.value);
        this.notify();
        this.schedule(0);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        this.countError = err instanceof Error ? err.message : String(err);
        this.notify();
      },
    );
  }

  private setKnownEnd(n: number): void {
    this.knownEnd = n;
    this.cache.dropFrom(Math.ceil(n / this.blockSize));
  }

  private notify(): void {
    this.versionNo++;
    for (const l of [...this.listeners]) l();
  }

  private schedule(delay: number): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, delay);
  }

  private lastBlock(): number {
    const n = this.rowCount();
    return n > 0 ? Math.ceil(n / this.blockSize) - 1 : 0;
  }

  /**
   * Blocks wanted now, most urgent first: the visible ones, then ahead in the scroll direction,
   * then one behind. A prefetched block names its neighbour towards the viewport (`after`): it is
   * fetched once that neighbour is cached, so it can seek from the neighbour's key instead of
   * paying for an offset.
   */
  wantedBlocks(): { index: number; visible: boolean; after: number | null }[] {
    if (this.last < this.first) return [];
    const lastBlock = this.lastBlock();
    const a = Math.min(Math.floor(this.first / this.blockSize), lastBlock);
    const z = Math.min(Math.floor(this.last / this.blockSize), lastBlock);
    const out: { index: number; visible: boolean; after: number | null }[] = [];
    // The first visible block goes at once; the next visible ones follow it by key (one offset per jump, not two).
    for (let b = a; b <= z; b++) out.push({ index: b, visible: true, after: b === a ? null : b - 1 });
    const forward = this.direction > 0;
    for (let k = 1; k <= this.prefetch; k++) out.push(forward ? { index: z + k, visible: false, after: z + k - 1 } : { index: a - k, visible: false, after: a - k + 1 });
    out.push(forward ? { index: a - 1, visible: false, after: a } : { index: z + 1, visible: false, after: z });
    return out.filter((w) => w.index >= 0 && w.index <= lastBlock);
  }

  private pump(): void {
    if (this.disposed) return;
    const wanted = this.wantedBlocks();
    const wantedSet = new Set(wanted.map((w) => w.index));
    // Windows the viewport left behind are dropped, freeing their slots for what is on screen now.
    for (const [index, f] of this.inFlight) {
      if (!wantedSet.has(index)) {
        f.controller.abort();
        this.inFlight.delete(index);
      }
    }
    for (const w of wanted) {
      if (this.cache.has(w.index) || this.inFlight.has(w.index) || this.errors.has(w.index)) continue;
      // A block waits for its neighbour to seek from; prefetches also wait for a free slot.
      if (w.after !== null && !this.cache.has(w.after) && (this.inFlight.has(w.after) || !w.visible)) continue;
      if (!w.visible && this.inFlight.size >= this.maxInFlight) continue;
      // The view straddles two blocks and neither is here: one fetch brings both (one round trip, one offset).
      const next = w.index + 1;
      const both = w.visible && !!this.source.slice && wanted.some((x) => x.index === next && x.visible) && !this.cache.has(next) && !this.inFlight.has(next) && !this.errors.has(next);
      this.startFetch(w.index, w.visible, both ? 2 : 1);
    }
  }

  private startFetch(index: number, visible: boolean, blocks = 1): void {
    const controller = new AbortController();
    const indexes = Array.from({ length: blocks }, (_, k) => index + k);
    for (const i of indexes) this.inFlight.set(i, { controller, visible });
    const generation = this.generation;
    const done = () => {
      for (const i of indexes) if (this.inFlight.get(i)?.controller === controller) this.inFlight.delete(i);
    };
    this.loadBlocks(index, blocks, this.plan(index, blocks), controller.signal).then(
      (loaded) => {
        done();
        if (controller.signal.aborted || generation !== this.generation) return;
        const keep = new Set(this.wantedBlocks().map((w) => w.index));
        for (const block of loaded) this.cache.set(block, (i) => keep.has(i) || indexes.includes(i));
        this.notify();
        this.countNow();
        this.pump();
      },
      (err: unknown) => {
        done();
        if (controller.signal.aborted || generation !== this.generation) return;
        for (const i of indexes) this.errors.set(i, err instanceof Error ? err.message : String(err));
        this.notify();
      },
    );
  }

  /** Chooses how to read block `index` (and the `blocks` - 1 after it): keyset from the nearest cached neighbour with keys, from the end, or by offset. */
  plan(index: number, blocks = 1): Plan {
    const start = index * this.blockSize;
    const total = this.countExact() ? this.rowCount() : null;
    const size = this.blockSize * blocks;
    const count = total === null ? size : Math.max(1, Math.min(size, total - start));
    const split = blocks > 1 ? { splitInto: this.blockSize } : {};
    const plain = this.planFrom(index, start, count, total);
    return { ...plain, ...split };
  }

  private planFrom(index: number, start: number, count: number, total: number | null): Plan {
    for (let d = 1; d <= this.maxSkipBlocks; d++) {
      const below = this.cache.peek(index - d);
      if (below?.keys && below.batch.rowCount === this.blockSize) {
        return { start, count, anchor: { key: below.keys.last, direction: 'after', skip: (d - 1) * this.blockSize } };
      }
      const above = this.cache.peek(index + d);
      if (above?.keys) return { start, count, anchor: { key: above.keys.first, direction: 'before', skip: (d - 1) * this.blockSize } };
    }
    if (total !== null && start > total / 2) return { start, count, offsetFromEnd: Math.max(0, total - start - count) };
    return { start, count };
  }

  private toBlock(index: number, result: WindowResult): Block {
    const n = result.batch.rowCount;
    const truncated = result.truncated?.length ? new Set(result.truncated.map(([c, r]) => c * n + r)) : null;
    return { index, batch: result.batch, keys: result.keys, extra: result.extra, truncated };
  }

  private async load(index: number, plan: Plan, signal: AbortSignal): Promise<Block> {
    return (await this.loadBlocks(index, 1, plan, signal))[0]!;
  }

  /** Fetches one window and cuts it into `blocks` cached blocks (keys at the cuts come from `keyAt`). */
  private async loadBlocks(index: number, blocks: number, plan: Plan, signal: AbortSignal): Promise<Block[]> {
    this.fetches++;
    const result = await this.source.fetch({ ...plan, signal });
    const n = result.batch.rowCount;
    if (!signal.aborted) this.learnFromWindow(index, plan, n);
    if (blocks === 1 || !this.source.slice) return [this.toBlock(index, result)];
    const out: Block[] = [];
    for (let k = 0; k < blocks && k * this.blockSize < n; k++) {
      const start = k * this.blockSize;
      const end = Math.min(n, start + this.blockSize);
      const part = this.source.slice(result, start, end);
      const keyAt = result.keyAt;
      const keys = result.keys ? { first: start === 0 ? result.keys.first : (keyAt?.(start) ?? null), last: end === n ? result.keys.last : (keyAt?.(end - 1) ?? null) } : null;
      out.push(this.toBlock(index + k, { ...part, keys: keys && keys.first !== null && keys.last !== null ? keys : null }));
    }
    return out;
  }

  /**
   * A window read forwards that comes back short shows where the data ends; a full window at the
   * estimated end shows there is more. Either way the count — and the scrollbar — follow.
   */
  private learnFromWindow(index: number, plan: Plan, rows: number): void {
    const forwards = plan.offsetFromEnd === undefined && (!plan.anchor || plan.anchor.direction === 'after');
    const start = index * this.blockSize;
    if (forwards && rows < plan.count && (rows > 0 || start === 0)) {
      const end = start + rows;
      if (end !== this.knownEnd) {
        this.setKnownEnd(end);
        this.notify();
      }
    } else if (forwards && rows === 0) {
      // Nothing here: the data ends somewhere before this window. Shrink the estimate; an earlier window will tell exactly.
      if (this.rowCount() > start) {
        if (this.knownEnd !== null) this.setKnownEnd(start);
        else this.count = { value: start, exact: false };
        this.notify();
      }
    } else if (!this.countExact() && rows === plan.count && start + rows >= this.rowCount()) {
      this.count = { value: start + rows + this.blockSize, exact: false };
      this.notify();
    }
  }
}
