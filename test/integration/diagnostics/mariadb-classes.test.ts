import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificates, type TestCertificates } from '../../support/certificates';
import { relayServer, type FakeServer } from '../../support/fake-servers';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/private-mariadb';
import { diagnoseUrl, expectFailure, expectUsable, expectWithinLimits } from './diagnose-helpers';

/**
 * Every class a MariaDB server can cause, reproduced on a private server (its own datadir, port,
 * certificates, skip-name-resolve and the ed25519 plugin), asserted by class and failing step.
 * MariaDB errors are classified by errno + flavour: 4151 is "account locked" here although mysql2
 * names it after an unrelated MySQL error.
 */
let certs: TestCertificates;
let server: PrivateMariadb;
let relay: FakeServer | undefined;
const PW = 'My-diag-Secret-42';

beforeAll(async () => {
  certs = await createCertificates();
  server = await startPrivateMariadb({ tls: { ...certs.server, ca: certs.ca.cert } });
  await server.exec(`
    CREATE DATABASE appdb;
    CREATE TABLE appdb.orders (id INT PRIMARY KEY, note VARCHAR(20));
    INSERT INTO appdb.orders VALUES (1, 'first');
    CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY '${PW}';
    GRANT ALL ON appdb.* TO 'app'@'127.0.0.1';
    CREATE USER 'admin'@'127.0.0.1' IDENTIFIED BY '${PW}';
    GRANT ALL ON *.* TO 'admin'@'127.0.0.1';
    CREATE USER 'sslonly'@'127.0.0.1' IDENTIFIED BY '${PW}' REQUIRE SSL;
    GRANT ALL ON appdb.* TO 'sslonly'@'127.0.0.1';
    CREATE USER 'locked'@'127.0.0.1' IDENTIFIED BY '${PW}' ACCOUNT LOCK;
    CREATE USER 'expiredpw'@'127.0.0.1' IDENTIFIED BY '${PW}' PASSWORD EXPIRE;
    GRANT ALL ON appdb.* TO 'expiredpw'@'127.0.0.1';
    CREATE USER 'edu'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('${PW}');
    CREATE USER 'oneconn'@'127.0.0.1' IDENTIFIED BY '${PW}' WITH MAX_USER_CONNECTIONS 1;
    GRANT SELECT ON appdb.* TO 'oneconn'@'127.0.0.1';
    CREATE USER 'nogrants'@'127.0.0.1' IDENTIFIED BY '${PW}';
    CREATE USER 'writer'@'127.0.0.1' IDENTIFIED BY '${PW}';
    GRANT INSERT ON appdb.orders TO 'writer'@'127.0.0.1';
  `);
});
afterAll(async () => {
  await relay?.close();
  await server?.stop();
  certs?.remove();
});

const url = (user: string, query = 'sslmode=disable', database = 'appdb', password: string | null = PW) => server.url(user, password ?? undefined, database, query);
const verify = (mode: string, ca = certs.ca.cert) => `sslmode=${mode}&sslrootcert=${encodeURIComponent(ca)}`;

describe('a healthy login', () => {
  it('passes every step with verify-full by IP (mysql2 checks the IP SAN, not "localhost")', async () => {
    const run = await diagnoseUrl(url('app', verify('verify-full')));
    expectUsable(run);
    expect(run.verdict.status).toBe('ok');
    expect(run.steps.find((s) => s.id === 'fingerprint')!.evidence).toMatchObject({ flavour: 'mariadb', sslSupported: true });
    expect(run.steps.find((s) => s.id === 'auth')!.evidence.tlsInUse).toBe(true);
    expect(run.steps.find((s) => s.id === 'table-read')!.evidence).toMatchObject({ table: 'appdb.orders', rows: 1 });
    expectWithinLimits(run);
    expect(JSON.stringify(run)).not.toContain(PW);
  });
});

describe('TLS', () => {
  it('tls-required: a REQUIRE SSL account over plain text (1045, and the same login over TLS works)', async () => {
    const run = await diagnoseUrl(url('sslonly'));
    expectFailure(run, 'tls-required', 'auth');
    expect(run.steps.find((s) => s.id === 'auth')!.error?.errno).toBe(1045);
    expect(run.steps.find((s) => s.id === 'auth')!.evidence.tlsRetry).toBe('connected');
  });

  it('tls-untrusted: the client trusts another CA', async () => {
    expectFailure(await diagnoseUrl(url('app', verify('verify-ca', certs.otherCa.cert))), 'tls-untrusted', 'tls');
  });

  it('tls-untrusted: a self-signed server certificate', async () => {
    await server.setCertificate(certs.selfSigned);
    try {
      expectFailure(await diagnoseUrl(url('app', verify('verify-full'))), 'tls-untrusted', 'tls');
    } finally {
      await server.setCertificate(certs.server);
    }
  });

  it('tls-hostname-mismatch: verify-full against a certificate for db.example.com', async () => {
    await server.setCertificate(certs.wrongName);
    try {
      expectFailure(await diagnoseUrl(url('app', verify('verify-full'))), 'tls-hostname-mismatch', 'tls');
      expectUsable(await diagnoseUrl(url('app', verify('verify-ca'))));
    } finally {
      await server.setCertificate(certs.server);
    }
  });

  it('tls-expired: an expired server certificate', async () => {
    await server.setCertificate(certs.expired);
    try {
      expectFailure(await diagnoseUrl(url('app', verify('verify-ca'))), 'tls-expired', 'tls');
    } finally {
      await server.setCertificate(certs.server);
    }
  });
});

