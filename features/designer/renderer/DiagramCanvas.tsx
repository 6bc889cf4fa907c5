import {
  applyNodeChanges,
  Background,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore as useFlowStore,
  ViewportPortal,
  type Connection,
  type Edge,
  type NodeChange,
  type NodeHandle,
  type Viewport,
} from '@xyflow/react';
import { useCallback, useEffect, useEffectEvent, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { changeMarks } from '../shared/diff';
import { designEdges, neighbourhood } from '../shared/graph';
import { edgeSides, layoutDesign, tableSize, type Point } from '../shared/layout';
import { columnNames } from '../shared/model';
import { useStore } from '../../../renderer/src/app/store';
import type { DesignerSession } from './designer-session';
import { columnHandles, DETAIL_ZOOM, handleId, TableNode, tableHandleId, type TableFlowNode, type TableNodeData } from './TableNode';
import { firstViewport, nearestToCorner } from './first-viewport';

const nodeTypes = { table: TableNode };
const noEdges: Edge[] = [];
const MIN_ZOOM = 0.02;

/** Marker shapes for the ends of foreign-key lines (crow's foot for "many", a bar for "one"). */
function EdgeMarkers() {
  return (
    <svg className="dz-markers" aria-hidden width="0" height="0">
      <defs>
        <marker id="dz-many" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="14" markerHeight="14" orient="auto-start-reverse" markerUnits="userSpaceOnUse">
          <path d="M11 6 L1 1 M11 6 L1 6 M11 6 L1 11" className="dz-marker-path" />
        </marker>
        <marker id="dz-one" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="14" markerHeight="14" orient="auto-start-reverse" markerUnits="userSpaceOnUse">
          <path d="M7 1 L7 11 M11 6 L1 6" className="dz-marker-path" />
        </marker>
      </defs>
    </svg>
  );
}

/** All foreign keys of the zoomed-out diagram as two paths inside the viewport (below the tables). */
function OverviewEdges({ paths }: { paths: { solid: string; dashed: string } }) {
  return (
    <ViewportPortal>
      <svg className="dz-overview-edges" aria-hidden>
        <path d={paths.solid} />
        <path d={paths.dashed} className="optional" />
      </svg>
    </ViewportPortal>
  );
}

export interface PendingConnection {
  from: { tableId: string; columnId: string };
  to: { tableId: string; columnId: string };
}

/**
 * The diagram: tables as nodes at their saved (or laid-out) positions, foreign keys as edges,
 * pan, zoom, minimap; a focus mode that shows one table and its neighbours; and dragging from a
 * column to another column to draw a foreign key.
 */
export function DiagramCanvas(props: { session: DesignerSession; highlighted: ReadonlySet<string>; onConnect(c: PendingConnection): void; onReady?(): void }) {
  const { session } = props;
  const design = useStore(session.store, (s) => s.history.present);
  const base = useStore(session.store, (s) => s.base);
  const positions = useStore(session.store, (s) => s.positions);
  const selected = useStore(session.store, (s) => s.selectedTableId);
  const focus = useStore(session.store, (s) => s.focus);
  const fitRequest = useStore(session.store, (s) => s.fitRequest);
  const centerRequest = useStore(session.store, (s) => s.centerRequest);
  const flow = useReactFlow();
  const compact = useFlowStore((s) => s.transform[2] < DETAIL_ZOOM);

  // Focus mode: the chosen table and its neighbours, laid out on their own.
  const visible = useMemo(() => (focus ? neighbourhood(design, focus.tableId, focus.depth) : null), [design, focus]);
  const focusPositions = useMemo(() => (visible ? layoutDesign(design, visible) : null), [design, visible]);
  const marks = useMemo(() => changeMarks(base, design), [base, design]);

  // Node data objects are reused while their table, marks and highlight stay the same, so a change
  // to one table re-renders one node, not five hundred (TableNode is memoised on its props).
  const dataCache = useRef(new Map<string, { table: unknown; mark: unknown; marksKey: string; highlighted: boolean; data: TableNodeData; handles: NodeHandle[] }>());
  const nodeCache = useRef(new Map<string, { node: TableFlowNode; detail: boolean }>());
  const edgeCache = useRef(new Map<string, { key: string; edge: Edge }>());
  const placeOf = useCallback((id: string): Point => focusPositions?.get(id) ?? positions[id] ?? { x: 0, y: 0 }, [focusPositions, positions]);
  const built = useMemo<TableFlowNode[]>(() => {
    const out: TableFlowNode[] = [];
    const cache = dataCache.current;
    for (const t of design.tables) {
      if (visible && !visible.has(t.id)) continue;
      const size = tableSize(t);
      const columnMarks = new Map<string, 'new' | 'changed'>();
      for (const c of t.columns) {
        const m = marks.columns.get(`${t.id}|${c.id}`);
        if (m) columnMarks.set(c.id, m);
      }
      const marksKey = [...columnMarks].join();
      const mark = marks.tables.get(t.id);
      const highlighted = props.highlighted.has(t.id) || focus?.tableId === t.id;
      let entry = cache.get(t.id);
      if (!entry || entry.table !== t || entry.mark !== mark || entry.marksKey !== marksKey || entry.highlighted !== highlighted) {
        const handles = entry?.table === t ? entry.handles : columnHandles(t, size.width);
        entry = { table: t, mark, marksKey, highlighted, handles, data: { table: t, width: size.width, height: size.height, mark, columnMarks, highlighted } };
        cache.set(t.id, entry);
      }
      const position = placeOf(t.id);
      const isSelected = t.id === selected;
      const cached = nodeCache.current.get(t.id);
      const prev = cached?.node;
      // The same object when nothing about the node changed: xyflow then skips it entirely. Except
      // when zooming in from compact: xyflow measured the tables it drew zoomed out with their compact
      // handles only (same size, so no resize tells it otherwise), and a new object makes it take
      // `handles` again — else the foreign keys of a table last drawn zoomed out would have no end.
      if (prev && (compact || cached.detail) && prev.data === entry.data && prev.position.x === position.x && prev.position.y === position.y && prev.selected === isSelected && prev.draggable === !visible) {
        if (compact) cached.detail = false;
        out.push(prev);
        continue;
      }
      // Size and handles up front, as the CSS lays the table out: xyflow renders every node it has
      // not measured (off-screen too) and fits the view only once all are measured (see columnHandles).
      const n: TableFlowNode = { id: t.id, type: 'table', position, width: size.width, height: size.height, measured: { width: size.width, height: size.height }, handles: entry.handles, selected: isSelected, draggable: !visible, ariaLabel: `Table ${t.name}`, data: entry.data };
      nodeCache.current.set(t.id, { node: n, detail: !compact });
      out.push(n);
    }
    return out;
  }, [design, placeOf, selected, visible, marks, props.highlighted, focus, compact]);

  // xyflow measures nodes and tracks drags in its own node objects; keep those, refresh the rest.
  const [nodes, setNodes] = useState<TableFlowNode[]>(built);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      return built.map((n) => {
        const o = old.get(n.id);
        if (o === n) return o;
        return o?.measured ? { ...n, measured: o.measured } : n;
      });
    });
  }, [built]);
  const onNodesChange = useCallback((changes: NodeChange<TableFlowNode>[]) => {
    setNodes((nds) => applyNodeChanges(changes, nds));
  }, []);

  // Zoomed out, every foreign key is drawn as part of two SVG paths (solid and dashed) instead of
  // one xyflow edge component each: at 500 tables that is most of the rendering cost saved, and at
  // that zoom there is nothing to click on an edge anyway.
  const overviewPath = useMemo(() => {
    if (!compact) return { solid: '', dashed: '' };
    const tables = new Map(design.tables.map((t) => [t.id, t]));
    const solid: string[] = [];
    const dashed: string[] = [];
    for (const e of designEdges(design)) {
      if (visible && (!visible.has(e.source) || !visible.has(e.target))) continue;
      const cs = tableSize(tables.get(e.source)!);
      const ps = tableSize(tables.get(e.target)!);
      const a = placeOf(e.source);
      const b = placeOf(e.target);
      const sides = edgeSides({ ...a, ...cs }, { ...b, ...ps });
      const x1 = sides.child === 'r' ? a.x + cs.width : a.x;
      const x2 = sides.parent === 'r' ? b.x + ps.width : b.x;
      const y1 = a.y + Math.min(cs.height / 2, 40);
      const y2 = b.y + Math.min(ps.height / 2, 40);
      const reach = Math.max(40, Math.abs(x2 - x1) / 2);
      const c1 = x1 + (sides.child === 'r' ? reach : -reach);
      const c2 = x2 + (sides.parent === 'r' ? reach : -reach);
      (e.parentOptional ? dashed : solid).push(`M${x1} ${y1}C${c1} ${y1} ${c2} ${y2} ${x2} ${y2}`);
    }
    return { solid: solid.join(''), dashed: dashed.join('') };
  }, [compact, design, placeOf, visible]);

  // Edges from the design's positions, not from xyflow's node objects (which change on every measurement).
  const edges = useMemo<Edge[]>(() => {
    if (compact) return noEdges;
    const tables = new Map(design.tables.map((t) => [t.id, t]));
    const out: Edge[] = [];
    for (const e of designEdges(design)) {
      if (visible && (!visible.has(e.source) || !visible.has(e.target))) continue;
      const child = tables.get(e.source)!;
      const parent = tables.get(e.target)!;
      const sp = placeOf(e.source);
      const tp = placeOf(e.target);
      const sides = edgeSides({ ...sp, ...tableSize(child) }, { ...tp, ...tableSize(parent) });
      const sSide = sides.child;
      const tSide = sides.parent;
      const self = e.source === e.target;
      const sourceHandle = compact ? tableHandleId(sSide) : handleId(e.sourceColumns[0]!, self ? 'r' : sSide);
      const targetHandle = compact ? tableHandleId(tSide) : handleId(e.targetColumns[0]!, self ? 'r' : tSide);
      const className = `dz-edge${e.parentOptional ? ' optional' : ''}${selected === e.source || selected === e.target ? ' active' : ''}`;
      // Zoomed out, cardinality marks are specks: drawing 2 markers per edge there costs more than it shows.
      const markerStart = compact ? '' : e.childCardinality === 'many' ? 'dz-many' : 'dz-one';
      const key = `${sourceHandle}|${targetHandle}|${className}|${markerStart}|${child.name}|${parent.name}`;
      const cached = edgeCache.current.get(e.id);
      if (cached && cached.key === key) {
        out.push(cached.edge);
        continue;
      }
      const edge: Edge = {
        id: e.id,
        source: e.source,
        target: e.target,
        sourceHandle,
        targetHandle,
        ...(markerStart ? { markerStart, markerEnd: 'dz-one' } : {}),
        // Edges take no clicks: no invisible wide path for hit-testing either.
        interactionWidth: 0,
        className,
        ariaLabel: `${child.name}(${columnNames(child, e.sourceColumns).join(', ')}) references ${parent.name}(${columnNames(parent, e.targetColumns).join(', ')}), ${e.childCardinality === 'many' ? 'many' : 'one'} to ${e.parentOptional ? 'zero or one' : 'one'}`,
        focusable: false,
      };
      edgeCache.current.set(e.id, { key, edge });
      out.push(edge);
    }
    return out;
  }, [design, placeOf, visible, compact, selected]);

  const fitSeen = useRef(fitRequest);
  useEffect(() => {
    // The first load's fit is the initial viewport; later requests (layout, focus, reload) fit again.
    if (fitRequest === fitSeen.current) return;
    fitSeen.current = fitRequest;
    // After React drew the new nodes.
    requestAnimationFrame(() => void flow.fitView({ padding: 0.1, duration: 0, maxZoom: 1 }));
  }, [fitRequest, flow]);

  // Only when asked, not when positions move.
  const centerOn = useEffectEvent((request: NonNullable<typeof centerRequest>) => {
    const t = design.tables.find((x) => x.id === request.tableId);
    const p = focusPositions?.get(request.tableId) ?? positions[request.tableId];
    if (!t || !p) return;
    const size = tableSize(t);
    void flow.setCenter(p.x + size.width / 2, p.y + Math.min(size.height / 2, 200), { zoom: Math.max(flow.getZoom(), 0.9), duration: 250 });
  });
  useEffect(() => {
    if (centerRequest) centerOn(centerRequest);
  }, [centerRequest]);

  // The first picture is drawn at its final zoom: computing the fitted viewport here (instead of
  // xyflow's fitView after a first render at zoom 1) saves a full render of every table.
  const box = useRef<HTMLDivElement>(null);
  const [initialViewport, setInitialViewport] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    if (initialViewport || !box.current) return;
    const r = box.current.getBoundingClientRect();
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const n of built) {
      minX = Math.min(minX, n.position.x);
      minY = Math.min(minY, n.position.y);
      maxX = Math.max(maxX, n.position.x + (n.width ?? 0));
      maxY = Math.max(maxY, n.position.y + (n.height ?? 0));
    }
    const bounds = built.length
      ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY, start: nearestToCorner(built.map((n) => n.position)) }
      : { x: 0, y: 0, width: 100, height: 100 };
    setInitialViewport(firstViewport(bounds, Math.max(200, r.width), Math.max(200, r.height)));
  }, [built, initialViewport]);

  const ready = useRef(false);
  const onInit = useCallback(() => {
    performance.mark('designer:diagram-ready');
    if (ready.current) return;
    ready.current = true;
    props.onReady?.();
  }, [props]);

  return (
    <div className="dz-canvas" ref={box}>
      <EdgeMarkers />
      {initialViewport && (
      <ReactFlow
        nodes={nodes}
        edges={compact ? noEdges : edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeClick={(_e, n) => session.select(n.id)}
        onPaneClick={() => session.select(null)}
        onNodeDragStop={(_e, _n, dragged) => {
          if (!visible) session.moveTables(Object.fromEntries(dragged.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }])));
        }}
        onConnect={(c: Connection) => {
          if (!c.sourceHandle || !c.targetHandle) return;
          props.onConnect({ from: { tableId: c.source, columnId: c.sourceHandle.split('|')[0]! }, to: { tableId: c.target, columnId: c.targetHandle.split('|')[0]! } });
        }}
        connectionMode={ConnectionMode.Loose}
        onInit={onInit}
        minZoom={MIN_ZOOM}
        maxZoom={2}
        onlyRenderVisibleElements
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        proOptions={{ hideAttribution: true }}
        defaultViewport={initialViewport}
        aria-label="Schema diagram"
      >
        <Background gap={24} size={1} />
        {compact && <OverviewEdges paths={overviewPath} />}
        <MiniMap pannable zoomable ariaLabel="Overview of the diagram" nodeClassName={(n) => (n.id === selected ? 'dz-mini selected' : 'dz-mini')} />
        <Controls showInteractive={false} aria-label="Zoom" />
      </ReactFlow>
      )}
    </div>
  );
}
