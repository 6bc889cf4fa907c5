import { describe, expect, it } from 'vitest';
import { ColumnLayout, MIN_COLUMN_WIDTH } from '../../../renderer/src/ui/data-grid/core/column-layout';
import { MAX_PHYSICAL_PX, ScrollScaler } from '../../../renderer/src/ui/data-grid/core/scroll-scaler';

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
