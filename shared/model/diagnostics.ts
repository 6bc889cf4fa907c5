import { z } from 'zod';
import { EngineKind } from './engine';
import { SslMode } from './connection';

/**
 * A diagnostic run is a sequence of steps. Network engines: config → dns → tcp → fingerprint → tls →
 * auth → database → session → privileges → health → table-read. SQLite: config → path → permissions →
 * header → open → table-read → integrity → lock.
 */
export const diagnosticStepIds = [
  'ssh-config',
  'ssh-dns',
  'ssh-tcp',
  'ssh-jump',
  'ssh-banner',
  'ssh-kex',
  'ssh-host-key',
  'ssh-auth',
  'ssh-forward',
  'config',
  'dns',
  'tcp',
  'fingerprint',
  'tls',
  'auth',
  'database',
  'session',
  'privileges',
  'health',
  'table-read',
  'path',
  'permissions',
  'header',
  'open',
  'integrity',
  'lock',
] as const;
export const DiagnosticStepId = z.enum(diagnosticStepIds);
export type DiagnosticStepId = z.infer<typeof DiagnosticStepId>;

export const diagnosticStepTitles: Record<DiagnosticStepId, string> = {
  'ssh-config': 'SSH settings (~/.ssh/config)',
  'ssh-dns': 'SSH: name resolution',
  'ssh-tcp': 'SSH: TCP connection',
  'ssh-jump': 'SSH: connection through the jump host',
  'ssh-banner': 'SSH: server banner',
  'ssh-kex': 'SSH: key exchange',
  'ssh-host-key': 'SSH: host key',
  'ssh-auth': 'SSH: authentication',
  'ssh-forward': 'SSH: port forward to the database',
  config: 'Connection settings',
  dns: 'Name resolution (DNS)',
  tcp: 'TCP connection',
  fingerprint: 'Protocol fingerprint',
  tls: 'TLS',
  auth: 'Authentication',
  database: 'Database selection',
  session: 'Session (catalog read)',
  privileges: 'Privileges',
  health: 'Server health',
  'table-read': 'Real table read',
  path: 'File path',
  permissions: 'File permissions',
  header: 'File header',
  open: 'Open the database',
  integrity: 'Integrity (quick_check)',
  lock: 'Lock state',
};

/** ok: fine · warn: works, but someone should know · fail: this is why it does not work · skip: not run. */
export const DiagnosticStepStatus = z.enum(['ok', 'warn', 'fail', 'skip']);
export type DiagnosticStepStatus = z.infer<typeof DiagnosticStepStatus>;

/** The classes a failure is sorted into. `unknown` keeps the raw evidence rather than guessing. */
export const diagnosticClasses = [
  'dns-not-found',
  'dns-temporary',
  'tcp-refused',
  'tcp-timeout',
  'no-response',
  'wrong-service',
  'tls-required',
  'tls-unsupported',
  'tls-untrusted',
  'tls-hostname-mismatch',
  'tls-expired',
  'auth-failed',
  'no-hba-entry',
  'unknown-database',
  'host-not-allowed',
  'too-many-connections',
  'server-unavailable',
  'auth-plugin-unsupported',
  'password-expired',
  'account-locked',
  'insufficient-privilege',
  'galera-not-ready',
  'galera-non-primary',
  'sqlite-not-found',
  'sqlite-not-a-database',
  'sqlite-corrupt',
  'sqlite-locked',
  'sqlite-read-only',
  'sqlite-permission-denied',
  'ssh-dns-not-found',
  'ssh-tcp-refused',
  'ssh-tcp-timeout',
  'ssh-not-ssh',
  'ssh-host-key-unknown',
  'ssh-host-key-changed',
  'ssh-auth-failed',
  'ssh-key-unreadable',
  'ssh-forwarding-refused',
  'ssh-target-unreachable',
  'ssh-jump-failed',
  'unknown',
] as const;
export const DiagnosticClass = z.enum(diagnosticClasses);
export type DiagnosticClass = z.infer<typeof DiagnosticClass>;

