import { describe, expect, it } from 'vitest';
import { compareSchemas, summarize, type NodeSchema } from '../../../electron/core/engines/mysql/galera/cluster-schema-check';

const node = (endpoint: string, entries: [string, string][] | null, extra: Partial<NodeSchema> = {}): NodeSchema => ({
  endpoint,
  name: endpoint.slice(-1),
  reference: endpoint.endsWith('1'),
  reached: entries !== null,
  caughtUp: entries !== null,
  error: entries === null ? 'the node refused the connection' : null,
  schema: entries === null ? null : new Map(entries),
  ...extra,
});

const base: [string, string][] = [
  ['table orders', 'BASE TABLE engine=InnoDB'],
  ['column orders.id', '#1 int(11) NOT NULL default NULL'],
  ['column orders.note', '#2 text NULL default NULL'],
];

describe('the schema compared across Galera nodes after a migration', () => {
  it('identical everywhere: says so, with the count of objects', () => {
    const nodes = [node('h:1', base), node('h:2', base), node('h:3', base)];
    const diff = compareSchemas(nodes);
    expect(diff).toEqual([]);
    expect(summarize('shop', nodes, diff, 3)).toEqual({ identical: true, summary: expect.stringMatching(/^The schema of shop is identical on all 3 nodes \(3 objects/) });
  });

  it('a column missing on one node and a type that differs on another: each object with its definition per node', () => {
    const nodes = [node('h:1', base), node('h:2', base.slice(0, 2)), node('h:3', [base[0]!, ['column orders.id', '#1 bigint(20) NOT NULL default NULL'], base[2]!])];
    const diff = compareSchemas(nodes);
    expect(diff).toEqual([
      { object: 'column orders.id', values: [{ endpoint: 'h:1', definition: '#1 int(11) NOT NULL default NULL' }, { endpoint: 'h:2', definition: '#1 int(11) NOT NULL default NULL' }, { endpoint: 'h:3', definition: '#1 bigint(20) NOT NULL default NULL' }] },
      { object: 'column orders.note', values: [{ endpoint: 'h:1', definition: '#2 text NULL default NULL' }, { endpoint: 'h:2', definition: null }, { endpoint: 'h:3', definition: '#2 text NULL default NULL' }] },
    ]);
    const s = summarize('shop', nodes, diff, 3);
    expect(s.identical).toBe(false);
    expect(s.summary).toMatch(/^The schema of shop differs between the nodes: 2 objects \(first: column orders\.id — h:1: #1 int\(11\)/);
  });

  it('a node that could not be read: not identical, and says which and why', () => {
    const nodes = [node('h:1', base), node('h:2', base), node('h:3', null)];
    const s = summarize('shop', nodes, compareSchemas(nodes), 3);
    expect(s).toEqual({ identical: false, summary: expect.stringContaining('Not every node could be checked — h:3 (3): the node refused the connection. The 2 nodes that were have the same schema') });
  });

  it('a node that had not caught up: not identical, and says so', () => {
    const nodes = [node('h:1', base), node('h:2', base, { caughtUp: false })];
    expect(summarize('shop', nodes, compareSchemas(nodes), 3).summary).toContain("h:2 (2): it had not applied the run's last change within 20 s");
  });
});
