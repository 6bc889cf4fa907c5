import { homedir, hostname, userInfo } from 'node:os';
import { glob } from 'ssh-config';
import { formatSshDestination, parseSshDestination, type SshEndpoint } from '../../../shared/model/ssh';
import { defaultSshConfigFiles, expandTilde, loadSshConfig, type LoadedSshConfig } from './ssh-config-file';
import { SshError } from './ssh-failure';

/** One SSH server of the route, with everything ~/.ssh/config said about it applied. */
export interface SshHop {
  /** What the profile or a ProxyJump line named: an alias or a host. */
  given: string;
  host: string;
  port: number;
  user: string;
  /** IdentityFile lines that applied, expanded (~, %d, %h, %r…); ssh's default files when none did. */
  identityFiles: string[];
  /** True when the files came from IdentityFile lines (ssh warns about a missing one), false for the defaults. */
  identityFilesExplicit: boolean;
  identitiesOnly: boolean;
  hashKnownHosts: boolean;
  /** UserKnownHostsFile's first file, when set. */
  knownHostsFile?: string;
  /** The ssh_config entries that applied: `Host bastion* (/home/me/.ssh/config)`. */
  applied: string[];
  /** What ssh_config says that DB Desk does not do (ProxyCommand…). */
  ignored: string[];
}

export interface SshRouteRequest {
  /** The bastion as the profile names it. */
  target: SshEndpoint;
  /** Jump hosts in order; when given they replace the target's ProxyJump from ssh_config (as `ssh -J` does). */
  jumps: SshEndpoint[];
  useSshConfig: boolean;
}

export interface SshRouteContext {
  /** Default: ~/.ssh/config then /etc/ssh/ssh_config. */
  configFiles?: string[];
  home?: string;
  localUser?: string;
}

export interface SshRoute {
  /** hops[0] is reached directly; the last hop is the bastion that forwards to the database. */
  hops: SshHop[];
  configFilesRead: string[];
}

const MAX_CHAIN = 8;
const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'];

/** Resolves the route to the bastion: aliases, ports, users, keys and the ProxyJump chain. */
export function resolveRoute(request: SshRouteRequest, context: SshRouteContext = {}): SshRoute {
  const home = context.home ?? homedir();
  const localUser = context.localUser ?? safeLocalUser();
  const loaded = request.useSshConfig ? loadSshConfig(context.configFiles ?? defaultSshConfigFiles(home), home) : null;
  const resolveOne = (endpoint: SshEndpoint) => resolveHop(endpoint, loaded, home, localUser);

  const chainTo = (endpoint: SshEndpoint, overrideJumps: SshEndpoint[] | null, depth: number): SshHop[] => {
    if (depth > MAX_CHAIN) throw new SshError(null, 'config', null, `The SSH route has more than ${MAX_CHAIN} jump hosts: does a ProxyJump in ~/.ssh/config lead back to itself?`, { host: endpoint.host });
    const { hop, proxyJump } = resolveOne(endpoint);
    const jumps = overrideJumps && overrideJumps.length > 0 ? overrideJumps : proxyJump;
    if (jumps.length === 0) return [hop];
    // As ssh does it: the first jump host is reached with its own ProxyJump; each later one through the one before.
    const [first, ...rest] = jumps;
    return [...chainTo(first!, null, depth + 1), ...rest.map((j) => resolveOne(j).hop), hop];
  };

  const hops = chainTo(request.target, request.jumps, 0);
  if (hops.length > MAX_CHAIN + 1) throw new SshError(null, 'config', null, `The SSH route has ${hops.length - 1} jump hosts; at most ${MAX_CHAIN} are allowed.`);
  return { hops, configFilesRead: loaded?.files ?? [] };
}