export const diagnosticClassLabels: Record<DiagnosticClass, string> = {
  'dns-not-found': 'Host name does not exist',
  'dns-temporary': 'DNS server unreachable',
  'tcp-refused': 'Connection refused',
  'tcp-timeout': 'No answer to the TCP connect (filtered)',
  'no-response': 'Port accepts, but nothing answers',
  'wrong-service': 'Another service on this port',
  'tls-required': 'The server requires TLS',
  'tls-unsupported': 'The server has no TLS',
  'tls-untrusted': 'Certificate not trusted',
  'tls-hostname-mismatch': 'Certificate is for another name',
  'tls-expired': 'Certificate expired (or not yet valid)',
  'auth-failed': 'Login refused',
  'no-hba-entry': 'No pg_hba.conf entry',
  'unknown-database': 'Database does not exist',
  'host-not-allowed': 'This client host is not allowed',
  'too-many-connections': 'Too many connections',
  'server-unavailable': 'Server not accepting connections',
  'auth-plugin-unsupported': 'Authentication method not supported',
  'password-expired': 'Password expired',
  'account-locked': 'Account locked or not allowed to log in',
  'insufficient-privilege': 'Missing privileges',
  'galera-not-ready': 'Galera node not ready',
  'galera-non-primary': 'Galera node outside the primary component',
  'sqlite-not-found': 'SQLite file not found',
  'sqlite-not-a-database': 'Not a SQLite database',
  'sqlite-corrupt': 'SQLite file is corrupt',
  'sqlite-locked': 'SQLite file is locked',
  'sqlite-read-only': 'SQLite file is read-only',
  'sqlite-permission-denied': 'No permission to read the SQLite file',
  'ssh-dns-not-found': 'SSH host name does not exist',
  'ssh-tcp-refused': 'SSH port refused the connection',
  'ssh-tcp-timeout': 'No answer from the SSH port (filtered)',
  'ssh-not-ssh': 'Something other than SSH answers the SSH port',
  'ssh-host-key-unknown': 'SSH host key not known yet',
  'ssh-host-key-changed': 'SSH host key changed — possible man-in-the-middle',
  'ssh-auth-failed': 'SSH login refused',
  'ssh-key-unreadable': 'SSH key cannot be used',
  'ssh-forwarding-refused': 'The bastion does not allow this port forward',
  'ssh-target-unreachable': 'The bastion cannot reach the database',
  'ssh-jump-failed': 'A jump host cannot reach the next hop',
  unknown: 'Unclassified failure',
};

/** What the protocol fingerprint found on the port when it is not what the profile expects. */
export const ServiceFound = z.enum(['postgresql', 'mysql', 'http', 'ssh', 'tls', 'unknown']);
export type ServiceFound = z.infer<typeof ServiceFound>;

export const RemedyAudience = z.enum(['user', 'dba', 'network', 'bastion']);
export type RemedyAudience = z.infer<typeof RemedyAudience>;
export const remedyAudienceLabels: Record<RemedyAudience, string> = { user: 'You', dba: 'The DBA', network: 'The network team', bastion: 'The SSH server’s admin' };
export const remedyAudienceFor: Record<RemedyAudience, string> = { user: 'for you', dba: 'for the DBA', network: 'for the network team', bastion: 'for the SSH server’s admin' };

/** Which SSH server of a route a step is about: 0 is reached first, the last is the bastion. */
export const DiagnosticHop = z.object({ index: z.number().int(), count: z.number().int(), label: z.string() });
export type DiagnosticHop = z.infer<typeof DiagnosticHop>;

export const Remedy = z.object({ audience: RemedyAudience, text: z.string() });
export type Remedy = z.infer<typeof Remedy>;

/** A driver or system error, copied field by field from an allow-list, secrets already removed. */
const DriverErrorFields = {
  name: z.string().optional(),
  message: z.string(),
  code: z.string().optional(),
  errno: z.union([z.number(), z.string()]).optional(),
  sqlState: z.string().optional(),
  severity: z.string().optional(),
  routine: z.string().optional(),
  detail: z.string().optional(),
  hint: z.string().optional(),
  syscall: z.string().optional(),
  address: z.string().optional(),
  port: z.number().optional(),
  fatal: z.boolean().optional(),
  /** The driver that raised it: `pg`, `mysql2`, `better-sqlite3`, `node` (dns/net/tls probes) or `dbdesk`. */
  source: z.string().optional(),
};
export const DriverErrorEvidence = z.object({
  ...DriverErrorFields,
  /** AggregateError.errors / err.cause: one level is enough to see per-address failures. */
  causes: z.array(z.object(DriverErrorFields)).optional(),
});
export type DriverErrorEvidence = z.infer<typeof DriverErrorEvidence>;

export const EvidenceValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
export type EvidenceValue = z.infer<typeof EvidenceValue>;

export const DiagnosticStep = z.object({
  id: DiagnosticStepId,
  /** SSH steps: the hop they are about (the same step id repeats for each hop of a route). */
  hop: DiagnosticHop.optional(),
  title: z.string(),
  status: DiagnosticStepStatus,
  /** One line a person reads first. */
  detail: z.string(),
  /** Milliseconds since the run started / the step's own duration / the limit it ran with. */
  startedMs: z.number(),
  ms: z.number(),
  timeoutMs: z.number(),
  timedOut: z.boolean().default(false),
  evidence: z.record(z.string(), EvidenceValue),
  error: DriverErrorEvidence.optional(),
  classId: DiagnosticClass.optional(),
  found: ServiceFound.optional(),
  /** Alternatives the evidence cannot rule out (e.g. MariaDB 1044: no such database OR no privilege). */
  alternatives: z.array(DiagnosticClass).optional(),
  remedy: Remedy.optional(),
});
export type DiagnosticStep = z.infer<typeof DiagnosticStep>;

