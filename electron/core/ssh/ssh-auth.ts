import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { BaseAgent, OpenSSHAgent, utils, type AnyAuthMethod, type AuthenticationType, type AuthHandlerMiddleware, type ParsedKey, type Prompt } from 'ssh2';
import type { SshAuthMethod } from '../../../shared/model/ssh';
import { sha256Fingerprint } from './known-hosts';
import { describeKey, keyProblemText, loadPrivateKey, type KeyProblem, type LoadedKey } from './private-keys';
import { hopTitle, SshError, type HopRef } from './ssh-failure';
import type { SshHop } from './ssh-route';

/** What DB Desk may use to log in to the SSH servers of a route (the same for every hop). */
export interface SshCredentials {
  method: SshAuthMethod;
  /** The agent's socket: SSH_AUTH_SOCK of the process by default. */
  agentSocket?: string;
  /** The profile's private key file (method `key`). */
  keyFile?: string;
  passphrase?: string;
  password?: string;
  /** Asked when a key needs a passphrase that was not given; null: none (the key is skipped). */
  askPassphrase?: (file: string) => Promise<string | null>;
  /** Keyboard-interactive prompts that are not a password prompt (a one-time code…); null: not answered. */
  answerPrompts?: (prompts: Prompt[], instructions: string) => Promise<string[] | null>;
}

/** One credential and what became of it, for the diagnosis and the error message. */
export interface AuthAttempt {
  method: 'none' | 'publickey' | 'password' | 'keyboard-interactive';
  /** `agent: ED25519 SHA256:… (me@laptop)`, `/home/me/.ssh/id_ed25519 (ED25519 SHA256:…)`, `password`. Never key material. */
  credential: string;
  result: 'accepted' | 'rejected' | 'partial' | 'unusable' | 'not-offered';
  reason?: string;
}

type Candidate =
  | { kind: 'agent'; label: string; agent: BaseAgent }
  | { kind: 'key'; label: string; key: ParsedKey }
  | { kind: 'password'; label: string }
  | { kind: 'keyboard-interactive'; label: string };

const wireMethod = (c: Candidate): AuthAttempt['method'] => (c.kind === 'agent' || c.kind === 'key' ? 'publickey' : c.kind);

/**
 * Drives ssh2's authentication for one hop and keeps the record: the methods the server offers
 * (learnt from a first `none` request, as ssh does), every credential tried and why it failed.
 * A key the profile names that cannot be loaded is `ssh-key-unreadable`; credentials the server
 * refused are `ssh-auth-failed`.
 */
export class HopAuthentication {
  offered: string[] | null = null;
  readonly attempts: AuthAttempt[] = [];
  /** What could not be used at all: agent empty, key unreadable… */
  readonly notes: string[] = [];
  private candidates: Candidate[] | null = null;
  private current: { candidate: Candidate | null; attempt: AuthAttempt | null } = { candidate: null, attempt: null };
  private profileKeyProblem: KeyProblem | null = null;
  private disconnectReason: string | null = null;

  constructor(
    private readonly hop: SshHop,
    private readonly ref: HopRef,
    private readonly credentials: SshCredentials,
    /** Keys already decrypted for this route (bcrypt-pbkdf in JS costs ~1.6 s per OpenSSH key at 16 rounds). */
    private readonly keyCache: Map<string, LoadedKey> = new Map(),
  ) {}

  /** ssh2's authHandler: called first with null (we send `none`), then after each failure. */
  readonly handler: AuthHandlerMiddleware = (methodsLeft, partialSuccess, next) => {
    const left = methodsLeft as AuthenticationType[] | null;
    if (this.current.attempt) this.current.attempt.result = partialSuccess ? 'partial' : 'rejected';
    if (left === null) {
      this.current = { candidate: null, attempt: null };
      next({ type: 'none', username: this.hop.user });
      return;
    }
    if (this.offered === null) this.offered = [...left];
    this.prepare()
      .then(() => this.nextCandidate(left))
      .then((method) => next(method ?? (false as unknown as AnyAuthMethod)))
      .catch(() => next(false as unknown as AnyAuthMethod));
  };

  /** Called on 'ready': the last credential sent was accepted. */
  succeeded(): void {
    if (this.current.attempt) this.current.attempt.result = 'accepted';
  }

