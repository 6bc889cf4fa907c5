import { designEdges } from './graph';
import type { DesignSchema, DesignTable } from './model';

/**
 * Sizes and automatic placement of the diagram's tables, without a DOM: the renderer draws each
 * table at exactly this size, and the SVG export uses the same numbers.
 */
export const NODE_METRICS = {
  headerHeight: 32,
  rowHeight: 22,
  footerPadding: 6,
  minWidth: 190,
  maxWidth: 420,
  /** Average advance of a character at the node's font sizes (12px names, 11px monospace types). */
  nameCharWidth: 7.2,
  typeCharWidth: 6.7,
};

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export function tableSize(table: Pick<DesignTable, 'name' | 'columns'>): Size {
  const m = NODE_METRICS;
  let width = table.name.length * (m.nameCharWidth + 0.6) + 56;
  for (const c of table.columns) width = Math.max(width, c.name.length * m.nameCharWidth + c.type.length * m.typeCharWidth + 78);
  return {
    width: Math.round(Math.min(m.maxWidth, Math.max(m.minWidth, width))),
    height: m.headerHeight + Math.max(1, table.columns.length) * m.rowHeight + m.footerPadding,
  };
}

export interface LayoutNode extends Size {
  id: string;
}

export interface LayoutEdge {
  /** The referencing table: placed to the right of the one it references. */
  source: string;
  target: string;
}

export interface LayoutOptions {
  gapX: number;
  gapY: number;
  /** Space between separate groups of connected tables. */
  gapComponent: number;
}

const defaults: LayoutOptions = { gapX: 90, gapY: 28, gapComponent: 120 };

/**
 * A layered ("Sugiyama") layout in linear-ish time: connected groups of tables are laid out
 * separately, referenced tables to the left of the tables that reference them, each column of
 * tables ordered by the barycentre of its neighbours to cut crossings, tall columns wrapped, and
 * the groups packed into rows. Measured against elkjs's layered algorithm in `npm run bench`
 * (designer.layout.500): it is what lets 500 tables open in well under the 2 s budget.
 */
export function layeredLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], options: Partial<LayoutOptions> = {}): Map<string, Point> {
  const opt = { ...defaults, ...options };
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const parents: number[][] = nodes.map(() => []);
  const children: number[][] = nodes.map(() => []);
  const undirected: number[][] = nodes.map(() => []);
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    parents[s]!.push(t);
    children[t]!.push(s);
    undirected[s]!.push(t);
    undirected[t]!.push(s);
  }

  // Connected components, largest first; single tables are packed together at the end.
  const comp = new Array<number>(nodes.length).fill(-1);
  const components: number[][] = [];
  for (let i = 0; i < nodes.length; i++) {
    if (comp[i] !== -1) continue;
    const members: number[] = [];
    const stack = [i];
    comp[i] = components.length;
    while (stack.length) {
      const v = stack.pop()!;
      members.push(v);
      for (const w of undirected[v]!) {
        if (comp[w] === -1) {
          comp[w] = components.length;
          stack.push(w);
        }
      }
    }
    components.push(members);
  }

  const blocks: { members: number[]; pos: Map<number, Point>; width: number; height: number }[] = [];
  const singles: number[] = [];
  for (const members of components) {
    if (members.length === 1) singles.push(members[0]!);
    else blocks.push(layoutComponent(members, nodes, parents, children, opt));
  }
  blocks.sort((a, b) => b.width * b.height - a.width * a.height);
  if (singles.length) blocks.push(gridBlock(singles, nodes, opt));

  // Shelf packing: rows of blocks up to a width that keeps the whole picture roughly 16:10.
  const area = blocks.reduce((s, b) => s + (b.width + opt.gapComponent) * (b.height + opt.gapComponent), 0);
  const rowWidth = Math.max(Math.sqrt(area * 1.6), ...blocks.map((b) => b.width));
  const out = new Map<string, Point>();
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const b of blocks) {
    if (x > 0 && x + b.width > rowWidth) {
      x = 0;
      y += rowHeight + opt.gapComponent;
      rowHeight = 0;
    }
    for (const [v, p] of b.pos) out.set(nodes[v]!.id, { x: Math.round(x + p.x), y: Math.round(y + p.y) });
    x += b.width + opt.gapComponent;
    rowHeight = Math.max(rowHeight, b.height);
  }
  return out;
}

