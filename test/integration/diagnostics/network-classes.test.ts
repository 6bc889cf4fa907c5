import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificates, type TestCertificates } from '../../support/certificates';
import * as fakes from '../../support/fake-servers';
import { freePort } from '../../support/free-port';
import { diagnoseUrl, expectFailure, expectWithinLimits } from './diagnose-helpers';

/**
 * The transport classes, each reproduced on loopback with a fake server (no database needed):
 * the failing step and class are asserted for a PostgreSQL and a MariaDB profile alike.
 */
let certs: TestCertificates;
const servers: fakes.FakeServer[] = [];
const serve = async (s: Promise<fakes.FakeServer>) => {
  const server = await s;
  servers.push(server);
  return server;
};

beforeAll(async () => {
  certs = await createCertificates();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  certs?.remove();
});

const engines = [
  { engine: 'postgresql', scheme: 'postgres' },
  { engine: 'mariadb', scheme: 'mariadb' },
] as const;

describe.each(engines)('$engine profile', ({ scheme }) => {
  const url = (port: number, host = '127.0.0.1') => `${scheme}://app:secret-pw@${host}:${port}/appdb?sslmode=disable`;

  it('dns-not-found: a name that cannot exist (RFC 6761 .invalid)', async () => {
    expectFailure(await diagnoseUrl(url(5432, 'db.nonexistent.invalid')), 'dns-not-found', 'dns');
  });

  it('tcp-refused: nothing listens on the port', async () => {
    const run = await diagnoseUrl(url(await freePort()));
    expectFailure(run, 'tcp-refused', 'tcp');
    expect(run.steps.find((s) => s.id === 'tcp')!.error?.code).toBe('ECONNREFUSED');
  });

  it('tcp-refused: the server listens on IPv4 only and the profile says ::1', async () => {
    const s = await serve(fakes.silentServer());
    const run = await diagnoseUrl(url(s.port, '[::1]'));
    expectFailure(run, 'tcp-refused', 'tcp');
    expect(run.steps.find((x) => x.id === 'tcp')!.evidence.attempts).toEqual([expect.stringMatching(/^::1: connect ECONNREFUSED/)]);
  });

  it('tcp-timeout: SYNs dropped as by a firewall', async () => {
    const s = await serve(fakes.blackholeServer());
    const run = await diagnoseUrl(url(s.port), {}, { stepTimeoutMs: 800 });
    expectFailure(run, 'tcp-timeout', 'tcp');
    expectWithinLimits(run);
  });

  it('no-response: accepted, then silence', async () => {
    const s = await serve(fakes.silentServer());
    const run = await diagnoseUrl(url(s.port), {}, { stepTimeoutMs: 800 });
    expectFailure(run, 'no-response', 'fingerprint');
    expect(run.steps.find((x) => x.id === 'fingerprint')!.evidence.behaviour).toBe('silent');
    expectWithinLimits(run);
  });

  it('no-response: accepted, then closed at once', async () => {
    const s = await serve(fakes.closingServer());
    const run = await diagnoseUrl(url(s.port));
    expectFailure(run, 'no-response', 'fingerprint');
    expect(['closed', 'reset']).toContain(run.steps.find((x) => x.id === 'fingerprint')!.evidence.behaviour);
  });

  it('wrong-service: an HTTP server on the port', async () => {
    expectFailure(await diagnoseUrl(url((await serve(fakes.httpServer())).port)), 'wrong-service', 'fingerprint', 'http');
  });

  it('wrong-service: an SSH server on the port', async () => {
    const run = await diagnoseUrl(url((await serve(fakes.sshServer())).port));
    expectFailure(run, 'wrong-service', 'fingerprint', 'ssh');
    expect(run.steps.find((x) => x.id === 'fingerprint')!.evidence.banner).toMatch(/^SSH-2\.0-/);
  });

  it('wrong-service: a TLS-only endpoint', async () => {
    expectFailure(await diagnoseUrl(url((await serve(fakes.directTlsServer(certs.server))).port)), 'wrong-service', 'fingerprint', 'tls');
  });

  it('wrong-service: something that is not a database at all', async () => {
    expectFailure(await diagnoseUrl(url((await serve(fakes.garbageServer())).port)), 'wrong-service', 'fingerprint', 'unknown');
  });
});

