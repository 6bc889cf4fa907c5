import { z } from 'zod';
import { PathText } from '../ipc/limits';

/**
 * One SSH server on the way to a database: the bastion, or a jump host before it. Port and user
 * may stay empty: ~/.ssh/config (or 22 and the local user) fills them in.
 */
export const SshEndpoint = z.object({
  host: z.string().trim().min(1, 'An SSH host is needed').max(255),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().max(255).optional(),
});
export type SshEndpoint = z.infer<typeof SshEndpoint>;

/** How DB Desk proves who it is to the SSH servers. */
export const sshAuthMethods = ['agent', 'key', 'password', 'keyboard-interactive'] as const;
export const SshAuthMethod = z.enum(sshAuthMethods);
export type SshAuthMethod = z.infer<typeof SshAuthMethod>;

export const sshAuthMethodLabels: Record<SshAuthMethod, string> = {
  agent: 'SSH agent',
  key: 'Private key file',
  password: 'Password',
  'keyboard-interactive': 'Keyboard-interactive',
};

/**
 * The SSH part of a connection profile (off unless `enabled`). Secrets — the password, a key's
 * passphrase — are never part of it: they live in the secret store, and the renderer only learns
 * whether one is set.
 */
export const SshSettings = z.object({
  enabled: z.boolean().default(false),
  /** The bastion: the last SSH server, the one that opens the connection to the database. */
  host: z.string().trim().max(255).default(''),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().max(255).optional(),
  auth: SshAuthMethod.default('agent'),
  /** A private key file on the machine that runs the core (OpenSSH or PEM; Ed25519, ECDSA, RSA). */
  keyFile: PathText.optional(),
  /** Jump hosts in order, the first one reached directly (OpenSSH's ProxyJump). */
  jumps: z.array(SshEndpoint).max(8).default([]),
  /** Read ~/.ssh/config for the host names given (HostName, Port, User, IdentityFile, ProxyJump…). */
  useSshConfig: z.boolean().default(true),
  /** Default: ~/.ssh/known_hosts. */
  knownHostsFile: PathText.optional(),
  /** 0: no keepalive. */
  keepaliveIntervalMs: z.number().int().min(0).max(600_000).default(10_000),
  /** Keep the key's passphrase in the secret store (otherwise it is asked for once per session). */
  rememberPassphrase: z.boolean().default(false),
});
export type SshSettings = z.infer<typeof SshSettings>;
export type SshSettingsInput = z.input<typeof SshSettings>;

/**
 * `[user@]host[:port]` as OpenSSH's -J and the CLI's --ssh take it (`[::1]:2222` for IPv6).
 * Returns null with a message that names what is wrong.
 */
export function parseSshDestination(text: string): { endpoint: SshEndpoint; error: null } | { endpoint: null; error: string } {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf('@');
  const user = at > 0 ? trimmed.slice(0, at) : undefined;
  const rest = at >= 0 ? trimmed.slice(at + 1) : trimmed;
  const m = /^(?:\[([^\]]+)\]|([^:[\]@\s]+))(?::(\d+))?$/.exec(rest);
  const host = m?.[1] ?? m?.[2];
  if (!m || !host || at === 0) return { endpoint: null, error: `"${text}" is not [user@]host[:port].` };
  const endpoint: SshEndpoint = { host };
  if (m[3] !== undefined) {
    const port = Number(m[3]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { endpoint: null, error: `The port of "${text}" must be a number between 1 and 65535.` };
    endpoint.port = port;
  }
  if (user) endpoint.user = user;
  return { endpoint, error: null };
}

/** The inverse of parseSshDestination: `app@[::1]:2222`, `bastion`. */
export function formatSshDestination(e: SshEndpoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${e.user ? `${e.user}@` : ''}${host}${e.port !== undefined ? `:${e.port}` : ''}`;
}

/**
 * Something an SSH server (or a locked key) needs from the person while a connection opens: a
 * key's passphrase, the SSH password, or keyboard-interactive prompts such as a one-time code.
 * `prompts` are the server's own words (ours for a passphrase or password); `echo` false means the
 * answer is typed hidden. Only the worker sees the answers.
 */
export const SshQuestion = z.object({
  kind: z.enum(['passphrase', 'password', 'prompts']),
  /** The SSH server asking: `127.0.0.1:2222`, with `hop N of M` on a chain. */
  server: z.string().max(300),
  user: z.string().max(255),
  /** The key file whose passphrase is asked for. */
  keyFile: z.string().max(4096).optional(),
  /** The previous answer was wrong (the passphrase did not decrypt the key, the server refused the login). */
  previousWrong: z.boolean(),
  /** The answer may be kept in the secret store for this profile (a passphrase of the profile's key, the SSH password). */
  canRemember: z.boolean(),
  /** Keyboard-interactive's name and instructions, as the server sent them. */
  name: z.string().max(1000).optional(),
  instructions: z.string().max(4000).optional(),
  prompts: z.array(z.object({ prompt: z.string().max(1000), echo: z.boolean() })).min(1).max(16),
});
export type SshQuestion = z.infer<typeof SshQuestion>;
