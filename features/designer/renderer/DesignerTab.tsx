import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { dropTable } from '../shared/edits';
import { searchDesign } from '../shared/graph';
import { canRedo, canUndo } from '../shared/history';
import { engineLabels, type EngineKind } from '../../../shared/model/engine';
import { appStore, connectionState, type Tab } from '../../../renderer/src/app/app-state';
import { useStore } from '../../../renderer/src/app/store';
import { toast } from '../../../renderer/src/ui/toasts';
import { errorOf, openConnection } from '../../connections/renderer/connection-actions';
import { schemaStore } from '../../connections/renderer/schema-cache';
import { DiagramCanvas, type PendingConnection } from './DiagramCanvas';
import { DifferencesPanel } from './DifferencesPanel';
import { EditPanel } from './EditPanel';
import { exportPng, exportSvg } from './export';
import { MigrationReview } from './MigrationReview';
import { NewForeignKeyDialog } from './NewForeignKeyDialog';
import { openDesigner } from './open-designer';
import { sessionFor, type DesignSource, type DesignerSession } from './designer-session';

export function sourceOf(tab: Tab): DesignSource {
  const p = tab.params;
  if (p.scratch) return { kind: 'scratch', scope: String(p.scope), engine: p.engine as EngineKind, schema: String(p.schema), title: String(p.title) };
  return { kind: 'connection', profileId: tab.profileId!, schema: String(p.schema) };
}

