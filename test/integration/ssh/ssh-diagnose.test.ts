import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDiagnostics } from '../../../features/diagnostics/core/run-diagnostics';
import { SshSettings } from '../../../shared/model/ssh';
import { makeKey, startPrivateSshd, type PrivateSshd, type TestKey } from '../../support/private-sshd';
import { configFromUrl } from '../diagnostics/diagnose-helpers';

/**
 * The diagnosis of a connection through SSH: the hops' steps before the database's, then every
 * database step through the tunnel; the CLI's --ssh flags and --json; host keys as OpenSSH's
 * StrictHostKeyChecking; `dbdesk migrate` through the same flags. Reports never hold a passphrase.
 */
let dir: string;
let key: TestKey;
let locked: TestKey;
let jump: PrivateSshd;
let bastion: PrivateSshd;
let knownHosts: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-ssh-diagnose-'));
  key = makeKey(dir, 'id_ed25519', 'ed25519');
  locked = makeKey(dir, 'id_locked', 'ed25519', { passphrase: 'swordfish-777' });
  [jump, bastion] = await Promise.all([
    startPrivateSshd({ authorizedKeys: [key.publicLine, locked.publicLine] }),
    startPrivateSshd({ authorizedKeys: [key.publicLine, locked.publicLine], listen: { noForward: ['AllowTcpForwarding no'] } }),
  ]);
  knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, [jump.knownHostsLine(), bastion.knownHostsLine(), bastion.knownHostsLine(bastion.ports.noForward)].join('\n') + '\n');
});

