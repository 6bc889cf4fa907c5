import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificates, type TestCertificates } from '../../support/certificates';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/private-postgres';
import { diagnoseUrl, expectFailure, expectUsable, expectWithinLimits } from './diagnose-helpers';

/**
 * Every class a PostgreSQL server can cause, reproduced on a private cluster (initdb) with its own
 * pg_hba.conf and certificates, and asserted by class and failing step.
 */
let certs: TestCertificates;
let server: PrivatePostgres;
const PW = 'Pg-diag-Secret-42';

beforeAll(async () => {
  certs = await createCertificates();
  server = await startPrivatePostgres({
    tls: { ...certs.server, ca: certs.ca.cert },
    hba: [
      'hostssl all sslonly 127.0.0.1/32 scram-sha-256',
      'host all rejected 127.0.0.1/32 reject',
      'host all app,ghost,limited,nologin,noconnect,reader,expired 127.0.0.1/32 scram-sha-256',
    ],
  });
  await server.admin(`
    CREATE ROLE app LOGIN PASSWORD '${PW}';
    CREATE ROLE sslonly LOGIN PASSWORD '${PW}';
    CREATE ROLE rejected LOGIN PASSWORD '${PW}';
    CREATE ROLE nohba LOGIN PASSWORD '${PW}';
    CREATE ROLE limited LOGIN PASSWORD '${PW}' CONNECTION LIMIT 0;
    CREATE ROLE nologin NOLOGIN PASSWORD '${PW}';
    CREATE ROLE noconnect LOGIN PASSWORD '${PW}';
    CREATE ROLE reader LOGIN PASSWORD '${PW}';
    CREATE ROLE expired LOGIN PASSWORD '${PW}' VALID UNTIL '2001-01-01';
  `);
  await server.admin('CREATE DATABASE appdb OWNER app');
  await server.admin('REVOKE CONNECT ON DATABASE appdb FROM PUBLIC; GRANT CONNECT ON DATABASE appdb TO app, reader, sslonly, expired', [], 'appdb');
  await server.admin(`CREATE TABLE public.orders (id int PRIMARY KEY, note text); ALTER TABLE public.orders OWNER TO app; INSERT INTO public.orders VALUES (1, 'first')`, [], 'appdb');
});
afterAll(async () => {
  await server?.stop();
  certs?.remove();
});

/** `password: null` leaves it out of the URL. */
const url = (user: string, query = 'sslmode=disable', database = 'appdb', password: string | null = PW) => server.url(user, password ?? undefined, database, query);
const verify = (mode: string, ca = certs.ca.cert) => `sslmode=${mode}&sslrootcert=${encodeURIComponent(ca)}`;

describe('a healthy login', () => {
  it('passes every step with verify-full by IP, and reads a real table', async () => {
    const run = await diagnoseUrl(url('app', verify('verify-full')));
    expectUsable(run);
    expect(run.verdict.status).toBe('ok');
    const tls = run.steps.find((s) => s.id === 'tls')!;
    expect(tls.evidence).toMatchObject({ chainVerified: true, hostnameMatches: true, serverSupportsTls: true });
    expect(run.steps.find((s) => s.id === 'auth')!.evidence.tlsInUse).toBe(true);
    expect(run.steps.find((s) => s.id === 'table-read')!.evidence).toMatchObject({ table: 'public.orders', rows: 1 });
    expect(run.steps.find((s) => s.id === 'health')!.evidence.inRecovery).toBe(false);
    expectWithinLimits(run);
  });

  it('keeps the password out of everything it returns', async () => {
    const run = await diagnoseUrl(url('app', 'sslmode=disable', 'appdb', 'wrong-' + PW));
    expect(JSON.stringify(run)).not.toContain(PW);
  });
});

