import { describe, expect, it } from 'vitest';
import { firstViewport, READABLE_ZOOM } from '../../../features/designer/renderer/first-viewport';

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
});
