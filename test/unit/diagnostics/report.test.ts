import { describe, expect, it } from 'vitest';
import { buildDiagnosticReport } from '../../../features/diagnostics/shared/report';
import type { DiagnosticRun } from '../../../shared/model/diagnostics';

const run: DiagnosticRun = {
  schema: 'dbdesk-diagnostics/1',
  runId: 'r',
  startedAt: '2026-11-27T08:00:00.000Z',
  ms: 42,
  target: { engine: 'postgresql', host: 'db.corp.example', port: 5432, user: 'alice', database: 'sales', tlsMode: 'verify-full', readOnly: false, name: 'Sales' },
  verdict: {
    usable: false,
    status: 'failed',
    classId: 'tls-hostname-mismatch',
    failedStep: 'tls',
    headline: 'Certificate is for another name — The certificate does not name db.corp.example: it lists DNS:db.example.com.',
    remedy: { audience: 'user', text: 'Connect with a name the certificate lists.' },
  },
  steps: [
    { id: 'dns', title: 'Name resolution (DNS)', status: 'ok', detail: 'db.corp.example resolves to 10.1.2.3.', startedMs: 0, ms: 2, timeoutMs: 3000, timedOut: false, evidence: { addresses: ['10.1.2.3'] } },
    {
      id: 'tls',
      title: 'TLS',
      status: 'fail',
      detail: 'The certificate does not name db.corp.example: it lists DNS:db.example.com.',
      startedMs: 9,
      ms: 8,
      timeoutMs: 5000,
      timedOut: false,
      evidence: { subjectAltNames: ['DNS:db.example.com'], chainVerified: true, hostnameMatches: false },
      classId: 'tls-hostname-mismatch',
      remedy: { audience: 'user', text: 'Connect with a name the certificate lists.' },
    },
    { id: 'auth', title: 'Authentication', status: 'skip', detail: 'Not run: TLS did not meet the sslmode.', startedMs: 17, ms: 0, timeoutMs: 10_000, timedOut: false, evidence: {} },
  ],
  environment: { app: 'DB Desk 0.1.0', node: 'v20.20.2', platform: 'linux-x64', driver: 'pg 8.23.1' },
  secretsRemoved: 1,
};

describe('the Markdown report', () => {
  it('puts the verdict, the class, who should act and every step first, then the evidence', () => {
    const { markdown, summary } = buildDiagnosticReport(run, { mask: false });
    expect(markdown).toMatch(/^# DB Desk connection diagnosis\n/);
    expect(markdown).toContain('**Verdict:** ✗ Not usable — Certificate is for another name');
    expect(markdown).toContain('**Class:** `tls-hostname-mismatch`');
    expect(markdown).toContain('**What to do** (for you): Connect with a name the certificate lists.');
    expect(markdown).toMatch(/\| 2 \| tls \| ✗ FAIL \| 8 ms \/ 5000 ms \|/);
    expect(markdown).toMatch(/\| 3 \| auth \| – skip \| {2}\|/);
    expect(markdown).toContain('- hostnameMatches: `false`');
    expect(summary).toEqual({ secretsRemoved: 1, masked: null });
  });

  it('masked: the same names become the same pseudonyms everywhere, and the summary counts them', () => {
    const { markdown, json, summary, legend } = buildDiagnosticReport(run, { mask: true });
    expect(markdown).not.toMatch(/db\.corp\.example|alice|sales|10\.1\.2\.3|db\.example\.com/);
    expect(markdown).toContain('PostgreSQL `host-1:5432`, database `db-1`, user `user-1`');
    expect(markdown).toContain('private-ip-');
    expect(JSON.parse(json).target).toMatchObject({ host: 'host-1', user: 'user-1', database: 'db-1' });
    expect(summary.masked).toMatchObject({ hosts: 2, ips: 1, users: 1, databases: 1 });
    expect(legend).toEqual(expect.arrayContaining([{ pseudonym: 'host-1', original: 'db.corp.example' }]));
  });
});

describe('the report of a cluster profile', () => {
  const step = (id: 'health' | 'session', evidence: Record<string, string>, status: 'ok' | 'fail' = 'ok') => ({ id, title: id, status, detail: `${id} on the node`, startedMs: 0, ms: 3, timeoutMs: 5000, timedOut: false, evidence });
  const cluster: DiagnosticRun = {
    ...run,
    target: { engine: 'mariadb', host: 'galera-a.corp.example', port: 3306, user: 'app', database: 'shop', tlsMode: 'require', readOnly: false, nodes: ['galera-b.corp.example:3306'] },
    verdict: { usable: true, status: 'degraded', classId: 'galera-non-primary', node: 'galera-b.corp.example:3306', failedStep: 'health', headline: '1 of 2 nodes usable — galera-b.corp.example:3306 (gb): outside', remedy: { audience: 'dba', text: 'Use galera-a.corp.example:3306 (ga).' } },
    steps: [],
    cluster: {
      nodes: [
        { endpoint: 'galera-a.corp.example:3306', nodeName: 'ga', verdict: { usable: true, status: 'ok', classId: null, headline: 'fine' }, steps: [step('session', { currentUser: 'app@10.0.0.9', database: 'shop' }), step('health', { wsrep_node_name: 'ga', wsrep_cluster_status: 'Primary' })] },
        {
          endpoint: 'galera-b.corp.example:3306',
          nodeName: 'gb',
          verdict: { usable: false, status: 'failed', classId: 'galera-non-primary', failedStep: 'health', headline: 'outside', remedy: { audience: 'dba', text: 'Use galera-a.corp.example:3306 (ga).' } },
          steps: [step('health', { wsrep_node_name: 'gb', wsrep_cluster_status: 'non-Primary', wsrep_incoming_addresses: '10.0.0.12:3306' }, 'fail')],
        },
      ],
      primary: ['galera-a.corp.example:3306'],
      findings: [],
    },
  };

  it('has a section per node with its verdict, advice and steps', () => {
    const { markdown } = buildDiagnosticReport(cluster, { mask: false });
    expect(markdown).toContain('| Cluster nodes | galera-a.corp.example:3306, galera-b.corp.example:3306 |');
    expect(markdown).toContain('· node `galera-b.corp.example:3306`');
    expect(markdown).toContain('## Node galera-b.corp.example:3306 (gb)');
    expect(markdown).toContain('**✗ Not usable** — outside `galera-non-primary`');
    expect(markdown).toContain('- wsrep_cluster_status: `non-Primary`');
  });

  it('masked: every node’s host, name and address is masked, inside advice too', () => {
    const { markdown, json } = buildDiagnosticReport(cluster, { mask: true });
    expect(markdown).not.toMatch(/galera-[ab]\.corp\.example|\bga\b|\bgb\b|10\.0\.0\.(9|12)|\bshop\b/);
    expect(JSON.parse(json).cluster.nodes[1].endpoint).toMatch(/^host-\d+:3306$/);
  });
});
