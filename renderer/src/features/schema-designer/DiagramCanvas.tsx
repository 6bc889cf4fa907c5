import {
  applyNodeChanges,
  Background,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore as useFlowStore,
  type Connection,
  type Edge,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { changeMarks } from '../../../../shared/designer/diff';
import { designEdges, neighbourhood } from '../../../../shared/designer/graph';
import { layoutDesign, tableSize, type Point } from '../../../../shared/designer/layout';
import { columnNames } from '../../../../shared/designer/model';
import { useStore } from '../../app/store';
import type { DesignerSession } from './designer-session';
import { DETAIL_ZOOM, handleId, TableNode, tableHandleId, type TableFlowNode } from './TableNode';

const nodeTypes = { table: TableNode };

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

  const built = useMemo<TableFlowNode[]>(() => {
    const out: TableFlowNode[] = [];
    for (const t of design.tables) {
      if (visible && !visible.has(t.id)) continue;
      const pos: Point = focusPositions?.get(t.id) ?? positions[t.id] ?? { x: 0, y: 0 };
      const size = tableSize(t);
      const columnMarks = new Map<string, 'new' | 'changed'>();
      for (const c of t.columns) {
        const m = marks.columns.get(`${t.id}|${c.id}`);
        if (m) columnMarks.set(c.id, m);
      }
      out.push({
        id: t.id,
        type: 'table',
        position: pos,
        width: size.width,
        height: size.height,
        selected: t.id === selected,
        draggable: !visible,
        ariaLabel: `Table ${t.name}`,
        data: { table: t, width: size.width, height: size.height, mark: marks.tables.get(t.id), columnMarks, highlighted: props.highlighted.has(t.id) || focus?.tableId === t.id },
      });
    }
    return out;
  }, [design, positions, selected, visible, focusPositions, marks, props.highlighted, focus]);

  // xyflow measures nodes and tracks drags in its own node objects; keep them, refresh the data.
  const [nodes, setNodes] = useState<TableFlowNode[]>(built);
  useEffect(() => {
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      return built.map((n) => {
        const o = old.get(n.id);
        return o?.measured ? { ...n, measured: o.measured, dragging: o.dragging } : n;
      });
    });
  }, [built]);
  const onNodesChange = useCallback((changes: NodeChange<TableFlowNode>[]) => {
    setNodes((nds) => applyNodeChanges(changes, nds));
  }, []);

  const edges = useMemo<Edge[]>(() => {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const out: Edge[] = [];
    for (const e of designEdges(design)) {
      const s = byId.get(e.source);
      const t = byId.get(e.target);
      if (!s || !t) continue;
      const child = design.tables.find((x) => x.id === e.source)!;
      const parent = design.tables.find((x) => x.id === e.target)!;
      const childLeftOfParent = s.position.x + (s.width ?? 0) / 2 < t.position.x + (t.width ?? 0) / 2;
      const sSide = childLeftOfParent ? 'r' : 'l';
      const tSide = childLeftOfParent ? 'l' : 'r';
      const self = e.source === e.target;
      out.push({
        id: e.id,
        source: e.source,
        target: e.target,
        sourceHandle: compact ? tableHandleId(sSide) : handleId(e.sourceColumns[0]!, self ? 'r' : sSide),
        targetHandle: compact ? tableHandleId(tSide) : handleId(e.targetColumns[0]!, self ? 'r' : tSide),
        markerStart: e.childCardinality === 'many' ? 'dz-many' : 'dz-one',
        markerEnd: 'dz-one',
        className: `dz-edge${e.parentOptional ? ' optional' : ''}${selected === e.source || selected === e.target ? ' active' : ''}`,
        ariaLabel: `${child.name}(${columnNames(child, e.sourceColumns).join(', ')}) references ${parent.name}(${columnNames(parent, e.targetColumns).join(', ')}), ${e.childCardinality === 'many' ? 'many' : 'one'} to ${e.parentOptional ? 'zero or one' : 'one'}`,
        focusable: false,
      });
    }
    return out;
  }, [design, nodes, compact, selected]);

  useEffect(() => {
    if (fitRequest === 0) return;
    // After React drew the new nodes.
    requestAnimationFrame(() => void flow.fitView({ padding: 0.1, duration: 0, maxZoom: 1 }));
  }, [fitRequest, flow]);

  useEffect(() => {
    if (!centerRequest) return;
    const t = design.tables.find((x) => x.id === centerRequest.tableId);
    const p = focusPositions?.get(centerRequest.tableId) ?? positions[centerRequest.tableId];
    if (!t || !p) return;
    const size = tableSize(t);
    void flow.setCenter(p.x + size.width / 2, p.y + Math.min(size.height / 2, 200), { zoom: Math.max(flow.getZoom(), 0.9), duration: 250 });
    // Only when asked, not when positions move.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [centerRequest]);

  const ready = useRef(false);
  const onInit = useCallback(() => {
    if (ready.current) return;
    ready.current = true;
    props.onReady?.();
  }, [props]);

  return (
    <div className="dz-canvas">
      <EdgeMarkers />
      <ReactFlow
        nodes={nodes}
        edges={edges}
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
        minZoom={0.02}
        maxZoom={2}
        onlyRenderVisibleElements
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        proOptions={{ hideAttribution: true }}
        fitView
        fitViewOptions={{ padding: 0.1, maxZoom: 1 }}
        aria-label="Schema diagram"
      >
        <Background gap={24} size={1} />
        <MiniMap pannable zoomable ariaLabel="Overview of the diagram" nodeClassName={(n) => (n.id === selected ? 'dz-mini selected' : 'dz-mini')} />
        <Controls showInteractive={false} aria-label="Zoom" />
      </ReactFlow>
    </div>
  );
}
