import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyDriverError, isAmbiguousTransportError } from '../../../features/diagnostics/core/classify-driver-error';
import { classifyRun, classifyStep, withClassification, type StepFacts } from '../../../features/diagnostics/core/classify';
import { remedyFor } from '../../../features/diagnostics/core/remedies';
import { dialectFor } from '../../../electron/core/engines/dialects';
import type { DiagnosticClass, DiagnosticStep, DriverErrorEvidence } from '../../../shared/model/diagnostics';
import { diagnosticClasses } from '../../../shared/model/diagnostics';
import type { DiagnosticTarget } from '../../../shared/model/diagnostics';

/**
 * The classifier against driver errors as pg 8.23.1, mysql2 3.24.6 and better-sqlite3 12.11 report
 * them (recorded on PostgreSQL 15 and MariaDB 10.11; see ../shared/notes/diagnostics.md §3). Cases
 * not reproduced on this machine — PostgreSQL "starting up", MariaDB 1053 shutdown, 1129 host
 * blocked, MySQL's 3159/1862/3118 and caching_sha2_password failures — are classified from their
 * recorded shape here only (a hot standby is reproduced in postgres-classes.test.ts too).
 */
const pg = (code: string, message: string, extra: Partial<DriverErrorEvidence> = {}): DriverErrorEvidence => ({ source: 'pg', name: 'DatabaseError', severity: 'FATAL', code, sqlState: code, message, ...extra });
const my = (errno: number, code: string, message: string, sqlState = 'HY000'): DriverErrorEvidence => ({ source: 'mysql2', name: 'Error', errno, code, sqlState, message });

