import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Masker } from '../../../features/diagnostics/shared/mask';
import { buildDiagnosticReport } from '../../../features/diagnostics/shared/report';
import { SecretScrubber } from '../../../shared/security/secrets';
import type { DiagnosticRun, DiagnosticStep, DiagnosticTarget, DriverErrorEvidence, EvidenceValue } from '../../../shared/model/diagnostics';

/**
 * The redactor against real error messages: those the integration tests captured from the private
 * servers on this machine (test/fixtures/diagnostics/captured-errors.jsonl, written by running them with
 * DBDESK_CAPTURE_ERRORS) and those recorded in ../shared/notes/diagnostics.md. No secret survives a
 * report; in masked mode no host, IP, user, database or file name does — in messages, certificate names
 * and evidence alike.
 */
interface Captured {
  classId: string;
  step: DiagnosticStep['id'];
  target: DiagnosticTarget;
  error: DriverErrorEvidence | null;
  detail: string;
  evidence: Record<string, EvidenceValue>;
}

const captured: Captured[] = readFileSync(join(__dirname, '../../fixtures/diagnostics/captured-errors.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Captured);

/** Messages recorded by the research (notes §3), with the target each would come from. */
const recorded: Captured[] = [
  pgRecord('no pg_hba.conf entry for host "203.0.113.9", user "alice", database "sales", no encryption', { host: 'db.corp.example', user: 'alice', database: 'sales' }),
  pgRecord('password authentication failed for user "alice"', { host: 'db.corp.example', user: 'alice', database: 'sales' }),
  pgRecord('database "sales" does not exist', { host: '10.20.30.40', user: 'alice', database: 'sales' }),
  pgRecord('role "ghost" does not exist', { host: '192.168.1.20', user: 'ghost', database: 'postgres' }),
  pgRecord('too many connections for role "limited"', { host: 'pg-prod-1.internal', user: 'limited', database: 'app' }),
  pgRecord('permission denied for database "noconnect"', { host: 'pg-prod-1.internal', user: 'bob', database: 'noconnect' }),
  myRecord("Access denied for user 'app'@'10.1.2.3' (using password: YES)", { host: 'mysql.corp.example', user: 'app', database: 'shop' }),
  myRecord("Host '10.9.8.7' is not allowed to connect to this MariaDB server", { host: 'mysql.corp.example', user: 'app', database: 'shop' }),
  myRecord("Access denied for user 'app'@'172.16.4.2' to database 'shop'", { host: 'mysql.corp.example', user: 'app', database: 'shop' }),
  myRecord("Unknown database 'shop'", { host: 'mysql.corp.example', user: 'app', database: 'shop' }),
  myRecord("User 'oneconn' has exceeded the 'max_user_connections' resource (current value: 1)", { host: 'mysql.corp.example', user: 'oneconn', database: 'shop' }),
  myRecord("Hostname/IP does not match certificate's altnames: Host: mysql.corp.example. is not in the cert's altnames: DNS:db.example.com, DNS:db-replica.example.com", { host: 'mysql.corp.example', user: 'app', database: 'shop' }),
  {
    classId: 'dns-not-found',
    step: 'dns',
    target: { engine: 'postgresql', host: 'db.nonexistent.invalid', port: 5432, user: 'alice', database: 'sales', readOnly: false, tlsMode: 'prefer' },
    error: { source: 'node', code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', message: 'getaddrinfo ENOTFOUND db.nonexistent.invalid' },
    detail: 'getaddrinfo ENOTFOUND db.nonexistent.invalid',
    evidence: { host: 'db.nonexistent.invalid' },
  },
  {
    classId: 'tcp-refused',
    step: 'tcp',
    target: { engine: 'postgresql', host: 'localhost', port: 5432, user: 'alice', database: 'sales', readOnly: false, tlsMode: 'prefer' },
    error: { source: 'node', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED ::1:5432', causes: [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED ::1:5432' }, { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }] },
    detail: '::1:5432: connect ECONNREFUSED ::1:5432.',
    evidence: { attempts: ['::1: connect ECONNREFUSED ::1:5432', '127.0.0.1: connect ECONNREFUSED 127.0.0.1:5432'] },
  },
  {
    classId: 'tls-hostname-mismatch',
    step: 'tls',
    target: { engine: 'postgresql', host: '203.0.113.10', port: 5432, user: 'alice', database: 'sales', readOnly: false, tlsMode: 'verify-full' },
    error: null,
    detail: 'The certificate does not name 203.0.113.10: it lists DNS:db.example.com, IP Address:198.51.100.7.',
    evidence: { subject: 'CN=db.example.com, O=Example Corp', issuer: 'CN=Example Corp Internal CA', subjectAltNames: ['DNS:db.example.com', 'IP Address:198.51.100.7'] },
  },
  {
    classId: 'sqlite-permission-denied',
    step: 'permissions',
    target: { engine: 'sqlite', file: '/home/alice/projects/payroll.sqlite', readOnly: false },
    error: null,
    detail: 'This user (uid 1000:1000) may not read /home/alice/projects/payroll.sqlite (mode 0600, owner 0:0).',
    evidence: { file: '/home/alice/projects/payroll.sqlite', readable: false },
  },
];

function pgRecord(message: string, t: { host: string; user: string; database: string }): Captured {
  return {
    classId: 'recorded',
    step: 'auth',
    target: { engine: 'postgresql', port: 5432, readOnly: false, tlsMode: 'prefer', ...t },
    error: { source: 'pg', name: 'DatabaseError', severity: 'FATAL', message },
    detail: message,
    evidence: { user: t.user },
  };
}
function myRecord(message: string, t: { host: string; user: string; database: string }): Captured {
  return {
    classId: 'recorded',
    step: 'auth',
    target: { engine: 'mariadb', port: 3306, readOnly: false, tlsMode: 'prefer', ...t },
    error: { source: 'mysql2', name: 'Error', errno: 1045, message },
    detail: message,
    evidence: { user: t.user },
  };
}

function runOf(c: Captured, extra: { detail?: string; evidence?: Record<string, EvidenceValue>; error?: DriverErrorEvidence } = {}): DiagnosticRun {
  const step: DiagnosticStep = {
    id: c.step,
    title: c.step,
    status: 'fail',
    detail: extra.detail ?? c.detail,
    startedMs: 3,
    ms: 12,
    timeoutMs: 5000,
    timedOut: false,
    evidence: { ...c.evidence, ...extra.evidence },
    ...(extra.error ?? c.error ? { error: extra.error ?? c.error! } : {}),
    classId: 'unknown',
    remedy: { audience: 'dba', text: 'Ask the DBA.' },
  };
  return {
    schema: 'dbdesk-diagnostics/1',
    runId: 'r',
    startedAt: '2026-11-27T08:00:00.000Z',
    ms: 20,
    target: c.target,
    verdict: { usable: false, status: 'failed', classId: 'unknown', failedStep: c.step, headline: `Failed — ${step.detail}` },
    steps: [step],
    environment: { app: 'DB Desk 0.1.0', node: 'v20.20.2', platform: 'linux-x64', driver: 'pg 8.23.1' },
    secretsRemoved: 0,
  };
}

const all = [...captured, ...recorded];
const SECRET = 'S3cr3t-P@ss:w/rd';

function wordPresent(text: string, word: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9_])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`).test(text);
}

describe('the captured messages', () => {
  it('are real and cover most classes', () => {
    expect(captured.length).toBeGreaterThan(40);
    expect(new Set(captured.map((c) => c.classId)).size).toBeGreaterThan(20);
  });
});

describe('secrets never survive a report', () => {
  it.each(all.map((c, i) => [`${c.classId} #${i}: ${c.detail.slice(0, 60)}`, c] as const))('%s', (_n, c) => {
    // The ways a secret could slip into a run: a URL, a key=value string, a PEM key, a grant with a hash.
    const leaky = runOf(c, {
      detail: `${c.detail} (while connecting to postgres://${c.target.user ?? 'u'}:${encodeURIComponent(SECRET)}@${c.target.host ?? 'h'}/x)`,
      evidence: {
        conninfo: `host=${c.target.host ?? 'h'} user=${c.target.user ?? 'u'} password=${SECRET} sslmode=require`,
        key: `-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg${SECRET}\n-----END PRIVATE KEY-----`,
        grants: [`GRANT USAGE ON *.* TO \`app\`@\`%\` IDENTIFIED BY PASSWORD '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'`],
        hash: 'SCRAM-SHA-256$4096:c2FsdHNhbHQ=$c3RvcmVka2V5c3RvcmVka2V5c3RvcmVka2V5MTIzNDU2Nzg=:c2VydmVya2V5c2VydmVya2V5c2VydmVya2V5MTIzNDU2Nzg=',
      },
    });
    for (const mask of [false, true]) {
      const report = buildDiagnosticReport(leaky, { mask });
      for (const text of [report.markdown, report.json]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(encodeURIComponent(SECRET));
        expect(text).not.toContain('2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19');
        expect(text).not.toContain('c3RvcmVka2V5');
        expect(text).not.toMatch(/BEGIN PRIVATE KEY/);
      }
      expect(report.summary.secretsRemoved).toBeGreaterThanOrEqual(4);
    }
  });

  it('the profile’s own password is removed wherever it appears, even inside a message', () => {
    for (const c of all) {
      const s = new SecretScrubber([SECRET]);
      const text = s.scrub(`${c.detail} — the server echoed ${SECRET} back`);
      expect(text).not.toContain(SECRET);
      expect(s.removed).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps what support needs: codes, errno, SQLSTATE, "using password: YES"', () => {
    const r = buildDiagnosticReport(runOf(recorded[6]!), { mask: true }).markdown;
    expect(r).toContain('using password: YES');
    expect(r).toContain('errno 1045');
  });
});