afterAll(async () => {
  await Promise.all([jump?.stop(), bastion?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const PG = 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable';

function dbdesk(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/dbdesk.cjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DBDESK_DATA_DIR: '', SSH_AUTH_SOCK: '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
  });
}

describe('the panel’s diagnosis through SSH', () => {
  it('a healthy route: both hops step by step, then the database’s steps through the tunnel', async () => {
    const ssh = SshSettings.parse({ enabled: true, host: '127.0.0.1', port: bastion.port, user: 'root', auth: 'key', keyFile: key.file, jumps: [{ host: '127.0.0.1', port: jump.port, user: 'root' }], knownHostsFile: knownHosts, useSshConfig: false });
    const plans: string[][] = [];
    const run = await runDiagnostics({ ...configFromUrl(PG), ssh }, { onProgress: (p) => p.kind === 'plan' && plans.push(p.steps.map((s) => `${s.hop ? s.hop.index : '-'}:${s.id}`)) });
    const summary = run.steps.map((s) => `${s.hop ? s.hop.index : '-'}:${s.id}:${s.status}`);
    expect(run.verdict.usable, summary.join('\n')).toBe(true);
    expect(summary.slice(0, 14)).toEqual([
      '-:ssh-config:ok',
      '0:ssh-dns:ok',
      '0:ssh-tcp:ok',
      '0:ssh-banner:ok',
      '0:ssh-kex:ok',
      '0:ssh-host-key:ok',
      '0:ssh-auth:ok',
      '1:ssh-jump:ok',
      '1:ssh-banner:ok',
      '1:ssh-kex:ok',
      '1:ssh-host-key:ok',
      '1:ssh-auth:ok',
      '1:ssh-forward:ok',
      '-:config:ok',
    ]);
    expect(summary.slice(14, 18)).toEqual(['-:dns:skip', '-:tcp:skip', '-:fingerprint:ok', '-:tls:skip']);
    expect(run.steps.find((s) => s.id === 'auth')!.status).toBe('ok');
    expect(plans[0]!.slice(0, 13)).toEqual(summary.slice(0, 13).map((s) => s.replace(/:(ok|fail|skip|warn)$/, '')));
  });

  it('a broken tunnel: the SSH step fails with its class, the database steps are not run, the remedy is for the bastion’s admin', async () => {
    const ssh = SshSettings.parse({ enabled: true, host: '127.0.0.1', port: bastion.ports.noForward, user: 'root', auth: 'key', keyFile: locked.file, knownHostsFile: knownHosts, useSshConfig: false });
    const run = await runDiagnostics({ ...configFromUrl(PG), ssh, sshPassphrase: 'swordfish-777' });
    expect(run.verdict).toMatchObject({ usable: false, classId: 'ssh-forwarding-refused', failedStep: 'ssh-forward', remedy: { audience: 'bastion' } });
    expect(run.steps.filter((s) => !s.id.startsWith('ssh-')).every((s) => s.status === 'skip')).toBe(true);
    const text = JSON.stringify(run);
    expect(text).not.toContain('swordfish-777');
    expect(text).toContain(locked.file);
  });
});

describe('dbdesk diagnose --ssh', () => {
  it('an unknown host key fails (exit 1, ssh-host-key-unknown); --ssh-accept-new adds it and passes; a changed key fails even then', async () => {
    const server = await startPrivateSshd({ authorizedKeys: [key.publicLine] });
    try {
      const file = join(dir, 'known_hosts_cli');
      writeFileSync(file, '');
      const args = ['diagnose', PG, '--ssh', `root@127.0.0.1:${server.port}`, '--ssh-key', key.file, '--ssh-known-hosts', file, '--json'];
      const first = await dbdesk(args);
      expect(first.code, first.err).toBe(1);
      const json = JSON.parse(first.out) as { class: string; steps: { id: string; hop?: string; status: string; remedy: string | null }[] };
      expect(json.class).toBe('ssh-host-key-unknown');
      expect(json.steps.find((s) => s.id === 'ssh-host-key')).toMatchObject({ hop: `127.0.0.1:${server.port}`, status: 'fail' });
      expect(readFileSync(file, 'utf8')).toBe('');
      const accepted = await dbdesk([...args, '--ssh-accept-new']);
      expect(accepted.code, accepted.out).toBe(0);
      // Written as OpenSSH would (hashed when ssh_config says HashKnownHosts yes, as Debian's does): ssh-keygen -F finds it.
      const written = readFileSync(file, 'utf8');
      expect(written.trim().split(' ').slice(1).join(' ')).toBe(server.knownHostsLine().split(' ').slice(1).join(' '));
      expect(spawnSync('ssh-keygen', ['-F', `[127.0.0.1]:${server.port}`, '-f', file], { encoding: 'utf8' }).stdout).toContain('found: line 1');
      await server.restart({ newHostKey: true });
      const changed = await dbdesk([...args, '--ssh-accept-new']);
      expect(changed.code).toBe(1);
      expect(JSON.parse(changed.out).class).toBe('ssh-host-key-changed');
      // The entry on file is never replaced by the new key.
      expect(readFileSync(file, 'utf8')).toBe(written);
    } finally {
      await server.stop();
    }
  });

  it('--ssh-jump in order, the text report names the hops; the passphrase from the environment never shows', async () => {
    const out = await dbdesk(['diagnose', PG, '--ssh', `root@127.0.0.1:${bastion.port}`, '--ssh-jump', `root@127.0.0.1:${jump.port}`, '--ssh-key', locked.file, '--ssh-known-hosts', knownHosts], { DBDESK_SSH_PASSPHRASE: 'swordfish-777' });
    expect(out.code, out.out + out.err).toBe(0);
    expect(out.out).toMatch(/ssh-jump .*\[hop 2\]/);
    expect(out.out).toMatch(/USABLE/);
    expect(out.out + out.err).not.toContain('swordfish-777');
  });

  it('bad SSH arguments exit 2 with the reason', async () => {
    const r = await dbdesk(['diagnose', PG, '--ssh-key', key.file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/need --ssh/);
    const bad = await dbdesk(['diagnose', PG, '--ssh', 'root@host:99999']);
    expect(bad.code).toBe(2);
  });
});

describe('dbdesk migrate --ssh', () => {
  it('plans and applies through the tunnel', async () => {
    const migrations = join(dir, 'migrations');
    mkdirSync(migrations, { recursive: true });
    const table = `ssh_mig_${process.pid}`;
    writeFileSync(join(migrations, '20260101000000_create.sql'), `-- migrate:up\nCREATE TABLE ${table} (id int);\n\n-- migrate:down\nDROP TABLE ${table};\n`);
    const ssh = ['--ssh', `root@127.0.0.1:${bastion.port}`, '--ssh-key', key.file, '--ssh-known-hosts', knownHosts];
    const db = `dbdesk_ssh_${process.pid}`;
    const { postgresAdmin } = await import('../../support/servers');
    const admin = await postgresAdmin();
    await admin.query(`CREATE DATABASE ${db}`);
    try {
      const url = `postgres://postgres@127.0.0.1:5432/${db}?sslmode=disable`;
      const up = await dbdesk(['migrate', 'up', '--url', url, '--dir', migrations, '--json', ...ssh]);
      expect(up.code, up.out + up.err).toBe(0);
      const status = await dbdesk(['migrate', 'status', '--url', url, '--dir', migrations, '--json', ...ssh]);
      expect(status.code).toBe(0);
      expect(status.out).toContain('20260101000000');
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
    }
  });
});