  /** The server hung up during authentication (MaxAuthTries, a policy…). */
  disconnected(reason: string): void {
    this.disconnectReason = reason;
  }

  /** The error for a login that did not succeed, classified, with every attempt in its message and evidence. */
  failure(cause?: unknown): SshError {
    const tried = this.attempts.filter((a) => a.result === 'rejected' || a.result === 'partial');
    const unusable = this.attempts.filter((a) => a.result === 'unusable');
    const keyUnreadable = this.profileKeyProblem !== null || (tried.length === 0 && unusable.length > 0);
    const lines = [
      `${hopTitle(this.ref)} did not accept the login as "${this.hop.user}".`,
      this.offered ? `It offers: ${this.offered.join(', ') || 'nothing'}.` : '',
      this.attempts.length > 0 ? `Tried: ${this.attempts.map((a) => `${a.credential} — ${a.result}${a.reason ? ` (${a.reason})` : ''}`).join('; ')}.` : 'Nothing to try.',
      this.notes.length > 0 ? this.notes.join(' ') : '',
      this.disconnectReason ? `The server closed the connection: ${this.disconnectReason}.` : '',
    ];
    return new SshError(keyUnreadable ? 'ssh-key-unreadable' : 'ssh-auth-failed', 'auth', this.ref, lines.filter(Boolean).join(' '), this.evidence(), { cause });
  }

  evidence(): Record<string, string | string[]> {
    return {
      user: this.hop.user,
      methodsOffered: this.offered ?? [],
      attempts: this.attempts.map((a) => `${a.method}: ${a.credential} — ${a.result}${a.reason ? ` (${a.reason})` : ''}`),
      notes: this.notes,
      ...(this.hop.identityFilesExplicit ? { identityFiles: this.hop.identityFiles } : {}),
    };
  }

  private async nextCandidate(left: AuthenticationType[]): Promise<AnyAuthMethod | null> {
    const user = this.hop.user;
    for (;;) {
      const candidate = this.candidates!.shift();
      if (!candidate) {
        this.current = { candidate: null, attempt: null };
        return null;
      }
      const method = wireMethod(candidate);
      const attempt: AuthAttempt = { method, credential: candidate.label, result: 'rejected' };
      this.attempts.push(attempt);
      if (!left.includes(method)) {
        attempt.result = 'not-offered';
        continue;
      }
      this.current = { candidate, attempt };
      switch (candidate.kind) {
        case 'agent':
          return { type: 'agent', username: user, agent: candidate.agent };
        case 'key':
          return { type: 'publickey', username: user, key: candidate.key };
        case 'password':
          return { type: 'password', username: user, password: this.credentials.password ?? '' };
        case 'keyboard-interactive':
          return { type: 'keyboard-interactive', username: user, prompt: (_name, instructions, _lang, prompts, finish) => void this.answer(prompts, instructions).then(finish) };
      }
    }
  }

  private async answer(prompts: Prompt[], instructions: string): Promise<string[]> {
    const password = this.credentials.password;
    const isSecret = (p: Prompt) => !p.echo && /pass(word|phrase|code)?/i.test(p.prompt);
    if (prompts.every(isSecret) && password !== undefined) return prompts.map(() => password);
    const answered = await this.credentials.answerPrompts?.(prompts, instructions);
    if (answered) return answered;
    if (this.current.attempt) this.current.attempt.reason = `unanswered prompt: ${prompts.map((p) => p.prompt.trim()).join(', ')}`;
    return prompts.map(() => '');
  }

