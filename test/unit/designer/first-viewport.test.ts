import { describe, expect, it } from 'vitest';
import { firstViewport, nearestToCorner, READABLE_ZOOM } from '../../../features/designer/renderer/first-viewport';

describe('the diagram’s first viewport', () => {
  it('fits a small diagram whole (at most at zoom 1)', () => {
    const v = firstViewport({ x: 0, y: 0, width: 300, height: 200 }, 800, 600);
    expect(v.zoom).toBe(1);
    // Centred: the diagram's middle is the canvas's middle.
    expect(v.x + 150 * v.zoom).toBeCloseTo(400);
    expect(v.y + 100 * v.zoom).toBeCloseTo(300);
  });

  it('opens a diagram too big to fit readably at a readable zoom, from its top-left corner', () => {
    // The demo's six tables in the canvas left beside the side panel at 1440×900: fitting would be zoom 0.7.
    const bounds = { x: 40, y: 60, width: 820, height: 950 };
    const v = firstViewport(bounds, 710, 760);
    expect(v.zoom).toBe(READABLE_ZOOM);
    // Column names (12 px) read at 10 px or more.
    expect(12 * v.zoom).toBeGreaterThanOrEqual(10);
    // The diagram's top-left corner is in view, just inside the canvas.
    const left = bounds.x * v.zoom + v.x;
    const top = bounds.y * v.zoom + v.y;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(60);
    expect(top).toBeGreaterThan(0);
    expect(top).toBeLessThan(60);
  });

  it('starts at a table when the corner of them all is empty (a big schema laid out in columns)', () => {
    // Columns of different heights: the first column starts low, the first row starts far right.
    const tables = [
      { x: 0, y: 3000 },
      { x: 0, y: 3400 },
      { x: 2500, y: 0 },
      { x: 2500, y: 400 },
      { x: 9000, y: 9000 },
    ];
    const start = nearestToCorner(tables)!;
    expect(start).toEqual({ x: 2500, y: 0 });
    const v = firstViewport({ x: 0, y: 0, width: 9300, height: 9400, start }, 980, 660);
    expect(v.zoom).toBe(READABLE_ZOOM);
    // That table's corner is just inside the canvas; the empty corner of the bounds is not where the view is.
    const left = start.x * v.zoom + v.x;
    const top = start.y * v.zoom + v.y;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(60);
    expect(top).toBeGreaterThan(0);
    expect(top).toBeLessThan(60);
    expect(nearestToCorner([])).toBeUndefined();
  });
});
