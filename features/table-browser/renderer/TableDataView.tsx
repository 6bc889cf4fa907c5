import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { TableDetail } from '../../../shared/model/schema';
import type { ApplyResult, EditProblem, EditRequest, EditValue, FilterGroup, ReferencingKey, SortSpec, TableQueryInput } from '../../../shared/model/table-query';
import type { CellValue } from '../../../shared/model/values';
import { appStore } from '../../../renderer/src/app/app-state';
import { useStore } from '../../../renderer/src/app/store';
import { useTabFocus } from '../../../renderer/src/app/tabs';
import { client } from '../../../renderer/src/ipc/client';
import { DataGrid, type CellContext, type DataGridHandle } from '../../../renderer/src/ui/data-grid/DataGrid';
import { copyFormatLabels, copyFormats, type CopyFormat } from '../../../renderer/src/ui/data-grid/core/clipboard-format';
import { rangeOf, type CellPosition, type CellRange, type Selection } from '../../../renderer/src/ui/data-grid/core/selection';
import type { GridColumn } from '../../../renderer/src/ui/data-grid/core/types';
import { WindowController } from '../../../renderer/src/ui/data-grid/core/window-controller';
import { toast } from '../../../renderer/src/ui/toasts';
import { errorOf } from '../../connections/renderer/connection-actions';
import { setActiveTableView, type TableViewCommands } from './active-view';
import { copyRange } from './copy-range';
import { CellEditor } from './edits/CellEditor';
import { ProblemList, type ProblemPlaces } from './edits/ProblemList';
import { openFilteredTable } from './explained-actions';
import { ReviewSqlDialog } from './edits/ReviewSqlDialog';
import { editValueCell, rowKeyOf, StagedEdits, type RowRef } from './edits/staged-edits';
import { ExportDialog } from './export/ExportDialog';
import { ImportDialog } from '../../import/renderer';
import { FilterBuilder } from './filter/FilterBuilder';
import { conditionCount, equalityFilter } from './filter/filter-model';
import { ReferencesPanel } from './panels/ReferencesPanel';
import { ValuePanel, type ActiveCell } from './panels/ValuePanel';
import { TableRows } from './table-rows';
import { TableSource } from './table-source';

interface Props {
  /** The app tab showing this view (a focus request for it lands on the grid). */
  tabId: string;
  profileId: string;
  detail: TableDetail;
  initialFilter: FilterGroup | null;
  active: boolean;
}

