import { performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcCallError } from '../../../shared/ipc/errors';
import { createCertificates, type TestCertificates } from '../../support/certificates';
import { makeKey, startPrivateSshd, type PrivateSshd, type TestKey } from '../../support/private-sshd';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/private-postgres';
import { createTestCore, saveProfileFromUrl } from '../../support/test-core';
import { openRunner, RUNAWAY, type EngineName, type Runner } from '../sql-editor/harness';

/**
 * Saved profiles with an SSH section, through the app's own path (IPC → worker → engine): the pool,
 * the SQL editor and its cancel go through one tunnel per connection; TLS to the database is
 * checked against the database's host name; a new host key is shown and trusted once or always.
 */
let dir: string;
let key: TestKey;
let bastion: PrivateSshd;
let knownHosts: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-ssh-profiles-'));
  key = makeKey(dir, 'id_ed25519', 'ed25519');
  bastion = await startPrivateSshd({ authorizedKeys: [key.publicLine] });
  knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, bastion.knownHostsLine() + '\n');
});

afterAll(async () => {
  await bastion?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sshSection = (extra: Record<string, unknown> = {}) => ({
  ssh: { enabled: true, host: '127.0.0.1', port: bastion.port, user: 'root', auth: 'key', keyFile: key.file, knownHostsFile: knownHosts, useSshConfig: false, ...extra },
});
const sessions = () => (bastion.log().match(/Accepted publickey/g) ?? []).length;

describe.each(['postgres', 'mariadb'] as EngineName[])('%s through the bastion', (engine) => {
  let r: Runner;
  beforeAll(async () => {
    r = await openRunner(engine, sshSection());
  });
  afterAll(async () => r?.close());

  it('runs statements on pooled and editor connections over one SSH connection', async () => {
    const before = sessions();
    const schemas = await r.w.client.call('schema.schemas', { connectionId: r.profileId });
    expect(schemas.length).toBeGreaterThan(0);
    const out = await r.run('SELECT 6 * 7 AS answer');
    expect(out.rows.get(0)![0]).toEqual([42]);
    // Opened before this test; nothing here needed another SSH login.
    expect(sessions()).toBe(before);
  });

  it('cancels a runaway statement through the tunnel within a second; the session stays usable', async () => {
    await r.session('cancel');
    const runId = `ssh-cancel-${engine}`;
    const started = new Promise<void>((resolve) => {
      const off = r.w.client.on('query.statement', (p) => {
        if (p.runId === runId && p.phase === 'started') {
          off();
          resolve();
        }
      });
    });
    const controller = new AbortController();
    const running = r.w.client.call('query.run', { sessionId: 'cancel', runId, statements: [{ sql: RUNAWAY[engine], offset: 0 }] }, { signal: controller.signal });
    await started;
    await new Promise((res) => setTimeout(res, 400));
    const t0 = performance.now();
    controller.abort();
    const out = await running;
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(out.results.map((x) => x.status)).toEqual(['cancelled']);
    const again = await r.run('SELECT 42 AS answer', { sessionId: 'cancel' });
    expect(again.rows.get(0)![0]).toEqual([42]);
  });
});

describe('TLS through the tunnel', () => {
  let certs: TestCertificates;
  let server: PrivatePostgres;
  beforeAll(async () => {
    certs = await createCertificates();
    server = await startPrivatePostgres({ tls: certs.server, hba: ['hostssl all all 127.0.0.1/32 trust'] });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    certs?.remove();
  });

  it('verify-full checks the certificate against the database’s host name (localhost), not the tunnel', async () => {
    const t = createTestCore();
    try {
      const w = t.openWindow();
      const url = `postgres://postgres@localhost:${server.port}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.ca.cert)}`;
      const ok = await saveProfileFromUrl(w.client, url, { ...sshSection(), tls: { mode: 'verify-full', caFile: certs.ca.cert } });
      const test = await w.client.call('connections.open', { id: ok });
      expect(test.serverInfo.product).toBe('postgresql');
      await w.client.call('connections.close', { id: ok });
      await server.setCertificate(certs.wrongName);
      const err = await w.client.call('connections.open', { id: ok }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IpcCallError);
      expect((err as Error).message).toMatch(/localhost/);
      expect((err as Error).message).toMatch(/db\.example\.com/);
    } finally {
      await t.close();
    }
  });
});

describe('a host key that changed', () => {
  it('is a hard stop: the open fails with both fingerprints, the key cannot be trusted from the window, known_hosts stays as it was', async () => {
    const file = join(dir, 'known_hosts_swapped');
    // The bastion's port filed with another server's key: what a man in the middle (or a reinstall) looks like.
    const other = makeKey(dir, `other_host_${Date.now()}`, 'ed25519');
    const filed = `[127.0.0.1]:${bastion.port} ${other.publicLine.split(' ').slice(0, 2).join(' ')}\n`;
    writeFileSync(file, filed);
    const t = createTestCore();
    try {
      const w = t.openWindow();
      const id = await saveProfileFromUrl(w.client, 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable', sshSection({ knownHostsFile: file }));
      const err = (await w.client.call('connections.open', { id }).catch((e: unknown) => e)) as IpcCallError;
      expect(err).toBeInstanceOf(IpcCallError);
      expect(err.detail).toMatchObject({ failureClass: 'ssh-host-key-changed', ssh: { fingerprint: bastion.hostKey.fingerprint, expectedFingerprint: other.fingerprint, offendingEntry: `${file}:1` } });
      expect(err.message).toMatch(/man-in-the-middle/);
      for (const always of [false, true]) {
        await expect(w.client.call('connections.trustHostKey', { host: '127.0.0.1', port: bastion.port, fingerprint: bastion.hostKey.fingerprint, always })).rejects.toThrow(/No SSH host key/);
      }
      await expect(w.client.call('connections.open', { id })).rejects.toMatchObject({ detail: { failureClass: 'ssh-host-key-changed' } });
      expect(readFileSync(file, 'utf8')).toBe(filed);
    } finally {
      await t.close();
    }
  });
});

describe('a host key seen for the first time', () => {
  it('fails the open with its fingerprint; trusted once it connects (file untouched), trusted always it is written', async () => {
    const file = join(dir, 'known_hosts_new');
    writeFileSync(file, '');
    const t = createTestCore();
    try {
      const w = t.openWindow();
      const id = await saveProfileFromUrl(w.client, 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable', sshSection({ knownHostsFile: file }));
      const err = (await w.client.call('connections.open', { id }).catch((e: unknown) => e)) as IpcCallError;
      expect(err.detail).toMatchObject({ failureClass: 'ssh-host-key-unknown', ssh: { fingerprint: bastion.hostKey.fingerprint, keyType: 'ED25519', knownHostsFile: file } });
      // A fingerprint the window was not shown is refused.
      await expect(w.client.call('connections.trustHostKey', { host: '127.0.0.1', port: bastion.port, fingerprint: `SHA256:${'A'.repeat(43)}`, always: false })).rejects.toThrow(/No SSH host key/);
      await w.client.call('connections.trustHostKey', { host: '127.0.0.1', port: bastion.port, fingerprint: bastion.hostKey.fingerprint, always: false });
      await w.client.call('connections.open', { id });
      expect(readFileSync(file, 'utf8')).toBe('');
      // Another window has not trusted it.
      const other = t.openWindow();
      const again = (await other.client.call('connections.open', { id }).catch((e: unknown) => e)) as IpcCallError;
      expect(again.detail?.failureClass).toBe('ssh-host-key-unknown');
      await other.client.call('connections.trustHostKey', { host: '127.0.0.1', port: bastion.port, fingerprint: bastion.hostKey.fingerprint, always: true });
      expect(readFileSync(file, 'utf8')).toBe(`${bastion.knownHostsLine()}\n`);
      await other.client.call('connections.open', { id });
    } finally {
      await t.close();
    }
  });
});
