import { appStore } from './app-state';
import { registerShortcut } from './shortcuts';
import { closeTab, cycleTab } from './tabs';
import { applyTheme, currentTheme } from './theme';
import { client } from '../ipc/client';
import { closeConnection, duplicateProfile, openConnection } from '../../../features/connections/renderer/connection-actions';
import { loadSchemas } from '../../../features/connections/renderer/schema-cache';

/** The shortcuts of the app shell; features register their own next to their code. */
export function registerAppShortcuts(): void {
  const palette = (mode: 'all' | 'tabs') => () => appStore.set({ palette: mode, helpOpen: false });
  registerShortcut({ id: 'palette', keys: 'Mod+K', group: 'General', description: 'Find any command or open tab', inPalette: false, inInputs: true, run: palette('all') });
  registerShortcut({ id: 'palette-p', keys: 'Mod+Shift+P', group: 'General', description: 'Find any command or open tab', inPalette: false, inInputs: true, run: palette('all') });
  registerShortcut({ id: 'open-tabs', keys: 'Alt+Shift+T', group: 'Tabs', description: 'List the open tabs', available: () => appStore.get().tabs.length > 0, run: palette('tabs') });
  registerShortcut({ id: 'help', keys: 'F1', group: 'General', description: 'Show keyboard shortcuts', run: () => appStore.set({ helpOpen: true }) });
  registerShortcut({ id: 'help-slash', keys: 'Mod+/', group: 'General', description: 'Show keyboard shortcuts', inPalette: false, run: () => appStore.set({ helpOpen: true }) });
  registerShortcut({
    id: 'theme',
    keys: 'Mod+Shift+L',
    group: 'General',
    description: 'Switch between light and dark theme',
    run: () => {
      const next = currentTheme() === 'dark' ? 'light' : 'dark';
      applyTheme(next);
      appStore.set((s) => ({ ...s, settings: { ...s.settings, theme: next } }));
      void client.call('settings.update', { theme: next });
    },
  });
  registerShortcut({ id: 'new-connection', keys: 'Alt+N', group: 'Connections', description: 'New connection', run: () => appStore.set({ editor: { profileId: null } }) });
  registerShortcut({
    id: 'connect',
    keys: 'Alt+C',
    group: 'Connections',
    description: 'Connect to the selected connection',
    available: () => {
      const s = appStore.get();
      return !!s.selectedProfileId && s.connections[s.selectedProfileId]?.status !== 'open';
    },
    run: () => {
      const id = appStore.get().selectedProfileId;
      if (id) void openConnection(id);
    },
  });
  registerShortcut({
    id: 'filter-connections',
    keys: 'Mod+Shift+F',
    group: 'Connections',
    description: 'Filter connections',
    run: () => document.getElementById('connection-filter')?.focus(),
  });
  registerShortcut({
    id: 'refresh-schema',
    keys: 'F5',
    group: 'Connections',
    description: 'Reload the schema tree',
    available: () => {
      const s = appStore.get();
      return !!s.selectedProfileId && s.connections[s.selectedProfileId]?.status === 'open';
    },
    run: () => {
      const id = appStore.get().selectedProfileId;
      if (id && appStore.get().connections[id]?.status === 'open') void loadSchemas(id);
    },
  });
  registerShortcut({
    id: 'close-tab',
    keys: 'Alt+W',
    group: 'Tabs',
    description: 'Close the current tab',
    available: () => appStore.get().activeTabId !== null,
    run: () => {
      const id = appStore.get().activeTabId;
      if (id) closeTab(id);
    },
  });
  const severalTabs = () => appStore.get().tabs.length > 1;
  registerShortcut({ id: 'next-tab', keys: 'Mod+Alt+ArrowRight', group: 'Tabs', description: 'Next tab', available: severalTabs, run: () => cycleTab(1) });
  registerShortcut({ id: 'prev-tab', keys: 'Mod+Alt+ArrowLeft', group: 'Tabs', description: 'Previous tab', available: severalTabs, run: () => cycleTab(-1) });
  registerShortcut({
    id: 'disconnect',
    group: 'Connections',
    description: 'Disconnect the selected connection',
    available: () => {
      const s = appStore.get();
      return !!s.selectedProfileId && s.connections[s.selectedProfileId]?.status === 'open';
    },
    run: () => {
      const id = appStore.get().selectedProfileId;
      if (id) void closeConnection(id);
    },
  });
  registerShortcut({
    id: 'edit-connection',
    group: 'Connections',
    description: 'Edit the selected connection',
    available: () => appStore.get().selectedProfileId !== null,
    run: () => appStore.set({ editor: { profileId: appStore.get().selectedProfileId } }),
  });
  registerShortcut({
    id: 'duplicate-connection',
    group: 'Connections',
    description: 'Duplicate the selected connection',
    available: () => appStore.get().selectedProfileId !== null,
    run: () => {
      const id = appStore.get().selectedProfileId;
      if (id) void duplicateProfile(id);
    },
  });
  registerShortcut({ id: 'go-connections', group: 'Connections', description: 'Go to the saved connections', run: () => document.querySelector<HTMLElement>('[role=listbox][aria-label="Saved connections"] [tabindex="0"]')?.focus() });
  registerShortcut({
    id: 'go-schema-tree',
    group: 'Connections',
    description: 'Go to the schema tree',
    available: () => document.querySelector('[role=tree]') !== null,
    run: () => document.querySelector<HTMLElement>('[role=tree] [tabindex="0"]')?.focus(),
  });
}
