import { Suspense, useEffect } from 'react';
import type { ThemePreference } from '../../../shared/ipc/commands/app';
import { ConnectionEditor } from '../../../features/connections/renderer/ConnectionEditor';
import { ConnectionList } from '../../../features/connections/renderer/ConnectionList';
import { ConnectionPanel } from '../../../features/connections/renderer/ConnectionPanel';
import { ConnectionToolbar } from '../../../features/connections/renderer/ConnectionToolbar';
import { SchemaTree } from '../../../features/connections/renderer/SchemaTree';
import { loadStartup, subscribeConnectionEvents } from '../../../features/connections/renderer/connection-actions';
import { client } from '../ipc/client';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { Toasts } from '../ui/Toasts';
import { appActions } from './app-actions';
import { appStore, connectionState } from './app-state';
import { HelpDialog } from './HelpDialog';
import { registerAppShortcuts } from './app-shortcuts';
import { installShortcutListener } from './shortcuts';
import { useStore } from './store';
import { tabKind } from './tab-registry';
import { activateTab, closeTab } from './tabs';
import { applyTheme } from './theme';

registerAppShortcuts();

export function App() {
  const ready = useStore(appStore, (s) => s.ready);
  const startupError = useStore(appStore, (s) => s.startupError);
  const editor = useStore(appStore, (s) => s.editor);
  const helpOpen = useStore(appStore, (s) => s.helpOpen);

  useEffect(() => {
    const off = subscribeConnectionEvents();
    const offKeys = installShortcutListener();
    void loadStartup();
    return () => {
      off();
      offKeys();
    };
  }, []);

  if (!ready) return <div className="splash" aria-busy="true">DB Desk</div>;
  if (startupError)
    return (
      <div className="empty-state" role="alert">
        <h2>DB Desk could not start</h2>
        <p>{startupError}</p>
      </div>
    );

  return (
    <div className="app">
      <TopBar />
      <aside className="sidebar" aria-label="Connections and schema">
        <ConnectionList />
        <SelectedSchema />
      </aside>
      <main className="main">
        <TabBar />
        <TabContent />
      </main>
      {editor && <ConnectionEditor profileId={editor.profileId} initial={editor.initial} onClose={() => appStore.set({ editor: null })} />}
      {helpOpen && <HelpDialog />}
      <Toasts />
    </div>
  );
}

function TopBar() {
  const theme = useStore(appStore, (s) => s.settings.theme);
  const shell = useStore(appStore, (s) => s.info?.shell);
  const setTheme = (t: ThemePreference) => {
    applyTheme(t);
    appStore.set((s) => ({ ...s, settings: { ...s.settings, theme: t } }));
    void client.call('settings.update', { theme: t });
  };
  return (
    <header className="topbar">
      <span className="logo" aria-hidden>
        ◉
      </span>
      <h1>DB Desk</h1>
      {shell === 'browser' && <span className="badge" title="Served by `dbdesk serve` on 127.0.0.1">browser shell</span>}
      <span className="spacer" />
      {appActions().map((a) => (
        <button key={a.id} className="btn btn-small" title={a.hint} onClick={() => a.run()}>
          {a.label}
        </button>
      ))}
      <label className="theme-switch">
        <span className="visually-hidden">Theme</span>
        <select aria-label="Theme" value={theme} onChange={(e) => setTheme(e.target.value as ThemePreference)}>
          <option value="system">System theme</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <button className="icon-btn" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (F1)" onClick={() => appStore.set({ helpOpen: true })}>
        ?
      </button>
    </header>
  );
}

function SelectedSchema() {
  const profile = useStore(appStore, (s) => s.profiles.find((p) => p.id === s.selectedProfileId));
  const status = useStore(appStore, (s) => connectionState(s, s.selectedProfileId).status);
  if (!profile || status !== 'open') return null;
  return (
    <>
      <ConnectionToolbar profileId={profile.id} />
      <SchemaTree key={profile.id} profileId={profile.id} connectionName={profile.name} />
    </>
  );
}

function TabBar() {
  const tabs = useStore(appStore, (s) => s.tabs);
  const active = useStore(appStore, (s) => s.activeTabId);
  const profiles = useStore(appStore, (s) => s.profiles);
  if (tabs.length === 0) return null;
  return (
    <div className="tabbar" role="tablist" aria-label="Open tabs">
      {tabs.map((t) => {
        const p = profiles.find((x) => x.id === t.profileId);
        return (
          <div key={t.id} className={`tab color-${p?.color ?? 'none'}${t.id === active ? ' active' : ''}`}>
            <button
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={t.id === active}
              aria-controls={`panel-${t.id}`}
              className="tab-button"
              title={p ? `${t.title} — ${p.name}` : t.title}
              onClick={() => activateTab(t.id)}
              onAuxClick={(e) => {
                if (e.button === 1) closeTab(t.id);
              }}
            >
              <span className="tab-icon">{tabKind(t.kind)?.icon ?? '•'}</span>
              {t.title}
            </button>
            <button className="tab-close" aria-label={`Close ${t.title}`} onClick={() => closeTab(t.id)}>
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}

function TabContent() {
  const tabs = useStore(appStore, (s) => s.tabs);
  const active = useStore(appStore, (s) => s.activeTabId);
  if (tabs.length === 0) return <ConnectionPanel />;
  return (
    <>
      {tabs.map((t) => {
        const kind = tabKind(t.kind);
        const Component = kind?.component;
        return (
          <section key={t.id} id={`panel-${t.id}`} role="tabpanel" aria-labelledby={`tab-${t.id}`} className="tab-panel" hidden={t.id !== active}>
            {Component ? (
              <ErrorBoundary what="This tab" recover="retry">
                {/* Heavy tabs (the SQL editor, the schema designer) load their code the first time one opens. */}
                <Suspense fallback={<p className="page-note muted" role="status">Loading…</p>}>
                  <Component tab={t} active={t.id === active} />
                </Suspense>
              </ErrorBoundary>
            ) : (
              <p className="page-note muted">This kind of tab is not available in this build.</p>
            )}
          </section>
        );
      })}
    </>
  );
}
