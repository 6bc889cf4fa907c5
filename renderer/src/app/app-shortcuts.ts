import { appStore } from './app-state';
import { registerShortcut } from './shortcuts';
import { closeTab, cycleTab } from './tabs';
import { applyTheme, currentTheme } from './theme';
import { client } from '../ipc/client';
import { openConnection } from '../../../features/connections/renderer/connection-actions';
import { loadSchemas } from '../../../features/connections/renderer/schema-cache';

/** The shortcuts of the app shell; features register their own next to their code. */
export function registerAppShortcuts(): void {
  registerShortcut({ id: 'help', keys: 'F1', group: 'General', description: 'Show keyboard shortcuts', run: () => appStore.set({ helpOpen: true }) });
  registerShortcut({ id: 'help-slash', keys: 'Mod+/', group: 'General', description: 'Show keyboard shortcuts', run: () => appStore.set({ helpOpen: true }) });
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
    run: () => {
      const id = appStore.get().activeTabId;
      if (id) closeTab(id);
    },
  });
  registerShortcut({ id: 'next-tab', keys: 'Mod+Alt+ArrowRight', group: 'Tabs', description: 'Next tab', run: () => cycleTab(1) });
  registerShortcut({ id: 'prev-tab', keys: 'Mod+Alt+ArrowLeft', group: 'Tabs', description: 'Previous tab', run: () => cycleTab(-1) });
}
