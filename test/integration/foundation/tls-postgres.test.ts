import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../../electron/core/engines';
import type { EngineConfig } from '../../../electron/core/engines/config';
import type { PostgresEngine } from '../../../electron/core/engines/postgres/postgres-engine';
import { ColumnEncoding, decodeColumnarBatch } from '../../../shared/model/columnar-batch';
import { ConnectionFields, type SslMode } from '../../../shared/model/connection';
import { createCertificates, type TestCertificates } from '../../support/certificates';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/private-postgres';

/**
 * libpq's sslmode, as the PostgreSQL engine applies it, against a private TLS-enabled cluster:
 * require encrypts without verifying, verify-ca checks the chain but not the name, verify-full
 * both (by IP too), prefer falls back to plain text only when the server has no TLS, and client
 * certificates are sent.
 */
let certs: TestCertificates;
let server: PrivatePostgres;
const PW = 'tls-test-pw';

beforeAll(async () => {
  certs = await createCertificates({ clients: ['certuser'] });
  server = await startPrivatePostgres({
    tls: { ...certs.server, ca: certs.ca.cert },
    hba: ['hostssl all certuser 127.0.0.1/32 cert', 'host all app 127.0.0.1/32 scram-sha-256'],
  });
  await server.admin(`CREATE ROLE app LOGIN PASSWORD '${PW}'; CREATE ROLE certuser LOGIN;`);
});
afterAll(async () => {
  await server?.stop();
  certs?.remove();
});

function config(mode: SslMode, tls: { caFile?: string; certFile?: string; keyFile?: string } = {}, host = '127.0.0.1', user = 'app'): EngineConfig {
  const fields = ConnectionFields.parse({ name: 't', engine: 'postgresql', host, port: server.port, user, database: 'postgres', tls: { mode, ...tls }, connectTimeoutMs: 5000 });
  return { ...fields, poolSize: 1, ...(user === 'app' ? { password: PW } : {}) };
}

/** Connects through the engine and asks the server whether this very session is encrypted. */
async function encrypted(c: EngineConfig): Promise<boolean> {
  const engine = (await openEngine(c)) as PostgresEngine;
  try {
    const { rows } = await engine.pool.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return rows[0]!.ssl;
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

describe('sslmode against a TLS-enabled PostgreSQL', () => {
  it('require encrypts without verifying: a server certificate from a CA the client does not know is accepted', async () => {
    await server.setCertificate(certs.untrusted);
    try {
      expect(await encrypted(config('require'))).toBe(true);
    } finally {
      await server.setCertificate(certs.server);
    }
  });

  it('require with a CA file verifies the chain (libpq: like verify-ca)', async () => {
    expect((await refused(config('require', { caFile: certs.otherCa.cert }))).code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/);
  });

  it('verify-ca accepts a certificate from the right CA whose name does not match the host', async () => {
    await server.setCertificate(certs.wrongName);
    try {
      expect(await encrypted(config('verify-ca', { caFile: certs.ca.cert }))).toBe(true);
      // … and verify-full refuses the very same certificate.
      expect((await refused(config('verify-full', { caFile: certs.ca.cert }))).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    } finally {
      await server.setCertificate(certs.server);
    }
  });

  it('verify-ca rejects a certificate from an untrusted CA', async () => {
    expect((await refused(config('verify-ca', { caFile: certs.otherCa.cert }))).code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/);
  });

  it('verify-full accepts the right name, by IP and by host name', async () => {
    expect(await encrypted(config('verify-full', { caFile: certs.ca.cert }, '127.0.0.1'))).toBe(true);
    expect(await encrypted(config('verify-full', { caFile: certs.ca.cert }, 'localhost'))).toBe(true);
  });

  it('verify-full rejects an expired certificate', async () => {
    await server.setCertificate(certs.expired);
    try {
      expect((await refused(config('verify-full', { caFile: certs.ca.cert }))).code).toBe('CERT_HAS_EXPIRED');
    } finally {
      await server.setCertificate(certs.server);
    }
  });

  it('disable never encrypts; prefer encrypts when the server can', async () => {
    expect(await encrypted(config('disable'))).toBe(false);
    expect(await encrypted(config('prefer'))).toBe(true);
  });

  it('the SQL editor’s session reads its results from the TLS socket’s bytes, as from a plain one', async () => {
    const engine = (await openEngine(config('verify-full', { caFile: certs.ca.cert }))) as PostgresEngine;
    const session = await engine.queryTools.openQuerySession({ readOnly: false, launchRunner: () => { throw new Error('PostgreSQL needs no runner'); } });
    try {
      const batches: Uint8Array[] = [];
      const sink = { columns: () => undefined, rows: async (b: { values: Uint8Array }) => void batches.push(b.values) };
      const sql = "SELECT g, 'ü ' || g AS t, ssl FROM generate_series(1, 5000) g, pg_stat_ssl WHERE pid = pg_backend_pid()";
      const outcome = await session.run(sql, sink, { batchRows: 2000, maxRows: 10_000 });
      expect(outcome.rowCount).toBe(5000);
      const decoded = batches.map((b) => decodeColumnarBatch(b, 3));
      // Utf8: the text column came from the socket's bytes, not from pg's strings.
      expect(batches.every((b) => (b[13]! & ~ColumnEncoding.Masked) === ColumnEncoding.Utf8)).toBe(true);
      expect(decoded.flatMap((d) => d.values[1]!)).toEqual(Array.from({ length: 5000 }, (_, i) => `ü ${i + 1}`));
      expect(decoded[0]!.values[2]![0]).toBe(true);
    } finally {
      await session.close();
      await engine.close();
    }
  });

  it('client certificate and key files are used (hostssl … cert)', async () => {
    const client = certs.clients.certuser!;
    expect(await encrypted(config('verify-full', { caFile: certs.ca.cert, certFile: client.cert, keyFile: client.key }, '127.0.0.1', 'certuser'))).toBe(true);
    const err = await refused(config('verify-full', { caFile: certs.ca.cert }, '127.0.0.1', 'certuser'));
    expect(err.message).toMatch(/certificate/i);
  });
});

describe('sslmode against PostgreSQL with ssl = off', () => {
  beforeAll(async () => {
    await server.setSetting('ssl', 'off');
  });
  afterAll(async () => {
    await server.setSetting('ssl', 'on');
  });

  it('prefer falls back to plain text', async () => {
    expect(await encrypted(config('prefer'))).toBe(false);
  });

  it('require refuses to go on without TLS', async () => {
    expect((await refused(config('require'))).message).toBe('The server does not support SSL connections');
  });
});
