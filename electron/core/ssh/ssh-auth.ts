import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { BaseAgent, OpenSSHAgent, utils, type AnyAuthMethod, type AuthenticationType, type AuthHandlerMiddleware, type ParsedKey, type Prompt } from 'ssh2';
import type { SshAuthMethod, SshQuestion } from '../../../shared/model/ssh';
import type { SshAnswer, SshAsk, SshTyped } from './ssh-questions';
import { sha256Fingerprint } from './known-hosts';
import { describeKey, keyProblemText, loadPrivateKey, type KeyProblem, type LoadedKey } from './private-keys';
import { hopName, hopTitle, SshError, type HopRef } from './ssh-failure';
import type { SshHop } from './ssh-route';

/** What DB Desk may use to log in to the SSH servers of a route (the same for every hop). */
export interface SshCredentials {
  method: SshAuthMethod;
  /** The agent's socket: SSH_AUTH_SOCK of the process by default. */
  agentSocket?: string;
  /** The profile's private key file (method `key`). */
  keyFile?: string;
  /** The profile key's passphrase; set once the person typed one that worked (reconnects reuse it). */
  passphrase?: string;
  /** The SSH password; set once the person typed one the server accepted (reconnects reuse it). */
  password?: string;
  /**
   * Asks the person what is missing or was wrong: a key's passphrase, the password, keyboard-
   * interactive prompts that are not a password prompt (a one-time code). Absent: nothing is
   * asked (the CLI, a diagnosis) and the login fails with what it has.
   */
  ask?: SshAsk;
  /** Where the secrets typed for this connection, and those to remember, are recorded. */
  typed?: SshTyped;
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
  /** Decrypted when its turn comes, so a passphrase is asked for only when the keys before it did not do. */
  | { kind: 'key-file'; label: string; file: string; fromProfile: boolean }
  | { kind: 'key'; label: string; key: ParsedKey }
  | { kind: 'password'; label: string; tries: number }
  /**
   * `personAnswered`: this attempt put a prompt to the person; when it fails, their answer (a code)
   * is taken to be what was wrong, otherwise the saved password was (and is asked for next time).
   */
  | { kind: 'keyboard-interactive'; label: string; tries: number; personAnswered?: boolean; passwordRefused?: boolean };

const wireMethod = (c: Candidate): AuthAttempt['method'] => (c.kind === 'agent' || c.kind === 'key' || c.kind === 'key-file' ? 'publickey' : c.kind);

/** ssh's NumberOfPasswordPrompts: how often a passphrase, password or code is asked for again after a wrong one. */
const MAX_TRIES = 3;

/** A keyboard-interactive prompt that asks for the account's password (answered with the profile's SSH password). */
const isPasswordPrompt = (p: Prompt) => !p.echo && /pass(word|phrase)/i.test(p.prompt);

/** How a login waits for the person: the signal withdraws the question, onUserWait stops the connect clock meanwhile. */
export interface AskHooks {
  signal: AbortSignal;
  onUserWait(waiting: boolean): void;
  /**
   * Send `none` first to learn the methods the server offers before trying any (a diagnosis shows
   * them, as `ssh -v` does). A tunnel skips it: one round trip less, and the first refusal still
   * says what is offered.
   */
  askMethodsFirst?: boolean;
}

/**
 * Drives ssh2's authentication for one hop and keeps the record: the methods the server offers
 * (learnt from a first `none` request, as ssh does), every credential tried and why it failed.
 * A key the profile names that cannot be loaded is `ssh-key-unreadable`; credentials the server
 * refused are `ssh-auth-failed`. What is missing or wrong — a passphrase, the password, a
 * one-time code — is asked for through `credentials.ask`, again after a wrong answer (three times
 * at most, as ssh does); a cancelled question cancels the connection.
 */
export class HopAuthentication {
  offered: string[] | null = null;
  readonly attempts: AuthAttempt[] = [];
  /** What could not be used at all: agent empty, key unreadable… */
  readonly notes: string[] = [];
  private candidates: Candidate[] | null = null;
  private readonly seen = new Set<string>();
  private current: { candidate: Candidate | null; attempt: AuthAttempt | null; typed: SshAnswer | null } = { candidate: null, attempt: null, typed: null };
  private profileKeyProblem: KeyProblem | null = null;
  private disconnectReason: string | null = null;
  private userCancelled = false;

