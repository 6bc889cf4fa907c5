import { registerAppAction } from '../../../renderer/src/app/app-actions';
import { appStore } from '../../../renderer/src/app/app-state';
import { registerConnectionTool } from '../../../renderer/src/app/connection-tools';
import { registerShortcut } from '../../../renderer/src/app/shortcuts';
import { registerTabKind } from '../../../renderer/src/app/tab-registry';
import { openTab } from '../../../renderer/src/app/tabs';
import { CompareTab } from './CompareTab';
import './schema-compare.css';

/**
 * Opens the Compare view with a connection as its source (the target is chosen there: the one the
 * migration would change), or with nothing chosen. Opening it again for the same source shows it.
 */
export function openCompare(profileId: string | null): void {
  const profile = profileId ? appStore.get().profiles.find((p) => p.id === profileId) : undefined;
  openTab({
    id: `schema-compare:${profile?.id ?? 'new'}`,
    kind: 'schema-compare',
    title: profile ? `Compare — ${profile.name}` : 'Compare schemas',
    params: { source: { profileId: profile?.id ?? null, schema: '' } },
  });
}

registerTabKind('schema-compare', { component: CompareTab, icon: '⇆' });
registerConnectionTool({
  id: 'schema-compare',
  label: 'Compare schemas',
  hint: 'Compare this connection’s schema with another one and write the migration between them (Alt+Shift+C)',
  needsOpenConnection: false,
  order: 35,
  shortcutId: 'open-compare',
  run: openCompare,
});
registerAppAction({ id: 'schema-compare', label: 'Schema compare', hint: 'Compare two schemas of one engine family (Alt+Shift+C)', order: 20, shortcutId: 'open-compare', run: () => openCompare(appStore.get().selectedProfileId) });
registerShortcut({
  id: 'open-compare',
  keys: 'Alt+Shift+C',
  group: 'Connections',
  description: 'Compare schemas (the selected connection as the source)',
  run: () => openCompare(appStore.get().selectedProfileId),
});