function gridBlock(members: number[], nodes: readonly LayoutNode[], opt: LayoutOptions) {
  const sorted = [...members].sort((a, b) => nodes[a]!.id.localeCompare(nodes[b]!.id));
  const cols = Math.max(1, Math.ceil(Math.sqrt(sorted.length * 0.8)));
  const colWidth = Math.max(...sorted.map((v) => nodes[v]!.width));
  const pos = new Map<number, Point>();
  const colY = new Array<number>(cols).fill(0);
  sorted.forEach((v, i) => {
    // Fill the shortest column, so tall tables do not leave holes.
    let c = i < cols ? i : colY.indexOf(Math.min(...colY));
    if (c < 0) c = 0;
    pos.set(v, { x: c * (colWidth + opt.gapX / 2), y: colY[c]! });
    colY[c] = colY[c]! + nodes[v]!.height + opt.gapY;
  });
  return { members: sorted, pos, width: cols * (colWidth + opt.gapX / 2), height: Math.max(...colY) };
}

function layoutComponent(members: number[], nodes: readonly LayoutNode[], parents: number[][], children: number[][], opt: LayoutOptions) {
  const inComp = new Set(members);
  // Break cycles: a DFS over "references" edges; an edge back into the DFS stack is ignored.
  const state = new Map<number, 1 | 2>();
  const ignored = new Set<string>();
  const order: number[] = [];
  for (const root of members) {
    if (state.has(root)) continue;
    const stack: [number, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [v, i] = top;
      const ps = parents[v]!;
      if (i < ps.length) {
        top[1]++;
        const w = ps[i]!;
        if (!inComp.has(w)) continue;
        const s = state.get(w);
        if (s === 1) ignored.add(`${v}>${w}`);
        else if (s === undefined) {
          state.set(w, 1);
          stack.push([w, 0]);
        }
      } else {
        state.set(v, 2);
        order.push(v); // post-order: parents before children
        stack.pop();
      }
    }
  }
  // Longest path from the tables that reference nothing: each table one column right of its parents.
  const layer = new Map<number, number>();
  for (const v of order) {
    let l = 0;
    for (const p of parents[v]!) if (!ignored.has(`${v}>${p}`) && layer.has(p)) l = Math.max(l, layer.get(p)! + 1);
    layer.set(v, l);
  }
  // Pull parents right next to their nearest child (shorter edges than leaving them in column 0).
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i]!;
    const kids = children[v]!.filter((c) => inComp.has(c) && !ignored.has(`${c}>${v}`));
    if (kids.length) layer.set(v, Math.max(layer.get(v)!, Math.min(...kids.map((c) => layer.get(c)!)) - 1));
  }
  const layerCount = Math.max(...layer.values()) + 1;
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (const v of order) layers[layer.get(v)!]!.push(v);

  // Barycentre ordering, sweeping right then left a few times.
  const rank = new Map<number, number>();
  const setRanks = (l: number[]) => l.forEach((v, i) => rank.set(v, l.length > 1 ? i / (l.length - 1) : 0.5));
  layers.forEach(setRanks);
  const neighbours = (v: number) => [...parents[v]!, ...children[v]!].filter((w) => inComp.has(w));
  for (let sweep = 0; sweep < 6; sweep++) {
    const seq = sweep % 2 === 0 ? layers.map((_, i) => i) : layers.map((_, i) => layers.length - 1 - i);
    for (const li of seq) {
      const l = layers[li]!;
      const ref = sweep % 2 === 0 ? li - 1 : li + 1;
      const bary = new Map<number, number>();
      for (const v of l) {
        const ns = neighbours(v).filter((w) => (sweep % 2 === 0 ? layer.get(w)! <= ref : layer.get(w)! >= ref));
        bary.set(v, ns.length ? ns.reduce((s, w) => s + rank.get(w)!, 0) / ns.length : rank.get(v)!);
      }
      l.sort((a, b) => bary.get(a)! - bary.get(b)! || rank.get(a)! - rank.get(b)!);
      setRanks(l);
    }
  }

  // Wrap columns taller than the picture should be into several side by side.
  const totalArea = members.reduce((s, v) => s + (nodes[v]!.width + opt.gapX) * (nodes[v]!.height + opt.gapY), 0);
  const maxHeight = Math.max(900, Math.sqrt(totalArea / 1.6) * 1.1);
  const columns: number[][] = [];
  for (const l of layers) {
    let col: number[] = [];
    let h = 0;
    for (const v of l) {
      const nh = nodes[v]!.height + opt.gapY;
      if (col.length && h + nh > maxHeight) {
        columns.push(col);
        col = [];
        h = 0;
      }
      col.push(v);
      h += nh;
    }
    if (col.length) columns.push(col);
  }
  const heights = columns.map((c) => c.reduce((s, v) => s + nodes[v]!.height + opt.gapY, -opt.gapY));
  const height = Math.max(...heights);
  const pos = new Map<number, Point>();
  let x = 0;
  columns.forEach((col, ci) => {
    const w = Math.max(...col.map((v) => nodes[v]!.width));
    let y = (height - heights[ci]!) / 2;
    for (const v of col) {
      pos.set(v, { x, y });
      y += nodes[v]!.height + opt.gapY;
    }
    x += w + opt.gapX;
  });
  return { members, pos, width: x - opt.gapX, height };
}

