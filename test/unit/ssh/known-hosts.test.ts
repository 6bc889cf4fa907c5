import { describe, expect, it } from 'vitest';
import { checkHostKey, formatKnownHostsLine, keyTypeOf, knownHostsName, knownKeyTypes, parseKnownHosts, patternsMatch, sha256Fingerprint } from '../../../electron/core/ssh/known-hosts';

// Keys and lines made by OpenSSH 9.2 (ssh-keygen, and ssh-keygen -H for the hashed lines); fingerprints as `ssh-keygen -l` prints them.
const ED1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIAmoWgx42ytEMFpZoXpqU5oDTGjaOM5E2Hpn9qBr7XC2';
const ED1_FP = 'SHA256:3YH8mdZBs+hbogyaLvxtSipre3pYn0GiYuLmUOReFro';
const ED2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIHPTynj1CjjBQY9fMvZqRnOAfM07oo2MYMRUWasb38BD';
const ED2_FP = 'SHA256:EnlZf3AgyKEseof3bkmoGDF9tADBKYsmzrAIDQ91Fu4';
const EC = 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBKvPuxNf9mCIvhauuwLd568YMnj/gEFMP6XLdgCC1yV8ql2jdhuBq3o58wKpW3oiZRa0ClBjgs7go7UXSUZCQfo=';
const EC_FP = 'SHA256:AZi3mn3c51+bVHTyHz3gGq2vENHFU02z1b33wPE1xrA';
/** `[db.example.com]:2222` → ED1 and `bastion.example.com` → EC, hashed by ssh-keygen -H. */
const HASHED = [
  `|1|vwq12NlIS3WXEw/rlu2WfCKZVes=|74tifpZjyOi3UFVbPeq7P8smi3s= ssh-ed25519 ${ED1}`,
  `|1|IiVtlG73Ooua4EoFGafUoAmlDGY=|ngoFtZ6dDiALHQkIHkP1dtnHLwY= ecdsa-sha2-nistp256 ${EC}`,
].join('\n');
const blob = (b64: string) => Buffer.from(b64, 'base64');

describe('fingerprints and key types', () => {
  it('prints SHA256 fingerprints exactly as ssh-keygen -l does', () => {
    expect(sha256Fingerprint(blob(ED1))).toBe(ED1_FP);
    expect(sha256Fingerprint(blob(ED2))).toBe(ED2_FP);
    expect(sha256Fingerprint(blob(EC))).toBe(EC_FP);
  });

  it('reads the key type from the blob', () => {
    expect(keyTypeOf(blob(ED1))).toBe('ssh-ed25519');
    expect(keyTypeOf(blob(EC))).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOf(Buffer.from([0, 0]))).toBe('unknown');
  });
});

describe('matching host names', () => {
  it('files a host under [host]:port except on port 22', () => {
    expect(knownHostsName('bastion', 22)).toBe('bastion');
    expect(knownHostsName('bastion', 2222)).toBe('[bastion]:2222');
  });

  it('matches patterns with *, ? and negation, case-insensitively', () => {
    expect(patternsMatch('*.example.com,!secret.example.com', 'db.EXAMPLE.com')).toBe(true);
    expect(patternsMatch('*.example.com,!secret.example.com', 'secret.example.com')).toBe(false);
    expect(patternsMatch('db?.example.com', 'db1.example.com')).toBe(true);
    expect(patternsMatch('db?.example.com', 'db12.example.com')).toBe(false);
    expect(patternsMatch('bastion', '[bastion]:2222')).toBe(false);
    expect(patternsMatch('[bastion]:2222', '[bastion]:2222')).toBe(true);
  });

  it('matches names OpenSSH hashed, and only those', () => {
    const entries = parseKnownHosts(HASHED, 'kh');
    expect(checkHostKey(entries, 'db.example.com', 2222, blob(ED1))).toMatchObject({ state: 'known', entry: { line: 1 } });
    expect(checkHostKey(entries, 'bastion.example.com', 22, blob(EC))).toMatchObject({ state: 'known', entry: { line: 2 } });
    expect(checkHostKey(entries, 'db.example.com', 22, blob(ED1))).toMatchObject({ state: 'unknown' });
  });
});

describe('checking a presented key', () => {
  const file = [`# a comment`, ``, `bastion.example.com,10.0.0.5 ssh-ed25519 ${ED1} admin@laptop`, `*.corp.example ecdsa-sha2-nistp256 ${EC}`, `not a valid line`, `@cert-authority *.example.com ssh-ed25519 ${ED2}`, `@revoked * ssh-ed25519 ${ED2}`].join('\n');
  const entries = parseKnownHosts(file, '/home/me/.ssh/known_hosts');

  it('known: the same key on file (comments, blank and broken lines skipped)', () => {
    expect(checkHostKey(entries, '10.0.0.5', 22, blob(ED1))).toMatchObject({ state: 'known', entry: { file: '/home/me/.ssh/known_hosts', line: 3 } });
  });

  it('changed: a key of the same type differs — with the entry that has the old one', () => {
    const other = Buffer.from(blob(ED1));
    other[other.length - 1] = other[other.length - 1]! ^ 1;
    const check = checkHostKey(entries, 'bastion.example.com', 22, other);
    expect(check).toMatchObject({ state: 'changed', expected: { line: 3 } });
  });

  it('unknown: nothing on file, or only keys of another type (named)', () => {
    expect(checkHostKey(entries, 'new.example.org', 22, blob(ED1))).toEqual({ state: 'unknown', otherTypes: [] });
    expect(checkHostKey(entries, 'db.corp.example', 22, blob(ED1))).toEqual({ state: 'unknown', otherTypes: ['ecdsa-sha2-nistp256'] });
    expect(knownKeyTypes(entries, 'db.corp.example', 22)).toEqual(['ecdsa-sha2-nistp256']);
  });

  it('revoked: a key under @revoked is refused whatever else is on file; @cert-authority lines are not host keys', () => {
    expect(checkHostKey(entries, 'anything.example.com', 22, blob(ED2))).toMatchObject({ state: 'revoked', entry: { line: 7 } });
  });
});

describe('writing entries', () => {
  it('writes OpenSSH’s line, plain or hashed; a hashed line matches its name only', () => {
    expect(formatKnownHostsLine('127.0.0.1', 2222, blob(ED1), false)).toBe(`[127.0.0.1]:2222 ssh-ed25519 ${ED1}`);
    const hashed = formatKnownHostsLine('bastion.example.com', 22, blob(EC), true);
    expect(hashed).toMatch(/^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}= ecdsa-sha2-nistp256 /);
    const entries = parseKnownHosts(hashed, 'kh');
    expect(checkHostKey(entries, 'bastion.example.com', 22, blob(EC)).state).toBe('known');
    expect(checkHostKey(entries, 'bastion2.example.com', 22, blob(EC)).state).toBe('unknown');
  });
});
