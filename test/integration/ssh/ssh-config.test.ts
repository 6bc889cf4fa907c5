import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrivateKey } from '../../../electron/core/ssh/private-keys';
import { resolveRoute, type SshRouteContext } from '../../../electron/core/ssh/ssh-route';
import { makeKey } from '../../support/private-sshd';

/** ~/.ssh/config as ssh reads it (files in a temporary home), and private keys in every format ssh-keygen writes. */
let home: string;
let ctx: SshRouteContext;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'dbdesk-ssh-config-'));
  mkdirSync(join(home, '.ssh', 'conf.d'), { recursive: true });
  mkdirSync(join(home, 'etc'));
  const user = join(home, '.ssh', 'config');
  const system = join(home, 'etc', 'ssh_config');
  writeFileSync(
    user,
    [
      'Include conf.d/*.conf',
      'Host bastion-*',
      '  User ops',
      '  Include conf.d/keys',
      '  Port 2200',
      'Host *.internal !secret.internal',
      '  ProxyJump jump1,jump2:2022',
      'Host jump1',
      '  HostName 10.1.0.1',
      '  ProxyJump outer',
      'Host jump2',
      '  ProxyJump never-used',
      'Host loop-a',
      '  ProxyJump loop-b',
      'Host loop-b',
      '  ProxyJump loop-a',
      'Host cmd',
      '  ProxyCommand nc %h %p',
      `Match host exec-test exec "touch ${join(home, 'exec-ran')}"`,
      '  User exec-user',
      'Host tokens',
      '  HostName %h.example.com',
      '  IdentityFile ~/.ssh/id_%r_%h_%p',
      '  IdentityFile %d/keys/%u-%n',
      '  IdentitiesOnly yes',
    ].join('\n'),
  );
  // Sorted as glob(3) sorts: 10-first.conf before 20-second.conf; only *.conf.
  writeFileSync(join(home, '.ssh', 'conf.d', '20-second.conf'), 'Host bastion-prod\n  HostName 10.0.0.99\n  User second\n');
  writeFileSync(join(home, '.ssh', 'conf.d', '10-first.conf'), 'Host bastion-prod\n  HostName 10.0.0.10\n');
  writeFileSync(join(home, '.ssh', 'conf.d', 'ignored.txt'), 'Host bastion-prod\n  HostName 6.6.6.6\n');
  // Included inside `Host bastion-*`: its lines belong to that block; the Port after the Include still does too.
  writeFileSync(join(home, '.ssh', 'conf.d', 'keys'), '  IdentityFile ~/.ssh/id_ops\n');
  writeFileSync(system, 'Host *\n  User system-default\n  Port 22\n  HashKnownHosts yes\n');
  ctx = { home, configFiles: [user, system], localUser: 'me' };
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

const route = (host: string, extra: { port?: number; user?: string; jumps?: { host: string }[] } = {}) =>
  resolveRoute({ target: { host, ...(extra.port ? { port: extra.port } : {}), ...(extra.user ? { user: extra.user } : {}) }, jumps: extra.jumps ?? [], useSshConfig: true }, ctx);

