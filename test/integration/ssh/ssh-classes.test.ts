import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blackholeServer, type FakeServer } from '../../support/fake-servers';
import { freePort } from '../../support/free-port';
import { makeKey, startPrivateSshd, type PrivateSshd, type TestKey } from '../../support/private-sshd';
import { expectSshFailure, probe, recordingPolicy, summary } from './ssh-helpers';

/**
 * Every SSH failure class, reproduced with OpenSSH's real sshd on loopback and asserted with its
 * class, the phase and hop it names, and a remedy. Two servers serve the whole file: `jump` and
 * `bastion`; the bastion's extra ports carry the sshd_config variants (Match LocalPort).
 */
let dir: string;
let key: TestKey;
let stranger: TestKey;
let locked: TestKey;
let jump: PrivateSshd;
let bastion: PrivateSshd;
let knownHosts: string;
const fakes: FakeServer[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-ssh-classes-'));
  key = makeKey(dir, 'id_ed25519', 'ed25519');
  stranger = makeKey(dir, 'id_stranger', 'ed25519');
  locked = makeKey(dir, 'id_locked', 'rsa', { passphrase: 'right horse', format: 'PEM' });
  const authorizedKeys = [key.publicLine, locked.publicLine];
  [jump, bastion] = await Promise.all([
    startPrivateSshd({ authorizedKeys, listen: { noForward: ['AllowTcpForwarding no'] } }),
    startPrivateSshd({ authorizedKeys, listen: { noForward: ['AllowTcpForwarding no'], permitElsewhere: ['PermitOpen 127.0.0.1:1'] } }),
  ]);
  knownHosts = join(dir, 'known_hosts');
  const lines = [jump.knownHostsLine(), jump.knownHostsLine(jump.ports.noForward), bastion.knownHostsLine(), ...Object.values(bastion.ports).map((p) => bastion.knownHostsLine(p))];
  writeFileSync(knownHosts, lines.join('\n') + '\n');
});

afterAll(async () => {
  await Promise.all([jump?.stop(), bastion?.stop(), ...fakes.map((f) => f.close())]);
  rmSync(dir, { recursive: true, force: true });
});

const root = (port: number, host = '127.0.0.1') => ({ host, port, user: 'root' });
const withKey = () => ({ method: 'key' as const, keyFile: key.file });

describe('a healthy route', () => {
  it('passes every step of both hops, then the forward; the steps carry their evidence', async () => {
    const run = await probe({ target: root(bastion.port), jumps: [root(jump.port)] }, withKey(), recordingPolicy(knownHosts));
    run.close();
    const text = summary(run.steps);
    expect(run.ok, text).toBe(true);
    expect(run.steps.map((s) => `${s.hop ? s.hop.index : '-'}:${s.phase}`)).toEqual(['-:config', '0:dns', '0:tcp', '0:banner', '0:kex', '0:host-key', '0:auth', '1:jump', '1:banner', '1:kex', '1:host-key', '1:auth', '1:forward']);
    const banner = run.steps.find((s) => s.phase === 'banner')!;
    expect(banner.evidence.banner).toMatch(/^SSH-2\.0-OpenSSH_/);
    const hostKey = run.steps.find((s) => s.phase === 'host-key' && s.hop?.index === 1)!;
    expect(hostKey.evidence).toMatchObject({ state: 'known', fingerprint: bastion.hostKey.fingerprint });
    const auth = run.steps.find((s) => s.phase === 'auth' && s.hop?.index === 1)!;
    expect(auth.evidence.methodsOffered).toContain('publickey');
    expect(auth.evidence.attempts).toEqual([`publickey: ${key.file} (ED25519 ${key.fingerprint}) — accepted`]);
  });
});

