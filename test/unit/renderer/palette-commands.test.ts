import { beforeAll, describe, expect, it } from 'vitest';
import type { AppState } from '../../../renderer/src/app/app-state';

// shortcuts.ts reads navigator.platform when it loads; Node 20 has no navigator.
let palette: typeof import('../../../renderer/src/app/palette-commands');
let shortcuts: typeof import('../../../renderer/src/app/shortcuts');
let tools: typeof import('../../../renderer/src/app/connection-tools');
let actions: typeof import('../../../renderer/src/app/app-actions');
beforeAll(async () => {
  if (!('navigator' in globalThis)) Object.defineProperty(globalThis, 'navigator', { value: { platform: 'Linux x86_64' }, configurable: true });
  shortcuts = await import('../../../renderer/src/app/shortcuts');
  tools = await import('../../../renderer/src/app/connection-tools');
  actions = await import('../../../renderer/src/app/app-actions');
  palette = await import('../../../renderer/src/app/palette-commands');
});

const ran: string[] = [];
const profile = (id: string, name: string) => ({ id, name }) as AppState['profiles'][number];

function state(patch: Partial<AppState>): AppState {
  return {
    ready: true,
    startupError: null,
    info: null,
    settings: { theme: 'system', lastConnectionId: null },
    profiles: [profile('a', 'Shop'), profile('b', 'Demo')],
    selectedProfileId: 'a',
    connections: { a: { status: 'open', attempts: [], open: { serverInfo: { galera: false } } as never } },
    tabs: [
      { id: 't1', kind: 'table', title: 'orders', profileId: 'a', params: {} },
      { id: 't2', kind: 'sql', title: 'SQL · Shop', profileId: 'a', params: {} },
    ],
    activeTabId: 't1',
    editor: null,
    helpOpen: false,
    palette: null,
    tabFocus: null,
    ...patch,
  };
}

const targets = {
  showTab: (id: string) => ran.push(`tab ${id}`),
  connect: (id: string) => ran.push(`connect ${id}`),
  tables: [{ schema: 'public', name: 'orders' }],
  openTable: (t: { schema: string; name: string }) => ran.push(`table ${t.name}`),
};

describe('the command palette', () => {
  it('reaches every open tab and every action that can act now, each once with its keys', () => {
    shortcuts.registerShortcut({ id: 'pal-sql-open', keys: 'Alt+Shift+F11', group: 'SQL', description: 'Open the SQL editor', run: () => ran.push('sql shortcut') });
    shortcuts.registerShortcut({ id: 'pal-run', keys: 'Mod+Enter', group: 'SQL', description: 'Run the statement', helpOnly: true, run: () => ran.push('run') });
    shortcuts.registerShortcut({ id: 'pal-move', keys: 'PageDown', group: 'Grid', description: 'Down one page', helpOnly: true, inPalette: false, run: () => undefined });
    shortcuts.registerShortcut({ id: 'pal-unavailable', keys: 'Alt+Shift+F10', group: 'Grid', description: 'Needs a table', available: () => false, run: () => undefined });
    shortcuts.registerShortcut({ id: 'pal-no-keys', group: 'Connections', description: 'Disconnect', run: () => ran.push('disconnect') });
    tools.registerConnectionTool({ id: 'pal-sql', label: 'SQL editor', needsOpenConnection: true, order: 1, shortcutId: 'pal-sql-open', run: (id) => ran.push(`sql tool ${id}`) });
    tools.registerConnectionTool({ id: 'pal-cluster', label: 'Cluster view', needsOpenConnection: true, order: 2, appliesTo: (o) => o.serverInfo.galera, run: () => undefined });
    actions.registerAppAction({ id: 'pal-design', label: 'New design', order: 1, run: () => ran.push('design') });

    const list = palette.paletteCommands(state({}), targets);
    const labels = list.map((c) => c.label);
    expect(labels.slice(0, 2)).toEqual(['orders — Shop', 'SQL · Shop']);
    expect(labels).toContain('New design');
    expect(labels).toContain('Run the statement');
    expect(labels).toContain('Disconnect');
    expect(labels).toContain('Connect to Demo');
    expect(labels).not.toContain('Connect to Shop');
    expect(labels).toContain('Open table public.orders');
    // The tool and the shortcut that does the same are one entry, with the shortcut's keys.
    expect(list.filter((c) => /SQL editor/.test(c.label))).toEqual([expect.objectContaining({ label: 'SQL editor: Shop', keys: 'Alt+Shift+F11' })]);
    expect(labels).not.toContain('Open the SQL editor');
    // Ways of moving, and what cannot act now, are not offered.
    expect(labels).not.toContain('Down one page');
    expect(labels).not.toContain('Needs a table');
    expect(labels).not.toContain('Cluster view: Shop');

    ran.length = 0;
    for (const label of ['SQL · Shop', 'SQL editor: Shop', 'Run the statement', 'Connect to Demo', 'Open table public.orders']) list.find((c) => c.label === label)!.run();
    expect(ran).toEqual(['tab t2', 'sql tool a', 'run', 'connect b', 'table orders']);
  });

  it('leaves out the tools of a connection that is not open', () => {
    const labels = palette.paletteCommands(state({ selectedProfileId: 'b' }), targets).map((c) => c.label);
    expect(labels.some((l) => l.startsWith('SQL editor'))).toBe(false);
  });

  it('filters by every typed word in any order, labels that start with the first word first', () => {
    const list = palette.paletteCommands(state({}), targets);
    expect(palette.filterCommands(list, 'shop sql').map((c) => c.label)).toEqual(['SQL · Shop', 'SQL editor: Shop']);
    expect(palette.filterCommands(list, 'ORDERS')[0]!.label).toBe('orders — Shop');
    expect(palette.filterCommands(list, 'nothing like this')).toEqual([]);
  });
});