describe('reading ~/.ssh/config', () => {
  it('Include: relative to ~/.ssh, wildcards sorted, first value wins; an Include inside a Host block stays in that block', () => {
    const { hops, configFilesRead } = route('bastion-prod');
    expect(hops).toHaveLength(1);
    // HostName from 10-first.conf (read before 20-second.conf), User from 20-second.conf (before `Host bastion-*`).
    expect(hops[0]).toMatchObject({ given: 'bastion-prod', host: '10.0.0.10', port: 2200, user: 'second', identityFiles: [join(home, '.ssh', 'id_ops')], identityFilesExplicit: true, hashKnownHosts: true });
    expect(configFilesRead).toEqual([ctx.configFiles![0], join(home, '.ssh', 'conf.d', '10-first.conf'), join(home, '.ssh', 'conf.d', '20-second.conf'), join(home, '.ssh', 'conf.d', 'keys'), ctx.configFiles![1]]);
    expect(hops[0]!.applied).toEqual([`Host bastion-prod (${join(home, '.ssh', 'conf.d', '10-first.conf')})`, `Host bastion-prod (${join(home, '.ssh', 'conf.d', '20-second.conf')})`, `Host bastion-* (${ctx.configFiles![0]})`, `Host * (${ctx.configFiles![1]})`]);
  });

  it('the profile’s own port and user win over the config', () => {
    expect(route('bastion-prod', { port: 22, user: 'admin' }).hops[0]).toMatchObject({ port: 22, user: 'admin' });
    expect(route('bastion-test').hops[0]).toMatchObject({ host: 'bastion-test', port: 2200, user: 'ops' });
  });

  it('a host no entry names: the system defaults and ssh’s default identity files (not required to exist)', () => {
    const hop = route('plain.example.com').hops[0]!;
    expect(hop).toMatchObject({ host: 'plain.example.com', port: 22, user: 'system-default', identityFilesExplicit: false });
    expect(hop.identityFiles).toContain(join(home, '.ssh', 'id_ed25519'));
  });

  it('tokens: %h %r %p %d %u %n and ~ as ssh expands them', () => {
    const hop = route('tokens').hops[0]!;
    expect(hop).toMatchObject({ host: 'tokens.example.com', identitiesOnly: true });
    expect(hop.identityFiles).toEqual([join(home, '.ssh', 'id_system-default_tokens.example.com_22'), join(home, 'keys', 'me-tokens')]);
  });

  it('ProxyJump: the first jump host with its own ProxyJump, the later ones without theirs, then the target', () => {
    const hops = route('db.internal').hops.map((h) => `${h.given}=${h.host}:${h.port}`);
    expect(hops).toEqual(['outer=outer:22', 'jump1=10.1.0.1:22', 'jump2=jump2:2022', 'db.internal=db.internal:22']);
    expect(route('secret.internal').hops).toHaveLength(1);
  });

  it('jump hosts in the profile replace the config’s ProxyJump (as ssh -J does)', () => {
    expect(route('db.internal', { jumps: [{ host: 'mine' }] }).hops.map((h) => h.given)).toEqual(['mine', 'db.internal']);
  });

  it('a ProxyJump loop is an error, not a hang', () => {
    expect(() => route('loop-a')).toThrow(/more than 8 jump hosts/);
  });

  it('ProxyCommand is not run and Match exec is never executed; both are reported', () => {
    expect(route('cmd').hops[0]!.ignored).toEqual(expect.arrayContaining([expect.stringMatching(/^ProxyCommand/), expect.stringMatching(/^Match exec/)]));
    expect(route('exec-test').hops[0]!.user).toBe('system-default');
    expect(existsSync(join(home, 'exec-ran'))).toBe(false);
  });

  it('with the config off: only what the profile says, port 22 and the local user', () => {
    expect(resolveRoute({ target: { host: 'bastion-prod' }, jumps: [], useSshConfig: false }, ctx).hops[0]).toMatchObject({ host: 'bastion-prod', port: 22, user: 'me', applied: [] });
  });
});

describe('private key files in every format ssh-keygen writes', () => {
  const cases = [
    { name: 'ed25519', type: 'ed25519', format: undefined, expected: 'ssh-ed25519' },
    { name: 'ed25519-pkcs8', type: 'ed25519', format: 'PKCS8', expected: 'ssh-ed25519' },
    { name: 'ecdsa-pem', type: 'ecdsa', format: 'PEM', expected: 'ecdsa-sha2-nistp256' },
    { name: 'ecdsa-pkcs8', type: 'ecdsa', format: 'PKCS8', expected: 'ecdsa-sha2-nistp256' },
    { name: 'rsa', type: 'rsa', format: undefined, expected: 'ssh-rsa' },
    { name: 'rsa-pem', type: 'rsa', format: 'PEM', expected: 'ssh-rsa' },
    { name: 'rsa-pkcs8', type: 'rsa', format: 'PKCS8', expected: 'ssh-rsa' },
  ] as const;

  it.each(cases)('$name: read with and without its passphrase, the wrong one named as such', async ({ name, type, format, expected }) => {
    const dir = join(home, 'keys-' + name);
    mkdirSync(dir);
    const plain = makeKey(dir, 'plain', type, format ? { format } : {});
    const locked = makeKey(dir, 'locked', type, { passphrase: 'correct staple', ...(format ? { format } : {}) });
    expect(await loadPrivateKey(plain.file)).toMatchObject({ ok: true, type: expected, fingerprint: plain.fingerprint });
    expect(await loadPrivateKey(locked.file, 'correct staple')).toMatchObject({ ok: true, type: expected, fingerprint: locked.fingerprint });
    expect(await loadPrivateKey(locked.file)).toMatchObject({ ok: false, problem: 'needs-passphrase' });
    expect(await loadPrivateKey(locked.file, 'wrong staple')).toMatchObject({ ok: false, problem: 'wrong-passphrase' });
  });

  it('names the other problems: missing, unreadable, a public key, not a key at all', async () => {
    const dir = join(home, 'keys-bad');
    mkdirSync(dir);
    const k = makeKey(dir, 'k', 'ed25519');
    writeFileSync(join(dir, 'junk'), 'hello');
    expect(await loadPrivateKey(join(dir, 'missing'))).toMatchObject({ ok: false, problem: 'missing' });
    expect(await loadPrivateKey(dir)).toMatchObject({ ok: false, problem: 'unreadable' });
    expect(await loadPrivateKey(`${k.file}.pub`)).toMatchObject({ ok: false, problem: 'not-private' });
    expect(await loadPrivateKey(join(dir, 'junk'))).toMatchObject({ ok: false, problem: 'unsupported' });
  });
});
