import '@xyflow/react/dist/style.css';
import './schema-designer.css';
import { createElement, lazy, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { registerAppAction } from '../../../renderer/src/app/app-actions';
import { appStore } from '../../../renderer/src/app/app-state';
import { registerConnectionTool } from '../../../renderer/src/app/connection-tools';
import { registerShortcut } from '../../../renderer/src/app/shortcuts';
import { registerTabKind } from '../../../renderer/src/app/tab-registry';
import { existingSession, forgetSession, sessionIds } from './designer-session';
import { openDesigner, selectedOpenConnection } from './open-designer';

// The diagram (React Flow) and the editing panels load when the first designer opens, not at start-up.
const DesignerTab = lazy(() => import('./DesignerTab').then((m) => ({ default: m.DesignerTab })));
const NewDesignDialog = lazy(() => import('./NewDesignDialog').then((m) => ({ default: m.NewDesignDialog })));

registerTabKind('schema-designer', { component: DesignerTab, icon: '⬡' });

registerConnectionTool({
  id: 'schema-designer',
  label: 'Schema designer',
  hint: 'The ER diagram of this connection: edit it and turn the edits into a migration (Alt+R)',
  needsOpenConnection: true,
  order: 30,
  shortcutId: 'schema-designer',
  run: (profileId) => void openDesigner(profileId),
});

/** The "new design" dialog lives outside any tab: mounted on demand into its own root. */
function showNewDesignDialog(): void {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  const close = () => {
    root.unmount();
    host.remove();
  };
  root.render(createElement(Suspense, { fallback: null }, createElement(NewDesignDialog, { onClose: close })));
}

registerAppAction({ id: 'new-schema-design', label: 'New design', hint: 'Design a schema before any database exists (Alt+Shift+N)', order: 10, shortcutId: 'new-schema-design', run: showNewDesignDialog });

registerShortcut({
  id: 'schema-designer',
  keys: 'Alt+R',
  group: 'Schema designer',
  description: 'Open the diagram of the selected connection',
  run: () => {
    const id = selectedOpenConnection();
    if (id) void openDesigner(id);
  },
});
registerShortcut({ id: 'new-schema-design', keys: 'Alt+Shift+N', group: 'Schema designer', description: 'New schema design (no database needed)', run: showNewDesignDialog });
registerShortcut({
  id: 'designer-review',
  keys: 'Alt+Shift+R',
  group: 'Schema designer',
  description: 'Review the migration of the current design',
  run: () => {
    const tab = appStore.get().tabs.find((t) => t.id === appStore.get().activeTabId);
    if (tab?.kind === 'schema-designer') existingSession(tab.id)?.store.set({ reviewOpen: true });
  },
});

// A closed designer tab keeps its draft in the store and frees its session.
appStore.subscribe(() => {
  const open = new Set(appStore.get().tabs.map((t) => t.id));
  for (const id of sessionIds()) if (!open.has(id)) forgetSession(id);
});
