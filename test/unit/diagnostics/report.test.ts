import { describe, expect, it } from 'vitest';
import { buildDiagnosticReport } from '../../../shared/diagnostics/report';
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
