import { useEffect, useRef, useState } from 'react';
import { format as formatSql, type SqlLanguage } from 'sql-formatter';
import type { EngineKind } from '../../../shared/model/engine';
import type { Tab } from '../../../renderer/src/app/app-state';
import { appStore, connectionState } from '../../../renderer/src/app/app-state';
import { useStore } from '../../../renderer/src/app/store';
import { tabDomId, useTabFocus } from '../../../renderer/src/app/tabs';
import { OwnedTablist, tabStripKey } from '../../../renderer/src/ui/tab-strip';
import { client } from '../../../renderer/src/ipc/client';
import { Dialog } from '../../../renderer/src/ui/Dialog';
import { toast } from '../../../renderer/src/ui/toasts';
import { completionStore, loadCompletionSchema } from './completion';
import {
  activateEditorTab,
  attachSessionEvents,
  cancelRun,
  closeEditorTab,
  endTransaction,
  ensureSession,
  explain,
  loadTabs,
  newTab,
  patchRuntime,
  runFromEditor,
  runStatements,
  runtimeOf,
  setAutoCommit,
  setPanel,
  sqlStore,
  updateTab,
} from './editor-store';
import { HistoryPanel, SavedQueriesPanel } from './HistoryPanel';
import { ProcessList } from './ProcessList';
import { LongTransactionNotice, TransactionBadge } from './TransactionAge';
import { ResultsPane } from './ResultsPane';
import { SqlCodeEditor, type SqlCodeEditorHandle } from './SqlCodeEditor';
import { registerActiveEditor } from './active-editor';