describe('masked mode: no host, IP, user, database or file name survives', () => {
  it.each(all.map((c, i) => [`${c.classId} #${i}: ${c.detail.slice(0, 60)}`, c] as const))('%s', (_n, c) => {
    const report = buildDiagnosticReport(runOf(c), { mask: true });
    const t = c.target;
    const names = [t.host, t.user, t.database, t.file, t.file?.replace(/\/[^/]*$/, '')].filter((x): x is string => Boolean(x) && x !== 'localhost');
    // The JSON's keys ("app", "user"…) are not data: look at its values.
    for (const text of [report.markdown, stringValues(JSON.parse(report.json)).join('\n')]) {
      for (const name of names) expect(wordPresent(text, name), `${name} in:\n${text}`).toBe(false);
      // No IP address at all, and no name a server quoted in a known message.
      expect(text).not.toMatch(/(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/);
      expect(text).not.toMatch(/::1\b/);
      expect(text).not.toMatch(/for (?:user|role|database) "(?!user-|db-)[^"]+"/);
      expect(text).not.toMatch(/'(?!user-|db-|host-|[a-z-]+-ip-)[^']*'@'/);
      expect(text).not.toMatch(/DNS:(?!host-)[\w.-]+/);
    }
  });

  it('the same value gets the same pseudonym within a report, and the legend maps it back', () => {
    const c = recorded[0]!;
    const report = buildDiagnosticReport(runOf(c), { mask: true });
    expect(report.markdown).toContain('for host "public-ip-');
    expect(report.markdown.match(/user-1/g)!.length).toBeGreaterThan(1);
    expect(report.legend).toEqual(expect.arrayContaining([{ pseudonym: 'user-1', original: 'alice' }, { pseudonym: 'db-1', original: 'sales' }]));
  });

  it('IP addresses keep their kind of network', () => {
    const m = new Masker({});
    expect(m.mask('127.0.0.1 10.1.2.3 172.16.4.2 192.168.1.20 169.254.1.1 100.64.0.1 8.8.8.8 ::1 fd00::1 fe80::1 2001:db8::1')).toBe(
      'loopback-ip-1 private-ip-2 private-ip-3 private-ip-4 link-local-ip-5 cgnat-ip-6 public-ip-7 loopback-ip-8 ula-ip-9 link-local-ip-10 public-ip-11',
    );
  });

  it('leaves versions, times, fingerprints and codes alone', () => {
    const m = new Masker({ hosts: ['db.corp.example'] });
    const text = 'MariaDB 10.11.19, started 07:56:12, sha256 AB:CD:EF:01:23:45, code ECONNREFUSED, SQLSTATE 28P01, port 5432';
    expect(m.mask(text)).toBe(text);
  });
});

function stringValues(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(stringValues);
  if (v && typeof v === 'object') return Object.values(v).flatMap(stringValues);
  return [];
}
