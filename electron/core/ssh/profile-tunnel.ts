import { homedir } from 'node:os';
import type { SshSettings } from '../../../shared/model/ssh';
import { expandTilde } from './ssh-config-file';
import type { HostKeyPolicy } from './host-key-policy';
import { windowHostKeys } from './host-key-trust';
import type { SshCredentials } from './ssh-auth';
import type { SshAsk, SshTyped } from './ssh-questions';
import { resolveRoute, type SshRoute, type SshRouteContext } from './ssh-route';
import { SshTunnel } from './ssh-tunnel';

/** What a connection profile says about SSH, with its secrets (worker-side only). */
export interface SshProfile {
  ssh: SshSettings;
  sshPassword?: string;
  sshPassphrase?: string;
  connectTimeoutMs: number;
  /** The CLI's policy (--ssh-known-hosts, --ssh-accept-new); the window's own otherwise. */
  hostKeys?: HostKeyPolicy;
  /** Where ~/.ssh lives (tests). */
  sshContext?: SshRouteContext;
  /** Asks the person what the login needs and the profile does not hold (the app's dialog). */
  sshAsk?: SshAsk;
  sshTyped?: SshTyped;
}

/** The route of a profile: its bastion and jump hosts through ~/.ssh/config, its known_hosts file on every hop. */
export function profileRoute(profile: SshProfile): SshRoute {
  const { ssh } = profile;
  const route = resolveRoute(
    { target: { host: ssh.host, ...(ssh.port !== undefined ? { port: ssh.port } : {}), ...(ssh.user ? { user: ssh.user } : {}) }, jumps: ssh.jumps, useSshConfig: ssh.useSshConfig },
    profile.sshContext,
  );
  if (ssh.knownHostsFile) for (const hop of route.hops) hop.knownHostsFile = expandTilde(ssh.knownHostsFile, profile.sshContext?.home ?? homedir());
  return route;
}

export function profileCredentials(profile: SshProfile): SshCredentials {
  const { ssh } = profile;
  const agentSocket = process.env.SSH_AUTH_SOCK;
  return {
    method: ssh.auth,
    ...(agentSocket ? { agentSocket } : {}),
    ...(ssh.keyFile ? { keyFile: expandTilde(ssh.keyFile, profile.sshContext?.home ?? homedir()) } : {}),
    ...(profile.sshPassphrase !== undefined ? { passphrase: profile.sshPassphrase } : {}),
    ...(profile.sshPassword !== undefined ? { password: profile.sshPassword } : {}),
    ...(profile.sshAsk ? { ask: profile.sshAsk } : {}),
    ...(profile.sshTyped ? { typed: profile.sshTyped } : {}),
  };
}

/** The one tunnel of a connection: every pooled database connection of it is a channel of this tunnel. */
export function openProfileTunnel(profile: SshProfile): SshTunnel {
  return new SshTunnel({
    route: profileRoute(profile),
    credentials: profileCredentials(profile),
    hostKeys: profile.hostKeys ?? windowHostKeys.policy,
    connectTimeoutMs: profile.connectTimeoutMs,
    keepaliveIntervalMs: profile.ssh.keepaliveIntervalMs,
  });
}
