import { registerConnectionTool } from '../../../renderer/src/app/connection-tools';
import { registerShortcut } from '../../../renderer/src/app/shortcuts';
import { registerTabKind } from '../../../renderer/src/app/tab-registry';
import { appStore } from '../../../renderer/src/app/app-state';
import { openDiagnostics } from '../../connections/renderer/connection-actions';
import { DiagnosticsTab } from './DiagnosticsTab';
import './diagnostics.css';

registerTabKind('diagnostics', { component: DiagnosticsTab, icon: '✚' });

registerConnectionTool({
  id: 'diagnose',
  label: 'Diagnose',
  hint: 'Check DNS, TCP, protocol, TLS, login, database, privileges and server health step by step (Ctrl+Shift+D)',
  needsOpenConnection: false,
  order: 90,
  shortcutId: 'diagnose',
  run: openDiagnostics,
});

registerShortcut({
  id: 'diagnose',
  keys: 'Mod+Shift+D',
  group: 'Connections',
  description: 'Diagnose the selected connection',
  run: () => {
    const id = appStore.get().selectedProfileId;
    if (id) openDiagnostics(id);
  },
});
