import { designEdges } from './graph';
import { edgeSides, NODE_METRICS, tableSize, type Point } from './layout';
import type { DesignSchema, DesignTable } from './model';

/** Colours of the picture, taken from the app's theme when exporting. */
export interface SvgTheme {
  background: string;
  node: string;
  header: string;
  headerText: string;
  text: string;
  muted: string;
  border: string;
  edge: string;
  key: string;
}

export const lightSvgTheme: SvgTheme = {
  background: '#ffffff',
  node: '#ffffff',
  header: '#eef0f3',
  headerText: '#1d2129',
  text: '#1d2129',
  muted: '#5c6373',
  border: '#c4c9d2',
  edge: '#5c6373',
  key: '#8f5400',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Text cut to fit a width, with an ellipsis (the picture has no DOM to measure with). */
function fit(text: string, width: number, charWidth: number): string {
  const max = Math.max(1, Math.floor(width / charWidth));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function columnY(pos: Point, index: number): number {
  return pos.y + NODE_METRICS.headerHeight + index * NODE_METRICS.rowHeight + NODE_METRICS.rowHeight / 2;
}

/**
 * The diagram as a standalone SVG document: every table (name, columns, types, key and null
 * markers) where the diagram shows it, and each foreign key as a line from the referencing
 * column to the referenced one, crow's foot on the "many" side. Pure, so it is the same picture
 * in a test, in the browser shell and in Electron; the PNG export draws this SVG onto a canvas.
 */
export function diagramSvg(design: DesignSchema, positions: ReadonlyMap<string, Point>, theme: SvgTheme = lightSvgTheme, options: { only?: ReadonlySet<string>; padding?: number } = {}): { svg: string; width: number; height: number } {
  const pad = options.padding ?? 32;
  const tables = design.tables.filter((t) => positions.has(t.id) && (!options.only || options.only.has(t.id)));
  const boxes = new Map(tables.map((t) => [t.id, { table: t, pos: positions.get(t.id)!, size: tableSize(t) }]));
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const b of boxes.values()) {
    minX = Math.min(minX, b.pos.x);
    minY = Math.min(minY, b.pos.y);
    maxX = Math.max(maxX, b.pos.x + b.size.width);
    maxY = Math.max(maxY, b.pos.y + b.size.height);
  }
  if (!boxes.size) {
    minX = minY = 0;
    maxX = maxY = 100;
  }
  const width = Math.ceil(maxX - minX + pad * 2);
  const height = Math.ceil(maxY - minY + pad * 2);
  const ox = pad - minX;
  const oy = pad - minY;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, sans-serif" font-size="12">`,
    `<title>${esc(`${design.schema} — ${tables.length} table${tables.length === 1 ? '' : 's'}`)}</title>`,
    '<defs>',
    // Crow's foot ("many") and bar ("one") at line ends; drawn in the edge colour.
    `<marker id="many" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="12" markerHeight="12" orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M11 6 L1 1 M11 6 L1 6 M11 6 L1 11" fill="none" stroke="${theme.edge}" stroke-width="1.2"/></marker>`,
    `<marker id="one" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="12" markerHeight="12" orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M7 1 L7 11 M11 6 L1 6" fill="none" stroke="${theme.edge}" stroke-width="1.2"/></marker>`,
    '</defs>',
    `<rect width="100%" height="100%" fill="${theme.background}"/>`,
    `<g transform="translate(${ox} ${oy})">`,
  );
  // Edges below the tables.
  for (const e of designEdges(design)) {
    const child = boxes.get(e.source);
    const parent = boxes.get(e.target);
    if (!child || !parent) continue;
    const ci = Math.max(0, child.table.columns.findIndex((c) => c.id === e.sourceColumns[0]));
    const pi = Math.max(0, parent.table.columns.findIndex((c) => c.id === e.targetColumns[0]));
    const sides = edgeSides({ ...child.pos, ...child.size }, { ...parent.pos, ...parent.size });
    const x1 = sides.child === 'r' ? child.pos.x + child.size.width : child.pos.x;
    const x2 = sides.parent === 'r' ? parent.pos.x + parent.size.width : parent.pos.x;
    const y1 = columnY(child.pos, ci);
    const y2 = columnY(parent.pos, pi);
    const reach = Math.max(30, Math.abs(x2 - x1) / 2);
    const c1 = x1 + (sides.child === 'r' ? reach : -reach);
    const c2 = x2 + (sides.parent === 'r' ? reach : -reach);
    const dash = e.parentOptional ? ' stroke-dasharray="5 3"' : '';
    out.push(
      `<path d="M${x1} ${y1} C${c1} ${y1} ${c2} ${y2} ${x2} ${y2}" fill="none" stroke="${theme.edge}" stroke-width="1.3"${dash} marker-start="url(#${e.childCardinality})" marker-end="url(#one)"><title>${esc(`${child.table.name} → ${parent.table.name}`)}</title></path>`,
    );
  }
  for (const { table, pos, size } of boxes.values()) out.push(tableSvg(table, pos, size.width, size.height, theme));
  out.push('</g></svg>');
  return { svg: out.join('\n'), width, height };
}

function tableSvg(t: DesignTable, pos: Point, width: number, height: number, theme: SvgTheme): string {
  const m = NODE_METRICS;
  const pk = new Set(t.primaryKey?.columns ?? []);
  const fk = new Set(t.foreignKeys.flatMap((f) => f.columns));
  const parts = [
    `<g transform="translate(${pos.x} ${pos.y})">`,
    `<rect width="${width}" height="${height}" rx="6" fill="${theme.node}" stroke="${theme.border}"/>`,
    `<path d="M0 6 a6 6 0 0 1 6 -6 h${width - 12} a6 6 0 0 1 6 6 v${m.headerHeight - 6} h-${width} z" fill="${theme.header}"/>`,
    `<line x1="0" y1="${m.headerHeight}" x2="${width}" y2="${m.headerHeight}" stroke="${theme.border}"/>`,
    `<text x="10" y="${m.headerHeight / 2 + 4}" font-weight="600" fill="${theme.headerText}">${esc(fit(t.name, width - 20, m.nameCharWidth + 0.6))}</text>`,
  ];
  t.columns.forEach((c, i) => {
    const y = m.headerHeight + i * m.rowHeight + m.rowHeight / 2 + 4;
    const mark = pk.has(c.id) ? 'PK' : fk.has(c.id) ? 'FK' : '';
    if (mark) parts.push(`<text x="8" y="${y}" font-size="9" font-weight="700" fill="${pk.has(c.id) ? theme.key : theme.muted}">${mark}</text>`);
    const typeText = fit(c.type + (c.nullable ? '' : ' !'), width * 0.45, m.typeCharWidth);
    parts.push(`<text x="28" y="${y}" fill="${theme.text}">${esc(fit(c.name, width - 40 - typeText.length * m.typeCharWidth, m.nameCharWidth))}</text>`);
    parts.push(`<text x="${width - 10}" y="${y}" text-anchor="end" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="11" fill="${theme.muted}">${esc(typeText)}</text>`);
  });
  parts.push('</g>');
  return parts.join('');
}