describe('TLS', () => {
  it('tls-required: the account is hostssl-only and sslmode=disable (side probe: the same login over TLS works)', async () => {
    const run = await diagnoseUrl(url('sslonly'));
    expectFailure(run, 'tls-required', 'auth');
    const auth = run.steps.find((s) => s.id === 'auth')!;
    expect(auth.error?.sqlState).toBe('28000');
    expect(auth.evidence.tlsRetry).toBe('connected');
  });

  it('tls-untrusted: the client trusts another CA', async () => {
    const run = await diagnoseUrl(url('app', verify('verify-ca', certs.otherCa.cert)));
    expectFailure(run, 'tls-untrusted', 'tls');
    expect(run.steps.find((s) => s.id === 'tls')!.evidence.chainError).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER/);
  });

  it('tls-untrusted: a self-signed server certificate', async () => {
    await server.setCertificate(certs.selfSigned);
    try {
      const run = await diagnoseUrl(url('app', verify('verify-ca')));
      expectFailure(run, 'tls-untrusted', 'tls');
      expect(run.steps.find((s) => s.id === 'tls')!.evidence).toMatchObject({ chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT', selfSigned: true });
    } finally {
      await server.setCertificate(certs.server);
    }
  });

  it('tls-hostname-mismatch: verify-full against a certificate for db.example.com', async () => {
    await server.setCertificate(certs.wrongName);
    try {
      const run = await diagnoseUrl(url('app', verify('verify-full')));
      expectFailure(run, 'tls-hostname-mismatch', 'tls');
      expect(run.steps.find((s) => s.id === 'tls')!.evidence.subjectAltNames).toEqual(['DNS:db.example.com']);
      // verify-ca checks only the chain: the same certificate passes.
      expectUsable(await diagnoseUrl(url('app', verify('verify-ca'))));
    } finally {
      await server.setCertificate(certs.server);
    }
  });

  it('tls-expired: an expired server certificate', async () => {
    await server.setCertificate(certs.expired);
    try {
      const run = await diagnoseUrl(url('app', verify('verify-ca')));
      expectFailure(run, 'tls-expired', 'tls');
      expect(run.steps.find((s) => s.id === 'tls')!.evidence.validTo).toBe('2021-01-01T00:00:00.000Z');
    } finally {
      await server.setCertificate(certs.server);
    }
  });

  it('tls-expired: a certificate not valid yet (the remedy points at the clock)', async () => {
    await server.setCertificate(certs.notYetValid);
    try {
      const run = await diagnoseUrl(url('app', verify('verify-ca')));
      expectFailure(run, 'tls-expired', 'tls');
      expect(run.steps.find((s) => s.id === 'tls')!.evidence.chainError).toBe('CERT_NOT_YET_VALID');
      expect(run.verdict.remedy?.text).toMatch(/clock/);
    } finally {
      await server.setCertificate(certs.server);
    }
  });
});

describe('authentication', () => {
  it('auth-failed: wrong password (28P01)', async () => {
    const run = await diagnoseUrl(url('app', 'sslmode=disable', 'appdb', 'not-the-password'));
    expectFailure(run, 'auth-failed', 'auth');
    expect(run.steps.find((s) => s.id === 'auth')!.error?.sqlState).toBe('28P01');
  });

  it('auth-failed: no password given where SCRAM wants one', async () => {
    const run = await diagnoseUrl(url('app', 'sslmode=disable', 'appdb', null));
    expectFailure(run, 'auth-failed', 'auth');
    expect(run.steps.find((s) => s.id === 'auth')!.remedy?.text).toMatch(/none was given/);
  });

  it('auth-failed: a role that does not exist looks like a wrong password (the server log has the reason)', async () => {
    expectFailure(await diagnoseUrl(url('ghost')), 'auth-failed', 'auth');
  });

  it('auth-failed: an expired password (VALID UNTIL in the past) is reported by PostgreSQL as a failed password', async () => {
    expectFailure(await diagnoseUrl(url('expired')), 'auth-failed', 'auth');
  });

  it('no-hba-entry: no pg_hba.conf line for this user', async () => {
    const run = await diagnoseUrl(url('nohba'));
    expectFailure(run, 'no-hba-entry', 'auth');
    expect(run.steps.find((s) => s.id === 'auth')!.error?.message).toMatch(/no pg_hba\.conf entry/);
  });

  it('no-hba-entry: pg_hba.conf rejects this user', async () => {
    expectFailure(await diagnoseUrl(url('rejected')), 'no-hba-entry', 'auth');
  });

  it('account-locked: a NOLOGIN role', async () => {
    expectFailure(await diagnoseUrl(url('nologin')), 'account-locked', 'auth');
  });

  it('too-many-connections: the role’s CONNECTION LIMIT is reached', async () => {
    const run = await diagnoseUrl(url('limited'));
    expectFailure(run, 'too-many-connections', 'auth');
    expect(run.steps.find((s) => s.id === 'auth')!.error?.sqlState).toBe('53300');
  });
});

describe('database and privileges', () => {
  it('unknown-database: 3D000 after the login succeeded', async () => {
    const run = await diagnoseUrl(url('app', 'sslmode=disable', 'nosuchdb'));
    expectFailure(run, 'unknown-database', 'database');
    expect(run.steps.find((s) => s.id === 'auth')!.status).toBe('ok');
  });

  it('insufficient-privilege: no CONNECT privilege on the database', async () => {
    const run = await diagnoseUrl(url('noconnect'));
    expectFailure(run, 'insufficient-privilege', 'database');
    expect(run.steps.find((s) => s.id === 'database')!.error?.sqlState).toBe('42501');
  });

  it('server-unavailable: the database does not accept connections (55000, ALLOW_CONNECTIONS false)', async () => {
    await server.admin('ALTER DATABASE appdb ALLOW_CONNECTIONS false');
    try {
      const run = await diagnoseUrl(url('app'));
      expectFailure(run, 'server-unavailable', 'database');
      expect(run.steps.find((s) => s.id === 'auth')!.status).toBe('ok');
      expect(run.steps.find((s) => s.id === 'database')!.error?.sqlState).toBe('55000');
      expect(run.verdict.remedy?.text).toMatch(/ALLOW_CONNECTIONS true/);
    } finally {
      await server.admin('ALTER DATABASE appdb ALLOW_CONNECTIONS true');
    }
  });

  it('insufficient-privilege: logged in, but may read none of the tables', async () => {
    const run = await diagnoseUrl(url('reader'));
    expectFailure(run, 'insufficient-privilege', 'privileges');
    expect(run.steps.find((s) => s.id === 'privileges')!.evidence).toMatchObject({ tablesReadable: 0, tablesTotal: 1 });
  });
});

describe('over the Unix socket', () => {
  it('a host that is a folder is the server’s socket directory: no DNS, the socket is probed and used', async () => {
    await server.setHba(['local all postgres trust', 'local all app scram-sha-256', 'hostssl all sslonly 127.0.0.1/32 scram-sha-256', 'host all rejected 127.0.0.1/32 reject', 'host all app,ghost,limited,nologin,noconnect,reader,expired 127.0.0.1/32 scram-sha-256']);
    const run = await diagnoseUrl(url('app', 'sslmode=prefer'), { host: join(server.dir, 'sock') });
    expectUsable(run);
    expect(run.steps.find((s) => s.id === 'dns')!.evidence.socket).toBe(join(server.dir, 'sock', `.s.PGSQL.${server.port}`));
    expect(run.steps.find((s) => s.id === 'fingerprint')!.evidence.found).toBe('postgresql');
    const missing = await diagnoseUrl(url('app', 'sslmode=prefer'), { host: join(server.dir, 'no-such-dir') });
    expectFailure(missing, 'tcp-refused', 'tcp');
    expect(missing.steps.find((s) => s.id === 'tcp')!.error?.code).toBe('ENOENT');
  });
});

describe('a server with ssl = off', () => {
  beforeAll(async () => {
    await server.setSetting('ssl', 'off');
  });
  afterAll(async () => {
    await server.setSetting('ssl', 'on');
  });

  it('tls-unsupported: sslmode=require against a server that answers the SSLRequest with N', async () => {
    const run = await diagnoseUrl(url('app', 'sslmode=require'));
    expectFailure(run, 'tls-unsupported', 'tls');
    expect(run.steps.find((s) => s.id === 'fingerprint')!.evidence.sslSupported).toBe(false);
  });

  it('sslmode=prefer falls back to plain text: usable (on loopback without a warning)', async () => {
    const run = await diagnoseUrl(url('app', 'sslmode=prefer'));
    expectUsable(run);
    expect(run.steps.find((s) => s.id === 'auth')!.evidence.tlsInUse).toBe(false);
  });
});

describe('server state (last: it shuts the cluster down, then starts it as a standby)', () => {
  it('server-unavailable: the server is shutting down (57P03)', async () => {
    const holder = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'app', password: PW, database: 'appdb' });
    await holder.connect();
    try {
      server.beginShutdown();
      const run = await diagnoseUrl(url('app'));
      expectFailure(run, 'server-unavailable', 'auth');
      expect(run.steps.find((s) => s.id === 'auth')!.error?.sqlState).toBe('57P03');
    } finally {
      await holder.end().catch(() => undefined);
    }
  });

  it('server-unavailable: a standby with hot_standby off refuses every connection (57P03)', async () => {
    await server.restartAsStandby();
    const run = await diagnoseUrl(url('app'));
    expectFailure(run, 'server-unavailable', 'auth');
    const auth = run.steps.find((s) => s.id === 'auth')!;
    expect(auth.error).toMatchObject({ sqlState: '57P03', detail: 'Hot standby mode is disabled.' });
    expect(auth.error?.message).toMatch(/not accepting connections/);
  });
});