  constructor(
    private readonly hop: SshHop,
    private readonly ref: HopRef,
    private readonly credentials: SshCredentials,
    /** Keys already decrypted for this route (bcrypt-pbkdf in JS costs ~1.6 s per OpenSSH key at 16 rounds). */
    private readonly keyCache: Map<string, LoadedKey> = new Map(),
    private readonly hooks: AskHooks = { signal: new AbortController().signal, onUserWait: () => undefined, askMethodsFirst: true },
  ) {
    // The profile's key is read and parsed while the TCP connect and key exchange run (a passphrase
    // it needs is still asked for when its turn comes).
    const file = credentials.method === 'key' ? credentials.keyFile : undefined;
    if (file && !keyCache.has(file)) this.preloaded = { file, passphrase: credentials.passphrase, loading: loadPrivateKey(file, credentials.passphrase).catch((err: Error) => ({ ok: false, file, problem: 'unsupported', message: `${file}: ${err.message}` }) as const) };
  }

  private preloaded: { file: string; passphrase: string | undefined; loading: Promise<LoadedKey> } | null = null;

  /** ssh2's authHandler: called first with null (we send `none`), then after each failure. */
  readonly handler: AuthHandlerMiddleware = (methodsLeft, partialSuccess, next) => {
    const left = methodsLeft as AuthenticationType[] | null;
    if (this.current.attempt) this.current.attempt.result = partialSuccess ? 'partial' : 'rejected';
    if (left === null && this.hooks.askMethodsFirst !== false) {
      this.current = { candidate: null, attempt: null, typed: null };
      next({ type: 'none', username: this.hop.user });
      return;
    }
    if (this.offered === null && left !== null) this.offered = [...left];
    this.retryRejected(partialSuccess);
    this.prepare()
      .then(() => this.nextCandidate(left))
      .then((method) => next(method ?? (false as unknown as AnyAuthMethod)))
      .catch(() => next(false as unknown as AnyAuthMethod));
  };

