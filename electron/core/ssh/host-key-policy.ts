import { homedir } from 'node:os';
import { join } from 'node:path';
import { appendKnownHost, checkHostKey, keyTypeLabel, keyTypeOf, knownKeyTypes, readKnownHosts, sha256Fingerprint } from './known-hosts';
import { hopName, SshError, type HopRef } from './ssh-failure';

/** What the person (or the CLI's --ssh-accept-new) decides about a key seen for the first time. */
export type HostKeyDecision = 'once' | 'always' | 'reject';

export interface HostKeyQuestion {
  hop: HopRef;
  host: string;
  port: number;
  keyType: string;
  /** `SHA256:…` as ssh prints it. */
  fingerprint: string;
  /** Key types already on file for this host (a key of another type is still a new key). */
  otherTypes: string[];
  /** Where "always" writes the key. */
  knownHostsFile: string;
  /** The key itself (public), so a decision taken later can still write it. */
  key: Buffer;
  /** Write it hashed (HashKnownHosts). */
  hashNew: boolean;
}

export interface HostKeyVerdict {
  state: 'known' | 'trusted-once' | 'added';
  keyType: string;
  fingerprint: string;
  /** `file:line` of the matching entry. */
  entry?: string;
  knownHostsFile: string;
}

/** The hop whose key is checked, and where its known_hosts lives (ssh_config may name the file and ask for hashing). */
export interface HostKeySubject {
  hop: HopRef;
  host: string;
  port: number;
  knownHostsFile?: string;
  hashNew?: boolean;
}

export interface HostKeyPolicyOptions {
  /** The profile's or the CLI's file; else the hop's UserKnownHostsFile; else ~/.ssh/known_hosts. */
  knownHostsFile?: string;
  /** Read-only files also consulted (ssh's GlobalKnownHostsFile). */
  globalFiles?: string[];
  decide: (question: HostKeyQuestion) => Promise<HostKeyDecision>;
}

const DEFAULT_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/**
 * Host keys as ssh checks them: a key on file passes; a key of a type on file that differs is a
 * hard stop (never a question); a new key is asked about once — "trust once" lasts as long as this
 * policy (one session), "always" writes it to known_hosts in OpenSSH's format.
 */
export class HostKeyPolicy {
  private readonly trustedOnce = new Set<string>();

  constructor(private readonly options: HostKeyPolicyOptions) {}

  fileFor(subject: Pick<HostKeySubject, 'knownHostsFile'>): string {
    return this.options.knownHostsFile ?? subject.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
  }

  /** Host key algorithms with the types on file first, as ssh orders them, so a known key is the one offered. */
  algorithmsFor(subject: HostKeySubject): string[] {
    const types = knownKeyTypes(readKnownHosts([this.fileFor(subject), ...(this.options.globalFiles ?? [])]), subject.host, subject.port);
    const rank = (algo: string) => {
      const type = algo.startsWith('rsa-sha2-') ? 'ssh-rsa' : algo;
      const i = types.indexOf(type);
      return i < 0 ? types.length : i;
    };
    return [...DEFAULT_ALGORITHMS].sort((a, b) => rank(a) - rank(b));
  }

  /** Carries out a decision about a new key (also one taken after the connection attempt ended, in a dialog). */
  apply(question: HostKeyQuestion, decision: 'once' | 'always'): 'trusted-once' | 'added' {
    if (decision === 'once') {
      this.trustedOnce.add(`${question.host}:${question.port}:${question.fingerprint}`);
      return 'trusted-once';
    }
    // Checked again right before writing: a key on file meanwhile (changed or the same) is never overwritten.
    const now = checkHostKey(readKnownHosts([question.knownHostsFile]), question.host, question.port, question.key);
    if (now.state === 'changed' || now.state === 'revoked') throw new SshError('ssh-host-key-changed', 'host-key', question.hop, `The host key of ${hopName(question.hop)} on file changed meanwhile; nothing was written.`);
    if (now.state === 'unknown') appendKnownHost(question.knownHostsFile, question.host, question.port, question.key, question.hashNew);
    return 'added';
  }

  async verify(subject: HostKeySubject, keyBlob: Buffer): Promise<HostKeyVerdict> {
    const file = this.fileFor(subject);
    const keyType = keyTypeOf(keyBlob);
    const fingerprint = sha256Fingerprint(keyBlob);
    const where = hopName(subject.hop);
    const evidence = { keyType: keyTypeLabel(keyType), fingerprint, knownHostsFile: file };
    const check = checkHostKey(readKnownHosts([file, ...(this.options.globalFiles ?? [])]), subject.host, subject.port, keyBlob);
    switch (check.state) {
      case 'known':
        return { state: 'known', keyType, fingerprint, entry: `${check.entry.file}:${check.entry.line}`, knownHostsFile: file };
      case 'revoked':
        throw new SshError('ssh-host-key-changed', 'host-key', subject.hop, `The ${keyTypeLabel(keyType)} host key of ${where} (${fingerprint}) is marked @revoked in ${check.entry.file}:${check.entry.line}. Connection refused.`, { ...evidence, revokedAt: `${check.entry.file}:${check.entry.line}` });
      case 'changed':
        throw new SshError(
          'ssh-host-key-changed',
          'host-key',
          subject.hop,
          `WARNING: the host key of ${where} has changed. It is now ${keyTypeLabel(keyType)} ${fingerprint}; ${check.expected.file}:${check.expected.line} has ${sha256Fingerprint(check.expected.key)}. Someone could be eavesdropping on you right now (man-in-the-middle attack), or the host key was just replaced. DB Desk does not connect.`,
          { ...evidence, expectedFingerprint: sha256Fingerprint(check.expected.key), offendingEntry: `${check.expected.file}:${check.expected.line}` },
        );
      case 'unknown': {
        const onceKey = `${subject.host}:${subject.port}:${fingerprint}`;
        if (this.trustedOnce.has(onceKey)) return { state: 'trusted-once', keyType, fingerprint, knownHostsFile: file };
        const question: HostKeyQuestion = { hop: subject.hop, host: subject.host, port: subject.port, keyType, fingerprint, otherTypes: check.otherTypes, knownHostsFile: file, key: keyBlob, hashNew: subject.hashNew ?? false };
        const decision = await this.options.decide(question);
        if (decision !== 'reject') return { state: this.apply(question, decision), keyType, fingerprint, knownHostsFile: file };
        const others = check.otherTypes.length > 0 ? ` (keys of another type are on file: ${check.otherTypes.map(keyTypeLabel).join(', ')})` : '';
        throw new SshError('ssh-host-key-unknown', 'host-key', subject.hop, `The authenticity of ${where} cannot be established: its ${keyTypeLabel(keyType)} key fingerprint is ${fingerprint}, and ${file} has no entry for it${others}.`, { ...evidence, otherTypes: check.otherTypes });
      }
    }
  }
}
