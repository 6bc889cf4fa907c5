import { HostKeyPolicy, type HostKeyQuestion } from './host-key-policy';
import { SshError } from './ssh-failure';

/**
 * The host key decisions of one window (one worker): a new key fails the connection with
 * `ssh-host-key-unknown` and is remembered, so the dialog that shows its fingerprint can trust it
 * once (for this window) or always (known_hosts) — and only that exact key, only for that host.
 */
export class HostKeyTrust {
  private readonly seen = new Map<string, HostKeyQuestion>();
  readonly policy = new HostKeyPolicy({
    decide: async (question) => {
      this.seen.set(keyOf(question.host, question.port, question.fingerprint), question);
      return 'reject';
    },
  });

  trust(host: string, port: number, fingerprint: string, always: boolean): { trusted: boolean; knownHostsFile?: string } {
    const question = this.seen.get(keyOf(host, port, fingerprint));
    if (!question) throw new SshError(null, 'host-key', null, `No SSH host key with fingerprint ${fingerprint} was shown for ${host}:${port} in this window: connect again to see it.`);
    this.policy.apply(question, always ? 'always' : 'once');
    this.seen.delete(keyOf(host, port, fingerprint));
    return always ? { trusted: true, knownHostsFile: question.knownHostsFile } : { trusted: true };
  }
}

function keyOf(host: string, port: number, fingerprint: string): string {
  return `${host}:${port}:${fingerprint}`;
}

/** This worker's (this window's) decisions. */
export const windowHostKeys = new HostKeyTrust();