  /** Builds the credentials once, in the order the profile's method asks for. */
  private async prepare(): Promise<void> {
    if (this.candidates) return;
    const c = this.credentials;
    const list: Candidate[] = [];
    const seen = new Set<string>();
    const addKeyFile = async (file: string, fromProfile: boolean, required: boolean) => {
      if (!required && !existsSync(file)) return;
      let loaded = this.keyCache.get(file) ?? (await loadPrivateKey(file, fromProfile ? c.passphrase : undefined));
      if (!loaded.ok && loaded.problem === 'needs-passphrase' && c.askPassphrase) {
        const asked = await c.askPassphrase(file);
        if (asked !== null) loaded = await loadPrivateKey(file, asked);
      }
      if (loaded.ok) this.keyCache.set(file, loaded);
      if (!loaded.ok) {
        this.attempts.push({ method: 'publickey', credential: file, result: 'unusable', reason: keyProblemText[loaded.problem] });
        if (fromProfile) this.profileKeyProblem = loaded.problem;
        return;
      }
      if (seen.has(loaded.fingerprint)) return;
      seen.add(loaded.fingerprint);
      list.push({ kind: 'key', label: `${file} (${describeKey(loaded.type, loaded.fingerprint)})`, key: loaded.key });
    };
    const addIdentityFiles = async () => {
      for (const file of this.hop.identityFiles) await addKeyFile(file, false, this.hop.identityFilesExplicit);
    };
    switch (c.method) {
      case 'agent':
        await this.addAgentKeys(list, seen);
        await addIdentityFiles();
        break;
      case 'key':
        if (!c.keyFile) this.notes.push('No private key file is set in the profile.');
        else await addKeyFile(c.keyFile, true, true);
        await addIdentityFiles();
        break;
      case 'password':
        if (c.password === undefined) this.notes.push('No SSH password is set in the profile.');
        list.push({ kind: 'password', label: 'password' }, { kind: 'keyboard-interactive', label: 'keyboard-interactive (answered with the password)' });
        break;
      case 'keyboard-interactive':
        list.push({ kind: 'keyboard-interactive', label: 'keyboard-interactive' });
        if (c.password !== undefined) list.push({ kind: 'password', label: 'password' });
        break;
    }
    this.candidates = list;
  }

  private async addAgentKeys(list: Candidate[], seen: Set<string>): Promise<void> {
    const socket = this.credentials.agentSocket;
    if (!socket) {
      this.notes.push('No SSH agent: SSH_AUTH_SOCK is not set.');
      return;
    }
    const agent = new OpenSSHAgent(socket);
    let keys: ParsedKey[];
    try {
      keys = await new Promise<ParsedKey[]>((resolve, reject) => agent.getIdentities((err, found) => (err ? reject(err) : resolve((found ?? []) as ParsedKey[]))));
    } catch (err) {
      this.notes.push(`The SSH agent at ${socket} cannot be reached (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
      return;
    }
    if (keys.length === 0) {
      this.notes.push(`The SSH agent (${socket}) holds no keys: add one with ssh-add.`);
      return;
    }
    // IdentitiesOnly: only agent keys that belong to the IdentityFile lines (their .pub files).
    const allowed = this.hop.identitiesOnly ? await publicFingerprints(this.hop.identityFiles) : null;
    for (const key of keys) {
      const fingerprint = sha256Fingerprint(key.getPublicSSH());
      if (allowed && !allowed.has(fingerprint)) continue;
      seen.add(fingerprint);
      list.push({ kind: 'agent', label: `agent: ${describeKey(key.type, fingerprint)}${key.comment ? ` (${key.comment})` : ''}`, agent: new OneKeyAgent(agent, key) });
    }
    if (allowed && list.length === 0) this.notes.push('IdentitiesOnly is set and none of the agent’s keys belongs to an IdentityFile.');
  }
}

/** The fingerprints of the .pub files next to identity files (what IdentitiesOnly lets the agent offer). */
async function publicFingerprints(files: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const file of files) {
    try {
      const parsed = utils.parseKey(await readFile(`${file}.pub`));
      const key = Array.isArray(parsed) ? parsed[0] : parsed;
      if (key && !(key instanceof Error)) out.add(sha256Fingerprint(key.getPublicSSH()));
    } catch {
      /* no .pub file: the agent key cannot be matched to it */
    }
  }
  return out;
}

/** One agent key at a time, so each is recorded as its own attempt. */
class OneKeyAgent extends BaseAgent<ParsedKey> {
  constructor(
    private readonly agent: OpenSSHAgent,
    private readonly key: ParsedKey,
  ) {
    super();
  }
  getIdentities(cb: (err: Error | undefined, keys?: ParsedKey[]) => void): void {
    cb(undefined, [this.key]);
  }
  sign(pubKey: ParsedKey, data: Buffer, options: unknown, cb?: unknown): void {
    (this.agent.sign as (...args: unknown[]) => void)(pubKey, data, options, cb);
  }
}

