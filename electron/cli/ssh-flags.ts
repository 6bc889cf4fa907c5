import { SshSettings, parseSshDestination, type SshEndpoint } from '../../shared/model/ssh';
import type { EngineConfig } from '../core/engines/config';
import { HostKeyPolicy } from '../core/ssh/host-key-policy';
import { UsageError } from './usage';

/** The SSH options of every command that opens a database (parseArgs form; `target-options.ts` adds them to a command's). */
export const sshFlagOptions = {
  ssh: { type: 'string' },
  'ssh-key': { type: 'string' },
  'ssh-jump': { type: 'string', multiple: true },
  'ssh-known-hosts': { type: 'string' },
  'ssh-accept-new': { type: 'boolean', default: false },
} as const;

export const sshFlagsUsage = '[--ssh [user@]host[:port] [--ssh-key FILE] [--ssh-jump [user@]host[:port]]... [--ssh-known-hosts FILE] [--ssh-accept-new]]';

export interface SshFlagValues {
  ssh?: string | undefined;
  'ssh-key'?: string | undefined;
  'ssh-jump'?: string[] | undefined;
  'ssh-known-hosts'?: string | undefined;
  'ssh-accept-new'?: boolean | undefined;
}

/**
 * Applies the SSH flags to a connection: --ssh names the bastion (a profile's own SSH settings are
 * used with --connection, the flags replacing what they name); the SSH password and a key's
 * passphrase come from DBDESK_SSH_PASSWORD / DBDESK_SSH_PASSPHRASE, never from the command line.
 * Host keys as OpenSSH's StrictHostKeyChecking: a new key fails unless --ssh-accept-new (then it is
 * added, "accept-new"); a changed key always fails.
 */
export function applySshFlags(config: EngineConfig, values: SshFlagValues, env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const parse = (flag: string, text: string): SshEndpoint => {
    const r = parseSshDestination(text);
    if (!r.endpoint) throw new UsageError(`${flag}: ${r.error}`);
    return r.endpoint;
  };
  let ssh = config.ssh ?? SshSettings.parse({});
  if (values.ssh !== undefined) {
    const bastion = parse('--ssh', values.ssh);
    ssh = SshSettings.parse({ ...ssh, enabled: true, host: bastion.host, port: bastion.port, user: bastion.user, jumps: [] });
  }
  const named = values['ssh-key'] !== undefined || (values['ssh-jump']?.length ?? 0) > 0 || values['ssh-known-hosts'] !== undefined || values['ssh-accept-new'] === true;
  if (named && !ssh.enabled) throw new UsageError('The --ssh-* options need --ssh [user@]host[:port] (or a saved connection with SSH).');
  if (!ssh.enabled) return config;
  if (values['ssh-key'] !== undefined) ssh = { ...ssh, auth: 'key', keyFile: values['ssh-key'] };
  if (values['ssh-jump']?.length) ssh = { ...ssh, jumps: values['ssh-jump'].map((j) => parse('--ssh-jump', j)) };
  if (values['ssh-known-hosts'] !== undefined) ssh = { ...ssh, knownHostsFile: values['ssh-known-hosts'] };
  if (ssh.auth === 'agent' && values.ssh !== undefined && env.DBDESK_SSH_PASSWORD !== undefined && !env.SSH_AUTH_SOCK) ssh = { ...ssh, auth: 'password' };
  const acceptNew = values['ssh-accept-new'] === true;
  const out: EngineConfig = {
    ...config,
    ssh,
    hostKeys: new HostKeyPolicy({ ...(ssh.knownHostsFile ? { knownHostsFile: ssh.knownHostsFile } : {}), decide: async () => (acceptNew ? 'always' : 'reject') }),
  };
  if (env.DBDESK_SSH_PASSWORD !== undefined) out.sshPassword = env.DBDESK_SSH_PASSWORD;
  if (env.DBDESK_SSH_PASSPHRASE !== undefined) out.sshPassphrase = env.DBDESK_SSH_PASSPHRASE;
  return out;
}