/** A message as a sentence: ends with a full stop unless it has its own. */
function sentence(text: string): string {
  return /[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

function nextSort(sort: SortSpec[], column: string, additive: boolean): SortSpec[] {
  const current = sort.find((s) => s.column === column);
  const cycled: SortSpec | null = !current ? { column, direction: 'asc' } : current.direction === 'asc' ? { column, direction: 'desc' } : null;
  if (!additive) return cycled ? [cycled] : [];
  if (!current) return [...sort, cycled!];
  return cycled ? sort.map((s) => (s.column === column ? cycled : s)) : sort.filter((s) => s.column !== column);
}

/** The value first seen with this content: the same view set again keeps its identity (compared as JSON). */
function useSameWhileKey<T>(value: T): T {
  const key = JSON.stringify(value);
  const [held, setHeld] = useState({ key, value });
  if (held.key === key) return held.value;
  setHeld({ key, value });
  return value;
}

/**
 * The Data view of a table tab: the grid over a windowed table view, server-side sort and filter,
 * staged edits with Review SQL, export, copy, the value viewer and foreign-key navigation.
 */
export function TableDataView({ tabId, profileId, detail, initialFilter, active }: Props) {
  const table = useMemo(() => ({ schema: detail.schema, name: detail.name }), [detail.schema, detail.name]);
  const columns: GridColumn[] = useMemo(() => detail.columns.map((c) => ({ name: c.name, dataType: c.dataType, kind: c.kind })), [detail]);
  const [sort, setSort] = useState<SortSpec[]>([]);
  const [filter, setFilter] = useState<FilterGroup | null>(initialFilter);
  const [where, setWhere] = useState<string>('');
  const [whereDraft, setWhereDraft] = useState('');
  /** What the server said about a condition or filter that did not run (the view keeps the last one that did). */
  const [queryError, setQueryError] = useState<{ of: 'where' | 'filter'; message: string } | null>(null);
  const [showFilter, setShowFilter] = useState(false);
  const [showWhere, setShowWhere] = useState(false);
  const [showPanel, setShowPanel] = useState(false);
  const [dialog, setDialog] = useState<null | 'export' | 'import'>(null);
  /** The changes under review: fixed when the dialog opens, so it shows (and applies) one set. */
  const [review, setReview] = useState<EditRequest | null>(null);
  /** The last Apply committed some of several agreed transactions: the problems banner must not say "nothing was applied". */
  const [partly, setPartly] = useState(false);
  const [editing, setEditing] = useState<{ cell: CellPosition; typed?: string } | null>(null);
  const [selection, setSelection] = useState<Selection>({ active: { row: 0, col: 0 }, anchor: { row: 0, col: 0 } });
  const [referencedBy, setReferencedBy] = useState<ReferencingKey[] | null>(null);
  const [copyMenu, setCopyMenu] = useState(false);
  const gridRef = useRef<DataGridHandle>(null);
  const whereId = `where-${tabId}`;
  useTabFocus(tabId, active, () => gridRef.current?.focus());
  const edits = useMemo(() => new StagedEdits(), []);
  const subscribeEdits = useMemo(() => edits.subscribe.bind(edits), [edits]);
  useSyncExternalStore(subscribeEdits, () => edits.version());

  const profile = useStore(appStore, (s) => s.profiles.find((p) => p.id === profileId));
  const serverReadOnly = useStore(appStore, (s) => s.connections[profileId]?.open?.serverInfo.readOnly ?? false);
  const editBlocked =
    detail.rowIdentity.kind === 'none'
      ? detail.rowIdentity.reason
      : profile?.readOnly
        ? 'This connection is read-only: edits cannot be staged. Edit the connection to allow writing.'
        : serverReadOnly
          ? 'The server is read-only (a standby or read-only session): edits cannot be staged.'
          : null;
  const editable = editBlocked === null;

  /**
   * A new filter or condition is tried on one row before the view takes it: a typo is one
   * error, said once where it was typed, and the grid keeps the rows it had.
   */
  const tryQuery = async (next: { filter: FilterGroup | null; where: string }, of: 'where' | 'filter') => {
    const candidate: TableQueryInput = { table, sort, filter: next.filter, where: next.where.trim() || null };
    try {
      if (candidate.filter || candidate.where) await client.call('table.window', { connectionId: profileId, query: candidate, window: { offset: 0, limit: 1 } });
      setQueryError(null);
      setFilter(next.filter);
      setWhere(next.where.trim());
    } catch (err) {
      setQueryError({ of, message: errorOf(err).message });
    }
  };

  // The same view keeps its model (and its scroll position) however often its parts are set again.
  const query = useSameWhileKey<TableQueryInput>({ table, sort, filter, where: where.trim() || null });
  const model = useMemo(() => {
    const source = new TableSource(profileId, query, columns);
    const unfiltered = !query.filter && !query.where;
    const controller = new WindowController(source, { initialCount: unfiltered ? detail.rowCount : null });
    return { source, controller, rows: new TableRows(controller, edits) };
  }, [query, profileId, columns, edits, detail.rowCount]);
  useEffect(() => {
    model.controller.start();
    return () => model.controller.dispose();
  }, [model]);
  const subscribeRows = useMemo(() => model.rows.subscribe.bind(model.rows), [model]);
  useSyncExternalStore(subscribeRows, () => model.rows.version());

  useEffect(() => {
    let gone = false;
    client
      .call('table.referencedBy', { connectionId: profileId, table })
      .then((r) => !gone && setReferencedBy(r))
      .catch(() => !gone && setReferencedBy([]));
    return () => {
      gone = true;
    };
  }, [profileId, table]);

  const rows = model.rows;
  const activeInfo = rows.info(selection.active.row);

  const shownValue = useCallback(
    (row: number, col: number): { value: CellValue; truncated: boolean; staged: boolean } | null => {
      const info = rows.info(row);
      if (info.kind === 'insert') {
        const v = info.insert.values.get(col);
        return { value: v === undefined ? null : editValueCell(v), truncated: false, staged: v !== undefined };
      }
      if (info.kind !== 'data') return null;
      const staged = info.ref ? edits.stagedValue(info.ref.rowId, col) : undefined;
      if (staged !== undefined) return { value: editValueCell(staged), truncated: false, staged: true };
      const state = rows.row(row);
      return { value: info.values(col), truncated: state.status === 'ready' && state.row.isTruncated(col), staged: false };
    },
    [rows, edits],
  );

  // Read on every render: the rows change under the same objects (their version says so), and the
  // value panel keys its own work on the cell's identity, not on this object.
  const activeCell: ActiveCell | null = (() => {
    const shown = shownValue(selection.active.row, selection.active.col);
    const column = columns[selection.active.col];
    if (!shown || !column) return null;
    return { column, value: shown.value, truncated: shown.truncated, rowId: activeInfo.kind === 'data' ? (activeInfo.ref?.rowId ?? null) : null, staged: shown.staged };
  })();

  // --- staging ----------------------------------------------------------

  const refuse = () => toast({ level: 'warning', title: 'This table cannot be edited here', message: editBlocked ?? '' });

  const stageCell = (row: number, col: number, value: EditValue) => {
    const info = rows.info(row);
    if (info.kind === 'insert') edits.setInsertCell(info.insert.id, col, value);
    else if (info.kind === 'data' && info.ref) edits.setCell(info.ref, col, value, info.values(col));
  };

  const rowRefsIn = (range: CellRange): RowRef[] => {
    const out: RowRef[] = [];
    for (let r = range.top; r <= range.bottom && out.length < 10_000; r++) {
      const info = rows.info(r);
      if (info.kind === 'data' && info.ref) out.push(info.ref);
    }
    return out;
  };

  const commands: TableViewCommands = {
    review: () => {
      if (edits.count === 0) toast({ level: 'info', title: 'No staged changes to review' });
      else setReview({ table, changes: edits.changes(columns) });
    },
    toggleFilter: () => setShowFilter((v) => !v),
    toggleWhere: () => {
      setShowWhere((v) => !v);
      requestAnimationFrame(() => document.getElementById(whereId)?.focus());
    },
    sortActive: (additive) => {
      const column = columns[selection.active.col];
      if (column) setSort((s) => nextSort(s, column.name, additive));
    },
    togglePanel: () => setShowPanel((v) => !v),
    exportView: () => setDialog('export'),
    refresh: () => model.controller.invalidate(),
    insertRow: () => {
      if (!editable) return refuse();
      edits.addInsert();
      gridRef.current?.select({ row: 0, col: 0 });
    },
    duplicateRows: () => {
      if (!editable) return refuse();
      const range = rangeOf(selection);
      let n = 0;
      for (let r = range.bottom; r >= range.top && n < 1000; r--, n++) {
        const values = new Map<number, EditValue>();
        columns.forEach((c, i) => {
          const info = detail.columns[i]!;
          if (info.autoIncrement || info.generated) return;
          const shown = shownValue(r, i);
          if (!shown || shown.truncated) return;
          const v = shown.value;
          values.set(i, v !== null && typeof v === 'object' ? { hex: v.bytes } : v);
        });
        edits.addInsert(values);
      }
      gridRef.current?.select({ row: 0, col: 0 });
    },
    deleteRows: () => {
      if (!editable) return refuse();
      const range = rangeOf(selection);
      for (let r = range.bottom; r >= range.top; r--) {
        const info = rows.info(r);
        if (info.kind === 'insert') edits.removeInsert(info.insert.id);
      }
      const refs = rowRefsIn(range);
      if (refs.length) edits.toggleDelete(refs);
    },
    setNull: () => {
      if (!editable) return refuse();
      const range = rangeOf(selection);
      for (let r = range.top; r <= range.bottom && r - range.top < 10_000; r++) for (let c = range.left; c <= range.right; c++) stageCell(r, c, null);
    },
    revertRows: () => {
      const range = rangeOf(selection);
      for (const ref of rowRefsIn(range)) edits.revertRow(ref.rowId);
    },
    copy: (format) => void copyRange(model.controller, rows, columns, rangeOf(selection), format, shownValue, { connectionId: profileId, table }),
  };
  const commandsRef = useRef(commands);
  commandsRef.current = commands;
  useEffect(() => {
    if (!active) return;
    return setActiveTableView({
      review: () => commandsRef.current.review(),
      toggleFilter: () => commandsRef.current.toggleFilter(),
      toggleWhere: () => commandsRef.current.toggleWhere(),
      sortActive: (additive) => commandsRef.current.sortActive(additive),
      togglePanel: () => commandsRef.current.togglePanel(),
      exportView: () => commandsRef.current.exportView(),
      refresh: () => commandsRef.current.refresh(),
      insertRow: () => commandsRef.current.insertRow(),
      duplicateRows: () => commandsRef.current.duplicateRows(),
      deleteRows: () => commandsRef.current.deleteRows(),
      setNull: () => commandsRef.current.setNull(),
      revertRows: () => commandsRef.current.revertRows(),
      copy: (f) => commandsRef.current.copy(f),
    });
  }, [active]);

  const onActivate = (cell: CellPosition, typed?: string) => {
    const shown = shownValue(cell.row, cell.col);
    if (!shown) return;
    const column = columns[cell.col]!;
    if (!editable) {
      if (typed === undefined) setShowPanel(true);
      else refuse();
      return;
    }
    if (detail.columns[cell.col]?.generated) {
      toast({ level: 'info', title: `${column.name} is generated by the database`, message: 'Its value cannot be set.' });
      return;
    }
    // Long text and JSON are edited whole in the side panel, never in a one-line box.
    if (shown.truncated || (typed === undefined && (column.kind === 'json' || (typeof shown.value === 'string' && (shown.value.length > 200 || shown.value.includes('\n')))))) {
      setShowPanel(true);
      return;
    }
    setEditing({ cell, ...(typed !== undefined ? { typed } : {}) });
  };

  const onGridKey = (e: React.KeyboardEvent): boolean => {
    const mod = /Mac/.test(navigator.platform) ? e.metaKey : e.ctrlKey;
    if (e.key === 'Delete' && !mod) return commands.deleteRows(), true;
    if (e.key === 'Backspace' && !mod) return commands.setNull(), true;
    if (e.key === 'Insert') return commands.insertRow(), true;
    if (mod && e.key.toLowerCase() === 'd') return commands.duplicateRows(), true;
    if (mod && e.key.toLowerCase() === 'z' && !e.shiftKey) return commands.revertRows(), true;
    if (e.key === 'F3') return commands.togglePanel(), true;
    return false;
  };

  const onApplied = (r: ApplyResult) => {
    setReview(null);
    edits.clear();
    toast({ level: 'success', title: `Applied: ${r.rowsAffected.toLocaleString('en-US')} row${r.rowsAffected === 1 ? '' : 's'} changed` });
    model.controller.invalidate();
  };

  const onProblems = (r: ApplyResult) => {
    // Several agreed transactions, some committed: those changes are in the database now.
    const committed = r.transactions?.filter((t) => t.applied).flatMap((t) => t.changeIds) ?? [];
    setPartly(committed.length > 0);
    if (committed.length > 0) {
      edits.removeApplied(committed);
      model.controller.invalidate();
      toast({ level: 'warning', title: `Partly applied: ${r.rowsAffected.toLocaleString('en-US')} row${r.rowsAffected === 1 ? '' : 's'} changed`, message: 'The transactions before the one that failed were committed; the rest of the changes are still staged.' });
    }
    edits.setProblems(r.problems);
  };

  // --- presentation -----------------------------------------------------

  const rowClass = (row: number): string | undefined => {
    const info = rows.info(row);
    if (info.kind === 'insert') return `tb-row-inserted${edits.problemOf(info.insert.id) ? ' tb-row-problem' : ''}`;
    if (info.kind !== 'data' || !info.ref) return undefined;
    const classes: string[] = [];
    if (edits.isDeleted(info.ref.rowId)) classes.push('tb-row-deleted');
    else if (edits.hasUpdate(info.ref.rowId)) classes.push('tb-row-updated');
    if (edits.problemForRow(info.ref.rowId)) classes.push('tb-row-problem');
    return classes.join(' ') || undefined;
  };
  const rowTitle = (row: number): string | undefined => {
    const info = rows.info(row);
    if (info.kind === 'insert') return edits.problemOf(info.insert.id)?.message ?? 'New row (staged)';
    if (info.kind !== 'data' || !info.ref) return undefined;
    const p = edits.problemForRow(info.ref.rowId);
    if (p) return `${p.kind === 'conflict' ? 'Conflict' : 'Error'}: ${p.message}`;
    if (edits.isDeleted(info.ref.rowId)) return 'Deleted (staged)';
    return undefined;
  };
  const renderValue = (ctx: CellContext) => {
    const info = rows.info(ctx.row);
    // A new row's cells left alone take the column's default.
    if (info.kind === 'insert' && !info.insert.values.has(ctx.col)) return { value: null, text: 'DEFAULT' };
    if (info.kind !== 'data' || !info.ref) return undefined;
    const staged = edits.stagedValue(info.ref.rowId, ctx.col);
    return staged === undefined ? undefined : { value: editValueCell(staged) };
  };
  /** The column a refused change's error is about, when it is a column of this table. */
  const problemColumn = (p: EditProblem | undefined): string | null => {
    const e = p?.explained;
    if (!e?.column || (e.table !== null && e.table !== table.name)) return null;
    return e.direction === 'referenced' ? null : e.column;
  };
  const cellClass = (ctx: CellContext) => {
    const info = rows.info(ctx.row);
    const problem = info.kind === 'insert' ? edits.problemOf(info.insert.id) : info.kind === 'data' && info.ref ? edits.problemForRow(info.ref.rowId) : undefined;
    const marked = problemColumn(problem) === ctx.column.name ? 'tb-cell-problem' : '';
    const changed = info.kind === 'data' && info.ref && edits.stagedValue(info.ref.rowId, ctx.col) !== undefined ? 'tb-cell-changed' : '';
    return [changed, marked].filter(Boolean).join(' ') || undefined;
  };
  /** Where the problem list points: the grid's rows, the marked cell, other tables filtered to a key. */
  const identityColumns = detail.rowIdentity.kind === 'primary-key' ? detail.rowIdentity.columns : [detail.rowIdentity.kind];
  const problemPlaces: ProblemPlaces = {
    rowLabel: (changeId) => {
      const index = rows.indexOfChange(changeId);
      if (changeId.startsWith('i:')) return index === null ? 'A new row' : `New row ${index + 1}`;
      const rowId = JSON.parse(changeId.slice(2)) as CellValue[];
      const key = identityColumns.map((c, i) => `${c} = ${String(rowId[i])}`).join(', ');
      return index === null ? `The row with ${key}` : `Row ${(index + 1).toLocaleString('en-US')} (${key})`;
    },
    goTo: (changeId, column) => {
      const index = rows.indexOfChange(changeId);
      if (index === null) return toast({ level: 'info', title: 'That row is not in the grid now', message: 'Clear the filter or scroll to it.' });
      const col = column ? columns.findIndex((c) => c.name === column) : -1;
      gridRef.current?.select({ row: index, col: col >= 0 ? col : selection.active.col });
      gridRef.current?.focus();
    },
    open: (t, f, title) => openFilteredTable(profileId, t, f, title),
  };
  const fkByColumn = useMemo(() => {
    const m = new Map<string, (typeof detail.foreignKeys)[number]>();
    for (const fk of detail.foreignKeys) if (fk.columns.length === 1) m.set(fk.columns[0]!, fk);
    return m;
  }, [detail]);
  const cellAction = (ctx: CellContext) => {
    const fk = fkByColumn.get(ctx.column.name);
    if (!fk || ctx.value === null) return null;
    const f = equalityFilter(fk.referencedColumns, [ctx.value]);
    if (!f) return null;
    return (
      <button
        className="dg-cell-action"
        tabIndex={-1}
        title={`Open ${fk.referencedTable} where ${fk.referencedColumns[0]} = ${String(ctx.value)}`}
        aria-label={`Open the referenced ${fk.referencedTable} row`}
        onMouseDown={(e) => e.stopPropagation()}
        onClick={() => openFilteredTable(profileId, { schema: fk.referencedSchema, name: fk.referencedTable }, f, `${fk.referencedTable} (${fk.referencedColumns[0]} = ${String(ctx.value)})`)}
      >
        →
      </button>
    );
  };

  const editor =
    editing && columns[editing.cell.col]
      ? {
          row: editing.cell.row,
          col: editing.cell.col,
          node: (
            <CellEditor
              key={`${editing.cell.row}:${editing.cell.col}`}
              column={columns[editing.cell.col]!}
              value={shownValue(editing.cell.row, editing.cell.col)?.value ?? null}
              {...(editing.typed !== undefined ? { typed: editing.typed } : {})}
              onCommit={(value, move) => {
                stageCell(editing.cell.row, editing.cell.col, value);
                setEditing(null);
                const next = move === 'down' ? { row: Math.min(editing.cell.row + 1, rows.rowCount() - 1), col: editing.cell.col } : move === 'right' ? { row: editing.cell.row, col: Math.min(editing.cell.col + 1, columns.length - 1) } : null;
                if (next) gridRef.current?.select(next);
                requestAnimationFrame(() => gridRef.current?.focus());
              }}
              onCancel={() => {
                setEditing(null);
                requestAnimationFrame(() => gridRef.current?.focus());
              }}
            />
          ),
        }
      : null;

  const count = model.controller.rowCount();
  const exact = model.controller.countExact();
  const pending = model.controller.countPending();
  const problems = edits.allProblems();
  const nFilters = conditionCount(filter);
  const range = rangeOf(selection);
  const selectedCells = (range.bottom - range.top + 1) * (range.right - range.left + 1);

  return (
    <div className="table-data">
      <div className="tb-toolbar" role="toolbar" aria-label="Table data">
        <button className={`btn btn-small${showFilter || nFilters ? ' btn-on' : ''}`} aria-pressed={showFilter} onClick={() => setShowFilter((v) => !v)} title="Filter builder (Ctrl+F)">
          Filter{nFilters ? ` (${nFilters})` : ''}
        </button>
        <button className={`btn btn-small${showWhere || where ? ' btn-on' : ''}`} aria-pressed={showWhere} onClick={() => setShowWhere((v) => !v)} title="Raw SQL WHERE condition (Alt+Shift+W)">
          WHERE{queryError?.of === 'where' ? ' ⚠' : where ? ' ✓' : ''}
        </button>
        {sort.length > 0 && (
          <button className="btn btn-small" onClick={() => setSort([])} title="Back to the table's own order">
            Sorted by {sort.map((s) => `${s.column} ${s.direction === 'asc' ? '↑' : '↓'}`).join(', ')} ×
          </button>
        )}
        <span className="tb-sep" />
        <button className="btn btn-small" disabled={!editable} onClick={commands.insertRow} title="Insert a row (Insert)">
          + Row
        </button>
        <button className="btn btn-small" disabled={!editable} onClick={commands.duplicateRows} title="Duplicate the selected rows (Ctrl+D)">
          Duplicate
        </button>
        <button className="btn btn-small" disabled={!editable} onClick={commands.deleteRows} title="Delete the selected rows (Delete)">
          Delete
        </button>
        <button className="btn btn-small" disabled={!editable} onClick={commands.setNull} title="Set the selected cells to NULL (Backspace)">
          NULL
        </button>
        {edits.count > 0 && (
          <>
            <span className="tb-sep" />
            <span className="tb-staged" role="status" title="Changes staged, not yet applied">
              {edits.count} change{edits.count === 1 ? '' : 's'}
            </span>
            <button className="btn btn-primary btn-small" onClick={commands.review} title="Review SQL, then apply (Ctrl+S)">
              Review SQL…
            </button>
            <button className="btn btn-small" onClick={() => edits.clear()}>
              Discard
            </button>
          </>
        )}
        <span className="spacer" />
        <div className="tb-menu">
          <button className="btn btn-small" aria-haspopup="menu" aria-expanded={copyMenu} onClick={() => setCopyMenu((v) => !v)}>
            Copy ▾
          </button>
          {copyMenu && (
            <ul className="tb-menu-list" role="menu" onMouseLeave={() => setCopyMenu(false)}>
              {copyFormats.map((f: CopyFormat) => (
                <li key={f} role="none">
                  <button
                    role="menuitem"
                    onClick={() => {
                      setCopyMenu(false);
                      commands.copy(f);
                    }}
                  >
                    {copyFormatLabels[f]}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <button className="btn btn-small" onClick={() => setDialog('export')} title="Export (Ctrl+E)">
          Export…
        </button>
        <button className="btn btn-small" onClick={() => setDialog('import')} title="Import rows from a CSV, TSV or JSON file">
          Import…
        </button>
        <button className={`btn btn-small${showPanel ? ' btn-on' : ''}`} aria-pressed={showPanel} onClick={() => setShowPanel((v) => !v)} title="Value viewer and references (F3)">
          Details
        </button>
        <button className="btn btn-small" onClick={commands.refresh} title="Read the rows again (Alt+F5)" aria-label="Reload rows">
          ⟳
        </button>
      </div>
      {showWhere && (
        <form
          className="tb-where"
          onSubmit={(e) => {
            e.preventDefault();
            void tryQuery({ filter, where: whereDraft }, 'where');
          }}
        >
          <label htmlFor={whereId} className="mono">
            WHERE
          </label>
          <input
            id={whereId}
            className="mono"
            value={whereDraft}
            spellCheck={false}
            placeholder="a raw SQL condition — runs read-only with a time limit"
            onChange={(e) => setWhereDraft(e.target.value)}
            aria-invalid={queryError?.of === 'where'}
            aria-describedby={queryError?.of === 'where' ? `${whereId}-error` : undefined}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setShowWhere(false);
                gridRef.current?.focus();
              }
            }}
          />
          <button className="btn btn-small btn-primary" type="submit">
            Apply
          </button>
          <button
            className="btn btn-small"
            type="button"
            onClick={() => {
              setWhereDraft('');
              setWhere('');
              setQueryError(null);
            }}
          >
            Clear
          </button>
        </form>
      )}
      {showWhere && queryError?.of === 'where' && (
        <p id={`${whereId}-error`} className="notice notice-error tb-notice" role="alert">
          The condition did not run: {sentence(queryError.message)} The rows below are still those of {where ? 'the last condition that ran' : 'the whole table'}.
        </p>
      )}
      {showFilter && (
        <FilterBuilder
          columns={columns}
          filter={filter}
          error={queryError?.of === 'filter' ? queryError.message : null}
          onApply={(f) => void tryQuery({ filter: f, where }, 'filter')}
          onClose={() => {
            setShowFilter(false);
            gridRef.current?.focus();
          }}
        />
      )}
      {detail.rowIdentity.kind === 'ctid' && <p className="notice notice-warning tb-notice">{detail.rowIdentity.warning}</p>}
      {editBlocked && <p className="notice tb-notice">Read-only here: {editBlocked}</p>}
      {model.controller.countFailure() && (
        <p className="notice notice-warning tb-notice" role="alert">
          Could not count the rows: {model.controller.countFailure()}
        </p>
      )}
      {problems.length > 0 && (
        <div className="notice tb-problems" role="alert">
          <strong>{partly ? 'Partly applied: the transaction with these changes failed, the ones before it were committed.' : 'Nothing was applied.'}</strong> {problems.length} change{problems.length === 1 ? '' : 's'} could not be made — the rows are marked in red{problems.some((p) => problemColumn(p)) ? ', the cells outlined' : ''}:
          <ProblemList problems={problems} places={problemPlaces} table={table} />
        </div>
      )}
      <div className="tb-body">
        <DataGrid
          ref={gridRef}
          rows={rows}
          columns={columns}
          label={`Rows of ${table.name}`}
          sort={sort}
          onSort={(c, additive) => setSort((s) => nextSort(s, columns[c]!.name, additive))}
          rowClass={rowClass}
          rowTitle={rowTitle}
          cellClass={cellClass}
          renderValue={renderValue}
          cellAction={cellAction}
          onActivate={onActivate}
          onKeyDown={onGridKey}
          onSelectionChange={setSelection}
          onCopy={() => commands.copy('tsv')}
          editor={editor}
          emptyText={filter || where ? 'No row matches the filter.' : 'This table has no rows.'}
        />
        {showPanel && (
          <aside className="tb-panel" aria-label="Value and references">
            <ValuePanel connectionId={profileId} table={table} cell={activeCell} onStage={editable && activeCell ? (v) => stageCell(selection.active.row, selection.active.col, v) : null} />
            <ReferencesPanel
              connectionId={profileId}
              detail={detail}
              referencedBy={referencedBy}
              rowKey={activeInfo.kind === 'data' && activeInfo.ref ? rowKeyOf(activeInfo.ref.rowId) : activeInfo.kind === 'data' ? `#${activeInfo.index}` : null}
              valueOf={(name) => {
                if (activeInfo.kind !== 'data') return undefined;
                const i = columns.findIndex((c) => c.name === name);
                return i < 0 ? undefined : (shownValue(selection.active.row, i)?.value ?? undefined);
              }}
              onOpen={(t, f, title) => openFilteredTable(profileId, t, f, title)}
            />
          </aside>
        )}
      </div>
      <footer className="tb-status" aria-live="polite">
        <span>
          {pending && model.controller.countFailure() ? 'Rows not counted' : pending ? 'Counting rows…' : `${exact ? '' : '~'}${count.toLocaleString('en-US')} row${count === 1 ? '' : 's'}${exact ? '' : ' (estimate)'}`}
          {rows.insertCount > 0 && ` + ${rows.insertCount} new`}
        </span>
        <span>
          Row {(selection.active.row + 1).toLocaleString('en-US')}, {columns[selection.active.col]?.name}
          {selectedCells > 1 && ` · ${(range.bottom - range.top + 1).toLocaleString('en-US')} × ${range.right - range.left + 1} selected`}
        </span>
        {model.source.lastStrategy && <span className="muted">read by {model.source.lastStrategy}</span>}
      </footer>
      {review && <ReviewSqlDialog connectionId={profileId} edits={review} problemPlaces={{ rowLabel: problemPlaces.rowLabel, ...(problemPlaces.open ? { open: problemPlaces.open } : {}) }} table={table} onApplied={onApplied} onProblems={onProblems} onClose={() => setReview(null)} returnFocus={() => gridRef.current?.element()} />}
      {dialog === 'import' && <ImportDialog connectionId={profileId} schema={table.schema} table={table.name} onClose={() => setDialog(null)} onImported={() => commands.refresh()} />}
      {dialog === 'export' && <ExportDialog connectionId={profileId} tableName={table.name} view={query} viewIsFiltered={!!(filter || where)} onClose={() => setDialog(null)} />}
    </div>
  );
}
