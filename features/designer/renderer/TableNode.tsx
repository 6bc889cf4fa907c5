import { Handle, Position, useStore, type Node, type NodeHandle, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { NODE_METRICS } from '../shared/layout';
import type { Mark } from '../shared/diff';
import type { DesignTable } from '../shared/model';
import { plural } from '../../../shared/text/plural';

export interface TableNodeData extends Record<string, unknown> {
  table: DesignTable;
  width: number;
  height: number;
  mark: Mark | undefined;
  columnMarks: ReadonlyMap<string, Mark>;
  /** Search hit or focus centre: drawn with a ring. */
  highlighted: boolean;
}

export type TableFlowNode = Node<TableNodeData, 'table'>;

/** Below this zoom a table shows only its name: 500 tables stay fast and the picture stays readable. */
export const DETAIL_ZOOM = 0.45;

export const handleId = (columnId: string, side: 'l' | 'r') => `${columnId}|${side}`;
export const tableHandleId = (side: 'l' | 'r') => `table|${side}`;

const zoomedOut = (s: { transform: [number, number, number] }) => s.transform[2] < DETAIL_ZOOM;

/** `.dz-handle` is 8 px square; `.dz-table` has a 1 px border (border-box). */
const HANDLE = 8;
const BORDER = 1;

/**
 * Where a table's column handles are (relative to the node, unzoomed), as the CSS places them: centred
 * on the row's left and right border. xyflow renders every node whose handles it has not measured, even
 * off-screen, so a 500-table diagram opened at a readable zoom rendered every column of every table once
 * (10,788 handles) to show three tables. Given these and the size up front, it culls from the first
 * picture and draws the foreign keys of tables it never rendered; a node it renders is measured anyway.
 */
export function columnHandles(table: Pick<DesignTable, 'columns'>, width: number): NodeHandle[] {
  const out: NodeHandle[] = [];
  const m = NODE_METRICS;
  table.columns.forEach((c, i) => {
    const y = BORDER + m.headerHeight + i * m.rowHeight + (m.rowHeight - HANDLE) / 2;
    out.push({ id: handleId(c.id, 'l'), type: 'source', position: Position.Left, x: BORDER - HANDLE / 2, y, width: HANDLE, height: HANDLE });
    out.push({ id: handleId(c.id, 'r'), type: 'source', position: Position.Right, x: width - BORDER - HANDLE / 2, y, width: HANDLE, height: HANDLE });
  });
  return out;
}

/**
 * One table of the diagram: header and one row per column (key, name, type, NULL marker). Every
 * column row has a handle on both sides: dragging from one column onto another draws a foreign key.
 * The handles are for the pointer only (hidden from assistive technology, which cannot drag them);
 * the keyboard adds one with the side panel’s + Foreign key.
 */
export const TableNode = memo(function TableNode({ data, selected }: NodeProps<TableFlowNode>) {
  const compact = useStore(zoomedOut);
  const { table, width, height, mark, columnMarks, highlighted } = data;
  const pk = new Set(table.primaryKey?.columns ?? []);
  const fk = new Set(table.foreignKeys.flatMap((f) => f.columns));
  const unique = new Set(table.uniques.filter((u) => u.columns.length === 1).map((u) => u.columns[0]));
  const cls = ['dz-table', selected ? 'selected' : '', mark ? `mark-${mark}` : '', highlighted ? 'highlighted' : '', compact ? 'compact' : ''].filter(Boolean).join(' ');
  return (
    <div className={cls} style={{ width, height }} aria-label={`Table ${table.name}, ${plural(table.columns.length, 'column')}`} data-table={table.name}>
      <div className="dz-header">
        <span className="dz-name" title={table.name}>
          {table.name}
        </span>
        {mark && <span className={`dz-mark dz-mark-${mark}`}>{mark === 'new' ? 'new' : 'edited'}</span>}
      </div>
      {compact ? (
        <>
          <Handle type="source" position={Position.Left} id={tableHandleId('l')} className="dz-handle dz-handle-table" isConnectable={false} />
          <Handle type="source" position={Position.Right} id={tableHandleId('r')} className="dz-handle dz-handle-table" isConnectable={false} />
          <div className="dz-compact-body">{plural(table.columns.length, 'column')}</div>
        </>
      ) : (
        <ul className="dz-columns">
          {table.columns.map((c) => {
            const m = columnMarks.get(c.id);
            return (
              <li key={c.id} className={`dz-column${m ? ` mark-${m}` : ''}`} data-column={c.name} title={`${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}${c.default !== null ? ` DEFAULT ${c.default}` : ''}${c.comment ? ` — ${c.comment}` : ''}`}>
                <Handle type="source" position={Position.Left} id={handleId(c.id, 'l')} className="dz-handle" aria-hidden title={`Drag onto another column to draw a foreign key from ${table.name}.${c.name}`} />
                <span className="dz-key">{pk.has(c.id) ? 'PK' : fk.has(c.id) ? 'FK' : unique.has(c.id) ? 'U' : ''}</span>
                <span className="dz-col-name">{c.name}</span>
                <span className="dz-col-type">
                  {c.type}
                  {c.nullable ? '' : <span className="dz-notnull" title="NOT NULL"> !</span>}
                  {c.default !== null && <span className="dz-default" title={`DEFAULT ${c.default}`}> =</span>}
                </span>
                <Handle type="source" position={Position.Right} id={handleId(c.id, 'r')} className="dz-handle" aria-hidden title={`Drag onto another column to draw a foreign key from ${table.name}.${c.name}`} />
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
});
