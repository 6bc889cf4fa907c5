import type { DiagnosticClass, DiagnosticStep, Remedy, RemedyAudience } from '../../../shared/model/diagnostics';
import type { ErrorContext } from './classification';
import { sshRemedy, type SshFailureClass } from '../../../electron/core/ssh/ssh-failure';

export interface RemedyContext extends ErrorContext {
  engineLabel: string;
  /** Where the server's listening address and port are set, in its own words (the dialect's). */
  listenSettings?: string;
}

type Advice = (step: DiagnosticStep, ctx: RemedyContext) => [RemedyAudience, string];

/** The SSH classes' remedies live with the SSH machinery; the step's hop and evidence make them concrete. */
function sshAdvice(classId: SshFailureClass): Advice {
  return (s) => {
    const str = (k: string) => (typeof s.evidence[k] === 'string' ? (s.evidence[k] as string) : undefined);
    const facts = { ...(str('target') ? { target: str('target')! } : {}), ...(str('knownHostsFile') ? { knownHostsFile: str('knownHostsFile')! } : {}), ...(str('found') ? { found: str('found')! } : {}) };
    const r = sshRemedy(classId, s.hop ?? null, facts);
    return [r.audience, r.text];
  };
}

const serverConfig = (ctx: RemedyContext) => ctx.listenSettings ?? 'the address and port the server listens on';

