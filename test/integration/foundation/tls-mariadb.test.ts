import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../../electron/core/engines';
import type { EngineConfig } from '../../../electron/core/engines/config';
import type { MysqlEngine } from '../../../electron/core/engines/mysql/mysql-engine';
import { ConnectionFields, type SslMode } from '../../../shared/model/connection';
import { createCertificates, type TestCertificates } from '../../support/certificates';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/private-mariadb';

/**
 * libpq's sslmode, as the MySQL/MariaDB engine applies it through mysql2, against a private
 * TLS-enabled MariaDB. mysql2 alone cannot do verify-ca (it checks the name or nothing) nor
 * verify-full by IP (it compares the certificate with "localhost"): these tests prove the adapter does.
 */
let certs: TestCertificates;
let server: PrivateMariadb;
const PW = 'tls-test-pw';

beforeAll(async () => {
  certs = await createCertificates({ clients: ['certuser'] });
  server = await startPrivateMariadb({ tls: { ...certs.server, ca: certs.ca.cert } });
  await server.exec(`
    CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY '${PW}';
    CREATE USER 'certuser'@'127.0.0.1' REQUIRE X509;
  `);
});
afterAll(async () => {
  await server?.stop();
  certs?.remove();
});

function config(mode: SslMode, tls: { caFile?: string; certFile?: string; keyFile?: string } = {}, host = '127.0.0.1', user = 'app'): EngineConfig {
  const fields = ConnectionFields.parse({ name: 't', engine: 'mariadb', host, port: server.port, user, tls: { mode, ...tls }, connectTimeoutMs: 5000 });
  return { ...fields, poolSize: 1, ...(user === 'app' ? { password: PW } : {}) };
}

/** Connects through the engine and asks the server which cipher this session uses ('' = plain text). */
async function cipher(c: EngineConfig): Promise<string> {
  const engine = (await openEngine(c)) as MysqlEngine;
  try {
    const [rows] = await engine.promisePool.query<RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    return String(rows[0]!.Value);
  } finally {
    await engine.close();
  }
}

async function refused(c: EngineConfig): Promise<{ code?: string; message: string }> {
  try {
    const engine = await openEngine(c);
    await engine.close();
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('The connection was expected to be refused, and it was not.');
}

describe('sslmode against a TLS-enabled MariaDB', () => {
  it('require encrypts without verifying: a certificate from an unknown CA is accepted', async () => {
    await server.setCertificate(certs.untrusted);
    try {
      expect(await cipher(config('require'))).not.toBe('');
    } finally {
      await server.setCertificate(certs.server);
    }
  });

  it('verify-ca accepts a certificate from the right CA whose name does not match the host', async () => {
    await server.setCertificate(certs.wrongName);
    try {
      expect(await cipher(config('verify-ca', { caFile: certs.ca.cert }))).not.toBe('');
      const err = await refused(config('verify-full', { caFile: certs.ca.cert }));
      expect(err.message).toMatch(/does not match|not in the cert's/);
    } finally {
      await server.setCertificate(certs.server);
    }
  });

  it('verify-ca rejects a certificate from an untrusted CA', async () => {
    const err = await refused(config('verify-ca', { caFile: certs.otherCa.cert }));
    expect(err.code).toBe('HANDSHAKE_SSL_ERROR');
    expect(err.message).toMatch(/self[- ]signed certificate in certificate chain|unable to verify/);
  });

  it('verify-full accepts the right name by IP (the certificate’s IP SAN, not "localhost") and by host name', async () => {
    expect(await cipher(config('verify-full', { caFile: certs.ca.cert }, '127.0.0.1'))).not.toBe('');
    expect(await cipher(config('verify-full', { caFile: certs.ca.cert }, 'localhost'))).not.toBe('');
  });

  it('verify-full by IP rejects a certificate that names only the host name', async () => {
    // A certificate for DNS:localhost only: right for "localhost", wrong for 127.0.0.1.
    const { execFileSync } = await import('node:child_process');
    const { join } = await import('node:path');
    const key = join(certs.dir, 'name-only.key');
    const csr = join(certs.dir, 'name-only.csr');
    const crt = join(certs.dir, 'name-only.crt');
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', key]);
    execFileSync('openssl', ['req', '-new', '-key', key, '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-out', csr]);
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', certs.ca.cert, '-CAkey', certs.ca.key, '-CAcreateserial', '-days', '30', '-copy_extensions', 'copy', '-out', crt]);
    await server.setCertificate({ cert: crt, key });
    try {
      expect(await cipher(config('verify-full', { caFile: certs.ca.cert }, 'localhost'))).not.toBe('');
      const err = await refused(config('verify-full', { caFile: certs.ca.cert }, '127.0.0.1'));
      expect(err.message).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
    } finally {
      await server.setCertificate(certs.server);
    }
  });

  it('disable never encrypts; prefer encrypts when the server can', async () => {
    expect(await cipher(config('disable'))).toBe('');
    expect(await cipher(config('prefer'))).not.toBe('');
  });

  it('client certificate and key files are used (REQUIRE X509)', async () => {
    const client = certs.clients.certuser!;
    expect(await cipher(config('verify-full', { caFile: certs.ca.cert, certFile: client.cert, keyFile: client.key }, '127.0.0.1', 'certuser'))).not.toBe('');
    const err = await refused(config('verify-full', { caFile: certs.ca.cert }, '127.0.0.1', 'certuser'));
    expect((err as { errno?: number }).errno).toBe(1045);
  });
});

describe('sslmode against MariaDB without TLS (last: restarts the server)', () => {
  beforeAll(async () => {
    await server.restart(['--skip-ssl']);
  });

  it('prefer falls back to plain text', async () => {
    expect(await cipher(config('prefer'))).toBe('');
  });

  it('require refuses to go on without TLS', async () => {
    expect((await refused(config('require'))).code).toBe('HANDSHAKE_NO_SSL_SUPPORT');
  });
});
