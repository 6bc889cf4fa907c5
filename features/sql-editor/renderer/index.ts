import { lazy } from 'react';
import { appStore, connectionState } from '../../../renderer/src/app/app-state';
import { registerConnectionTool } from '../../../renderer/src/app/connection-tools';
import { registerShortcut } from '../../../renderer/src/app/shortcuts';
import { registerTabKind } from '../../../renderer/src/app/tab-registry';
import { openTab } from '../../../renderer/src/app/tabs';
import { toast } from '../../../renderer/src/ui/toasts';
import { activeEditor } from './active-editor';
import type { EditorCommands } from './SqlCodeEditor';
import { newTab, sqlTabId } from './editor-store';
import './sql-editor.css';

/** Opens (or shows) the SQL editor of a connection: one app tab holding its editor tabs. */
export function openSqlEditor(profileId: string): void {
  const profile = appStore.get().profiles.find((p) => p.id === profileId);
  if (!profile) return;
  openTab({ id: sqlTabId(profileId), kind: 'sql', title: `SQL · ${profile.name}`, profileId, params: {} });
}

// CodeMirror and the editor's panels load when the first SQL tab opens, not at start-up.
const SqlEditorTab = lazy(() => import('./SqlEditorTab').then((m) => ({ default: m.SqlEditorTab })));

registerTabKind('sql', { component: SqlEditorTab, icon: '⌨', focusesItself: true });

registerConnectionTool({ id: 'sql-editor', label: 'SQL editor', hint: 'Write and run SQL (Alt+Q)', needsOpenConnection: true, order: 10, shortcutId: 'sql-open', run: openSqlEditor });

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
  available: () => activeEditor() !== null,
  description: 'New editor tab',
  run: () => {
    const e = activeEditor();
    if (e) void newTab(e.profileId);
  },
});
// Keys CodeMirror handles where it has focus; the palette runs them on the editor in front.
const inEditor = (id: string, keys: string, description: string, action: ((c: EditorCommands) => void) | null) =>
  registerShortcut({
    id,
    keys,
    group,
    description,
    helpOnly: true,
    inPalette: action !== null,
    available: () => activeEditor() !== null,
    run: () => {
      const e = activeEditor();
      if (e && action) action(e.commands.current);
    },
  });
inEditor('sql-run', 'Mod+Enter', 'Run the statement at the cursor, or the selection', (c) => c.run('cursor'));
inEditor('sql-run-all', 'Mod+Shift+Enter', 'Run every statement', (c) => c.run('all'));
inEditor('sql-cancel', 'Mod+.', 'Cancel the running statement', (c) => c.cancel());
inEditor('sql-explain', 'F7', 'Explain the statement at the cursor', (c) => c.explain(false));
inEditor('sql-explain-analyze', 'Mod+F7', 'Explain analyze (runs it, then rolls back)', (c) => c.explain(true));
inEditor('sql-format', 'Alt+Shift+F', 'Format the selection or everything', (c) => c.format());
inEditor('sql-save', 'Mod+S', 'Save the query under a name', (c) => c.save());
inEditor('sql-complete', 'Ctrl+Space', 'Complete keywords, schemas, tables and columns', null);