/** Who can fix each class, and what to do. The step's evidence fills in the specifics. */
const advice: Record<DiagnosticClass, Advice> = {
  'dns-not-found': () => ['user', 'Check the host name for typos. If it is an internal name, connect to the VPN or the network that can resolve it (split DNS), or use the server’s IP address.'],
  'dns-temporary': () => ['network', 'This machine cannot reach its DNS server right now (VPN dropped, captive portal, resolver down). Retry, or use the IP address meanwhile.'],
  'tcp-refused': (s, ctx) => [
    'dba',
    `Nothing accepts connections on ${s.evidence.port ?? 'that port'}: the server is stopped, the port is wrong, or it listens on another interface (${serverConfig(ctx)}).`,
  ],
  'tcp-timeout': () => ['network', 'The connection attempt got no answer at all: a firewall, security group or route drops it. Test from another machine (`nc -vz host port`) and ask for the port to be opened.'],
  'no-response': (s) => [
    'network',
    s.evidence.behaviour === 'closed' || s.evidence.behaviour === 'reset'
      ? 'Something accepts the TCP connection and hangs up at once: a proxy or load balancer with no healthy backend, a TCP wrapper (hosts.allow), or the server blocking this host. Check what runs on that port and the server’s log.'
      : 'Something accepts the TCP connection but never answers: a load balancer, proxy or SSH tunnel whose backend is down, or a stuck server. Check the service behind it.',
  ],
  'wrong-service': (s, ctx) => {
    const found = s.found ?? String(s.evidence.found ?? 'unknown');
    const what: Record<string, string> = {
      postgresql: 'a PostgreSQL server: change the connection type to PostgreSQL',
      mysql: 'a MySQL/MariaDB server: change the connection type to MySQL or MariaDB',
      http: 'a web server: the port number is probably wrong',
      ssh: 'an SSH server: reach the database through an SSH tunnel instead',
      tls: 'a TLS endpoint (a TLS proxy or a direct-TLS server): use the database’s plain port or a direct-TLS connection',
      unknown: 'a service that is not a database',
    };
    return ['user', `This port belongs to ${what[found] ?? what.unknown} (${ctx.engineLabel} expected).`];
  },
  'tls-required': () => ['user', 'The server only accepts this login over TLS: set sslmode to require (or verify-ca/verify-full with the server’s CA file).'],
  'tls-unsupported': () => ['dba', 'The server does not offer TLS. Ask the DBA to enable it; only if policy allows, set sslmode to prefer or disable for this connection.'],
  'tls-untrusted': (s) => [
    'user',
    s.evidence.selfSigned === true
      ? 'The server presents a self-signed certificate. Get the certificate (or a CA-issued one) from the DBA and give it as the CA file; compare its SHA-256 fingerprint first.'
      : `The certificate’s issuer (${s.evidence.issuer ?? 'see the evidence'}) is not trusted: give the issuing CA’s certificate as the CA file. Compare the fingerprint with the one the DBA has.`,
  ],
  'tls-hostname-mismatch': (s) => [
    'user',
    `Connect with a name the certificate lists (${s.evidence.subjectAltNames ? String(s.evidence.subjectAltNames) : 'see the evidence'}), use verify-ca (chain only), or have the certificate reissued with this name.`,
  ],
  'tls-expired': (s) => [
    'dba',
    String(s.evidence.chainError) === 'CERT_NOT_YET_VALID'
      ? 'The certificate is not valid yet: check this computer’s clock, or the server’s certificate dates.'
      : `The server’s certificate expired${s.evidence.validTo ? ` on ${s.evidence.validTo}` : ''}: it must be renewed.`,
  ],
  'auth-failed': (s) => [
    'user',
    /client password must be/.test(s.error?.message ?? '') || /using password: NO/.test(s.error?.message ?? '')
      ? 'The server wants a password and none was given: enter the password (or check that the environment variable or keychain entry is there).'
      : 'Check the user name and password. If they are right, the DBA can see the precise reason in the server log (unknown role, wrong password method, account host).',
  ],
  'no-hba-entry': (s) => [
    'dba',
    /rejects/.test(s.error?.message ?? '')
      ? 'pg_hba.conf explicitly rejects this client/user/database: ask the DBA.'
      : 'pg_hba.conf has no line for this client address, user and database: the DBA adds a host (or hostssl) line and reloads. The message shows the address the server saw.',
  ],
  'unknown-database': () => ['user', 'Check the database name (PostgreSQL defaults it to the user name when empty), or ask the DBA whether it exists.'],
  'host-not-allowed': (s) => [
    'dba',
    s.error?.errno === 1129
      ? 'The server blocked this host after too many failed connects: the DBA runs FLUSH HOSTS (or mariadb-admin flush-hosts).'
      : 'No account matches this client’s address as the server sees it: the DBA creates the user for this host (or %). The message names the address the server saw.',
  ],
  'too-many-connections': (s) => [
    'dba',
    /for role|max_user_connections|exceeded/.test(s.error?.message ?? '')
      ? 'This account reached its own connection limit: close its idle sessions or raise the limit.'
      : 'The server has no free connection slot: close idle sessions and pools, raise max_connections, or use a connection pooler.',
  ],
  'server-unavailable': (s) => [
    'dba',
    s.error?.sqlState === '55000'
      ? 'This database does not accept connections (ALLOW_CONNECTIONS is false: a template, or closed for maintenance): the DBA runs ALTER DATABASE … ALLOW_CONNECTIONS true, or connect to another database.'
      : 'The server is starting, shutting down, in recovery or a standby that refuses connections: wait for it, or connect to the primary.',
  ],
  'auth-plugin-unsupported': (s) => [
    'dba',
    `The account uses an authentication method this client cannot speak${s.evidence.authPlugin ? ` (${s.evidence.authPlugin})` : ''}: switch the account to a supported method (scram-sha-256; mysql_native_password or caching_sha2_password).`,
  ],
  'password-expired': () => ['user', 'The password has expired: set a new one (ALTER USER … / SET PASSWORD) with another client, or ask the DBA to reset it.'],
  'account-locked': () => ['dba', 'The account is locked or may not log in: the DBA unlocks it (ALTER USER … ACCOUNT UNLOCK, or ALTER ROLE … LOGIN).'],
  'insufficient-privilege': (s) => [
    'dba',
    s.alternatives?.includes('unknown-database')
      ? 'Access to this database is denied: either it does not exist or this user has no privilege on it. Check the name; the DBA can grant access.'
      : 'The user lacks the privileges this needs: the DBA grants CONNECT/USAGE/SELECT (and write privileges if the connection is not read-only).',
  ],
  'galera-not-ready': () => ['dba', 'This Galera node is not ready for queries (joining, desynced, or set to reject queries): connect to another node or the load balancer; the DBA checks wsrep_local_state_comment and wsrep_reject_queries.'],
  'galera-non-primary': () => ['dba', 'This Galera node lost quorum (non-Primary): use another node or the load balancer. The DBA restores the primary component — never bootstrap a node blindly.'],
  'sqlite-not-found': () => ['user', 'No database file at that path: check the path (a missing file is never created silently).'],
  'sqlite-not-a-database': () => ['user', 'The file is not a SQLite database — a different file, or an encrypted one (SQLCipher needs its key).'],
  'sqlite-corrupt': () => ['user', 'The database file is damaged: restore it from a backup, or salvage rows with `sqlite3 file .recover`.'],
  'sqlite-locked': () => ['user', 'Another program holds a lock on this database (an app, a sync client, a backup tool): close it and try again.'],
  'sqlite-read-only': (s) => [
    'user',
    s.evidence.folderWritable === false
      ? 'The folder is not writable, so SQLite cannot create its journal: make the folder writable, or open the connection read-only.'
      : 'The file cannot be written (permissions, read-only media): fix the permissions or mark the connection read-only.',
  ],
  'sqlite-permission-denied': () => ['user', 'This user may not read the file (or reach its folder): fix the ownership or permissions.'],
  'ssh-dns-not-found': sshAdvice('ssh-dns-not-found'),
  'ssh-tcp-refused': sshAdvice('ssh-tcp-refused'),
  'ssh-tcp-timeout': sshAdvice('ssh-tcp-timeout'),
  'ssh-not-ssh': sshAdvice('ssh-not-ssh'),
  'ssh-host-key-unknown': sshAdvice('ssh-host-key-unknown'),
  'ssh-host-key-changed': sshAdvice('ssh-host-key-changed'),
  'ssh-auth-failed': sshAdvice('ssh-auth-failed'),
  'ssh-key-unreadable': sshAdvice('ssh-key-unreadable'),
  'ssh-forwarding-refused': sshAdvice('ssh-forwarding-refused'),
  'ssh-target-unreachable': sshAdvice('ssh-target-unreachable'),
  'ssh-jump-failed': sshAdvice('ssh-jump-failed'),
  unknown: (s) => [
    s.id === 'dns' || s.id === 'tcp' || s.id === 'fingerprint' ? 'network' : s.id === 'config' || s.id === 'path' ? 'user' : 'dba',
    s.timedOut && s.id !== 'dns' && s.id !== 'tcp' && s.id !== 'fingerprint'
      ? `No answer within this step’s limit (${s.timeoutMs} ms) although the steps before it passed: the server (or a proxy in front of it) is stuck or overloaded, or another session holds a lock this step waits for (the DBA sees it in the server’s process list). Try again with a longer limit; copy the report for support.`
      : 'This failure fits no known class. The evidence and the driver’s own error below are what support needs: copy the report.',
  ],
};