describe('the first hop', () => {
  it('ssh-dns-not-found: a bastion name that cannot exist (.invalid)', async () => {
    const failed = expectSshFailure(await probe({ target: root(22, 'bastion.nonexistent.invalid') }, withKey(), recordingPolicy(knownHosts)), 'ssh-dns-not-found', 'dns', 0);
    expect(failed.detail).toContain('bastion.nonexistent.invalid');
  });

  it('ssh-tcp-refused: nothing listens on the SSH port', async () => {
    expectSshFailure(await probe({ target: root(await freePort()) }, withKey(), recordingPolicy(knownHosts)), 'ssh-tcp-refused', 'tcp', 0);
  });

  it('ssh-tcp-timeout: SYNs dropped as by a firewall', async () => {
    const blackhole = await blackholeServer();
    fakes.push(blackhole);
    const run = await probe({ target: root(blackhole.port) }, withKey(), recordingPolicy(knownHosts), { timeouts: { tcp: 800 } });
    const failed = expectSshFailure(run, 'ssh-tcp-timeout', 'tcp', 0);
    expect(failed.ms).toBeLessThan(1500);
  });

  it('ssh-not-ssh: the SSH host and port point at MariaDB, and the step says so', async () => {
    const failed = expectSshFailure(await probe({ target: root(3306) }, withKey(), recordingPolicy(knownHosts)), 'ssh-not-ssh', 'banner', 0);
    expect(failed.evidence.found).toBe('MariaDB');
    expect(failed.remedy!.text).toContain('MariaDB');
  });

  it('ssh-not-ssh: the SSH port is PostgreSQL’s, which stays silent until asked', async () => {
    const failed = expectSshFailure(await probe({ target: root(5432) }, withKey(), recordingPolicy(knownHosts), { timeouts: { banner: 1200 } }), 'ssh-not-ssh', 'banner', 0);
    expect(failed.evidence.found).toBe('PostgreSQL');
  });
});

describe('host keys', () => {
  it('ssh-host-key-unknown: no entry in known_hosts; the fingerprint is the one ssh-keygen prints', async () => {
    const empty = join(dir, 'known_hosts_empty');
    writeFileSync(empty, '');
    const policy = recordingPolicy(empty, 'reject');
    const failed = expectSshFailure(await probe({ target: root(bastion.port) }, withKey(), policy), 'ssh-host-key-unknown', 'host-key', 0);
    expect(failed.evidence.fingerprint).toBe(bastion.hostKey.fingerprint);
    expect(policy.asked.map((q) => q.fingerprint)).toEqual([bastion.hostKey.fingerprint]);
  });

  it('ssh-host-key-changed: the server’s host key was swapped between runs; nobody is asked', async () => {
    const swapped = await startPrivateSshd({ authorizedKeys: [key.publicLine] });
    try {
      const file = join(dir, 'known_hosts_swap');
      writeFileSync(file, swapped.knownHostsLine() + '\n');
      const before = swapped.hostKey.fingerprint;
      await swapped.restart({ newHostKey: true });
      const policy = recordingPolicy(file, 'always');
      const failed = expectSshFailure(await probe({ target: root(swapped.port) }, withKey(), policy), 'ssh-host-key-changed', 'host-key', 0);
      expect(failed.detail).toMatch(/man-in-the-middle/);
      expect(failed.evidence).toMatchObject({ fingerprint: swapped.hostKey.fingerprint, expectedFingerprint: before, offendingEntry: `${file}:1` });
      expect(policy.asked).toEqual([]);
    } finally {
      await swapped.stop();
    }
  });
});

