import type { GaleraNodeState } from '../../../shared/model/galera';

/** How a node row looks: the worst flag wins. */
export function nodeSeverity(node: GaleraNodeState): 'ok' | 'warning' | 'error' {
  if (node.flags.some((f) => f.severity === 'error')) return 'error';
  if (node.flags.length > 0) return 'warning';
  return 'ok';
}

export function percent(share: number | null): string {
  if (share === null) return '—';
  if (share > 0 && share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

/** A queue: the current length, with the average since FLUSH STATUS when it differs. */
export function queue(current: number | null, avg: number | null): string {
  if (current === null) return '—';
  if (avg === null || avg === current) return String(current);
  return `${current} (avg ${avg < 10 ? avg.toFixed(2) : Math.round(avg)})`;
}

export function seqno(n: number | null): string {
  return n === null ? '—' : n.toLocaleString('en-US');
}

export function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
