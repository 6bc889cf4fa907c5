import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../../electron/core/errors';
import type { SshCredentials } from '../../../electron/core/ssh/ssh-auth';
import { SshTyped, type SshAnswer } from '../../../electron/core/ssh/ssh-questions';
import { resolveRoute } from '../../../electron/core/ssh/ssh-route';
import { SshTunnel } from '../../../electron/core/ssh/ssh-tunnel';
import type { SshQuestion } from '../../../shared/model/ssh';
import { makeKey, startPrivateSshd, type PrivateSshd, type TestKey } from '../../support/private-sshd';
import { newTotpSecret, totp } from '../../support/totp';
import { recordingPolicy } from './ssh-helpers';

/**
 * What an SSH login asks the person, against OpenSSH's real sshd: a key's passphrase (wrong, then
 * right, then remembered and not asked again on a reconnect), the SSH password (refused by sshd,
 * asked again), and keyboard-interactive through a real PAM stack — pam_unix's "Password:"
 * answered with the profile's password, then pam_google_authenticator's one-time code shown with
 * the server's own prompt and echo setting; a cancelled question cancels the connection; the
 * connect clock stops while the person types.
 */
let dir: string;
let locked: TestKey;
let keyed: PrivateSshd;
let otp: PrivateSshd;
let knownHosts: string;
let otpSecret: string;
const tunnels: SshTunnel[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-ssh-questions-'));
  locked = makeKey(dir, 'id_locked', 'ed25519', { passphrase: 'right horse' });
  otpSecret = newTotpSecret();
  const secretFile = join(dir, 'google_authenticator');
  writeFileSync(secretFile, `${otpSecret}\n" TOTP_AUTH\n`, { mode: 0o600 });
  [keyed, otp] = await Promise.all([
    startPrivateSshd({ authorizedKeys: [locked.publicLine], password: 'bastion pw' }),
    startPrivateSshd({
      password: 'bastion pw',
      // The account's password first, then a one-time code (shown as it is typed: echo_verification_code).
      pamAuth: ['auth required pam_unix.so nodelay', `auth required pam_google_authenticator.so secret=${secretFile} user=root echo_verification_code`],
      config: ['AuthenticationMethods keyboard-interactive'],
    }),
  ]);
  knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, [keyed.knownHostsLine(), otp.knownHostsLine()].join('\n') + '\n');
});

