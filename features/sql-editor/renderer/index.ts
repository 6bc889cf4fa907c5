import { lazy } from 'react';
import { appStore, connectionState } from '../../../renderer/src/app/app-state';
import { registerConnectionTool } from '../../../renderer/src/app/connection-tools';
import { registerShortcut } from '../../../renderer/src/app/shortcuts';
import { registerTabKind } from '../../../renderer/src/app/tab-registry';
import { openTab } from '../../../renderer/src/app/tabs';
import { toast } from '../../../renderer/src/ui/toasts';
import { activeEditor } from './active-editor';
import { newTab } from './editor-store';
import './sql-editor.css';

/** Opens (or shows) the SQL editor of a connection: one app tab holding its editor tabs. */
export function openSqlEditor(profileId: string): void {
  const profile = appStore.get().profiles.find((p) => p.id === profileId);
  if (!profile) return;
  openTab({ id: `sql:${profileId}`, kind: 'sql', title: `SQL · ${profile.name}`, profileId, params: {} });
}

// CodeMirror and the editor's panels load when the first SQL tab opens, not at start-up.
const SqlEditorTab = lazy(() => import('./SqlEditorTab').then((m) => ({ default: m.SqlEditorTab })));

registerTabKind('sql', { component: SqlEditorTab, icon: '⌨' });

registerConnectionTool({ id: 'sql-editor', label: 'SQL editor', hint: 'Write and run SQL (Alt+Q)', needsOpenConnection: true, order: 10, run: openSqlEditor });

const group = 'SQL editor';
registerShortcut({
  id: 'sql-open',
  keys: 'Alt+Q',
  group,
  description: 'Open the SQL editor of the selected connection',
  run: () => {
    const s = appStore.get();
    const id = s.selectedProfileId;
    if (!id) return;
    if (connectionState(s, id).status !== 'open') {
      toast({ level: 'info', title: 'Connect first', message: 'The SQL editor runs statements on an open connection.' });
      return;
    }
    openSqlEditor(id);
  },
});
registerShortcut({
  id: 'sql-new-tab',
  keys: 'Alt+T',
  group,
  description: 'New editor tab',
  run: () => {
    const e = activeEditor();
    if (e) void newTab(e.profileId);
  },
});
const helpOnly = (id: string, keys: string, description: string) => registerShortcut({ id, keys, group, description, helpOnly: true, run: () => undefined });
helpOnly('sql-run', 'Mod+Enter', 'Run the statement at the cursor, or the selection');
helpOnly('sql-run-all', 'Mod+Shift+Enter', 'Run every statement');
helpOnly('sql-cancel', 'Mod+.', 'Cancel the running statement');
helpOnly('sql-explain', 'F7', 'Explain the statement at the cursor');
helpOnly('sql-explain-analyze', 'Mod+F7', 'Explain analyze (runs it, then rolls back)');
helpOnly('sql-format', 'Alt+Shift+F', 'Format the selection or everything');
helpOnly('sql-save', 'Mod+S', 'Save the query under a name');
helpOnly('sql-complete', 'Ctrl+Space', 'Complete keywords, schemas, tables and columns');