const recorded: [string, DriverErrorEvidence, DiagnosticClass, { product?: 'mysql' | 'mariadb'; tlsInUse?: boolean }?][] = [
  // PostgreSQL (SQLSTATE)
  ['pg wrong password', pg('28P01', 'password authentication failed for user "alice"', { routine: 'auth_failed' }), 'auth-failed'],
  ['pg no hba entry', pg('28000', 'no pg_hba.conf entry for host "203.0.113.9", user "alice", database "sales", no encryption', { routine: 'ClientAuthentication' }), 'no-hba-entry'],
  ['pg hba reject', pg('28000', 'pg_hba.conf rejects connection for host "127.0.0.1", user "rejected", database "postgres", no encryption'), 'no-hba-entry'],
  ['pg role missing under trust', pg('28000', 'role "trustuser" does not exist'), 'auth-failed'],
  ['pg NOLOGIN', pg('28000', 'role "nologin" is not permitted to log in', { routine: 'InitializeSessionUserId' }), 'account-locked'],
  ['pg unknown database', pg('3D000', 'database "nope" does not exist', { routine: 'InitPostgres' }), 'unknown-database'],
  ['pg no CONNECT', pg('42501', 'permission denied for database "noconnect"', { detail: 'User does not have CONNECT privilege.', routine: 'CheckMyDatabase' }), 'insufficient-privilege'],
  ['pg database closed', pg('55000', 'database "closeddb" is not currently accepting connections'), 'server-unavailable'],
  ['pg reserved slots', pg('53300', 'remaining connection slots are reserved for non-replication superuser connections', { routine: 'InitPostgres' }), 'too-many-connections'],
  ['pg too many clients', pg('53300', 'sorry, too many clients already', { routine: 'InitProcess' }), 'too-many-connections'],
  ['pg role limit', pg('53300', 'too many connections for role "limited"'), 'too-many-connections'],
  ['pg shutting down', pg('57P03', 'the database system is shutting down', { routine: 'ProcessStartupPacket' }), 'server-unavailable'],
  ['pg starting up (not reproducible: a race during crash recovery)', pg('57P03', 'the database system is starting up'), 'server-unavailable'],
  ['pg hot standby off', pg('57P03', 'the database system is not accepting connections', { detail: 'Hot standby mode is disabled.' }), 'server-unavailable'],
  ['pg admin shutdown', pg('57P01', 'terminating connection due to administrator command'), 'server-unavailable'],
  ['pg no password', { source: 'pg', name: 'Error', message: 'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string' }, 'auth-failed'],
  ['pg SCRAM-PLUS without TLS', { source: 'pg', name: 'Error', message: 'SASL: Only mechanism(s) SCRAM-SHA-256 are supported' }, 'auth-plugin-unsupported'],
  ['pg channel binding needs a certificate', { source: 'pg', name: 'Error', message: 'SASL: Mechanism SCRAM-SHA-256-PLUS requires a certificate' }, 'auth-plugin-unsupported'],
  ['pg server without TLS', { source: 'pg', name: 'Error', message: 'The server does not support SSL connections' }, 'tls-unsupported'],
  ['pg expired certificate', { source: 'pg', name: 'Error', code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, 'tls-expired'],
  ['pg certificate not yet valid (not generated here)', { source: 'pg', name: 'Error', code: 'CERT_NOT_YET_VALID', message: 'certificate is not yet valid' }, 'tls-expired'],
  ['pg self-signed leaf', { source: 'pg', name: 'Error', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, 'tls-untrusted'],
  ['pg private CA not given', { source: 'pg', name: 'Error', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify the first certificate' }, 'tls-untrusted'],
  ['pg CA in chain untrusted', { source: 'pg', name: 'Error', code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' }, 'tls-untrusted'],
  ['pg name mismatch', { source: 'pg', name: 'Error', code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:db.example.com" }, 'tls-hostname-mismatch'],
  ['pg refused', { source: 'pg', name: 'Error', code: 'ECONNREFUSED', errno: -111, syscall: 'connect', address: '127.0.0.1', port: 5432, message: 'connect ECONNREFUSED 127.0.0.1:5432' }, 'tcp-refused'],
  ['pg name not found', { source: 'pg', name: 'Error', code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', message: 'getaddrinfo ENOTFOUND db.nonexistent.invalid' }, 'dns-not-found'],
  ['pg resolver unreachable', { source: 'pg', name: 'Error', code: 'EAI_AGAIN', errno: -3001, syscall: 'getaddrinfo', message: 'getaddrinfo EAI_AGAIN db.example.com' }, 'dns-temporary'],
  // MySQL / MariaDB (errno + flavour)
  ['mariadb wrong password, TLS in use', my(1045, 'ER_ACCESS_DENIED_ERROR', "Access denied for user 'app'@'127.0.0.1' (using password: YES)", '28000'), 'auth-failed', { tlsInUse: true }],
  ['mariadb unknown database, global privileges', my(1049, 'ER_BAD_DB_ERROR', "Unknown database 'nope'", '42000'), 'unknown-database'],
  ['mariadb 1044', my(1044, 'ER_DBACCESS_DENIED_ERROR', "Access denied for user 'app'@'127.0.0.1' to database 'nope'", '42000'), 'insufficient-privilege'],
  ['mariadb host not allowed (sqlState empty: sent before the greeting)', my(1130, 'ER_HOST_NOT_PRIVILEGED', "Host '127.0.0.5' is not allowed to connect to this MariaDB server", ''), 'host-not-allowed'],
  ['mariadb host blocked (not triggered here)', my(1129, 'ER_HOST_IS_BLOCKED', "Host '10.1.2.3' is blocked because of many connection errors; unblock with 'mariadb-admin flush-hosts'"), 'host-not-allowed'],
  ['mariadb too many connections', my(1040, 'ER_CON_COUNT_ERROR', 'Too many connections', '08004'), 'too-many-connections'],
  ['mariadb user limit', my(1226, 'ER_USER_LIMIT_REACHED', "User 'oneconn' has exceeded the 'max_user_connections' resource (current value: 1)", '42000'), 'too-many-connections'],
  ['mariadb shutdown in progress (not reproduced)', my(1053, 'ER_SERVER_SHUTDOWN', 'Server shutdown in progress', '08S01'), 'server-unavailable'],
  ['mariadb account locked = 4151 (mysql2 names it after a MySQL error)', my(4151, 'ER_BULK_PARSER_INCOMPLETE_ESCAPE_SEQUENCE', 'Access denied, this account is locked'), 'account-locked', { product: 'mariadb' }],
  ['mysql account locked = 3118 (MySQL only)', my(3118, 'ER_ACCOUNT_HAS_BEEN_LOCKED', "Access denied for user 'app'@'10.1.2.3'. Account is locked."), 'account-locked', { product: 'mysql' }],
  ['mariadb expired password on the first query', my(1820, 'ER_MUST_CHANGE_PASSWORD', 'You must SET PASSWORD before executing this statement'), 'password-expired'],
  ['mysql expired password at login (disconnect_on_expired_password)', my(1862, 'ER_MUST_CHANGE_PASSWORD_LOGIN', 'Your password has expired. To log in you must change it using a client that supports expired passwords.'), 'password-expired', { product: 'mysql' }],
  ['mysql require_secure_transport (MySQL, MariaDB ≥ 11)', my(3159, 'ER_SECURE_TRANSPORT_REQUIRED', 'Connections using insecure transport are prohibited while --require_secure_transport=ON.'), 'tls-required'],
  ['mariadb ed25519', { source: 'mysql2', name: 'Error', code: 'AUTH_SWITCH_PLUGIN_ERROR', fatal: true, message: 'Server requests authentication using unknown plugin client_ed25519. See TODO: add plugins doco here on how to configure or author authentication plugins.' }, 'auth-plugin-unsupported'],
  ['mysql clear password plugin not enabled', { source: 'mysql2', name: 'Error', code: 'MYSQL_CLEAR_PASSWORD_NOT_ENABLED', message: 'Authentication method mysql_clear_password not enabled' }, 'auth-plugin-unsupported'],
  ['mysql caching_sha2 key exchange refused (MySQL 8 only, no Debian server)', { source: 'mysql2', name: 'Error', code: 'AUTH_SWITCH_PLUGIN_ERROR', message: 'caching_sha2_password: could not get the server public key' }, 'auth-plugin-unsupported'],
  ['mysql auth mode not supported', my(1251, 'ER_NOT_SUPPORTED_AUTH_MODE', 'Client does not support authentication protocol requested by server; consider upgrading MySQL client', '08004'), 'auth-plugin-unsupported'],
  ['mariadb galera node not ready', my(1047, 'ER_UNKNOWN_COM_ERROR', 'WSREP has not yet prepared node for application use', '08S01'), 'galera-not-ready'],
  ['mariadb table access denied', my(1142, 'ER_TABLEACCESS_DENIED_ERROR', "SELECT command denied to user 'writer'@'127.0.0.1' for table `appdb`.`orders`", '42000'), 'insufficient-privilege'],
  ['mysql2 TLS: expired', { source: 'mysql2', name: 'Error', code: 'HANDSHAKE_SSL_ERROR', fatal: true, message: 'certificate has expired' }, 'tls-expired'],
  ['mysql2 TLS: private CA', { source: 'mysql2', name: 'Error', code: 'HANDSHAKE_SSL_ERROR', fatal: true, message: 'self-signed certificate in certificate chain' }, 'tls-untrusted'],
  ['mysql2 TLS: name', { source: 'mysql2', name: 'Error', code: 'HANDSHAKE_SSL_ERROR', fatal: true, message: "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:db.example.com" }, 'tls-hostname-mismatch'],
  ['mysql2 server without TLS (source only)', { source: 'mysql2', name: 'Error', code: 'HANDSHAKE_NO_SSL_SUPPORT', fatal: true, message: 'Server does not support secure connection' }, 'tls-unsupported'],
  // SQLite (extended result codes)
  ['sqlite not a database', { source: 'better-sqlite3', name: 'SqliteError', code: 'SQLITE_NOTADB', message: 'file is not a database' }, 'sqlite-not-a-database'],
  ['sqlite corrupt', { source: 'better-sqlite3', name: 'SqliteError', code: 'SQLITE_CORRUPT', message: 'database disk image is malformed' }, 'sqlite-corrupt'],
  ['sqlite busy', { source: 'better-sqlite3', name: 'SqliteError', code: 'SQLITE_BUSY', message: 'database is locked' }, 'sqlite-locked'],
  ['sqlite read-only', { source: 'better-sqlite3', name: 'SqliteError', code: 'SQLITE_READONLY', message: 'attempt to write a readonly database' }, 'sqlite-read-only'],
  ['sqlite read-only folder', { source: 'better-sqlite3', name: 'SqliteError', code: 'SQLITE_READONLY_DIRECTORY', message: 'attempt to write a readonly database' }, 'sqlite-read-only'],
];

describe('classifyDriverError on recorded errors', () => {
  it.each(recorded)('%s', (_name, error, expected, ctx) => {
    expect(classifyDriverError(error, ctx ?? {})?.classId).toBe(expected);
  });

  it('MariaDB 4151 is "account locked" only on MariaDB: on MySQL the number means something else', () => {
    const e = my(4151, 'ER_BULK_PARSER_INCOMPLETE_ESCAPE_SEQUENCE', 'Access denied, this account is locked');
    expect(classifyDriverError(e, { product: 'mariadb' })?.classId).toBe('account-locked');
    expect(classifyDriverError(e, { product: 'mysql' })).toBeNull();
  });

  it('MySQL 1045 without TLS keeps "TLS required" open as an alternative; 1044 keeps "unknown database" open', () => {
    expect(classifyDriverError(my(1045, 'ER_ACCESS_DENIED_ERROR', 'Access denied', '28000'), { tlsInUse: false })).toEqual({ classId: 'auth-failed', alternatives: ['tls-required'] });
    expect(classifyDriverError(my(1044, 'ER_DBACCESS_DENIED_ERROR', 'Access denied to database', '42000'))?.alternatives).toEqual(['unknown-database']);
  });

  it('errors that cannot tell a firewall from a silent port are left to the probes, never guessed', () => {
    const ambiguous: DriverErrorEvidence[] = [
      { source: 'pg', name: 'Error', message: 'timeout expired' },
      { source: 'pg', name: 'Error', message: 'Connection terminated due to connection timeout' },
      { source: 'pg', name: 'Error', message: 'Connection terminated unexpectedly' },
      { source: 'pg', name: 'Error', message: 'There was an error establishing an SSL connection' },
      { source: 'pg', name: 'Error', message: 'Received unexpected copyData message from backend.' },
      { source: 'mysql2', name: 'Error', code: 'ETIMEDOUT', syscall: 'connect', fatal: true, message: 'connect ETIMEDOUT' },
      { source: 'mysql2', name: 'Error', code: 'PROTOCOL_CONNECTION_LOST', fatal: true, message: 'Connection lost: The server closed the connection.' },
    ];
    for (const e of ambiguous) {
      expect(isAmbiguousTransportError(e), e.message).toBe(true);
      expect(classifyDriverError(e), e.message).toBeNull();
    }
  });

  it('an error nobody knows is not forced into a class', () => {
    expect(classifyDriverError({ source: 'pg', name: 'DatabaseError', code: 'XX000', sqlState: 'XX000', severity: 'FATAL', message: 'internal error' })).toBeNull();
    expect(classifyDriverError(my(1205, 'ER_LOCK_WAIT_TIMEOUT', 'Lock wait timeout exceeded; try restarting transaction'))).toBeNull();
  });
});

/** The failing steps the integration tests asserted on the private servers (DBDESK_CAPTURE_ERRORS), with their class. */
const captured = readFileSync(join(__dirname, '../../fixtures/diagnostics/captured-errors.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { classId: DiagnosticClass; step: StepFacts['id']; target: DiagnosticTarget; error: DriverErrorEvidence | null; evidence: StepFacts['evidence'] });

describe('classifyStep on the steps captured from real servers', () => {
  it.each(captured.map((c, i) => [`${c.classId} at ${c.step} #${i}`, c] as const))('%s', (_name, c) => {
    const product = c.target.engine;
    const facts: StepFacts = { id: c.step, status: 'fail', evidence: c.evidence, timedOut: false, ...(c.error ? { error: c.error } : {}) };
    expect(classifyStep(facts, { product })?.classId).toBe(c.classId);
  });
});

const step = (id: StepFacts['id'], evidence: StepFacts['evidence'], error?: DriverErrorEvidence, extra: Partial<StepFacts> = {}): StepFacts => ({ id, status: 'fail', evidence, timedOut: false, ...(error ? { error } : {}), ...extra });

describe('classifyStep from evidence', () => {
  it('fingerprint: silence and hang-ups are no-response; another protocol is wrong-service with what was found', () => {
    expect(classifyStep(step('fingerprint', { expected: 'postgresql', found: null, behaviour: 'silent' }))).toEqual({ classId: 'no-response' });
    expect(classifyStep(step('fingerprint', { expected: 'postgresql', found: null, behaviour: 'closed' }))).toEqual({ classId: 'no-response' });
    for (const found of ['mysql', 'http', 'ssh', 'tls', 'unknown'] as const) {
      expect(classifyStep(step('fingerprint', { expected: 'postgresql', found }))).toEqual({ classId: 'wrong-service', found });
    }
    expect(classifyStep(step('fingerprint', { expected: 'mysql', found: 'postgresql' }))).toEqual({ classId: 'wrong-service', found: 'postgresql' });
    const preHandshake: DriverErrorEvidence = { source: 'mysql-protocol', errno: 1130, code: 'MYSQL_PRE_HANDSHAKE_ERROR', message: "Host '127.0.0.5' is not allowed to connect to this MariaDB server" };
    expect(classifyStep(step('fingerprint', { expected: 'mysql', found: 'mysql' }, preHandshake))?.classId).toBe('host-not-allowed');
  });

  it('tcp: all addresses silent is a timeout, refused is refused, no route is unknown', () => {
    expect(classifyStep(step('tcp', { refused: 0, timedOut: 2 }))?.classId).toBe('tcp-timeout');
    expect(classifyStep(step('tcp', { refused: 1, timedOut: 0 }, { source: 'node', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED ::1:5432' }))?.classId).toBe('tcp-refused');
    expect(classifyStep(step('tcp', { refused: 0, timedOut: 0 }, { source: 'node', code: 'EHOSTUNREACH', message: 'connect EHOSTUNREACH 10.0.0.9:5432' }))?.classId).toBe('unknown');
    expect(classifyStep(step('tcp', { refused: 0, timedOut: 0 }, { source: 'node', code: 'ENOENT', message: 'connect ENOENT /run/postgresql/.s.PGSQL.5432' }))?.classId).toBe('tcp-refused');
  });

  it('dns: a lookup that times out is temporary', () => {
    expect(classifyStep(step('dns', {}, { source: 'dbdesk', code: 'DBDESK_TIMEOUT', message: 'timed out' }, { timedOut: true }))?.classId).toBe('dns-temporary');
  });

  it('tls: the judged failure names the class', () => {
    expect(classifyStep(step('tls', { failure: 'unsupported' }))?.classId).toBe('tls-unsupported');
    expect(classifyStep(step('tls', { failure: 'hostname' }))?.classId).toBe('tls-hostname-mismatch');
    expect(classifyStep(step('tls', { failure: 'chain', chainError: 'CERT_HAS_EXPIRED' }))?.classId).toBe('tls-expired');
    expect(classifyStep(step('tls', { failure: 'chain', chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }))?.classId).toBe('tls-untrusted');
    expect(classifyStep(step('tls', { failure: 'chain', chainError: 'CERT_REVOKED' }))?.classId).toBe('unknown');
  });

  it('auth: the TLS side probe turns a plain refusal into tls-required; the same refusal over TLS rules it out', () => {
    const pgNoEntry = pg('28000', 'no pg_hba.conf entry for host "127.0.0.1", user "sslonly", database "postgres", no encryption');
    expect(classifyStep(step('auth', { tlsRetry: 'connected' }, pgNoEntry))?.classId).toBe('tls-required');
    expect(classifyStep(step('auth', { tlsRetry: 'same-error' }, pgNoEntry))?.classId).toBe('no-hba-entry');
    const denied = my(1045, 'ER_ACCESS_DENIED_ERROR', "Access denied for user 'app'@'127.0.0.1' (using password: YES)", '28000');
    expect(classifyStep(step('auth', { tlsRetry: 'same-error', tlsInUse: false }, denied), { product: 'mariadb' })).toEqual({ classId: 'auth-failed' });
    expect(classifyStep(step('auth', { tlsRetry: 'not tried', tlsInUse: false, serverOffersTls: true }, denied), { product: 'mariadb' })).toEqual({ classId: 'auth-failed', alternatives: ['tls-required'] });
  });

  it('health: Galera states decide', () => {
    expect(classifyStep(step('health', { galera: 'non-primary' }))?.classId).toBe('galera-non-primary');
    expect(classifyStep(step('health', { galera: 'not-ready' }))?.classId).toBe('galera-not-ready');
  });

  it('sqlite file steps', () => {
    expect(classifyStep(step('path', { exists: false }))?.classId).toBe('sqlite-not-found');
    expect(classifyStep(step('path', { exists: true, isFile: false }))?.classId).toBe('sqlite-not-found');
    expect(classifyStep(step('path', {}, { source: 'better-sqlite3', code: 'EACCES', message: "EACCES: permission denied, stat '/srv/x.db'" }))?.classId).toBe('sqlite-permission-denied');
    expect(classifyStep(step('permissions', { readable: false }))?.classId).toBe('sqlite-permission-denied');
    expect(classifyStep(step('permissions', { readable: true, writable: false }))?.classId).toBe('sqlite-read-only');
    expect(classifyStep(step('permissions', { readable: true, writable: true, folderWritable: false }))?.classId).toBe('sqlite-read-only');
    expect(classifyStep(step('header', { headerText: 'hello' }))?.classId).toBe('sqlite-not-a-database');
    expect(classifyStep(step('integrity', { quickCheck: ['*** in database main ***'] }))?.classId).toBe('sqlite-corrupt');
  });

  it('steps that passed get no class', () => {
    expect(classifyStep({ id: 'auth', status: 'ok', evidence: {}, timedOut: false })).toBeUndefined();
    expect(classifyStep({ id: 'tls', status: 'warn', evidence: {}, timedOut: false })).toBeUndefined();
  });
});

describe('the verdict', () => {
  const ctx = { engineLabel: 'PostgreSQL', listenSettings: dialectFor('postgresql').errors.listenSettings! };
  const full = (s: Partial<DiagnosticStep> & Pick<DiagnosticStep, 'id' | 'status'>): DiagnosticStep =>
    withClassification({ title: s.id, detail: `${s.id} detail`, startedMs: 0, ms: 1, timeoutMs: 1000, timedOut: false, evidence: {}, ...s }, ctx);

  it('the first failed step decides, with its remedy', () => {
    const v = classifyRun([full({ id: 'dns', status: 'ok' }), full({ id: 'tcp', status: 'fail', evidence: { refused: 1, port: 5432 }, error: { source: 'node', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } }), full({ id: 'fingerprint', status: 'skip' })], ctx);
    expect(v).toMatchObject({ usable: false, status: 'failed', classId: 'tcp-refused', failedStep: 'tcp', remedy: { audience: 'dba' } });
    expect(v.remedy!.text).toMatch(/listen_addresses/);
  });

  it('warnings leave it usable but degraded; all ok is ok', () => {
    expect(classifyRun([full({ id: 'tls', status: 'warn', evidence: { serverSupportsTls: false } }), full({ id: 'auth', status: 'ok' })], ctx)).toMatchObject({ usable: true, status: 'degraded', classId: null });
    expect(classifyRun([full({ id: 'session', status: 'ok', evidence: { serverVersion: '15.20 (Debian)' } })], ctx)).toMatchObject({ usable: true, status: 'ok', headline: expect.stringContaining('PostgreSQL 15.20') });
  });

  it('every class has a label and a remedy for someone', () => {
    for (const classId of diagnosticClasses) {
      const remedy = remedyFor({ ...full({ id: 'auth', status: 'fail' }), classId }, ctx);
      expect(remedy?.text.length ?? 0, classId).toBeGreaterThan(20);
      expect(['user', 'dba', 'network', 'bastion']).toContain(remedy!.audience);
    }
  });
});
