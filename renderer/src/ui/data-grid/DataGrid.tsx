import { forwardRef, useCallback, useEffect, useId, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import type { CellValue } from '../../../../shared/model/values';
import { alignsRight, cellText } from './core/cell-text';
import { ColumnLayout, fittedWidths, type TextMeasure } from './core/column-layout';
import { ScrollScaler } from './core/scroll-scaler';
import { positionFromThumb, thumbGeometry } from './core/scroll-thumb';
import { clampSelection, inRange, navigate, rangeOf, type CellPosition, type CellRange, type Selection } from './core/selection';
import type { GridColumn, GridRows, RowState, RowView } from './core/types';
import './data-grid.css';

export const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 44;
const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

export interface SortIndicator {
  column: string;
  direction: 'asc' | 'desc';
}

export interface DataGridHandle {
  focus(): void;
  /** The grid's focusable element (where a dialog about its rows returns the focus). */
  element(): HTMLElement | null;
  selection(): Selection;
  select(cell: CellPosition): void;
}

export interface CellContext {
  row: number;
  col: number;
  value: CellValue;
  view: RowView;
  column: GridColumn;
}

export interface DataGridProps {
  rows: GridRows;
  columns: GridColumn[];
  /** The accessible name of the grid. */
  label: string;
  sort?: SortIndicator[];
  /** Header click: sort by this column; `additive` (Shift) keeps the other sort columns. */
  onSort?(column: number, additive: boolean): void;
  /** Extra classes for a row (staged insert/delete, a row with an error). */
  rowClass?(row: number): string | undefined;
  rowTitle?(row: number): string | undefined;
  /** Extra classes for a cell (a staged change). */
  cellClass?(ctx: CellContext): string | undefined;
  /** Replaces what a cell shows (a staged value, or words like DEFAULT); undefined keeps the default. */
  renderValue?(ctx: CellContext): { value: CellValue; truncated?: boolean; text?: string } | undefined;
  /** A small action drawn at the end of a cell (follow a foreign key). */
  cellAction?(ctx: CellContext): ReactNode;
  /** Enter, F2, double-click or typing on a cell: start editing (with the typed text). */
  onActivate?(cell: CellPosition, typed?: string): void;
  /** Keys the grid does not handle itself; return true when handled. */
  onKeyDown?(e: React.KeyboardEvent, selection: Selection): boolean;
  onSelectionChange?(selection: Selection): void;
  /** Ctrl+C on the grid. */
  onCopy?(range: CellRange): void;
  /** An editor drawn over one cell. */
  editor?: { row: number; col: number; node: ReactNode } | null;
  /** Text when there are no rows at all. */
  emptyText?: string;
}

function gutterWidth(rows: number): number {
  return Math.max(56, String(rows).length * 8 + 28);
}

function sameError(state: RowState, message: string): boolean {
  return state.status === 'error' && state.message === message;
}

/** Rows of the view measured to size the columns. */
const SAMPLE_ROWS = 60;

let canvasMeasure: TextMeasure | null = null;
/** Text widths in the grid's own fonts, from a canvas (the fonts come from the theme's variables). */
function measureText(): TextMeasure {
  if (canvasMeasure) return canvasMeasure;
  const ctx = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(document.documentElement);
  const font = style.getPropertyValue('--font').trim() || 'sans-serif';
  const mono = style.getPropertyValue('--mono').trim() || 'monospace';
  const width = (spec: string) => (text: string) => {
    if (!ctx) return text.length * 8;
    ctx.font = spec;
    return ctx.measureText(text).width;
  };
  canvasMeasure = { name: width(`600 13px ${font}`), type: width(`10.5px ${mono}`), cell: width(`12px ${mono}`) };
  return canvasMeasure;
}

/**
 * The data grid view: rows and columns virtualized, scrolling scaled past the browser's height
 * limit, ARIA grid semantics, spreadsheet keyboard navigation. What to fetch and keep lives in
 * the headless core (GridRows); this component only draws what is in view and reports the viewport.
 */
export const DataGrid = forwardRef<DataGridHandle, DataGridProps>(function DataGrid(props, ref) {
  const { rows, columns } = props;
  const gridId = useId().replace(/:/g, '');
  // The element that scrolls is the grid itself (role, focus, keys): a scrolling region the keyboard
  // cannot reach is one a screen reader's user cannot scroll (axe: scrollable-region-focusable).
  const gridRef = useRef<HTMLDivElement>(null);
  const subscribe = useMemo(() => rows.subscribe.bind(rows), [rows]);
  const rowsVersion = useSyncExternalStore(subscribe, () => rows.version());
  const rowCount = rows.rowCount();

  const [size, setSize] = useState({ width: 800, height: 400 });
  const [virtualTop, setVirtualTop] = useState(0);
  const [physicalTop, setPhysicalTop] = useState(0);
  const [scrollLeft, setScrollLeft] = useState(0);
  const [widths, setWidths] = useState<number[] | null>(null);
  /** Widths fitted to the header and the first rows in view (until the user resizes a column). */
  const [fitted, setFitted] = useState<{ columns: GridColumn[]; widths: number[]; sampled: boolean } | null>(null);
  const [selection, setSelectionState] = useState<Selection>({ active: { row: 0, col: 0 }, anchor: { row: 0, col: 0 } });
  const lastSetPhysical = useRef<number | null>(null);

  const fittedWidthsNow = fitted?.columns === columns ? fitted.widths : undefined;
  const layout = useMemo(() => new ColumnLayout(columns, widths ?? fittedWidthsNow), [columns, widths, fittedWidthsNow]);
  const scaler = useMemo(() => new ScrollScaler(ROW_HEIGHT), []);
  const bodyHeight = Math.max(0, size.height - HEADER_HEIGHT);
  scaler.setSize(rowCount, bodyHeight);
  const gutter = gutterWidth(rowCount);

  // A hidden grid (its tab or view in the background) has no size: it keeps the size and the
  // position it had, and when it is shown again the scrollbar is put back where the rows are
  // (the browser forgets the scroll offset of what it does not draw).
  const hiddenRef = useRef(false);
  useLayoutEffect(() => {
    const el = gridRef.current;
    if (!el) return;
    const measure = () => {
      if (el.clientHeight === 0 && el.clientWidth === 0) {
        hiddenRef.current = true;
        return;
      }
      setSize({ width: el.clientWidth, height: el.clientHeight });
      if (hiddenRef.current) {
        hiddenRef.current = false;
        restoreRef.current();
      }
    };
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, []);

  /** Moves the view to a virtual position, keeping the scrollbar in step. */
  const scrollToVirtual = useCallback(
    (top: number) => {
      const v = scaler.clampVirtual(top);
      const p = scaler.physicalFromVirtual(v);
      const el = gridRef.current;
      if (el) {
        lastSetPhysical.current = Math.round(p);
        el.scrollTop = p;
      }
      setVirtualTop(v);
      setPhysicalTop(el ? el.scrollTop : p);
    },
    [scaler],
  );

  // Other rows altogether (a new sort or filter): back to the top.
  const firstRows = useRef(rows);
  useEffect(() => {
    if (firstRows.current === rows) return;
    firstRows.current = rows;
    scrollToVirtual(0);
    setSelectionState((s) => ({ active: { row: 0, col: s.active.col }, anchor: { row: 0, col: s.active.col } }));
  }, [rows, scrollToVirtual]);

  // Rows vanished (a filter, a smaller count): stay inside.
  useEffect(() => {
    if (virtualTop > scaler.maxVirtualTop) scrollToVirtual(scaler.maxVirtualTop);
    setSelectionState((s) => clampSelection(s, { rows: rowCount, cols: columns.length }));
  }, [rowCount, columns.length, scaler, scrollToVirtual, virtualTop]);

  const onScroll = () => {
    const el = gridRef.current!;
    const p = el.scrollTop;
    const ours = lastSetPhysical.current !== null && Math.abs(p - lastSetPhysical.current) <= 1;
    lastSetPhysical.current = null;
    flushSync(() => {
      if (!ours) setVirtualTop(scaler.virtualFromPhysical(p));
      setPhysicalTop(p);
      setScrollLeft(el.scrollLeft);
    });
  };

  // The wheel moves by exact row pixels even when the scrollbar is scaled.
  useEffect(() => {
    const el = gridRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!scaler.scaled || e.ctrlKey || Math.abs(e.deltaY) < Math.abs(e.deltaX)) return;
      e.preventDefault();
      const unit = e.deltaMode === 1 ? ROW_HEIGHT : e.deltaMode === 2 ? bodyHeight : 1;
      const current = scaler.virtualFromPhysical(el.scrollTop);
      const base = Math.abs(scaler.physicalFromVirtual(virtualTopRef.current) - el.scrollTop) <= 1 ? virtualTopRef.current : current;
      flushSync(() => scrollToVirtual(base + e.deltaY * unit));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [scaler, bodyHeight, scrollToVirtual]);
  const virtualTopRef = useRef(virtualTop);
  virtualTopRef.current = virtualTop;
  const restoreRef = useRef(() => undefined as void);
  restoreRef.current = () => scrollToVirtual(virtualTopRef.current);

  const visible = scaler.visibleRows(virtualTop, 3);

  // When the grid gets shorter (a toolbar wraps, a panel opens), keep the active row in view if it was.
  const lastHeight = useRef(bodyHeight);
  useEffect(() => {
    const before = lastHeight.current;
    lastHeight.current = bodyHeight;
    if (bodyHeight >= before || bodyHeight <= 0) return;
    const row = selection.active.row;
    const wasVisible = row * ROW_HEIGHT >= virtualTopRef.current && (row + 1) * ROW_HEIGHT <= virtualTopRef.current + before;
    if (wasVisible) {
      const top = scaler.revealRow(row, virtualTopRef.current);
      if (top !== virtualTopRef.current) scrollToVirtual(top);
    }
  }, [bodyHeight, scaler, scrollToVirtual, selection.active.row]);
  const cols = layout.visibleColumns(Math.max(0, scrollLeft - gutter), size.width - gutter, 1);

  useEffect(() => {
    if (rowCount > 0) rows.setViewport(visible.first, visible.last);
  }, [rows, visible.first, visible.last, rowCount]);

  // Columns fit their header at once, then the first rows that arrive (once: widths that kept
  // changing while scrolling would move the columns under the pointer).
  const cellActionRef = useRef(props.cellAction);
  cellActionRef.current = props.cellAction;
  const renderValueRef = useRef(props.renderValue);
  renderValueRef.current = props.renderValue;
  useLayoutEffect(() => {
    if (fitted?.columns === columns && fitted.sampled) return;
    const samples: string[][] = columns.map(() => []);
    const actions = columns.map(() => false);
    let sampled = rowCount === 0 && rows.countExact();
    for (let i = visible.first; i <= Math.min(visible.last, visible.first + SAMPLE_ROWS) && rowCount > 0; i++) {
      const state = rows.row(i);
      if (state.status !== 'ready') continue;
      sampled = true;
      columns.forEach((column, c) => {
        const ctx: CellContext = { row: i, col: c, value: state.row.cell(c), view: state.row, column };
        const shown = renderValueRef.current?.(ctx) ?? { value: ctx.value };
        samples[c]!.push(shown.text ?? cellText(shown.value, column.kind));
        if (!actions[c] && cellActionRef.current?.(ctx)) actions[c] = true;
      });
    }
    if (fitted?.columns === columns && !sampled) return;
    setFitted({ columns, widths: fittedWidths(columns, samples, measureText(), actions), sampled });
  }, [columns, rows, rowCount, visible.first, visible.last, fitted, rowsVersion]);

  const setSelection = useCallback(
    (s: Selection, reveal = true) => {
      setSelectionState(s);
      props.onSelectionChange?.(s);
      if (!reveal) return;
      const top = scaler.revealRow(s.active.row, virtualTopRef.current);
      if (top !== virtualTopRef.current) scrollToVirtual(top);
      const el = gridRef.current;
      if (el && s.active.col < columns.length) {
        const left = layout.revealColumn(s.active.col, Math.max(0, el.scrollLeft), el.clientWidth - gutter);
        if (left !== el.scrollLeft) el.scrollLeft = left;
      }
    },
    [props, scaler, scrollToVirtual, layout, columns.length, gutter],
  );

  useImperativeHandle(ref, () => ({
    focus: () => gridRef.current?.focus(),
    element: () => gridRef.current,
    selection: () => selection,
    select: (cell) => setSelection({ active: cell, anchor: cell }),
  }));

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.target !== gridRef.current) return;
    const mod = isMac ? e.metaKey : e.ctrlKey;
    const moved = navigate(selection, { key: e.key, shift: e.shiftKey, mod }, { rows: rowCount, cols: columns.length, pageRows: scaler.pageRows });
    if (moved) {
      e.preventDefault();
      setSelection(moved);
      return;
    }
    if (props.onKeyDown?.(e, selection)) {
      e.preventDefault();
      return;
    }
    if (mod && !e.shiftKey && e.key.toLowerCase() === 'c' && props.onCopy) {
      e.preventDefault();
      props.onCopy(rangeOf(selection));
    } else if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      setSelection({ anchor: { row: 0, col: 0 }, active: { row: Math.max(0, rowCount - 1), col: Math.max(0, columns.length - 1) } }, false);
    } else if ((e.key === 'Enter' || e.key === 'F2') && rowCount > 0) {
      e.preventDefault();
      props.onActivate?.(selection.active);
    } else if (e.key.length === 1 && !mod && !e.altKey && rowCount > 0 && props.onActivate) {
      e.preventDefault();
      props.onActivate(selection.active, e.key);
    }
  };

  const startResize = (col: number, e: React.PointerEvent) => {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const startWidth = layout.width(col);
    const target = e.currentTarget as HTMLElement;
    target.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => {
      const next = layout.allWidths();
      next[col] = startWidth + ev.clientX - startX;
      setWidths(next);
    };
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };

  // The vertical scrollbar is the grid's own (see scroll-thumb.ts): it moves through the virtual rows.
  const thumb = thumbGeometry(bodyHeight, bodyHeight, scaler.virtualHeight, virtualTop);
  const thumbRef = useRef(thumb);
  thumbRef.current = thumb;
  const trackRef = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState(false);
  const startThumbDrag = (e: React.PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    const el = e.currentTarget;
    const grab = e.clientY - el.getBoundingClientRect().top;
    // Capture: every move and the release come here, wherever the pointer goes, inside the window or out.
    el.setPointerCapture(e.pointerId);
    setDragging(true);
    const follow = (ev: PointerEvent) => {
      const track = trackRef.current;
      if (!track) return;
      const top = ev.clientY - track.getBoundingClientRect().top - grab;
      flushSync(() => scrollToVirtual(positionFromThumb(top, thumbRef.current.travel, scaler.maxVirtualTop)));
    };
    const end = (ev: PointerEvent) => {
      if (ev.type === 'pointerup') follow(ev);
      el.removeEventListener('pointermove', follow);
      el.removeEventListener('pointerup', end);
      el.removeEventListener('lostpointercapture', end);
      setDragging(false);
    };
    el.addEventListener('pointermove', follow);
    el.addEventListener('pointerup', end);
    el.addEventListener('lostpointercapture', end);
  };
  const pageFromTrack = (e: React.PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || e.target !== e.currentTarget) return;
    e.preventDefault();
    const y = e.clientY - e.currentTarget.getBoundingClientRect().top;
    scrollToVirtual(virtualTopRef.current + (y < thumb.top ? -1 : 1) * Math.max(ROW_HEIGHT, bodyHeight - ROW_HEIGHT));
  };

  const range = rangeOf(selection);
  const sortOf = (name: string) => {
    const i = props.sort?.findIndex((s) => s.column === name) ?? -1;
    return i < 0 ? null : { direction: props.sort![i]!.direction, order: i + 1 };
  };
  const cellId = (row: number, col: number) => `${gridId}-r${row}-c${col}`;
  const activeVisible = selection.active.row >= visible.first && selection.active.row <= visible.last && rowCount > 0;
  const canvasWidth = gutter + layout.totalWidth;
  const rowTop = (i: number) => physicalTop + i * ROW_HEIGHT - virtualTop;

  const pointToCell = (e: React.MouseEvent): CellPosition | null => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-cell]');
    if (!el) return null;
    const [r, c] = el.dataset.cell!.split(':').map(Number);
    return { row: r!, col: c! };
  };

  const headerCells: ReactNode[] = [];
  for (let c = cols.first; c <= cols.last; c++) {
    const col = columns[c]!;
    const sorted = sortOf(col.name);
    headerCells.push(
      <div
        key={c}
        role="columnheader"
        aria-colindex={c + 2}
        aria-sort={sorted ? (sorted.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
        className={`dg-th${alignsRight(col.kind) ? ' dg-right' : ''}`}
        style={{ left: gutter + layout.left(c), width: layout.width(c) }}
        title={`${col.name} · ${col.dataType}${props.onSort ? '\nClick to sort, Shift+click to add to the sort' : ''}`}
        onClick={(e) => props.onSort?.(c, e.shiftKey)}
      >
        <span className="dg-th-name">{col.name}</span>
        <span className="dg-th-type">{col.dataType}</span>
        {sorted && (
          <span className="dg-sort" aria-hidden>
            {sorted.direction === 'asc' ? '▲' : '▼'}
            {props.sort!.length > 1 ? sorted.order : ''}
          </span>
        )}
        <span className="dg-resize" aria-hidden onPointerDown={(e) => startResize(c, e)} onClick={(e) => e.stopPropagation()} />
      </div>,
    );
  }

  const bodyRows: ReactNode[] = [];
  const firstInView = Math.floor(scaler.clampVirtual(virtualTop) / ROW_HEIGHT);
  if (rowCount > 0) {
    for (let i = visible.first; i <= visible.last; i++) {
      const state = rows.row(i);
      const rowClass = props.rowClass?.(i);
      const selectedRow = i >= range.top && i <= range.bottom;
      const cells: ReactNode[] = [];
      if (state.status === 'ready') {
        for (let c = cols.first; c <= cols.last; c++) {
          const column = columns[c]!;
          const ctx: CellContext = { row: i, col: c, value: state.row.cell(c), view: state.row, column };
          const shown: { value: CellValue; truncated?: boolean; text?: string } = props.renderValue?.(ctx) ?? { value: ctx.value, truncated: state.row.isTruncated(c) };
          const selected = inRange(range, i, c);
          const active = selection.active.row === i && selection.active.col === c;
          const classes = ['dg-td'];
          if (alignsRight(column.kind)) classes.push('dg-right');
          if (shown.value === null) classes.push('dg-null');
          else if (shown.value === '') classes.push('dg-empty');
          if (selected) classes.push('dg-selected');
          if (active) classes.push('dg-active');
          const extra = props.cellClass?.(ctx);
          if (extra) classes.push(extra);
          cells.push(
            <div
              key={c}
              id={cellId(i, c)}
              role="gridcell"
              aria-colindex={c + 2}
              aria-selected={selected}
              data-cell={`${i}:${c}`}
              className={classes.join(' ')}
              style={{ left: gutter + layout.left(c), width: layout.width(c) }}
            >
              <span className="dg-text">
                {shown.text ?? cellText(shown.value, column.kind)}
                {shown.truncated ? '…' : ''}
              </span>
              {props.cellAction?.(ctx)}
            </div>,
          );
        }
      } else {
        cells.push(
          <div key="state" role="gridcell" aria-colindex={2} className={`dg-td dg-row-state${state.status === 'error' ? ' dg-row-error' : ''}`} style={{ left: gutter, width: Math.max(200, Math.min(layout.totalWidth, size.width - gutter)) }}>
            {state.status === 'error' ? (
              // One message for a run of rows that failed alike, on its first row in view.
              (i <= firstInView ? i === firstInView : !sameError(rows.row(i - 1), state.message)) ? `Could not load these rows: ${state.message}` : ''
            ) : (
              <span className="dg-shimmer" aria-label="Loading" />
            )}
          </div>,
        );
      }
      bodyRows.push(
        <div
          key={i}
          role="row"
          aria-rowindex={i + 2}
          aria-busy={state.status === 'loading' || undefined}
          className={`dg-tr${i % 2 ? ' dg-odd' : ''}${selectedRow ? ' dg-tr-selected' : ''}${rowClass ? ` ${rowClass}` : ''}`}
          style={{ top: rowTop(i), width: canvasWidth }}
          title={props.rowTitle?.(i)}
        >
          <div role="rowheader" aria-colindex={1} className="dg-gutter" style={{ width: gutter }}>
            {(i + 1).toLocaleString('en-US')}
          </div>
          {cells}
        </div>,
      );
    }
  }

  const editor = props.editor;
  const editorVisible = editor && editor.row >= visible.first && editor.row <= visible.last && editor.col < columns.length;

  return (
    <div className="dg">
      <div
        ref={gridRef}
        className="dg-scroller"
        role="grid"
        aria-label={props.label}
        aria-rowcount={rowCount + 1}
        aria-colcount={columns.length + 1}
        aria-multiselectable
        aria-activedescendant={activeVisible ? cellId(selection.active.row, selection.active.col) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={onScroll}
      >
        <div className="dg-header" role="rowgroup" style={{ width: canvasWidth, height: HEADER_HEIGHT }}>
          <div role="row" aria-rowindex={1} className="dg-header-row" style={{ width: canvasWidth }}>
            <div role="columnheader" aria-colindex={1} className="dg-corner" style={{ width: gutter }} title="Row number">
              #
            </div>
            {headerCells}
          </div>
        </div>
        <div
          className="dg-body"
          role="rowgroup"
          style={{ height: scaler.physicalHeight, width: canvasWidth }}
          onMouseDown={(e) => {
            const cell = pointToCell(e);
            if (!cell || e.button !== 0) return;
            e.preventDefault();
            gridRef.current?.focus();
            setSelection(e.shiftKey ? { active: cell, anchor: selection.anchor } : { active: cell, anchor: cell }, false);
          }}
          onMouseMove={(e) => {
            // Dragging with the button held extends the selection from where it started.
            if (e.buttons !== 1) return;
            const cell = pointToCell(e);
            if (cell && (cell.row !== selection.active.row || cell.col !== selection.active.col)) setSelection({ active: cell, anchor: selection.anchor }, false);
          }}
          onDoubleClick={(e) => {
            const cell = pointToCell(e);
            if (cell) props.onActivate?.(cell);
          }}
        >
          {bodyRows}
          {editorVisible && (
            <div className="dg-editor" style={{ top: rowTop(editor.row), left: gutter + layout.left(editor.col), width: Math.max(layout.width(editor.col), 160) }}>
              {editor.node}
            </div>
          )}
        </div>
        {rowCount === 0 && <div className="dg-empty-state">{props.emptyText ?? 'No rows.'}</div>}
      </div>
      <div className="dg-vbar" aria-hidden>
        <div ref={trackRef} className="dg-vtrack" style={{ top: HEADER_HEIGHT, height: bodyHeight }} onPointerDown={pageFromTrack}>
          {thumb.scrollable && <div className={`dg-vthumb${dragging ? ' dg-dragging' : ''}`} style={{ top: thumb.top, height: thumb.height }} onPointerDown={startThumbDrag} />}
        </div>
      </div>
    </div>
  );
});
