import type { DiagnosticClass, Remedy } from '../../../shared/model/diagnostics';
import { CoreError } from '../errors';
import { knownHostsName } from './known-hosts';

/**
 * What can go wrong on the way through SSH, by hop and phase. The class names are the ones
 * `dbdesk diagnose --json` prints; each has a remedy for whoever can fix it.
 */
export type SshFailureClass = Extract<DiagnosticClass, `ssh-${string}`>;

/** The phases of reaching one hop, in order; `jump` replaces dns/tcp for a hop reached through the one before. */
export const sshPhases = ['config', 'dns', 'tcp', 'jump', 'banner', 'kex', 'host-key', 'auth', 'forward'] as const;
export type SshPhase = (typeof sshPhases)[number];

/** Which SSH server of the chain: `index` 0 is reached directly, the last one is the bastion. */
export interface HopRef {
  index: number;
  count: number;
  /** `host:port` as the hop is reached (after ~/.ssh/config), e.g. `bastion.example.com:22`. */
  label: string;
}

export function hopName(hop: HopRef): string {
  if (hop.count === 1) return `the SSH server ${hop.label}`;
  return hop.index === hop.count - 1 ? `the bastion ${hop.label} (hop ${hop.index + 1} of ${hop.count})` : `jump host ${hop.label} (hop ${hop.index + 1} of ${hop.count})`;
}

/** `host:port` → the name known_hosts files it under (`host`, or `[host]:port` off port 22). */
function knownHostsNameOf(label: string): string {
  const i = label.lastIndexOf(':');
  const host = label.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return knownHostsName(host, Number(label.slice(i + 1)));
}

/** hopName at the start of a sentence. */
export function hopTitle(hop: HopRef | null): string {
  const name = hop ? hopName(hop) : 'the SSH server';
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export type SshEvidence = Record<string, string | number | boolean | null | string[]>;

/**
 * A failure on the way through SSH: its class (null when no class fits), the hop and the phase. A
 * CoreError, so the renderer gets the class and the facts (a new host key's fingerprint) as detail.
 */
export class SshError extends CoreError {
  override name = 'SshError';
  constructor(
    readonly classId: SshFailureClass | null,
    readonly phase: SshPhase,
    readonly hop: HopRef | null,
    message: string,
    readonly evidence: SshEvidence = {},
    options?: { cause?: unknown; code?: 'cancelled' },
  ) {
    super(options?.code ?? 'connection-failed', message, { failureClass: classId ?? 'unknown', ssh: { phase, ...(hop ? { hop } : {}), ...evidence } });
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Who can fix it: you, the admin of the SSH servers, the DBA, the network team. */
export type SshRemedy = Remedy;


/** The remedy for a class; `hop` and `detail` make it concrete. */
export function sshRemedy(classId: SshFailureClass, hop: HopRef | null, facts: { target?: string; knownHostsFile?: string; found?: string } = {}): SshRemedy {
  const where = hop ? hopName(hop) : 'the SSH server';
  const host = hop ? knownHostsNameOf(hop.label) : 'HOST';
  switch (classId) {
    case 'ssh-dns-not-found':
      return { audience: 'user', text: `The name of ${where} does not resolve. Check its spelling and the HostName in ~/.ssh/config for this alias; on a private name, check that your VPN is connected.` };
    case 'ssh-tcp-refused':
      return { audience: 'bastion', text: `Nothing accepts connections on ${where}. Check the SSH port in the profile (or Port in ~/.ssh/config); otherwise its admin checks that sshd is running and listening on that address and port.` };
    case 'ssh-tcp-timeout':
      return { audience: 'network', text: `Connections to ${where} get no answer at all: a firewall, security group or VPN route drops them. Ask the network team to allow this machine to reach it.` };
    case 'ssh-not-ssh':
      return { audience: 'user', text: `The port of ${where} is not an SSH server${facts.found ? ` (${facts.found} answers there)` : ''}. Use the SSH port (usually 22), not the database's.` };
    case 'ssh-host-key-unknown':
      return { audience: 'user', text: `This is the first connection to ${where}. Compare the fingerprint with the one its admin gives you (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server); trust it only if they match.` };
    case 'ssh-host-key-changed':
      return { audience: 'bastion', text: `Do not connect. ${hopTitle(hop)} presents a different host key than the one on file${facts.knownHostsFile ? ` in ${facts.knownHostsFile}` : ''}: someone may be intercepting the connection (man-in-the-middle), or the server was reinstalled. Ask its admin to confirm the new fingerprint through another channel; only then remove the old entry (ssh-keygen -R '${host}') and connect again.` };
    case 'ssh-auth-failed':
      return { audience: 'bastion', text: `${hopTitle(hop)} refused every credential tried (listed above). Check the SSH user name and which key or password you use; the server's admin can add your public key to that user's authorized_keys and sees the reason in the server's log (journalctl -u ssh).` };
    case 'ssh-key-unreadable':
      return { audience: 'user', text: 'The private key file cannot be used: check the path and that you may read it, enter its passphrase again, or convert it (ssh-keygen -p -f FILE rewrites it in OpenSSH format). Supported: OpenSSH and PEM keys, Ed25519, ECDSA and RSA.' };
    case 'ssh-forwarding-refused':
      return { audience: 'bastion', text: `${hopTitle(hop)} does not allow forwarding to ${facts.target ?? 'the database'} ("administratively prohibited"). Its admin allows it in sshd_config: AllowTcpForwarding yes (or local), and PermitOpen listing ${facts.target ?? 'host:port'}.` };
    case 'ssh-target-unreachable':
      return { audience: 'dba', text: `${hopTitle(hop)} cannot reach ${facts.target ?? 'the database'}. The database host and port are resolved and dialled by the bastion, not by you: check them as the bastion sees them, that the database listens there, and that no firewall between the bastion and the database blocks it.` };
    case 'ssh-jump-failed':
      return { audience: 'bastion', text: `${hopTitle(hop)} could not be reached from the hop before it. Check its host name and port as that jump host sees them (ProxyJump, HostName), and that the jump host may forward to it (AllowTcpForwarding, PermitOpen).` };
  }
}

