import { z } from 'zod';
import { EngineKind, isFileEngine } from './engine';
import { SshSettings } from './ssh';
import { PathText } from '../ipc/limits';

/** libpq's sslmode vocabulary, applied to every network engine. */
export const sslModes = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export const SslMode = z.enum(sslModes);
export type SslMode = z.infer<typeof SslMode>;

export const TlsSettings = z.object({
  mode: SslMode,
  /** Paths on the machine that runs the core, never file contents. */
  caFile: PathText.optional(),
  certFile: PathText.optional(),
  keyFile: PathText.optional(),
});
export type TlsSettings = z.infer<typeof TlsSettings>;

export const ClusterNode = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
});
export type ClusterNode = z.infer<typeof ClusterNode>;

export const RetryPolicy = z.object({
  maxAttempts: z.number().int().min(1).max(100),
  delaySeconds: z.number().min(0).max(3600),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const connectionColors = ['none', 'red', 'orange', 'yellow', 'green', 'blue', 'purple', 'gray'] as const;
export const ConnectionColor = z.enum(connectionColors);
export type ConnectionColor = z.infer<typeof ConnectionColor>;

/** The guide's pool formula: (2 × CPU cores) + 1. The core fills it in from the machine it runs on. */
export function defaultPoolSize(cpuCores: number): number {
  return Math.max(1, cpuCores) * 2 + 1;
}

/**
 * The fields of a saved connection that are not secret. The password is never part of it:
 * the renderer only learns `hasPassword`.
 */
export const ConnectionFields = z.object({
  name: z.string().trim().min(1, 'A connection needs a name').max(200),
  engine: EngineKind,
  host: z.string().trim().max(255).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  database: z.string().max(255).optional(),
  user: z.string().max(255).optional(),
  /** SQLite: path to the database file. */
  file: PathText.optional(),
  /** Galera: further nodes of the same cluster, tried in order after host:port. */
  nodes: z.array(ClusterNode).max(32).default([]),
  tls: TlsSettings.default({ mode: 'prefer' }),
  connectTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  poolSize: z.number().int().min(1).max(1000).optional(),
  retry: RetryPolicy.default({ maxAttempts: 1, delaySeconds: 5 }),
  production: z.boolean().default(false),
  readOnly: z.boolean().default(false),
  color: ConnectionColor.default('none'),
  /** The built-in demo database: the core (re)creates its file when missing. */
  demo: z.boolean().default(false),
  migrationsDir: PathText.optional(),
  /** Reach the database through SSH (a bastion, jump hosts). Off by default. */
  ssh: SshSettings.default(() => SshSettings.parse({})),
});
export type ConnectionFields = z.infer<typeof ConnectionFields>;
export type ConnectionFieldsInput = z.input<typeof ConnectionFields>;

export const ConnectionProfile = ConnectionFields.extend({
  id: z.string().min(1).max(64),
  hasPassword: z.boolean(),
  /** The SSH password / the key's passphrase are stored (never sent to the renderer). */
  hasSshPassword: z.boolean().default(false),
  hasSshPassphrase: z.boolean().default(false),
  /** Where the profile came from: saved by the user, or the DB_* environment of this process. */
  source: z.enum(['saved', 'environment']).default('saved'),
});
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;

/** One line a person can read: `postgres@db.example.com:5432/app`, `app@db1:3306/app +2 nodes`. Never includes a password. */
export function describeTarget(p: Pick<ConnectionFields, 'engine' | 'host' | 'port' | 'database' | 'user' | 'file'> & { nodes?: readonly unknown[] }): string {
  if (isFileEngine(p.engine)) return p.file ?? '(no file)';
  const user = p.user ? `${p.user}@` : '';
  const port = p.port ? `:${p.port}` : '';
  const db = p.database ? `/${p.database}` : '';
  const more = p.nodes?.length ? ` +${p.nodes.length} node${p.nodes.length === 1 ? '' : 's'}` : '';
  return `${user}${p.host ?? 'localhost'}${port}${db}${more}`;
}