describe('engine mix-ups on the real servers', () => {
  it('wrong-service: a MySQL profile pointed at PostgreSQL', async () => {
    expectFailure(await diagnoseUrl('mysql://root@127.0.0.1:5432/test?sslmode=disable'), 'wrong-service', 'fingerprint', 'postgresql');
  });

  it('wrong-service: a PostgreSQL profile pointed at MariaDB', async () => {
    const run = await diagnoseUrl('postgres://postgres@127.0.0.1:3306/test?sslmode=disable');
    expectFailure(run, 'wrong-service', 'fingerprint', 'mysql');
    expect(String(run.steps.find((x) => x.id === 'fingerprint')!.evidence.serverVersion)).toMatch(/MariaDB/);
  });
});

describe('authentication methods the driver cannot speak', () => {
  it('auth-plugin-unsupported: a PostgreSQL server offering only SCRAM-SHA-256-PLUS over plain text', async () => {
    const s = await serve(fakes.saslOnlyPostgresServer(['SCRAM-SHA-256-PLUS']));
    const run = await diagnoseUrl(`postgres://app:pw@127.0.0.1:${s.port}/appdb?sslmode=prefer`);
    expectFailure(run, 'auth-plugin-unsupported', 'auth');
    expect(run.steps.find((x) => x.id === 'auth')!.error?.message).toMatch(/^SASL:/);
  });
});

/** Runs a command and collects its output. */
function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a host name with several addresses', () => {
  it('one address refuses, another accepts: usable, with a warning at TCP that names both (the CLI run with its own /etc/hosts, `unshare -m`)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbdesk-hosts-'));
    try {
      const hosts = join(dir, 'hosts');
      writeFileSync(hosts, '127.0.0.1 localhost\n127.0.0.2 db.multi.test\n127.0.0.1 db.multi.test\n');
      const script = `mount --bind ${hosts} /etc/hosts && exec ${process.execPath} dist/cli.cjs diagnose postgres://postgres@db.multi.test:5432/test --json --timeout-ms 3000`;
      const out = await run('unshare', ['-rm', 'sh', '-c', script]);
      if (/unshare failed|Operation not permitted|mount:/.test(out.stderr)) throw new Error(`This machine does not allow mount namespaces (unshare -rm): ${out.stderr}`);
      const report = JSON.parse(out.stdout) as { usable: boolean; class: string | null; steps: { id: string; status: string; detail: string }[] };
      const step = (id: string) => report.steps.find((x) => x.id === id)!;
      expect(step('dns').detail).toMatch(/resolves to .*127\.0\.0\.1.*127\.0\.0\.2|resolves to .*127\.0\.0\.2.*127\.0\.0\.1/);
      expect(step('tcp').status).toBe('warn');
      expect(step('tcp').detail).toBe('127.0.0.1 accepted; 127.0.0.2 did not.');
      // PostgreSQL answers on the address that accepted: the rest of the diagnosis goes on there.
      expect(report.usable).toBe(true);
      expect(step('auth').status).toBe('ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('dns-temporary', () => {
  it('a resolver that cannot be reached (an empty network namespace): the CLI run inside `unshare -n`', async () => {
    const out = await run('unshare', ['-rn', process.execPath, 'dist/cli.cjs', 'diagnose', 'postgres://app@db.example.com:5432/appdb', '--json', '--timeout-ms', '3000']);
    if (/unshare failed|Operation not permitted/.test(out.stderr)) throw new Error(`This machine does not allow network namespaces (unshare -rn): ${out.stderr}`);
    expect(out.code, out.stderr).toBe(1);
    const report = JSON.parse(out.stdout) as { usable: boolean; class: string; steps: { id: string; status: string }[] };
    expect(report.class).toBe('dns-temporary');
    expect(report.steps.find((s) => s.status === 'fail')?.id).toBe('dns');
  });
});