describe('authentication', () => {
  it('auth-failed: wrong password (1045) — the TLS side probe fails the same way, so it is not "TLS required"', async () => {
    const run = await diagnoseUrl(url('app', 'sslmode=disable', 'appdb', 'not-the-password'));
    expectFailure(run, 'auth-failed', 'auth');
    const auth = run.steps.find((s) => s.id === 'auth')!;
    expect(auth.error).toMatchObject({ errno: 1045, sqlState: '28000' });
    expect(auth.evidence.tlsRetry).toBe('same-error');
  });

  it('auth-failed: no password given (using password: NO)', async () => {
    const run = await diagnoseUrl(url('app', 'sslmode=require', 'appdb', null));
    expectFailure(run, 'auth-failed', 'auth');
    expect(run.steps.find((s) => s.id === 'auth')!.remedy?.text).toMatch(/none was given/);
  });

  it('account-locked: errno 4151 on MariaDB (mysql2 calls it ER_BULK_PARSER_INCOMPLETE_ESCAPE_SEQUENCE)', async () => {
    const run = await diagnoseUrl(url('locked', 'sslmode=require'));
    expectFailure(run, 'account-locked', 'auth');
    expect(run.steps.find((s) => s.id === 'auth')!.error).toMatchObject({ errno: 4151 });
  });

  it('auth-plugin-unsupported: an ed25519 account', async () => {
    const run = await diagnoseUrl(url('edu', 'sslmode=require'));
    expectFailure(run, 'auth-plugin-unsupported', 'auth');
    expect(run.steps.find((s) => s.id === 'auth')!.error?.code).toBe('AUTH_SWITCH_PLUGIN_ERROR');
  });

  it('too-many-connections: the account’s MAX_USER_CONNECTIONS is used up (1226)', async () => {
    const holder = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'oneconn', password: PW });
    try {
      const run = await diagnoseUrl(url('oneconn', 'sslmode=require'));
      expectFailure(run, 'too-many-connections', 'auth');
      expect(run.steps.find((s) => s.id === 'auth')!.error?.errno).toBe(1226);
    } finally {
      await holder.end();
    }
  });

  it('too-many-connections: the server is full (1040 instead of the greeting)', async () => {
    await server.exec('SET GLOBAL max_connections = 10');
    const held: mysql.Connection[] = [];
    try {
      // root over the socket may take the extra SUPER slot: fill until the server says no.
      for (let i = 0; i < 12; i++) {
        try {
          held.push(await mysql.createConnection({ socketPath: server.socket, user: 'root' }));
        } catch {
          break;
        }
      }
      const run = await diagnoseUrl(url('app', 'sslmode=require'));
      expect(['fingerprint', 'auth']).toContain(run.verdict.failedStep);
      expectFailure(run, 'too-many-connections', run.verdict.failedStep!);
    } finally {
      await Promise.all(held.map((c) => c.end().catch(() => undefined)));
      await server.exec('SET GLOBAL max_connections = 20');
    }
  });

  it('host-not-allowed: the server sees the client as 127.0.0.5, which no account allows (1130 before the greeting)', async () => {
    relay = await relayServer(server.port, '127.0.0.5');
    const run = await diagnoseUrl(`mariadb://app:${PW}@127.0.0.1:${relay.port}/appdb?sslmode=disable`);
    expectFailure(run, 'host-not-allowed', 'fingerprint');
    expect(run.steps.find((s) => s.id === 'fingerprint')!.error).toMatchObject({ errno: 1130 });
  });
});

describe('database, session and privileges', () => {
  it('unknown-database: 1049 for a user with global privileges', async () => {
    const run = await diagnoseUrl(url('admin', 'sslmode=require', 'nosuchdb'));
    expectFailure(run, 'unknown-database', 'database');
    expect(run.steps.find((s) => s.id === 'auth')!.status).toBe('ok');
  });

  it('insufficient-privilege (or unknown database): 1044 for a user without global privileges', async () => {
    const run = await diagnoseUrl(url('nogrants', 'sslmode=require', 'nosuchdb'));
    expectFailure(run, 'insufficient-privilege', 'database');
    expect(run.verdict.alternatives).toEqual(['unknown-database']);
  });

  it('password-expired: the login works, the first statement fails with 1820', async () => {
    const run = await diagnoseUrl(url('expiredpw', 'sslmode=require'));
    expectFailure(run, 'password-expired', 'session');
    expect(run.steps.find((s) => s.id === 'auth')!.status).toBe('ok');
    expect(run.steps.find((s) => s.id === 'session')!.error?.errno).toBe(1820);
  });

  it('insufficient-privilege: logged in, may write but not read', async () => {
    const run = await diagnoseUrl(url('writer', 'sslmode=require'));
    expectFailure(run, 'insufficient-privilege', 'privileges');
  });
});

describe('a server without TLS (last: it restarts the server)', () => {
  it('tls-unsupported: sslmode=require against a server started with --skip-ssl', async () => {
    await server.restart(['--skip-ssl']);
    const run = await diagnoseUrl(url('app', 'sslmode=require'));
    expectFailure(run, 'tls-unsupported', 'tls');
    expect(run.steps.find((s) => s.id === 'fingerprint')!.evidence.sslSupported).toBe(false);
  });
});