/** A designer tab: waits for its connection, then loads the schema into a session. */
export function DesignerTab({ tab, active }: { tab: Tab; active: boolean }) {
  const source = useMemo(() => sourceOf(tab), [tab]);
  const session = useMemo(() => sessionFor(tab.id, source), [tab.id, source]);
  const status = useStore(appStore, (s) => (source.kind === 'connection' ? connectionState(s, source.profileId).status : 'open'));
  const loadStatus = useStore(session.store, (s) => s.status);
  const loadError = useStore(session.store, (s) => s.error);
  const started = useRef(false);

  useEffect(() => {
    if (status !== 'open' || started.current) return;
    started.current = true;
    void session.load();
  }, [status, session]);

  if (status !== 'open') {
    return (
      <div className="empty-state">
        <h2>Not connected</h2>
        <p>The schema designer reads the schema from the open connection.</p>
        <button className="btn btn-primary" onClick={() => source.kind === 'connection' && void openConnection(source.profileId)}>
          Connect
        </button>
      </div>
    );
  }
  if (loadStatus === 'loading' && session.design.tables.length === 0) {
    return (
      <p className="page-note muted" role="status">
        <span className="spinner" aria-hidden /> Reading the schema…
      </p>
    );
  }
  if (loadStatus === 'failed') {
    return (
      <div className="empty-state" role="alert">
        <h2>The schema could not be read</h2>
        <p>{loadError}</p>
        <button className="btn" onClick={() => void session.load()}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <ReactFlowProvider>
      <Designer session={session} active={active} />
    </ReactFlowProvider>
  );
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

function Designer({ session, active }: { session: DesignerSession; active: boolean }) {
  const design = useStore(session.store, (s) => s.history.present);
  const history = useStore(session.store, (s) => s.history);
  const selected = useStore(session.store, (s) => s.selectedTableId);
  const focus = useStore(session.store, (s) => s.focus);
  const sidePanel = useStore(session.store, (s) => s.sidePanel);
  const reviewOpen = useStore(session.store, (s) => s.reviewOpen);
  const editError = useStore(session.store, (s) => s.editError);
  const restoredAt = useStore(session.store, (s) => s.restoredDraftAt);
  const hidden = useStore(session.store, (s) => s.hidden);
  const [pending, setPending] = useState<PendingConnection | null>(null);
  const [query, setQuery] = useState('');
  const [hit, setHit] = useState(0);
  const [depth, setDepth] = useState(1);
  const [ready, setReady] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const hits = useMemo(() => searchDesign(design, query, 30), [design, query]);
  const highlighted = useMemo(() => new Set(hits.map((h) => h.tableId)), [hits]);
  const source = session.source;

  // Keys work wherever focus is in the window (a click on the canvas focuses nothing), but not
  // while typing in a field (its own undo wins) or inside a dialog.
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e.target) || (e.target as HTMLElement | null)?.closest?.('dialog')) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const selectedId = session.state.selectedTableId;
      if (mod && key === 'z' && !e.shiftKey) session.undo();
      else if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) session.redo();
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace') && selectedId) {
        const t = session.design.tables.find((x) => x.id === selectedId);
        if (t) session.edit(`Drop table ${t.name}`, (d) => dropTable(d, t.id));
      } else if (!mod && e.key === '/') searchRef.current?.focus();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, session]);

  const runExport = async (kind: 'svg' | 'png') => {
    try {
      const file = kind === 'svg' ? exportSvg(session) : await exportPng(session);
      toast({ level: 'success', title: `Diagram exported`, message: file });
    } catch (err) {
      toast({ level: 'error', title: 'The diagram could not be exported', message: errorOf(err).message });
    }
  };

  const title = source.kind === 'connection' ? source.schema : source.title;
  return (
    <div className={`dz-designer${active ? ' active' : ''}`} data-ready={ready ? 'true' : 'false'}>
      <div className="dz-toolbar" role="toolbar" aria-label="Schema designer">
        <button className="btn btn-small" onClick={() => session.addTable()} title="Add a table">
          + Table
        </button>
        <button className="btn btn-small" disabled={!canUndo(history)} onClick={() => session.undo()} aria-keyshortcuts="Control+Z" title={`Undo${history.presentLabel ? ` ${history.presentLabel}` : ''} (Ctrl+Z)`}>
          Undo
        </button>
        <button className="btn btn-small" disabled={!canRedo(history)} onClick={() => session.redo()} aria-keyshortcuts="Control+Shift+Z" title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
        <span className="dz-sep" />
        <button className="btn btn-small" onClick={() => session.autoLayout()} title="Place every table again automatically">
          Layout
        </button>
        {focus ? (
          <>
            <label className="dz-inline">
              Depth
              <select aria-label="Neighbour depth" value={focus.depth} onChange={(e) => session.setFocus({ ...focus, depth: Number(e.target.value) })}>
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
            </label>
            <button className="btn btn-small" onClick={() => session.setFocus(null)}>
              Show all tables
            </button>
          </>
        ) : (
          <>
            <select aria-label="Neighbour depth" value={depth} onChange={(e) => setDepth(Number(e.target.value))} title="How many foreign-key hops around the table">
              {[1, 2, 3, 4, 5].map((n) => (
                <option key={n} value={n}>
                  depth {n}
                </option>
              ))}
            </select>
            <button className="btn btn-small" disabled={!selected} onClick={() => selected && session.setFocus({ tableId: selected, depth })} title="Show the selected table with its neighbours only">
              Neighbours
            </button>
          </>
        )}
        <span className="dz-sep" />
        <div className="dz-search">
          <input
            ref={searchRef}
            type="search"
            role="combobox"
            aria-expanded={hits.length > 0}
            aria-controls="dz-search-results"
            aria-label="Find a table or column"
            placeholder="Find table or column" title="Find a table or column (/)"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setHit(0);
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') setHit((h) => Math.min(h + 1, hits.length - 1));
              else if (e.key === 'ArrowUp') setHit((h) => Math.max(h - 1, 0));
              else if (e.key === 'Enter' && hits[hit]) session.centerOn(hits[hit]!.tableId);
              else if (e.key === 'Escape') setQuery('');
              else return;
              e.preventDefault();
            }}
          />
          {query && (
            <ul id="dz-search-results" role="listbox" aria-label="Matching tables" className="dz-search-results">
              {hits.length === 0 && <li className="muted">No table or column matches</li>}
              {hits.map((h, i) => (
                <li key={h.tableId} role="option" aria-selected={i === hit} className={i === hit ? 'active' : ''} onMouseDown={(e) => e.preventDefault()} onClick={() => session.centerOn(h.tableId)}>
                  {h.table}
                  {h.column && <span className="muted"> · {h.column}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
        <span className="spacer" />
        {source.kind === 'connection' && <SchemaSwitch profileId={source.profileId} schema={source.schema} />}
        <button className="btn btn-small" aria-label="Export the diagram as SVG" onClick={() => void runExport('svg')}>
          SVG
        </button>
        <button className="btn btn-small" aria-label="Export the diagram as PNG" onClick={() => void runExport('png')}>
          PNG
        </button>
        <button className="btn btn-small btn-primary" onClick={() => session.store.set({ reviewOpen: true })} title="The migration of this design (Alt+Shift+R)">
          Review migration…
        </button>
      </div>
      {restoredAt && (
        <div className="notice dz-banner" role="status">
          Restored unsaved edits from {new Date(restoredAt).toLocaleString()}.{' '}
          {source.kind === 'connection' && (
            <button className="btn btn-small" onClick={() => void session.discardAndReload()}>
              Discard them
            </button>
          )}{' '}
          <button className="btn btn-small" onClick={() => session.store.set({ restoredDraftAt: null })}>
            Keep
          </button>
        </div>
      )}
      <div className="dz-body">
        <DiagramCanvas
          session={session}
          highlighted={highlighted}
          onConnect={setPending}
          onReady={() => requestAnimationFrame(() => requestAnimationFrame(() => setReady(true)))}
        />
        <aside className="dz-side" aria-label={sidePanel === 'differences' ? 'Differences' : 'Table'}>
          <div className="dz-side-tabs" role="tablist">
            <button role="tab" aria-selected={sidePanel === 'table'} onClick={() => session.store.set({ sidePanel: 'table' })}>
              Table
            </button>
            <button role="tab" aria-selected={sidePanel === 'differences'} onClick={() => session.store.set({ sidePanel: 'differences' })}>
              Differences
            </button>
          </div>
          {editError && (
            <p className="form-error dz-edit-error" role="alert">
              {editError}
            </p>
          )}
          {sidePanel === 'table' ? <EditPanel session={session} /> : <DifferencesPanel session={session} />}
        </aside>
      </div>
      <footer className="dz-status muted">
        {source.kind === 'connection' ? title : `${title} · ${engineLabels[source.engine]} (no database yet)`} · {design.tables.length} table{design.tables.length === 1 ? '' : 's'}
        {focus && ` · showing neighbours of ${design.tables.find((t) => t.id === focus.tableId)?.name} to depth ${focus.depth}`}
        {hidden.length > 0 && ` · migration tables not shown: ${hidden.join(', ')}`}
      </footer>
      {pending && <NewForeignKeyDialog session={session} pending={pending} onClose={() => setPending(null)} />}
      {reviewOpen && <MigrationReview session={session} />}
    </div>
  );
}

/** Another schema of the same connection opens in its own designer tab. */
function SchemaSwitch({ profileId, schema }: { profileId: string; schema: string }) {
  const schemas = useStore(schemaStore, (s) => s[profileId]?.schemas);
  const names = schemas?.status === 'ready' ? schemas.value.map((x) => x.name) : [schema];
  if (names.length <= 1) return null;
  return (
    <select aria-label="Schema" title="Open the diagram of another schema" value={schema} onChange={(e) => void openDesigner(profileId, e.target.value)}>
      {names.map((n) => (
        <option key={n} value={n}>
          {n}
        </option>
      ))}
    </select>
  );
}
