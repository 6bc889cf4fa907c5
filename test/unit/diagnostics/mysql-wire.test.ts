import { describe, expect, it } from 'vitest';
import { CLIENT_SSL, looksLikeMysqlFirstPacket, mysqlSslRequest, parseMysqlFirstPacket } from '../../../electron/core/engines/mysql/mysql-wire-probe';
import { POSTGRES_SSL_REQUEST } from '../../../electron/core/engines/postgres/postgres-wire-probe';

/** The greeting MariaDB 10.11.19 (Debian 12) sent on 127.0.0.1:3306, byte for byte. */
const MARIADB_GREETING = Buffer.from(
  '640000000a352e352e352d31302e31312e31392d4d6172696144422d302b6465623132753100e1010000593a5476766e465200fef72d0200ff81150000000000001d000000474d30444671297226603731006d7973716c5f6e61746976655f70617373776f726400',
  'hex',
);

function errPacket(errno: number, message: string, sqlState?: string): Buffer {
  const body = Buffer.concat([Buffer.from([0xff, errno & 0xff, errno >> 8]), sqlState ? Buffer.from(`#${sqlState}`) : Buffer.alloc(0), Buffer.from(message)]);
  return Buffer.concat([Buffer.from([body.length & 0xff, (body.length >> 8) & 0xff, 0, 0]), body]);
}

describe('MySQL first packets', () => {
  it('reads a real MariaDB greeting: version, flavour, TLS capability, auth plugin', () => {
    expect(looksLikeMysqlFirstPacket(MARIADB_GREETING)).toBe(true);
    const g = parseMysqlFirstPacket(MARIADB_GREETING);
    expect(g).toMatchObject({ kind: 'greeting', serverVersion: '5.5.5-10.11.19-MariaDB-0+deb12u1', flavour: 'mariadb', authPlugin: 'mysql_native_password' });
    expect(g?.kind === 'greeting' && (g.capabilities & CLIENT_SSL) === 0).toBe(true); // this server ran without TLS
  });

  it('waits for the whole packet', () => {
    expect(parseMysqlFirstPacket(MARIADB_GREETING.subarray(0, 40))).toBeUndefined();
  });

  it('reads an ERR packet sent instead of the greeting (1130 has no SQLSTATE, 1040 has one)', () => {
    expect(parseMysqlFirstPacket(errPacket(1130, "Host '127.0.0.5' is not allowed to connect to this MariaDB server"))).toEqual({
      kind: 'error',
      errno: 1130,
      message: "Host '127.0.0.5' is not allowed to connect to this MariaDB server",
    });
    expect(parseMysqlFirstPacket(errPacket(1040, 'Too many connections', '08004'))).toEqual({ kind: 'error', errno: 1040, sqlState: '08004', message: 'Too many connections' });
  });

  it('does not mistake other protocols for MySQL', () => {
    expect(looksLikeMysqlFirstPacket(Buffer.from('SSH-2.0-OpenSSH_9.2p1\r\n'))).toBe(false);
    expect(looksLikeMysqlFirstPacket(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toBe(false);
    expect(looksLikeMysqlFirstPacket(Buffer.from('N'))).toBe(false);
  });

  it('builds the SSLRequest packets: MySQL sequence 1 with CLIENT_SSL, PostgreSQL code 80877103', () => {
    const p = mysqlSslRequest();
    expect(p.length).toBe(36);
    expect(p.readUIntLE(0, 3)).toBe(32);
    expect(p[3]).toBe(1);
    expect(p.readUInt32LE(4) & CLIENT_SSL).toBe(CLIENT_SSL);
    expect(POSTGRES_SSL_REQUEST.readUInt32BE(0)).toBe(8);
    expect(POSTGRES_SSL_REQUEST.readUInt32BE(4)).toBe(80877103);
  });
});
