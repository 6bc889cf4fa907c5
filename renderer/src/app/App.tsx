import { Suspense, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ThemePreference } from '../../../shared/ipc/commands/app';
import { HostKeyDialog } from '../../../features/connections/renderer/HostKeyDialog';
import { SshQuestionDialog } from '../../../features/connections/renderer/SshQuestionDialog';
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
import { StatusBar } from './StatusBar';
import { registerAppShortcuts } from './app-shortcuts';
import { installShortcutListener } from './shortcuts';
import { useStore } from './store';
import { tabKind } from './tab-registry';
import { activateTab, closeTab, firstFocusable, tabDomId } from './tabs';
import { CommandPalette } from './CommandPalette';
import { OwnedTablist, tabStripKey } from '../ui/tab-strip';
import { applyTheme } from './theme';

registerAppShortcuts();

export function App() {
  const ready = useStore(appStore, (s) => s.ready);
  const startupError = useStore(appStore, (s) => s.startupError);
  const editor = useStore(appStore, (s) => s.editor);
  const helpOpen = useStore(appStore, (s) => s.helpOpen);
  const palette = useStore(appStore, (s) => s.palette);

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
      <StatusBar />
      {editor && <ConnectionEditor profileId={editor.profileId} initial={editor.initial} onClose={() => appStore.set({ editor: null })} />}
      {helpOpen && <HelpDialog />}
      {palette && <CommandPalette mode={palette} />}
      <Toasts />
      <HostKeyDialog />
      <SshQuestionDialog />
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
  const stripRef = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);

  // The active tab is always in view: a tab opened at the end of a full strip is scrolled to.
  useLayoutEffect(() => {
    if (active) document.getElementById(tabDomId(active))?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [active, tabs.length]);
  useLayoutEffect(() => {
    const strip = stripRef.current;
    if (!strip) return;
    const check = () => setOverflows(strip.scrollWidth > strip.clientWidth + 1);
    const ro = new ResizeObserver(check);
    ro.observe(strip);
    check();
    return () => ro.disconnect();
  }, [tabs.length]);

  if (tabs.length === 0) return null;
  const ids = tabs.map((t) => t.id);
  return (
    <div className="tabbar">
      <OwnedTablist label="Open tabs" ids={ids.map(tabDomId)} />
      <div
        ref={stripRef}
        className="tab-strip"
        onWheel={(e) => {
          // A mouse wheel scrolls the strip sideways.
          if (Math.abs(e.deltaY) > Math.abs(e.deltaX)) stripRef.current!.scrollLeft += e.deltaY;
        }}
        onKeyDown={(e) => {
          const id = (e.target as HTMLElement).dataset.tabId;
          if (!id) return;
          const handled = tabStripKey(e, ids, id, (next) => {
            activateTab(next);
            document.getElementById(tabDomId(next))?.focus();
          }, (gone) => {
            const i = ids.indexOf(gone);
            closeTab(gone);
            const next = ids[i + 1] ?? ids[i - 1];
            if (next) requestAnimationFrame(() => document.getElementById(tabDomId(next))?.focus());
          });
          if (handled) e.preventDefault();
        }}
      >
        {tabs.map((t) => {
          const p = profiles.find((x) => x.id === t.profileId);
          return (
            <div key={t.id} className={`tab color-${p?.color ?? 'none'}${t.id === active ? ' active' : ''}`}>
              <button
                role="tab"
                id={tabDomId(t.id)}
                data-tab-id={t.id}
                aria-selected={t.id === active}
                aria-controls={`${tabDomId(t.id)}-panel`}
                tabIndex={t.id === active ? 0 : -1}
                className="tab-button"
                title={`${p ? `${t.title} — ${p.name}` : t.title} (Delete or Alt+W closes it)`}
                onClick={() => activateTab(t.id)}
                onAuxClick={(e) => {
                  if (e.button === 1) closeTab(t.id);
                }}
              >
                <span className="tab-icon" aria-hidden>
                  {tabKind(t.kind)?.icon ?? '•'}
                </span>
                {t.title}
              </button>
              <button className="tab-close" tabIndex={-1} aria-label={`Close ${t.title}`} title="Close (Alt+W)" onClick={() => closeTab(t.id)}>
                ×
              </button>
            </div>
          );
        })}
      </div>
      {(overflows || tabs.length > 1) && (
        <button className={`tab-list-button${overflows ? ' overflowing' : ''}`} aria-label={`List the ${tabs.length} open tabs`} title="All open tabs (Alt+Shift+T)" onClick={() => appStore.set({ palette: 'tabs' })}>
          {tabs.length} ▾
        </button>
      )}
    </div>
  );
}

function TabContent() {
  const tabs = useStore(appStore, (s) => s.tabs);
  const active = useStore(appStore, (s) => s.activeTabId);
  const focusRequest = useStore(appStore, (s) => s.tabFocus);
  // Tabs that do not place the focus themselves get it on their first control once drawn.
  useEffect(() => {
    if (!focusRequest || focusRequest.tabId !== active) return;
    const tab = appStore.get().tabs.find((t) => t.id === active);
    if (!tab || tabKind(tab.kind)?.focusesItself) return;
    let frames = 0;
    const tryFocus = () => {
      if (appStore.get().tabFocus?.seq !== focusRequest.seq) return;
      const target = firstFocusable(document.getElementById(`${tabDomId(tab.id)}-panel`));
      if (target) {
        target.focus();
        appStore.set({ tabFocus: null });
      } else if (frames++ < 120) requestAnimationFrame(tryFocus);
    };
    requestAnimationFrame(tryFocus);
  }, [focusRequest, active]);
  if (tabs.length === 0) return <ConnectionPanel />;
  return (
    <>
      {tabs.map((t) => {
        const kind = tabKind(t.kind);
        const Component = kind?.component;
        return (
          <section key={t.id} id={`${tabDomId(t.id)}-panel`} data-tab-id={t.id} role="tabpanel" aria-labelledby={tabDomId(t.id)} className="tab-panel" hidden={t.id !== active}>
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
