import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup, runRestore } from '../../../features/backup/core/backup-runner';
import { HostKeyPolicy } from '../../../electron/core/ssh/host-key-policy';
import { SshSettings } from '../../../shared/model/ssh';
import { makeKey, startPrivateSshd, type PrivateSshd, type TestKey } from '../../support/private-sshd';
import { mariadbSide, openSource, postgresSide, rowChecksums, schemaPrint, SEED, type Side } from './helpers';

/**
 * Through a bastion: the tool connects to a local forward over the connection's SSH tunnel
 * (127.0.0.1, a port the system picked), never to the database port directly.
 */
let dir: string;
let key: TestKey;
let bastion: PrivateSshd;
let knownHosts: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-backup-ssh-'));
  key = makeKey(dir, 'id_ed25519', 'ed25519');
  bastion = await startPrivateSshd({ authorizedKeys: [key.publicLine] });
  knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, bastion.knownHostsLine() + '\n');
});
afterAll(async () => {
  await bastion?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const viaSsh = () => ({
  ssh: SshSettings.parse({ enabled: true, host: '127.0.0.1', port: bastion.port, user: 'root', auth: 'key', keyFile: key.file, knownHostsFile: knownHosts, useSshConfig: false }),
  hostKeys: new HostKeyPolicy({ knownHostsFile: knownHosts, globalFiles: [], decide: async () => 'reject' }),
});

describe.each([
  ['postgres', postgresSide, 5432],
  ['mariadb', mariadbSide, 3306],
] as const)('%s through an SSH bastion', (kind, makeSide, dbPort) => {
  let source: Side;
  let target: Side;
  beforeAll(async () => {
    source = await makeSide();
    target = await makeSide();
    await source.exec(SEED[kind]);
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('backs up and restores through a local forward of the tunnel: same schema, same rows', async () => {
    const ports: number[] = [];
    const onSpawn = (pid: number) => {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const port = kind === 'postgres' ? env.find((e) => e.startsWith('PGPORT='))!.slice(7) : argv.find((a) => a.startsWith('--port='))!.slice(7);
      ports.push(Number(port));
      if (kind === 'postgres') expect(env).toContain('PGHOSTADDR=127.0.0.1');
      else expect(argv).toContain('--host=127.0.0.1');
    };
    const file = join(dir, `${kind}.backup`);
    const before = (bastion.log().match(/Accepted publickey/g) ?? []).length;
    const from = await openSource(source.url, viaSsh());
    try {
      expect(from.engine.sshTunnel).toBeDefined();
      await runBackup(from, { path: file, overwrite: false, options: { scope: 'all', tables: [] } }, { signal: new AbortController().signal, onSpawn });
    } finally {
      await from.close();
    }
    const to = await openSource(target.url, viaSsh());
    try {
      await runRestore(to, { path: file }, { signal: new AbortController().signal, onSpawn });
    } finally {
      await to.close();
    }
    expect(ports).toHaveLength(2);
    for (const p of ports) expect(p).not.toBe(dbPort);
    // Two engines, one SSH login each: the tools rode the engines' tunnels.
    expect((bastion.log().match(/Accepted publickey/g) ?? []).length - before).toBe(2);
    expect(await schemaPrint(kind, target)).toBe(await schemaPrint(kind, source));
    expect(await rowChecksums(kind, target)).toEqual(await rowChecksums(kind, source));
  });
});

describe('through the app: a saved profile with SSH, backed up and restored over IPC', () => {
  it('the worker hands the tool a forward of the connection’s tunnel', async () => {
    const { createTestCore, saveProfileFromUrl } = await import('../../support/test-core');
    const source = await postgresSide();
    const target = await postgresSide();
    // DEBUG1: sshd logs each forwarded channel (server_request_direct_tcpip … target … port 5432).
    const debugBastion = await startPrivateSshd({ authorizedKeys: [key.publicLine], logLevel: 'DEBUG1' });
    const hostsFile = join(dir, 'known_hosts_debug');
    writeFileSync(hostsFile, debugBastion.knownHostsLine() + '\n');
    const channels = () => (debugBastion.log().match(/direct_tcpip.*port 5432/g) ?? []).length;
    const logins = () => (debugBastion.log().match(/Accepted publickey/g) ?? []).length;
    const t = createTestCore();
    const w = t.openWindow();
    try {
      await source.exec(SEED.postgres);
      const ssh = { enabled: true, host: '127.0.0.1', port: debugBastion.port, user: 'root', auth: 'key', keyFile: key.file, knownHostsFile: hostsFile, useSshConfig: false };
      const from = await saveProfileFromUrl(w.client, source.url, { name: 'via ssh source', ssh });
      const to = await saveProfileFromUrl(w.client, target.url, { name: 'via ssh target', ssh });
      await w.client.call('connections.open', { id: from });
      await w.client.call('connections.open', { id: to });
      // The pools' connections are open (and idle) before counting: new channels now are the tools'.
      await w.client.call('schema.schemas', { connectionId: from });
      await w.client.call('schema.schemas', { connectionId: to });
      const before = { logins: logins(), channels: channels() };
      const path = join(dir, 'ipc-ssh.dump');
      await w.client.call('backup.run', { connectionId: from, jobId: 'job-ssh-0001', path });
      await w.client.call('backup.restore', { connectionId: to, jobId: 'job-ssh-0002', path });
      // The tools' connections were channels of the tunnels the connections already had: no new SSH login.
      await expect.poll(() => channels()).toBeGreaterThanOrEqual(before.channels + 2);
      expect(logins()).toBe(before.logins);
      expect(await rowChecksums('postgres', target)).toEqual(await rowChecksums('postgres', source));
    } finally {
      await w.close();
      await t.close();
      await debugBastion.stop();
      await source.drop();
      await target.drop();
    }
  });
});
