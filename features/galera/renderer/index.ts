import { appStore, connectionState } from '../../../renderer/src/app/app-state';
import { registerConnectionTool } from '../../../renderer/src/app/connection-tools';
import { registerShortcut } from '../../../renderer/src/app/shortcuts';
import { registerTabKind } from '../../../renderer/src/app/tab-registry';
import { openTab } from '../../../renderer/src/app/tabs';
import { ClusterView } from './ClusterView';
import './galera.css';

/** Opens (or focuses) the cluster view of a connection. */
export function openClusterView(profileId: string): void {
  const profile = appStore.get().profiles.find((p) => p.id === profileId);
  openTab({ id: `galera:${profileId}`, kind: 'galera-cluster', title: `Cluster · ${profile?.name ?? ''}`.trim(), profileId, params: {} });
}

registerTabKind('galera-cluster', { component: ClusterView, icon: '⬢' });

registerConnectionTool({
  id: 'galera-cluster',
  label: 'Cluster view',
  hint: 'Every node of the Galera cluster, live (Alt+G)',
  needsOpenConnection: true,
  order: 40,
  appliesTo: (open) => open.serverInfo.galera,
  shortcutId: 'galera-cluster',
  run: openClusterView,
});

registerShortcut({
  id: 'galera-cluster',
  keys: 'Alt+G',
  group: 'Connections',
  description: 'Open the Galera cluster view of the selected connection',
  run: () => {
    const { selectedProfileId } = appStore.get();
    if (selectedProfileId && connectionState(appStore.get(), selectedProfileId).open?.serverInfo.galera) openClusterView(selectedProfileId);
  },
});
