/** The zoom at which a table's column names (12 px) and types (11 px) read at 10 px or more. */
export const READABLE_ZOOM = 0.9;

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
  /**
   * Where the view starts when the whole does not fit: the top-left corner of the table nearest the
   * diagram's own top-left corner. A big laid-out schema can leave that corner itself empty (500 tables
   * in columns of different heights), and a view opened there showed no table at all.
   */
  start?: { x: number; y: number };
}

/** The top-left corner of the table nearest the top-left corner of them all (the view starts there). */
export function nearestToCorner(tables: ReadonlyArray<{ x: number; y: number }>): { x: number; y: number } | undefined {
  if (tables.length === 0) return undefined;
  const minX = Math.min(...tables.map((t) => t.x));
  const minY = Math.min(...tables.map((t) => t.y));
  let best = tables[0]!;
  for (const t of tables) if (t.x - minX + (t.y - minY) < best.x - minX + (best.y - minY)) best = t;
  return { x: best.x, y: best.y };
}

/**
 * The viewport a diagram opens at: everything, fitted with `padding` around it, when that fits
 * at a readable zoom; otherwise a readable zoom showing the diagram from its top-left table (the
 * minimap and Fit show the rest). Fitting a big schema into a canvas narrowed by the side panel
 * would otherwise open on 6 px text.
 */
export function firstViewport(bounds: Bounds, width: number, height: number, padding = 0.1, readable = READABLE_ZOOM, maxZoom = 1): { x: number; y: number; zoom: number } {
  const w = Math.max(1, bounds.width);
  const h = Math.max(1, bounds.height);
  const fit = Math.min(width / (w * (1 + 2 * padding)), height / (h * (1 + 2 * padding)), maxZoom);
  if (fit >= readable) return { zoom: fit, x: (width - w * fit) / 2 - bounds.x * fit, y: (height - h * fit) / 2 - bounds.y * fit };
  const margin = Math.min(width, height) * padding * 0.5;
  const start = bounds.start ?? bounds;
  return { zoom: readable, x: margin - start.x * readable, y: margin - start.y * readable };
}