afterAll(async () => {
  for (const t of tunnels) t.close();
  await Promise.all([keyed?.stop(), otp?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** A person who answers each question with the next of `answers` (null: cancels), after `delayMs`. */
function person(answers: (SshAnswer | ((q: SshQuestion) => SshAnswer) | null)[], delayMs = 0) {
  const asked: SshQuestion[] = [];
  const ask = async (q: SshQuestion) => {
    asked.push(q);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const next = answers.shift();
    if (next === undefined) throw new Error(`Unexpected question: ${JSON.stringify(q)}`);
    return typeof next === 'function' ? next(q) : next;
  };
  return { ask, asked };
}

function tunnel(server: PrivateSshd, credentials: SshCredentials, connectTimeoutMs = 5000): SshTunnel {
  const t = new SshTunnel({
    route: resolveRoute({ target: { host: '127.0.0.1', port: server.port, user: 'root' }, jumps: [], useSshConfig: false }),
    credentials,
    hostKeys: recordingPolicy(knownHosts),
    connectTimeoutMs,
    keepaliveIntervalMs: 0,
  });
  tunnels.push(t);
  return t;
}

const accepted = (server: PrivateSshd, method: string) => (server.log().match(new RegExp(`Accepted ${method} for root`, 'g')) ?? []).length;

/** sshd writes "Accepted …" to its log a moment after the client hears of the success: waits for the count (2 s at most). */
async function acceptedReaches(server: PrivateSshd, method: string, count: number): Promise<number> {
  const deadline = Date.now() + 2000;
  while (accepted(server, method) < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return accepted(server, method);
}

describe('questions an SSH login puts to the person', () => {
  it('a key passphrase not saved: asked, a wrong one said so and asked again, the right one kept for reconnects and remembered', async () => {
    const typed = new SshTyped();
    const { ask, asked } = person([
      { answers: ['wrong horse'], remember: false },
      { answers: ['right horse'], remember: true },
    ]);
    const credentials: SshCredentials = { method: 'key', keyFile: locked.file, ask, typed };
    const t = tunnel(keyed, credentials);
    await t.connect();
    expect(asked).toMatchObject([
      { kind: 'passphrase', keyFile: locked.file, previousWrong: false, canRemember: true, user: 'root', server: `127.0.0.1:${keyed.port}`, prompts: [{ prompt: `Enter passphrase for key '${locked.file}':`, echo: false }] },
      { kind: 'passphrase', previousWrong: true },
    ]);
    expect(typed.remember).toEqual({ passphrase: 'right horse' });
    expect(typed.secrets).toEqual(['wrong horse', 'right horse']);
    // The tunnel drops; the next use reconnects without asking again.
    keyed.dropConnections();
    await expect.poll(() => t.isOpen).toBe(false);
    await t.connect();
    expect(asked).toHaveLength(2);
    t.close();
  });

  it('the SSH password not saved: asked; sshd refuses a wrong one, which is said and asked again', async () => {
    const typed = new SshTyped();
    const { ask, asked } = person([
      { answers: ['not it'], remember: false },
      { answers: ['bastion pw'], remember: true },
    ]);
    const before = accepted(keyed, 'password');
    const t = tunnel(keyed, { method: 'password', ask, typed });
    await t.connect();
    t.close();
    expect(asked).toMatchObject([
      { kind: 'password', previousWrong: false, canRemember: true, prompts: [{ prompt: `root@127.0.0.1's password:`, echo: false }] },
      { kind: 'password', previousWrong: true, canRemember: true },
    ]);
    expect(keyed.log()).toMatch(/Failed password for root/);
    expect(await acceptedReaches(keyed, 'password', before + 1)).toBe(before + 1);
    expect(typed.remember).toEqual({ password: 'bastion pw' });
  });

  it('keyboard-interactive through PAM: "Password:" answered with the saved password, the one-time code asked with the server’s words and echo', async () => {
    const { ask, asked } = person([
      { answers: ['000000'], remember: false },
      () => ({ answers: [totp(otpSecret)], remember: false }),
    ]);
    const t = tunnel(otp, { method: 'keyboard-interactive', password: 'bastion pw', ask, typed: new SshTyped() });
    await t.connect();
    t.close();
    // The code prompt is the module's own text; it asks with echo on (echo_verification_code).
    expect(asked).toMatchObject([
      { kind: 'prompts', previousWrong: false, canRemember: false, prompts: [{ prompt: 'Verification code:', echo: true }] },
      { kind: 'prompts', previousWrong: true, prompts: [{ prompt: 'Verification code:', echo: true }] },
    ]);
    expect(await acceptedReaches(otp, 'keyboard-interactive/pam', 1)).toBeGreaterThanOrEqual(1);
  });

  it('keyboard-interactive without a saved password: PAM’s own "Password:" prompt is asked (hidden), then the code', async () => {
    const { ask, asked } = person([{ answers: ['bastion pw'], remember: true }, () => ({ answers: [totp(otpSecret)], remember: false })]);
    const typed = new SshTyped();
    const t = tunnel(otp, { method: 'keyboard-interactive', ask, typed });
    await t.connect();
    t.close();
    expect(asked).toMatchObject([
      { kind: 'password', canRemember: true, prompts: [{ prompt: 'Password:', echo: false }] },
      { kind: 'prompts', prompts: [{ prompt: 'Verification code:', echo: true }] },
    ]);
    expect(typed.remember).toEqual({ password: 'bastion pw' });
  });

  it('a cancelled question cancels the connection; the connect clock stops while the person types', async () => {
    const cancelled = tunnel(keyed, { method: 'key', keyFile: locked.file, ...person([null]) });
    const err = await cancelled.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoreError);
    expect((err as CoreError).code).toBe('cancelled');

    // A 1.5 s connect limit, a person who takes 2 s: the login still succeeds.
    const slow = person([{ answers: ['bastion pw'], remember: false }], 2000);
    const t = tunnel(keyed, { method: 'password', ask: slow.ask }, 1500);
    await t.connect();
    t.close();
    expect(slow.asked).toHaveLength(1);
  });
});
