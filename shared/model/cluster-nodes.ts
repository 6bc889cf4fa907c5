import type { ClusterNode } from './connection';

/** `h1:3306, [::1]:3307` — a profile's further nodes as the connection editor shows them. */
export function formatNodeList(nodes: readonly ClusterNode[]): string {
  return nodes.map((n) => `${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`).join(', ');
}

/**
 * The editor's "further nodes" text → nodes. Separated by commas, spaces or new lines; a node
 * without a port gets `defaultPort`. Errors name the entry that is wrong.
 */
export function parseNodeList(text: string, defaultPort: number | undefined): { nodes: ClusterNode[]; error: string | null } {
  const nodes: ClusterNode[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(entry);
    const host = m?.[1] ?? m?.[2];
    if (!m || !host) return { nodes: [], error: `"${entry}" is not a host or host:port.` };
    const port = m[3] !== undefined ? Number(m[3]) : defaultPort;
    if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
      return { nodes: [], error: `The port of "${entry}" must be a number between 1 and 65535.` };
    }
    nodes.push({ host, port });
  }
  if (nodes.length > 32) return { nodes: [], error: 'At most 32 further nodes.' };
  return { nodes, error: null };
}