const formatterLanguage: Record<EngineKind, SqlLanguage> = { postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mariadb', sqlite: 'sqlite' };

/** The SQL editor of one connection: its editor tabs, each with its own query session and results. */
export function SqlEditorTab({ tab, active }: { tab: Tab; active: boolean }) {
  const profileId = tab.profileId!;
  const profile = useStore(appStore, (s) => s.profiles.find((p) => p.id === profileId));
  const connected = useStore(appStore, (s) => connectionState(s, profileId).status === 'open');
  const editors = useStore(sqlStore, (s) => s[profileId]);

  useEffect(() => {
    attachSessionEvents();
    void loadTabs(profileId);
  }, [profileId]);

  useEffect(() => {
    if (connected) void loadCompletionSchema(profileId).catch(() => undefined);
  }, [profileId, connected]);

  if (!profile) return <p className="page-note muted">This connection no longer exists.</p>;
  if (!editors || editors.status === 'loading') return <p className="page-note muted">Opening the editor…</p>;
  if (editors.status === 'failed') return <p className="page-note error-text">The editor tabs could not be read.</p>;
  const current = editors.tabs.find((t) => t.id === editors.activeId) ?? editors.tabs[0];

  return (
    <div className="sql-page">
      <OwnedTablist label="Editor tabs" ids={editors.tabs.map((t) => editorTabDomId(t.id))} />
      <div
        className="sql-tabs"
        onKeyDown={(e) => {
          const id = (e.target as HTMLElement).dataset.editorTab;
          const ids = editors.tabs.map((t) => t.id);
          if (!id) return;
          const go = (next: string) => {
            activateEditorTab(profileId, next);
            requestAnimationFrame(() => document.getElementById(editorTabDomId(next))?.focus());
          };
          if (tabStripKey(e, ids, id, go, (gone) => void closeEditorTab(profileId, gone))) e.preventDefault();
        }}
      >
        {editors.tabs.map((t) => (
          <EditorTabButton key={t.id} profileId={profileId} tabId={t.id} title={t.title} selected={t.id === current?.id} />
        ))}
        <button className="icon-btn" aria-label="New editor tab" title="New editor tab (Alt+T)" onClick={() => void newTab(profileId)}>
          +
        </button>
        <span className="spacer" />
        <div className="sql-panels" role="group" aria-label="Panels">
          {(['history', 'saved', 'processes'] as const).map((p) => (
            <button key={p} className={`btn btn-small${editors.panel === p ? ' btn-pressed' : ''}`} aria-pressed={editors.panel === p} onClick={() => setPanel(profileId, p)}>
              {p === 'history' ? 'History' : p === 'saved' ? 'Saved queries' : 'Processes'}
            </button>
          ))}
        </div>
      </div>
      {!connected && (
        <p className="notice notice-warning sql-offline" role="status">
          Not connected. Connect to <strong>{profile.name}</strong> to run statements; your tabs are kept.
        </p>
      )}
      <div className="sql-body">
        {current && <EditorWorkspace key={current.id} appTabId={tab.id} profileId={profileId} tabId={current.id} engine={profile.engine} active={active} connected={connected} />}
        {editors.panel && (
          <aside className="sql-side" aria-label={editors.panel === 'history' ? 'History' : editors.panel === 'saved' ? 'Saved queries' : 'Processes'}>
            {editors.panel === 'history' && <HistoryPanel profileId={profileId} />}
            {editors.panel === 'saved' && <SavedQueriesPanel profileId={profileId} />}
            {editors.panel === 'processes' && <ProcessList profileId={profileId} engine={profile.engine} connected={connected} />}
          </aside>
        )}
      </div>
    </div>
  );
}

/** The DOM id of an editor tab's button. */
function editorTabDomId(tabId: string): string {
  return tabDomId(`editor-${tabId}`);
}

function EditorTabButton({ profileId, tabId, title, selected }: { profileId: string; tabId: string; title: string; selected: boolean }) {
  const session = useStore(sqlStore, (s) => s[profileId]?.runtime[tabId]?.session);
  const running = useStore(sqlStore, (s) => s[profileId]?.runtime[tabId]?.run?.status === 'running');
  const [renaming, setRenaming] = useState(false);
  return (
    <div className={`sql-tab${selected ? ' active' : ''}`}>
      {renaming ? (
        <input
          className="sql-tab-rename"
          aria-label="Tab name"
          defaultValue={title}
          autoFocus
          onBlur={(e) => {
            setRenaming(false);
            const v = e.target.value.trim();
            if (v && v !== title) updateTab(profileId, tabId, { title: v.slice(0, 200) });
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
            if (e.key === 'Escape') setRenaming(false);
          }}
        />
      ) : (
        <button
          role="tab"
          id={editorTabDomId(tabId)}
          data-editor-tab={tabId}
          aria-selected={selected}
          tabIndex={selected ? 0 : -1}
          className="sql-tab-button"
          onClick={() => activateEditorTab(profileId, tabId)}
          onDoubleClick={() => setRenaming(true)}
          onKeyDown={(e) => {
            if (e.key === 'F2') {
              e.preventDefault();
              setRenaming(true);
            }
          }}
          title="Double-click or F2 to rename; Delete closes"
        >
          {running && <span className="spinner" aria-label="running" />}
          {session?.transactionOpen && <span className="tx-dot" title="Transaction open" aria-label="transaction open" />}
          {title}
        </button>
      )}
      <button className="tab-close" tabIndex={-1} aria-label={`Close ${title}`} onClick={() => void closeEditorTab(profileId, tabId)}>
        ×
      </button>
    </div>
  );
}

function EditorWorkspace({ appTabId, profileId, tabId, engine, active, connected }: { appTabId: string; profileId: string; tabId: string; engine: EngineKind; active: boolean; connected: boolean }) {
  const tab = useStore(sqlStore, (s) => s[profileId]?.tabs.find((t) => t.id === tabId));
  const runtime = useStore(sqlStore, (s) => s[profileId]?.runtime[tabId]);
  const schema = useStore(completionStore, (s) => s[profileId]);
  const editor = useRef<SqlCodeEditorHandle>(null);
  const [saving, setSaving] = useState(false);
  const session = runtime?.session ?? null;
  const run = runtime?.run ?? null;
  const running = run?.status === 'running' || runtime?.plan?.status === 'running';

  useEffect(() => {
    if (connected && !runtimeOf(profileId, tabId).session) void ensureSession(profileId, tabId).catch(() => undefined);
  }, [profileId, tabId, connected]);

  const commands = {
    run: (mode: 'cursor' | 'all') => {
      const snap = editor.current!.snapshot();
      editor.current!.markError(null);
      void runFromEditor(profileId, tabId, snap.text, snap.selection, mode);
    },
    explain: (analyze: boolean) => {
      const snap = editor.current!.snapshot();
      void explain(profileId, tabId, snap.text, snap.selection, analyze);
    },
    format: () => {
      const view = editor.current!.view()!;
      const sel = view.state.selection.main;
      const from = sel.empty ? 0 : sel.from;
      const to = sel.empty ? view.state.doc.length : sel.to;
      try {
        const formatted = formatSql(view.state.sliceDoc(from, to), { language: formatterLanguage[engine], keywordCase: 'upper', tabWidth: 2 });
        editor.current!.replace(from, to, formatted);
      } catch (err) {
        toast({ level: 'error', title: 'Could not format this SQL', message: (err as Error).message.split('\n')[0] });
      }
    },
    cancel: () => void cancelRun(profileId, tabId),
    save: () => setSaving(true),
  };
  const commandsRef = useRef(commands);
  commandsRef.current = commands;

  useTabFocus(appTabId, active, () => editor.current?.focus());

  useEffect(() => {
    if (!active) return;
    return registerActiveEditor({ profileId, tabId, commands: commandsRef, focus: () => editor.current?.focus() });
  }, [active, profileId, tabId]);

  // A failed statement: underline where the server said, and put the cursor there.
  useEffect(() => {
    if (!run || run.status !== 'done' || !run.output) return;
    const failed = run.output.results.find((r) => r.status === 'error' && r.error?.offset !== null && r.error?.offset !== undefined);
    if (failed?.error?.offset != null) {
      const from = failed.error.offset;
      const rest = failed.sql.slice(from - failed.offset);
      const word = /^[\w$."`]+|^\S/.exec(rest)?.[0] ?? '';
      editor.current?.markError({ from, to: from + Math.max(1, word.length), message: failed.error.message });
    }
  }, [run, run?.status]);

  if (!tab) return null;
  const tx = session?.transactionOpen;
  return (
    <div className="sql-main">
      <div className="sql-toolbar" role="toolbar" aria-label="Editor actions">
        <button className="btn btn-primary btn-small" disabled={!connected || running} onClick={() => commands.run('cursor')} title="Run the statement at the cursor, or the selection (Ctrl/⌘+Enter)">
          ▶ Run
        </button>
        <button className="btn btn-small" disabled={!connected || running} onClick={() => commands.run('all')} title="Run every statement (Ctrl/⌘+Shift+Enter)">
          Run all
        </button>
        <button className="btn btn-small btn-danger-outline" disabled={!running} onClick={commands.cancel} title="Cancel the running statement (Ctrl/⌘+.)">
          ■ Cancel
        </button>
        <span className="toolbar-sep" />
        <button className="btn btn-small" disabled={!connected || running} onClick={() => commands.explain(false)} title="The plan of the statement at the cursor (F7)">
          Explain
        </button>
        <button className="btn btn-small" disabled={!connected || running} onClick={() => commands.explain(true)} title="Run it and show actual rows and times; its effects are rolled back (Ctrl/⌘+F7)">
          Explain analyze
        </button>
        <button className="btn btn-small" onClick={commands.format} title="Format the selection or everything (Shift+Alt+F)">
          Format
        </button>
        <button className="btn btn-small" onClick={commands.save} title="Save as a named query (Ctrl/⌘+S)">
          Save…
        </button>
        <span className="spacer" />
        {session?.production && <span className="badge badge-prod">PRODUCTION</span>}
        {session?.readOnly && <span className="badge">READ-ONLY</span>}
        <label className="autocommit" title="Auto-commit: each statement commits at once. Off: statements join a transaction until Commit or Rollback.">
          <input
            type="checkbox"
            checked={session?.autoCommit ?? true}
            disabled={!session || running}
            onChange={(e) => void setAutoCommit(profileId, tabId, e.target.checked)}
          />
          Auto-commit
        </label>
        <TransactionBadge session={session} />
        <button className="btn btn-small" disabled={!tx || running} onClick={() => void endTransaction(profileId, tabId, 'commit')}>
          Commit
        </button>
        <button className="btn btn-small" disabled={!tx || running} onClick={() => void endTransaction(profileId, tabId, 'rollback')}>
          Rollback
        </button>
      </div>
      <LongTransactionNotice session={session} />
      <div className="sql-split">
        <div className="sql-editor-pane">
          <SqlCodeEditor
            ref={editor}
            engine={engine}
            text={tab.text}
            anchor={tab.anchor}
            head={tab.head}
            schema={schema}
            label={`SQL of ${tab.title}`}
            commands={{
              run: (m) => commandsRef.current.run(m),
              explain: (a) => commandsRef.current.explain(a),
              format: () => commandsRef.current.format(),
              cancel: () => commandsRef.current.cancel(),
              save: () => commandsRef.current.save(),
            }}
            onChange={(text, anchor, head) => updateTab(profileId, tabId, { text, anchor, head })}
          />
        </div>
        <ResultsPane profileId={profileId} tabId={tabId} onShowError={(from, to, message) => editor.current?.markError({ from, to, message })} />
      </div>
      {runtime?.confirm && (
        <ConfirmWrites
          statements={runtime.confirm.statements.map((s) => s.sql)}
          writes={runtime.confirm.writes}
          onCancel={() => patchRuntime(profileId, tabId, (r) => ({ ...r, confirm: null }))}
          onConfirm={() => void runStatements(profileId, tabId, runtime.confirm!.statements, true)}
        />
      )}
      {saving && <SaveQueryDialog profileId={profileId} sql={editor.current?.snapshot().text ?? tab.text} defaultName={tab.title} onClose={() => setSaving(false)} />}
    </div>
  );
}

function ConfirmWrites(props: { statements: string[]; writes: number[]; onCancel(): void; onConfirm(): void }) {
  return (
    <Dialog
      title="Run on a production connection?"
      onClose={props.onCancel}
      footer={
        <>
          <button className="btn" onClick={props.onCancel} data-autofocus>
            Cancel
          </button>
          <button className="btn btn-danger" onClick={props.onConfirm}>
            Run {props.writes.length === 1 ? 'it' : `all ${props.statements.length}`}
          </button>
        </>
      }
    >
      <p>
        {props.writes.length === 1 ? 'This statement' : `${props.writes.length} of these statements`} may change data or schema. The session is in manual mode: nothing is committed until you press Commit.
      </p>
      <ol className="confirm-statements">
        {props.writes.map((i) => (
          <li key={i} value={i + 1}>
            <pre>{props.statements[i]!.length > 400 ? `${props.statements[i]!.slice(0, 400)}…` : props.statements[i]}</pre>
          </li>
        ))}
      </ol>
    </Dialog>
  );
}

function SaveQueryDialog({ profileId, sql, defaultName, onClose }: { profileId: string; sql: string; defaultName: string; onClose(): void }) {
  const [name, setName] = useState(defaultName);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    if (!name.trim()) return setError('Give the query a name.');
    if (!sql.trim()) return setError('The editor is empty: there is nothing to save.');
    try {
      await client.call('savedQueries.save', { profileId, name: name.trim(), sql });
      toast({ level: 'success', title: `Saved “${name.trim()}”` });
      onClose();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Dialog
      title="Save query"
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn btn-primary" onClick={() => void save()}>
            Save
          </button>
        </>
      }
    >
      <label className="field">
        <span>Name</span>
        <input value={name} data-autofocus onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void save()} aria-invalid={error ? true : undefined} />
      </label>
      {error && <p className="error-text">{error}</p>}
    </Dialog>
  );
}
