import type { AppState } from './app-state';
import { appActions } from './app-actions';
import { connectionTools } from './connection-tools';
import { listShortcuts } from './shortcuts';

/** One entry of the command palette. */
export interface PaletteCommand {
  id: string;
  label: string;
  group: string;
  /** The keys that do the same, shown beside it. */
  keys?: string;
  run(): void;
}

/** What the palette needs besides the registries: how to reach tabs, connections and tables. */
export interface PaletteTargets {
  showTab(id: string): void;
  connect(profileId: string): void;
  /** Tables of the selected connection the schema tree has read, and how to open one. */
  tables: { schema: string; name: string }[];
  openTable(table: { schema: string; name: string }): void;
}

/**
 * Every command the palette offers now: the open tabs first, then every action that can act in
 * this state — the registered commands (keys or not), the top bar's actions, the selected
 * connection's tools, connecting to each saved connection, and the tables the tree has read.
 * An action that a command with keys also does appears once, with those keys.
 */
export function paletteCommands(state: AppState, targets: PaletteTargets): PaletteCommand[] {
  const out: PaletteCommand[] = [];
  const profileName = (id: string | undefined) => state.profiles.find((p) => p.id === id)?.name;
  for (const t of state.tabs) {
    const owner = profileName(t.profileId);
    out.push({ id: `tab:${t.id}`, label: owner && !t.title.includes(owner) ? `${t.title} — ${owner}` : t.title, group: 'Open tab', run: () => targets.showTab(t.id) });
  }
  const shortcuts = listShortcuts();
  const keysOf = (id: string | undefined) => shortcuts.find((s) => s.id === id)?.keys;
  const covered = new Set<string>();
  for (const a of appActions()) {
    if (a.shortcutId) covered.add(a.shortcutId);
    out.push({ id: `action:${a.id}`, label: a.label, group: 'General', keys: keysOf(a.shortcutId), run: () => a.run() });
  }
  const selected = state.profiles.find((p) => p.id === state.selectedProfileId);
  const open = selected ? state.connections[selected.id]?.open : undefined;
  for (const t of connectionTools()) {
    if (t.shortcutId) covered.add(t.shortcutId);
    if (!selected || (t.needsOpenConnection && !open) || (open && t.appliesTo && !t.appliesTo(open))) continue;
    out.push({ id: `tool:${t.id}`, label: `${t.label}: ${selected.name}`, group: 'Connection', keys: keysOf(t.shortcutId), run: () => t.run(selected.id) });
  }
  for (const s of shortcuts) {
    if (s.inPalette === false || covered.has(s.id) || (s.available && !s.available())) continue;
    out.push({ id: `command:${s.id}`, label: s.description, group: s.group, keys: s.keys, run: () => s.run() });
  }
  for (const p of state.profiles) {
    if (state.connections[p.id]?.status === 'open') continue;
    out.push({ id: `connect:${p.id}`, label: `Connect to ${p.name}`, group: 'Connections', run: () => targets.connect(p.id) });
  }
  for (const t of targets.tables) out.push({ id: `table:${t.schema}.${t.name}`, label: `Open table ${t.schema}.${t.name}`, group: 'Tables', run: () => targets.openTable(t) });
  return out;
}

/**
 * The commands matching what was typed: every word must appear in the label or the group (any
 * order, any case); labels that start with the first word come first, the given order otherwise.
 */
export function filterCommands(commands: PaletteCommand[], query: string): PaletteCommand[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return commands;
  const hits = commands.filter((c) => {
    const text = `${c.label} ${c.group}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const starts = (c: PaletteCommand) => c.label.toLowerCase().startsWith(words[0]!) || c.label.toLowerCase().includes(` ${words[0]!}`);
  return [...hits.filter(starts), ...hits.filter((c) => !starts(c))];
}
