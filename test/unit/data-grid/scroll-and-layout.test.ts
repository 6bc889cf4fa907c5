import { describe, expect, it } from 'vitest';
import { ColumnLayout, fittedWidths, MIN_COLUMN_WIDTH } from '../../../renderer/src/ui/data-grid/core/column-layout';
import { MAX_PHYSICAL_PX, ScrollScaler } from '../../../renderer/src/ui/data-grid/core/scroll-scaler';
import { MIN_THUMB_PX, positionFromThumb, thumbGeometry } from '../../../renderer/src/ui/data-grid/core/scroll-thumb';

describe('ScrollScaler', () => {
  it('does not scale what the browser can scroll', () => {
    const s = new ScrollScaler(28);
    s.setSize(10_000, 560);
    expect(s.scaled).toBe(false);
    expect(s.physicalHeight).toBe(280_000);
    expect(s.ratio).toBe(1);
    expect(s.virtualFromPhysical(1234)).toBe(1234);
  });

  it('scales 100 million rows onto a scrollbar the browser can draw, reaching the first and the last row', () => {
    const s = new ScrollScaler(28);
    s.setSize(100_000_000, 560);
    expect(s.scaled).toBe(true);
    expect(s.physicalHeight).toBe(MAX_PHYSICAL_PX);
    expect(s.visibleRows(s.virtualFromPhysical(0), 0)).toMatchObject({ first: 0 });
    const bottom = s.visibleRows(s.virtualFromPhysical(s.maxPhysicalTop), 0);
    expect(bottom.last).toBe(99_999_999);
    expect(bottom.first).toBe(100_000_000 - 20);
    const middle = s.visibleRows(s.virtualFromPhysical(s.maxPhysicalTop / 2), 0);
    expect(Math.abs(middle.first - 50_000_000)).toBeLessThan(20);
    // Round trip: a virtual position maps to a physical one and back within one physical pixel.
    const v = 1_234_567_890;
    expect(Math.abs(s.virtualFromPhysical(s.physicalFromVirtual(v)) - v)).toBeLessThan(s.ratio);
  });

  it('places partly hidden rows, overscan and page size', () => {
    const s = new ScrollScaler(20);
    s.setSize(1000, 100);
    expect(s.visibleRows(45, 2)).toEqual({ first: 0, last: 9, firstOffset: -45 });
    expect(s.visibleRows(45, 0)).toEqual({ first: 2, last: 7, firstOffset: -5 });
    expect(s.pageRows).toBe(5);
    expect(s.revealRow(50, 0)).toBe(51 * 20 - 100);
    expect(s.revealRow(3, 200)).toBe(60);
    expect(s.revealRow(12, 200)).toBe(200);
  });
});

describe('ColumnLayout', () => {
  const cols = [
    { name: 'id', dataType: 'int', kind: 'integer' as const },
    { name: 'name', dataType: 'text', kind: 'text' as const },
    { name: 'a very long column name indeed', dataType: 'int', kind: 'integer' as const },
    { name: 'when', dataType: 'timestamp', kind: 'timestamp' as const },
  ];

  it('sizes columns by kind and name, and finds the visible ones', () => {
    const l = new ColumnLayout(cols, [100, 200, 150, 200]);
    expect(l.totalWidth).toBe(650);
    expect(l.visibleColumns(0, 250, 0)).toEqual({ first: 0, last: 1 });
    expect(l.visibleColumns(310, 100, 0)).toEqual({ first: 2, last: 2 });
    expect(l.visibleColumns(310, 100, 1)).toEqual({ first: 1, last: 3 });
    expect(l.revealColumn(3, 0, 300)).toBe(350);
    expect(l.revealColumn(0, 350, 300)).toBe(0);
    const auto = new ColumnLayout(cols);
    expect(auto.width(2)).toBeGreaterThan(auto.width(0));
  });

  it('resizes with a lower bound', () => {
    const l = new ColumnLayout(cols, [100, 200, 150, 200]);
    l.resize(1, 10);
    expect(l.width(1)).toBe(MIN_COLUMN_WIDTH);
    expect(l.left(2)).toBe(100 + MIN_COLUMN_WIDTH);
  });
});

describe('the grid’s own scrollbar thumb', () => {
  // The demo's events table at 1440×900: a million rows of 28 px in a 669 px body.
  const rows = 1_000_000;
  const viewport = 669;
  const content = rows * 28;
  const max = content - viewport;

  it('is at least MIN_THUMB_PX tall and travels the whole track', () => {
    const top = thumbGeometry(viewport, viewport, content, 0);
    expect(top).toMatchObject({ top: 0, height: MIN_THUMB_PX, travel: viewport - MIN_THUMB_PX, scrollable: true });
    expect(thumbGeometry(viewport, viewport, content, max).top).toBe(viewport - MIN_THUMB_PX);
    expect(thumbGeometry(viewport, viewport, viewport - 10, 0).scrollable).toBe(false);
  });

  it('reaches the last row however far past the track the pointer ends, and the first row above it', () => {
    const { travel } = thumbGeometry(viewport, viewport, content, 0);
    // The pointer's last step lands a few pixels below the window, or far below it.
    for (const past of [1, 3, 7, 250, 10_000]) {
      const position = positionFromThumb(travel + past, travel, max);
      expect(position).toBe(max);
      const s = new ScrollScaler(28);
      s.setSize(rows, viewport);
      expect(s.visibleRows(position, 0).last).toBe(rows - 1);
    }
    expect(positionFromThumb(-40, travel, max)).toBe(0);
    expect(positionFromThumb(travel / 2, travel, max)).toBeCloseTo(max / 2);
    expect(positionFromThumb(Number.POSITIVE_INFINITY, travel, max)).toBe(max);
  });
});

describe('fitted column widths', () => {
  // A measure that counts: 8 px a character for names, 6 for types, 7 for cells.
  const measure = { name: (t: string) => t.length * 8, type: (t: string) => t.length * 6, cell: (t: string) => t.length * 7 };
  const cols = [
    { name: 'customer_reference_code', dataType: 'integer', kind: 'integer' as const },
    { name: 'id', dataType: 'bigint', kind: 'bigint' as const },
    { name: 'note', dataType: 'text', kind: 'text' as const },
    { name: 'fk', dataType: 'int', kind: 'integer' as const },
  ];

  it('shows a name longer than its short values whole, and makes short columns narrow', () => {
    const w = fittedWidths(cols, [['1', '22'], ['7'], ['x'.repeat(200)], ['123456']], measure, [false, false, false, true]);
    expect(w[0]).toBeGreaterThanOrEqual('customer_reference_code'.length * 8 + 32);
    expect(w[1]).toBeLessThan(90);
    // A long value is cut at the cap; the side panel shows it whole.
    expect(w[2]).toBe(360);
    // A cell with an action (a foreign key's arrow) gets room for it.
    expect(w[3]).toBeGreaterThan(fittedWidths(cols, [[], [], [], ['123456']], measure)[3]!);
  });

  it('sizes by the header alone before any row is in', () => {
    const w = fittedWidths(cols, [], measure);
    expect(w.every((x) => x >= MIN_COLUMN_WIDTH)).toBe(true);
    expect(w[0]).toBeGreaterThan(w[1]!);
  });
});