/** Layout of a whole design: every table sized and placed. */
export function layoutDesign(design: DesignSchema, only?: ReadonlySet<string>): Map<string, Point> {
  const tables = only ? design.tables.filter((t) => only.has(t.id)) : design.tables;
  const nodes = tables.map((t) => ({ id: t.id, ...tableSize(t) }));
  const edges = designEdges(design).filter((e) => !only || (only.has(e.source) && only.has(e.target)));
  return layeredLayout(nodes, edges);
}

/**
 * Positions for every table: saved ones where known, and new tables placed in a row below the
 * saved picture (so adding a table never moves what a person arranged).
 */
export function mergePositions(design: DesignSchema, saved: ReadonlyMap<string, Point>): Map<string, Point> {
  const missing = design.tables.filter((t) => !saved.has(t.id));
  if (missing.length === design.tables.length) return layoutDesign(design);
  const out = new Map<string, Point>();
  let maxY = -Infinity;
  let minX = Infinity;
  for (const t of design.tables) {
    const p = saved.get(t.id);
    if (!p) continue;
    out.set(t.id, p);
    maxY = Math.max(maxY, p.y + tableSize(t).height);
    minX = Math.min(minX, p.x);
  }
  if (missing.length) {
    const placed = layoutDesign(design, new Set(missing.map((t) => t.id)));
    for (const [id, p] of placed) out.set(id, { x: minX + p.x, y: maxY + 120 + p.y });
  }
  return out;
}

/**
 * Which sides a foreign-key line leaves the child and enters the parent: facing sides when the
 * tables stand side by side; both left when one stands above the other (a bracket, not a loop
 * through both tables).
 */
export function edgeSides(child: Point & Size, parent: Point & Size): { child: 'l' | 'r'; parent: 'l' | 'r' } {
  const overlapX = child.x < parent.x + parent.width && parent.x < child.x + child.width;
  if (overlapX) return { child: 'l', parent: 'l' };
  return child.x + child.width / 2 < parent.x + parent.width / 2 ? { child: 'r', parent: 'l' } : { child: 'l', parent: 'r' };
}