describe('logging in', () => {
  it('ssh-auth-failed: a key the server does not know; the step lists what was offered and tried', async () => {
    const failed = expectSshFailure(await probe({ target: root(bastion.port) }, { method: 'key', keyFile: stranger.file }, recordingPolicy(knownHosts)), 'ssh-auth-failed', 'auth', 0);
    expect(failed.evidence.methodsOffered).toEqual(['publickey']);
    expect(failed.evidence.attempts).toEqual([`publickey: ${stranger.file} (ED25519 ${stranger.fingerprint}) — rejected`]);
    expect(bastion.log()).toMatch(/Failed publickey for root/);
  });

  it('ssh-auth-failed: the agent holds no keys', async () => {
    const { startAgent } = await import('../../support/private-sshd');
    const agent = await startAgent(dir);
    try {
      const failed = expectSshFailure(await probe({ target: root(bastion.port) }, { method: 'agent', agentSocket: agent.socket }, recordingPolicy(knownHosts)), 'ssh-auth-failed', 'auth', 0);
      expect(failed.evidence.notes).toEqual([expect.stringMatching(/holds no keys/)]);
    } finally {
      await agent.stop();
    }
  });

  it('ssh-key-unreadable: a wrong passphrase, a missing file, a public key instead of the private one', async () => {
    const cases = [
      { keyFile: locked.file, passphrase: 'wrong horse', reason: 'wrong passphrase' },
      { keyFile: locked.file, reason: 'protected by a passphrase' },
      { keyFile: join(dir, 'no-such-key'), reason: 'does not exist' },
      { keyFile: `${key.file}.pub`, reason: 'public key' },
    ];
    for (const c of cases) {
      const failed = expectSshFailure(await probe({ target: root(bastion.port) }, { method: 'key', ...c }, recordingPolicy(knownHosts)), 'ssh-key-unreadable', 'auth', 0);
      expect(failed.detail).toContain(c.reason);
      expect(failed.detail).not.toContain('wrong horse');
    }
  });

  it('the same PEM RSA key with its passphrase logs in', async () => {
    const run = await probe({ target: root(bastion.port) }, { method: 'key', keyFile: locked.file, passphrase: 'right horse' }, recordingPolicy(knownHosts));
    run.close();
    expect(run.ok, summary(run.steps)).toBe(true);
  });
});

describe('the forward to the database', () => {
  it('ssh-forwarding-refused: AllowTcpForwarding no', async () => {
    const failed = expectSshFailure(await probe({ target: root(bastion.ports.noForward!) }, withKey(), recordingPolicy(knownHosts)), 'ssh-forwarding-refused', 'forward', 0);
    expect(failed.evidence.openFailure).toMatch(/administratively prohibited/);
  });

  it('ssh-forwarding-refused: PermitOpen lists somewhere else', async () => {
    expectSshFailure(await probe({ target: root(bastion.ports.permitElsewhere!) }, withKey(), recordingPolicy(knownHosts)), 'ssh-forwarding-refused', 'forward', 0);
  });

  it('ssh-target-unreachable: nothing listens behind the bastion', async () => {
    const closed = await freePort();
    const failed = expectSshFailure(await probe({ target: root(bastion.port) }, withKey(), recordingPolicy(knownHosts), { target: { host: '127.0.0.1', port: closed } }), 'ssh-target-unreachable', 'forward', 0);
    expect(failed.evidence.openFailure).toMatch(/refused/i);
  });

  it('ssh-target-unreachable: a database host name the bastion cannot resolve', async () => {
    expectSshFailure(await probe({ target: root(bastion.port) }, withKey(), recordingPolicy(knownHosts), { target: { host: 'db.nonexistent.invalid', port: 5432 } }), 'ssh-target-unreachable', 'forward', 0);
  });
});

describe('jump hosts', () => {
  it('ssh-jump-failed: the jump host may not forward to the bastion (names both hops)', async () => {
    const failed = expectSshFailure(await probe({ target: root(bastion.port), jumps: [root(jump.ports.noForward!)] }, withKey(), recordingPolicy(knownHosts)), 'ssh-jump-failed', 'jump', 1);
    expect(failed.detail).toContain(`Jump host 127.0.0.1:${jump.ports.noForward}`);
    expect(failed.detail).toContain(`the bastion 127.0.0.1:${bastion.port}`);
  });

  it('ssh-jump-failed: the bastion’s port is closed as the jump host sees it', async () => {
    expectSshFailure(await probe({ target: root(await freePort()), jumps: [root(jump.port)] }, withKey(), recordingPolicy(knownHosts)), 'ssh-jump-failed', 'jump', 1);
  });

  it('a failure on the second hop is named with its hop: the bastion does not know the key', async () => {
    const failed = expectSshFailure(await probe({ target: { ...root(bastion.port), user: 'nobody-here' }, jumps: [root(jump.port)] }, withKey(), recordingPolicy(knownHosts)), 'ssh-auth-failed', 'auth', 1);
    expect(failed.detail).toMatch(/^The bastion 127\.0\.0\.1:\d+ \(hop 2 of 2\)/);
  });
});