/** Advice for steps that passed with a warning. */
function warningAdvice(s: DiagnosticStep): [RemedyAudience, string] | undefined {
  switch (s.id) {
    case 'tcp':
      return ['network', 'Some of the host’s addresses do not accept connections (often IPv6 `::1` while the server listens on IPv4 only): use the address that works, or make the server listen on both.'];
    case 'tls':
      return s.evidence.serverSupportsTls === false
        ? ['dba', 'The connection falls back to plain text because the server offers no TLS: the DBA can enable it.']
        : ['user', 'The certificate is not verified with this sslmode: use verify-full (or verify-ca) with the server’s CA file to be safe from impostors.'];
    case 'privileges':
      return ['dba', 'This user cannot write here although the connection is not read-only: mark the connection read-only, or the DBA grants write privileges.'];
    case 'health':
      return ['dba', String(s.evidence.advice ?? 'The server reports a condition worth a look; see the evidence.')];
    case 'permissions':
      return ['user', 'The file can be read but not written; fine for a read-only connection.'];
    default:
      return undefined;
  }
}

export function remedyFor(step: DiagnosticStep, ctx: RemedyContext): Remedy | undefined {
  let pair: [RemedyAudience, string] | undefined;
  if (step.status === 'fail') pair = advice[step.classId ?? 'unknown'](step, ctx);
  else if (step.status === 'warn') pair = warningAdvice(step);
  return pair ? { audience: pair[0], text: pair[1] } : undefined;
}