function resolveHop(endpoint: SshEndpoint, loaded: LoadedSshConfig | null, home: string, localUser: string): { hop: SshHop; proxyJump: SshEndpoint[] } {
  const given = endpoint.host;
  if (!loaded) {
    return {
      hop: { given, host: given, port: endpoint.port ?? 22, user: endpoint.user ?? localUser, identityFiles: defaultIdentities(home), identityFilesExplicit: false, identitiesOnly: false, hashKnownHosts: false, applied: [], ignored: [] },
      proxyJump: [],
    };
  }
  const computed = loaded.config.compute(given, { ignoreCase: true, matchExec: false });
  const value = (key: string): string | undefined => {
    const v = computed[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const list = (key: string): string[] => {
    const v = computed[key];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const host = (value('hostname') ?? given).replace(/%h/g, given).replace(/%%/g, '%');
  const configPort = value('port');
  const port = endpoint.port ?? (configPort !== undefined && /^\d+$/.test(configPort) ? Number(configPort) : 22);
  const user = endpoint.user ?? value('user') ?? localUser;
  const tokens = (s: string) => expandTokens(s, { home, localUser, host, port, user, given });
  const explicit = list('identityfile').filter((f) => f.toLowerCase() !== 'none');
  const identityFiles = explicit.length > 0 ? [...new Set(explicit.map((f) => expandTilde(tokens(f), home)))] : defaultIdentities(home);
  const known = value('userknownhostsfile');
  const proxyJumpText = value('proxyjump');
  const ignored: string[] = [];
  if (value('proxycommand') && value('proxycommand') !== 'none') ignored.push('ProxyCommand (DB Desk does not run commands; use ProxyJump)');
  if (loaded.headers.some((h) => /^match\s+.*\bexec\b/i.test(h.text))) ignored.push('Match exec (never run: it would execute a command)');
  const hop: SshHop = {
    given,
    host,
    port,
    user,
    identityFiles,
    identityFilesExplicit: explicit.length > 0,
    identitiesOnly: value('identitiesonly')?.toLowerCase() === 'yes',
    hashKnownHosts: value('hashknownhosts')?.toLowerCase() === 'yes',
    ...(known ? { knownHostsFile: expandTilde(tokens(known.split(/\s+/)[0]!), home) } : {}),
    applied: loaded.headers.filter((h) => h.patterns.length > 0 && glob(h.patterns, given)).map((h) => `${h.text} (${h.file})`),
    ignored,
  };
  return { hop, proxyJump: parseProxyJump(proxyJumpText, given) };
}

function parseProxyJump(text: string | undefined, forHost: string): SshEndpoint[] {
  if (!text || text.toLowerCase() === 'none') return [];
  return text.split(',').map((part) => {
    const parsed = parseSshDestination(part.replace(/^ssh:\/\//, ''));
    if (!parsed.endpoint) throw new SshError(null, 'config', null, `ProxyJump for ${forHost} in the SSH config: ${parsed.error}`, { proxyJump: text });
    return parsed.endpoint;
  });
}

/** ssh_config's TOKENS that make sense here: %% %d %h %i %l %n %p %r %u. */
function expandTokens(text: string, t: { home: string; localUser: string; host: string; port: number; user: string; given: string }): string {
  return text.replace(/%([%dhilnpru])/g, (_, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'd':
        return t.home;
      case 'h':
        return t.host;
      case 'i':
        return String(process.getuid?.() ?? 0);
      case 'l':
        return hostname().split('.')[0] ?? '';
      case 'n':
        return t.given;
      case 'p':
        return String(t.port);
      case 'r':
        return t.user;
      default:
        return t.localUser;
    }
  });
}

function defaultIdentities(home: string): string[] {
  return DEFAULT_IDENTITIES.map((f) => `${home}/.ssh/${f}`);
}

function safeLocalUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

/** `host:port` of a resolved hop (`[::1]:22`), for messages. */
export function hopLabel(hop: Pick<SshHop, 'host' | 'port'>): string {
  return `${formatSshDestination({ host: hop.host })}:${hop.port}`;
}
