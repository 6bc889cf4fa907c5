import type { OpenConnection } from '../../../shared/ipc/commands/connections';

/**
 * Tools a feature offers for an open connection (SQL editor, migrations, diagnostics…). The
 * connection panel shows them as buttons; features register theirs from their index.ts.
 */
export interface ConnectionTool {
  id: string;
  label: string;
  /** Shown as a tooltip and in the help dialog when the tool registers a shortcut itself. */
  hint?: string;
  /** Whether the tool needs the connection open (diagnostics does not). */
  needsOpenConnection: boolean;
  order: number;
  /** The registered command with keys that does the same for the selected connection (listed once in the palette). */
  shortcutId?: string;
  /** Whether the tool fits this open connection (the Galera view only fits Galera nodes); default: always. */
  appliesTo?(open: OpenConnection): boolean;
  run(profileId: string): void;
}

const tools = new Map<string, ConnectionTool>();

export function registerConnectionTool(tool: ConnectionTool): void {
  tools.set(tool.id, tool);
}

export function connectionTools(): ConnectionTool[] {
  return [...tools.values()].sort((a, b) => a.order - b.order);
}
