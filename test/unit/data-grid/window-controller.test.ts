import { describe, expect, it } from 'vitest';
import { WindowController } from '../../../renderer/src/ui/data-grid/core/window-controller';
import { MemorySource, tick } from './memory-source';

function idAt(c: WindowController, index: number): unknown {
  const s = c.row(index);
  return s.status === 'ready' ? s.row.cell(0) : s.status;
}

describe('WindowController', () => {
  it('fetches the visible window and prefetches ahead, by offset at first', async () => {
    const src = new MemorySource(1_000_000);
    const c = new WindowController(src, { blockSize: 100, prefetchBlocks: 2 });
    c.start();
    c.setViewport(0, 30);
    await tick(5);
    expect(src.calls[0]).toEqual({ start: 0, count: 100 });
    expect(idAt(c, 0)).toBe(1);
    expect(idAt(c, 30)).toBe(31);
    // Blocks 1 and 2 were prefetched by keyset from block 0's last key.
    expect(src.calls.slice(1)).toEqual([
      { start: 100, count: 100, anchor: { key: 100, direction: 'after', skip: 0 } },
      { start: 200, count: 100, anchor: { key: 200, direction: 'after', skip: 0 } },
    ]);
    expect(idAt(c, 250)).toBe(251);
    expect(c.rowCount()).toBe(1_000_000);
    expect(c.countExact()).toBe(true);
  });

  it('scrolling on reads the next windows by keyset, never by growing offsets', async () => {
    const src = new MemorySource(100_000);
    const c = new WindowController(src, { blockSize: 100, prefetchBlocks: 1 });
    c.start();
    for (let first = 0; first < 5000; first += 25) {
      c.setViewport(first, first + 24);
      await tick(1);
    }
    await tick(5);
    const offsets = src.calls.filter((x) => !x.anchor);
    expect(offsets).toEqual([{ start: 0, count: 100 }]);
    for (let i = 0; i < 5000; i += 97) expect(idAt(c, i)).toBe(i + 1);
  });

  it('jumps far with an offset (or from the end past the middle), then pages by key from there', async () => {
    const src = new MemorySource(1_000_000);
    // The table browser passes the count it got with the table's description.
    const c = new WindowController(src, { blockSize: 100, prefetchBlocks: 1, settleMs: 0, initialCount: { value: 1_000_000, exact: true } });
    c.start();
    await tick(1);
    c.setViewport(400_000, 400_030);
    await tick(5);
    expect(src.calls[0]).toEqual({ start: 400_000, count: 100 });
    expect(idAt(c, 400_010)).toBe(400_011);
    c.setViewport(900_000, 900_030);
    await tick(5);
    expect(src.calls.find((x) => x.start === 900_000)).toEqual({ start: 900_000, count: 100, offsetFromEnd: 99_900 });
    expect(idAt(c, 900_029)).toBe(900_030);
    // Just above a cached window: keyset before it.
    c.setViewport(899_950, 899_990);
    await tick(5);
    expect(src.calls.find((x) => x.start === 899_900)).toEqual({ start: 899_900, count: 100, anchor: { key: 900_001, direction: 'before', skip: 0 } });
    expect(idAt(c, 899_950)).toBe(899_951);
    // A few windows further down: keyset after the nearest cached one, skipping the rows between.
    c.setViewport(901_000, 901_020);
    await tick(5);
    const far = src.calls.find((x) => x.start === 901_000)!;
    expect(far.anchor).toMatchObject({ direction: 'after', skip: expect.any(Number) });
    expect(idAt(c, 901_000)).toBe(901_001);
  });

  it('reads a view straddling two windows with one fetch, and keeps keys at the cut for later seeks', async () => {
    const src = new MemorySource(1_000_000);
    const c = new WindowController(src, { blockSize: 100, prefetchBlocks: 0, settleMs: 0, initialCount: { value: 1_000_000, exact: true } });
    c.start();
    c.setViewport(300_080, 300_110);
    await tick(5);
    expect(src.calls[0]).toEqual({ start: 300_000, count: 200, splitInto: 100 });
    expect(idAt(c, 300_099)).toBe(300_100);
    expect(idAt(c, 300_100)).toBe(300_101);
    // The next block down seeks from the key at the end of the second half.
    c.setViewport(300_190, 300_220);
    await tick(5);
    expect(src.calls.find((x) => x.start === 300_200)).toEqual({ start: 300_200, count: 100, anchor: { key: 300_200, direction: 'after', skip: 0 } });
    expect(idAt(c, 300_210)).toBe(300_211);
  });

  it('reaches the very last row from the end', async () => {
    const src = new MemorySource(1_000_003);
    const c = new WindowController(src, { blockSize: 100, settleMs: 0, initialCount: { value: 1_000_003, exact: true } });
    c.start();
    await tick(1);
    c.setViewport(999_990, 1_000_002);
    await tick(5);
    expect(idAt(c, 1_000_002)).toBe(1_000_003);
    // One window from the end brings both blocks in view.
    expect(src.calls[0]).toEqual({ start: 999_900, count: 103, offsetFromEnd: 0, splitInto: 100 });
    expect(src.calls.filter((x) => !x.anchor)).toHaveLength(1);
  });

  it('keeps the cache bounded while scrolling the whole table', async () => {
    const src = new MemorySource(200_000);
    const c = new WindowController(src, { blockSize: 100, maxBlocks: 20, settleMs: 0 });
    c.start();
    for (let first = 0; first < 200_000; first += 1000) {
      c.setViewport(first, first + 30);
      await tick(1);
      expect((c as unknown as { cache: { size: number } }).cache.size).toBeLessThanOrEqual(20);
    }
    await tick(5);
    expect(idAt(c, 199_000)).toBe(199_001);
    expect(idAt(c, 0)).toBe('loading');
  });

  it('corrects an estimated count: a short window shows where the data ends', async () => {
    const src = new MemorySource(1234, { value: 5000, exact: false });
    const c = new WindowController(src, { blockSize: 100, settleMs: 0, initialCount: { value: 5000, exact: false } });
    expect(c.rowCount()).toBe(5000);
    expect(c.countExact()).toBe(false);
    c.start();
    c.setViewport(1200, 1230);
    await tick(5);
    expect(c.rowCount()).toBe(1234);
    expect(c.countExact()).toBe(true);
    expect(idAt(c, 1233)).toBe(1234);
  });

  it('grows an estimate that was too small when the last window comes back full', async () => {
    const src = new MemorySource(10_000, { value: 1000, exact: false });
    const c = new WindowController(src, { blockSize: 100, settleMs: 0 });
    c.start();
    await tick(1);
    c.setViewport(950, 999);
    await tick(5);
    expect(c.rowCount()).toBeGreaterThan(1000);
    expect(c.countExact()).toBe(false);
  });

  it('drops fetches the viewport left behind and shows errors per window', async () => {
    const src = new MemorySource(1_000_000);
    const c = new WindowController(src, { blockSize: 100, settleMs: 0, prefetchBlocks: 0 });
    c.start();
    await tick(1);
    src.hold = true;
    c.setViewport(10_000, 10_020);
    await tick(1);
    c.setViewport(500_000, 500_020);
    await tick(1);
    src.hold = false;
    src.release();
    await tick(5);
    expect(idAt(c, 500_000)).toBe(500_001);
    expect(idAt(c, 10_000)).toBe('loading');

    const failing = new WindowController(
      { columns: src.columns, count: async () => ({ value: 500, exact: true }), fetch: async () => Promise.reject(new Error('server said no')) },
      { blockSize: 100 },
    );
    failing.start();
    failing.setViewport(0, 10);
    await tick(5);
    expect(failing.row(3)).toEqual({ status: 'error', message: 'server said no' });
  });

  it('offers no anchors to a source without keys', async () => {
    const src = new MemorySource(10_000, undefined, false);
    const c = new WindowController(src, { blockSize: 100, prefetchBlocks: 2 });
    c.start();
    c.setViewport(0, 30);
    await tick(5);
    expect(src.calls.every((x) => x.anchor === undefined)).toBe(true);
    expect(idAt(c, 250)).toBe(251);
  });

  it('reads a range for copying across windows, in order', async () => {
    const src = new MemorySource(10_000);
    const c = new WindowController(src, { blockSize: 100 });
    c.start();
    const rows = await c.readRange(150, 420, new AbortController().signal);
    expect(rows.map((r) => r.cell(0))).toEqual(Array.from({ length: 270 }, (_, i) => 151 + i));
  });

  it('counts only once the first window is in, so the first rows never wait behind a count', async () => {
    const order: string[] = [];
    const src = new MemorySource(5000, { value: 5000, exact: true });
    const counted = src.count.bind(src);
    src.count = async () => (order.push('count'), counted());
    const fetched = src.fetch.bind(src);
    src.fetch = async (r) => (order.push('fetch'), fetched(r));
    const c = new WindowController(src, { blockSize: 100, prefetchBlocks: 0, initialCount: { value: 4000, exact: false } });
    c.start();
    c.setViewport(0, 20);
    await tick(5);
    expect(order.slice(0, 2)).toEqual(['fetch', 'count']);
    expect(c.rowCount()).toBe(5000);
    expect(c.countExact()).toBe(true);
  });

  it('invalidates: forgets rows and counts again', async () => {
    const src = new MemorySource(300);
    const c = new WindowController(src, { blockSize: 100 });
    c.start();
    c.setViewport(0, 20);
    await tick(5);
    src.rows = 150;
    src.countResult = { value: 150, exact: true };
    c.invalidate();
    await tick(5);
    expect(c.rowCount()).toBe(150);
    expect(idAt(c, 10)).toBe(11);
  });
});
