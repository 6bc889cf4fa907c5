import { appStore } from '../../../renderer/src/app/app-state';
import { registerConnectionTool } from '../../../renderer/src/app/connection-tools';
import { registerShortcut } from '../../../renderer/src/app/shortcuts';
import { registerTabKind } from '../../../renderer/src/app/tab-registry';
import { openTab } from '../../../renderer/src/app/tabs';
import { MigrationsTab } from './MigrationsTab';
import './migrations.css';

export function openMigrations(profileId: string): void {
  const profile = appStore.get().profiles.find((p) => p.id === profileId);
  openTab({ id: `migrations:${profileId}`, kind: 'migrations', title: `Migrations — ${profile?.name ?? ''}`, profileId, params: {} });
}

registerTabKind('migrations', { component: MigrationsTab, icon: '⇅' });
registerConnectionTool({ id: 'migrations', label: 'Migrations', hint: 'Plan and apply this database’s migrations (Alt+M)', needsOpenConnection: true, order: 30, shortcutId: 'open-migrations', run: openMigrations });
registerShortcut({
  id: 'open-migrations',
  keys: 'Alt+M',
  group: 'Connections',
  description: 'Open the Migrations view of the selected connection',
  run: () => {
    const { selectedProfileId, connections } = appStore.get();
    if (selectedProfileId && connections[selectedProfileId]?.status === 'open') openMigrations(selectedProfileId);
  },
});
