import type { GridDataSource, RowCountInfo, WindowFetch, WindowResult } from '../../../renderer/src/ui/data-grid/core/types';

/**
 * An in-memory data source for the windowing tests: row i has id i + 1 and is found by offset,
 * from the end, or by key exactly as the table source does. Every fetch is recorded, and
 * `hold` keeps answers back until released so the tests control timing.
 */
export class MemorySource implements GridDataSource {
  readonly columns = [
    { name: 'id', dataType: 'bigint', kind: 'bigint' as const },
    { name: 'label', dataType: 'text', kind: 'text' as const },
  ];
  readonly calls: Omit<WindowFetch, 'signal'>[] = [];
  held: (() => void)[] = [];
  hold = false;
  countResult: RowCountInfo;

  constructor(
    public rows: number,
    count?: RowCountInfo,
    readonly keyed = true,
  ) {
    this.countResult = count ?? { value: rows, exact: true };
  }

  async count(): Promise<RowCountInfo> {
    return this.countResult;
  }

  private window(start: number, count: number, withRowKeys = false): WindowResult {
    const s = Math.max(0, start);
    const e = Math.min(this.rows, start + count);
    const ids: number[] = [];
    for (let i = s; i < e; i++) ids.push(i + 1);
    return {
      batch: { columns: this.columns, values: [ids, ids.map((i) => `row ${i}`)], rowCount: ids.length },
      keys: this.keyed && ids.length ? { first: ids[0], last: ids[ids.length - 1] } : null,
      ...(withRowKeys && this.keyed ? { keyAt: (r: number) => ids[r] } : {}),
    };
  }

  slice(result: WindowResult, start: number, end: number): WindowResult {
    return { batch: { columns: result.batch.columns, values: result.batch.values.map((c) => c.slice(start, end)), rowCount: end - start }, keys: null };
  }

  async fetch(request: WindowFetch): Promise<WindowResult> {
    const { signal, ...rest } = request;
    this.calls.push(rest);
    if (this.hold) await new Promise<void>((r) => this.held.push(r));
    if (signal.aborted) throw new Error('aborted');
    const rk = request.splitInto !== undefined;
    if (request.anchor) {
      const key = request.anchor.key as number; // id = index + 1
      if (request.anchor.direction === 'after') return this.window(key + request.anchor.skip, request.count, rk);
      const end = key - 1 - request.anchor.skip;
      return this.window(Math.max(0, end - request.count), Math.min(request.count, end), rk);
    }
    if (request.offsetFromEnd !== undefined) {
      const end = this.rows - request.offsetFromEnd;
      return this.window(Math.max(0, end - request.count), Math.min(request.count, end), rk);
    }
    return this.window(request.start, request.count, rk);
  }

  release(): void {
    const h = this.held;
    this.held = [];
    for (const r of h) r();
  }
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