export const DiagnosticTarget = z.object({
  engine: EngineKind,
  host: z.string().optional(),
  port: z.number().optional(),
  database: z.string().optional(),
  user: z.string().optional(),
  file: z.string().optional(),
  tlsMode: SslMode.optional(),
  readOnly: z.boolean(),
  /** The profile's name, when the run is for a saved profile or a draft that has one. */
  name: z.string().optional(),
  /** A Galera cluster profile: its further nodes as host:port, after host:port above (as the profile lists them); every node is diagnosed. */
  nodes: z.array(z.string()).optional(),
});
export type DiagnosticTarget = z.infer<typeof DiagnosticTarget>;

export const DiagnosticVerdict = z.object({
  /** The connection can be used for what the profile says (reads; writes unless read-only). */
  usable: z.boolean(),
  status: z.enum(['ok', 'degraded', 'failed']),
  classId: DiagnosticClass.nullable(),
  found: ServiceFound.optional(),
  failedStep: DiagnosticStepId.optional(),
  headline: z.string(),
  remedy: Remedy.optional(),
  alternatives: z.array(DiagnosticClass).optional(),
  /** A cluster run: the node (host:port) the class, failed step and remedy are about. */
  node: z.string().optional(),
});
export type DiagnosticVerdict = z.infer<typeof DiagnosticVerdict>;

/** One node of a cluster profile, diagnosed on its own: the same steps as a single server. */
export const NodeDiagnosis = z.object({
  endpoint: z.string(),
  /** wsrep_node_name, when the node answered. */
  nodeName: z.string().nullable(),
  verdict: DiagnosticVerdict,
  steps: z.array(DiagnosticStep),
  server: z.object({ product: z.string().optional(), version: z.string().optional() }).optional(),
});
export type NodeDiagnosis = z.infer<typeof NodeDiagnosis>;

/** A Galera cluster profile's run: every listed node, and what they say together. */
export const ClusterDiagnosis = z.object({
  nodes: z.array(NodeDiagnosis),
  /** Listed nodes in a primary component (host:port). */
  primary: z.array(z.string()),
  /** Findings about the cluster as a whole (two primary components, members that disagree). */
  findings: z.array(z.string()),
});
export type ClusterDiagnosis = z.infer<typeof ClusterDiagnosis>;

export const DiagnosticRun = z.object({
  schema: z.literal('dbdesk-diagnostics/1'),
  runId: z.string(),
  startedAt: z.string(),
  ms: z.number(),
  target: DiagnosticTarget,
  verdict: DiagnosticVerdict,
  /** The steps of a single-server run; empty for a cluster run, whose steps are per node in `cluster`. */
  steps: z.array(DiagnosticStep),
  cluster: ClusterDiagnosis.optional(),
  /** What the run learnt about the server (from the greeting or the session). */
  server: z.object({ product: z.string().optional(), version: z.string().optional() }).optional(),
  environment: z.object({ app: z.string(), node: z.string(), platform: z.string(), driver: z.string() }),
  /** How many secret occurrences were scrubbed before the run left the core. */
  secretsRemoved: z.number().int(),
});
export type DiagnosticRun = z.infer<typeof DiagnosticRun>;

export const DiagnosticPlanEntry = z.object({ id: DiagnosticStepId, hop: DiagnosticHop.optional(), title: z.string(), timeoutMs: z.number() });
export type DiagnosticPlanEntry = z.infer<typeof DiagnosticPlanEntry>;

/**
 * Live progress of a run: the plan, each step as it starts and as it finishes. A cluster run's plan
 * lists its nodes; its step events name the node (host:port) they belong to.
 */
export const DiagnosticProgress = z.discriminatedUnion('kind', [
  z.object({ runId: z.string(), kind: z.literal('plan'), target: DiagnosticTarget, steps: z.array(DiagnosticPlanEntry), nodes: z.array(z.string()).optional() }),
  z.object({ runId: z.string(), kind: z.literal('started'), stepId: DiagnosticStepId, hop: DiagnosticHop.optional(), node: z.string().optional() }),
  z.object({ runId: z.string(), kind: z.literal('finished'), step: DiagnosticStep, node: z.string().optional() }),
]);
export type DiagnosticProgress = z.infer<typeof DiagnosticProgress>;