  /** Called on 'ready': the last credential sent was accepted; a password typed for it is kept for reconnects (and remembered when asked). */
  succeeded(): void {
    if (this.current.attempt) this.current.attempt.result = 'accepted';
    this.keepTypedPassword();
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
    if (this.userCancelled) return new SshError(null, 'auth', this.ref, `The SSH login to ${hopName(this.ref)} was cancelled.`, this.evidence(), { cause, code: 'cancelled' });
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

  /** A password or keyboard-interactive login the server refused is offered again (a new answer is asked for), up to MAX_TRIES. */
  private retryRejected(partialSuccess: boolean): void {
    const c = this.current.candidate;
    if (partialSuccess || this.userCancelled || !this.credentials.ask || !c || (c.kind !== 'password' && c.kind !== 'keyboard-interactive')) return;
    if (c.tries + 1 >= MAX_TRIES) return;
    this.candidates?.unshift(c.kind === 'password' ? { ...c, tries: c.tries + 1 } : { ...c, tries: c.tries + 1, passwordRefused: !c.personAnswered, personAnswered: false });
  }

  /** `left` null: the server has not said what it offers yet (no `none` was sent); every method is tried. */
  private async nextCandidate(left: AuthenticationType[] | null): Promise<AnyAuthMethod | null> {
    const user = this.hop.user;
    for (;;) {
      const candidate = this.userCancelled ? undefined : this.candidates!.shift();
      if (!candidate) {
        this.current = { candidate: null, attempt: null, typed: null };
        return null;
      }
      const method = wireMethod(candidate);
      if (left !== null && !left.includes(method)) {
        this.attempts.push({ method, credential: candidate.label, result: 'not-offered' });
        continue;
      }
      if (candidate.kind === 'key-file') {
        const key = await this.loadKeyFile(candidate.file, candidate.fromProfile);
        if (key) this.candidates!.unshift(key);
        continue;
      }
      const attempt: AuthAttempt = { method, credential: candidate.label, result: 'rejected' };
      this.attempts.push(attempt);
      this.current = { candidate, attempt, typed: null };
      switch (candidate.kind) {
        case 'agent':
          return { type: 'agent', username: user, agent: candidate.agent };
        case 'key':
          return { type: 'publickey', username: user, key: candidate.key };
        case 'password': {
          let password = this.credentials.password;
          if (password === undefined || candidate.tries > 0) {
            const typed = await this.askPassword([{ prompt: `${user}@${this.hop.host}'s password:`, echo: false }], candidate.tries > 0 || password !== undefined);
            if (!typed) {
              attempt.result = 'unusable';
              attempt.reason = this.userCancelled ? 'cancelled' : 'no password';
              continue;
            }
            this.current.typed = typed;
            password = typed.answers[0]!;
          }
          return { type: 'password', username: user, password };
        }
        case 'keyboard-interactive':
          return {
            type: 'keyboard-interactive',
            username: user,
            prompt: (name, instructions, _lang, prompts, finish) => void this.answer(candidate, prompts, instructions, name).then(finish),
          };
      }
    }
  }

  /**
   * Keyboard-interactive: password prompts get the profile's password (the person's answer when
   * there is none, or when it was just refused); any other prompt — a one-time code — goes to
   * the person with the server's own words.
   */
  private async answer(candidate: Candidate & { kind: 'keyboard-interactive' }, prompts: Prompt[], instructions: string, name: string): Promise<string[]> {
    if (prompts.length === 0) return [];
    const password = this.credentials.password;
    const passwordOnly = prompts.every(isPasswordPrompt);
    if (passwordOnly && password !== undefined && !candidate.passwordRefused) return prompts.map(() => password);
    candidate.personAnswered = true;
    const serverText = { ...(name.trim() ? { name: name.trim() } : {}), ...(instructions.trim() ? { instructions: instructions.trim() } : {}) };
    const typed = passwordOnly
      ? await this.askPassword(prompts.map((p) => ({ prompt: p.prompt.trim(), echo: p.echo === true })), candidate.tries > 0 || password !== undefined, serverText)
      : await this.askUser({ kind: 'prompts', previousWrong: candidate.tries > 0, canRemember: false, ...serverText, prompts: prompts.map((p) => ({ prompt: p.prompt.trim(), echo: p.echo === true })) });
    if (typed) {
      if (passwordOnly) this.current.typed = typed;
      return typed.answers;
    }
    if (this.current.attempt) this.current.attempt.reason = this.userCancelled ? 'cancelled' : `unanswered prompt: ${prompts.map((p) => p.prompt.trim()).join(', ')}`;
    return prompts.map(() => '');
  }

  private askPassword(prompts: SshQuestion['prompts'], previousWrong: boolean, serverText: { name?: string; instructions?: string } = {}): Promise<SshAnswer | null> {
    return this.askUser({ kind: 'password', previousWrong, canRemember: this.credentials.typed !== undefined && prompts.length === 1, ...serverText, prompts });
  }

  /** Puts a question to the person (the connect clock stops meanwhile); null when there is nobody to ask or they cancelled. */
  private async askUser(question: Omit<SshQuestion, 'server' | 'user'>): Promise<SshAnswer | null> {
    const ask = this.credentials.ask;
    if (!ask || this.hooks.signal.aborted) return null;
    const server = this.ref.count > 1 ? `${this.ref.label} (hop ${this.ref.index + 1} of ${this.ref.count})` : this.ref.label;
    this.hooks.onUserWait(true);
    try {
      const answer = await ask({ ...question, server, user: this.hop.user }, this.hooks.signal);
      if (!answer) {
        if (!this.hooks.signal.aborted) this.userCancelled = true;
        return null;
      }
      question.prompts.forEach((p, i) => {
        const value = answer.answers[i];
        if (!p.echo && value) this.credentials.typed?.secrets.push(value);
      });
      return answer;
    } finally {
      this.hooks.onUserWait(false);
    }
  }

  /** The password the person typed was accepted: reconnects and the next hops use it; remembered when they asked. */
  private keepTypedPassword(): void {
    const typed = this.current.typed;
    if (!typed || typed.answers.length !== 1) return;
    const value = typed.answers[0]!;
    this.credentials.password = value;
    if (typed.remember && this.credentials.typed) this.credentials.typed.remember.password = value;
  }

  /**
   * A key file, decrypted (from the cache when this route did it before). A passphrase missing or
   * wrong is asked for; the one that works for the profile's key is kept for reconnects (and
   * remembered when asked). Returns null when the key cannot be used (recorded as unusable).
   */
  private async loadKeyFile(file: string, fromProfile: boolean): Promise<Candidate | null> {
    const c = this.credentials;
    const passphrase = fromProfile ? c.passphrase : undefined;
    const preloaded = this.preloaded?.file === file && this.preloaded.passphrase === passphrase ? this.preloaded.loading : null;
    this.preloaded = null;
    let loaded = this.keyCache.get(file) ?? (await (preloaded ?? loadPrivateKey(file, passphrase)));
    for (let tries = 0; !loaded.ok && (loaded.problem === 'needs-passphrase' || loaded.problem === 'wrong-passphrase') && tries < MAX_TRIES; tries++) {
      const answer = await this.askUser({ kind: 'passphrase', keyFile: file, previousWrong: loaded.problem === 'wrong-passphrase', canRemember: fromProfile && c.typed !== undefined, prompts: [{ prompt: `Enter passphrase for key '${file}':`, echo: false }] });
      if (!answer) break;
      const passphrase = answer.answers[0]!;
      loaded = await loadPrivateKey(file, passphrase);
      if (loaded.ok && fromProfile) {
        c.passphrase = passphrase;
        if (answer.remember && c.typed) c.typed.remember.passphrase = passphrase;
      }
    }
    if (!loaded.ok) {
      this.attempts.push({ method: 'publickey', credential: file, result: 'unusable', reason: this.userCancelled ? 'cancelled' : keyProblemText[loaded.problem] });
      if (fromProfile) this.profileKeyProblem = loaded.problem;
      return null;
    }
    this.keyCache.set(file, loaded);
    if (this.seen.has(loaded.fingerprint)) return null;
    this.seen.add(loaded.fingerprint);
    return { kind: 'key', label: `${file} (${describeKey(loaded.type, loaded.fingerprint)})`, key: loaded.key };
  }

  /** Builds the credentials once, in the order the profile's method asks for (key files are decrypted when their turn comes). */
  private async prepare(): Promise<void> {
    if (this.candidates) return;
    const c = this.credentials;
    const list: Candidate[] = [];
    const keyFile = (file: string, fromProfile: boolean): Candidate => ({ kind: 'key-file', label: file, file, fromProfile });
    const identityFiles = () => {
      for (const file of this.hop.identityFiles) if (this.hop.identityFilesExplicit || existsSync(file)) list.push(keyFile(file, false));
    };
    switch (c.method) {
      case 'agent':
        await this.addAgentKeys(list, this.seen);
        identityFiles();
        break;
      case 'key':
        if (!c.keyFile) this.notes.push('No private key file is set in the profile.');
        else list.push(keyFile(c.keyFile, true));
        identityFiles();
        break;
      case 'password':
        if (c.password === undefined && !c.ask) this.notes.push('No SSH password is set in the profile.');
        list.push({ kind: 'password', label: 'password', tries: 0 }, { kind: 'keyboard-interactive', label: 'keyboard-interactive (answered with the password)', tries: 0 });
        break;
      case 'keyboard-interactive':
        list.push({ kind: 'keyboard-interactive', label: 'keyboard-interactive', tries: 0 });
        if (c.password !== undefined) list.push({ kind: 'password', label: 'password', tries: 0 });
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

