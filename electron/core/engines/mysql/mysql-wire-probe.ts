import { negotiationError, type WireProtocol } from '../../../../features/diagnostics/core/probes/wire-protocol';

/**
 * The few MySQL protocol packets the probes need: the server greeting (HandshakeV10), an ERR packet
 * sent instead of it (1130 host not allowed, 1040 too many connections…) and the client's SSLRequest.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
 */

export const CLIENT_LONG_PASSWORD = 0x1;
export const CLIENT_PROTOCOL_41 = 0x200;
export const CLIENT_SSL = 0x800;
export const CLIENT_SECURE_CONNECTION = 0x8000;
export const CLIENT_PLUGIN_AUTH = 0x80000;

export interface MysqlGreeting {
  kind: 'greeting';
  protocolVersion: number;
  serverVersion: string;
  connectionId: number;
  capabilities: number;
  authPlugin?: string;
  /** MariaDB announces itself with a "5.5.5-" prefix or "MariaDB" in the version string. */
  flavour: 'mariadb' | 'mysql';
}

export interface MysqlErrPacket {
  kind: 'error';
  errno: number;
  sqlState?: string;
  message: string;
}

/** Length of the first packet when the buffer holds all of it, else undefined. */
export function completePacketLength(buf: Buffer): number | undefined {
  if (buf.length < 4) return undefined;
  const len = buf.readUIntLE(0, 3);
  return buf.length >= 4 + len ? 4 + len : undefined;
}

/** True when the bytes look like the start of a MySQL server's first packet (sequence 0, greeting or ERR). */
export function looksLikeMysqlFirstPacket(buf: Buffer): boolean {
  if (buf.length < 5) return false;
  const len = buf.readUIntLE(0, 3);
  return len > 0 && len < 1024 && buf[3] === 0 && (buf[4] === 0x0a || buf[4] === 0xff);
}

/** Parses the server's first packet; undefined when it is neither a greeting nor an ERR packet. */
export function parseMysqlFirstPacket(buf: Buffer): MysqlGreeting | MysqlErrPacket | undefined {
  const total = completePacketLength(buf);
  if (total === undefined || buf[3] !== 0) return undefined;
  const p = buf.subarray(4, total);
  if (p[0] === 0xff) return parseErr(p);
  if (p[0] !== 0x0a) return undefined;
  let i = 1;
  const end = p.indexOf(0, i);
  if (end < 0) return undefined;
  const serverVersion = p.subarray(i, end).toString('latin1');
  i = end + 1;
  if (p.length < i + 4 + 8 + 1 + 2) return undefined;
  const connectionId = p.readUInt32LE(i);
  i += 4 + 8 + 1; // connection id, auth-plugin-data part 1, filler
  let capabilities = p.readUInt16LE(i);
  i += 2;
  let authPlugin: string | undefined;
  if (p.length >= i + 1 + 2 + 2 + 1 + 10) {
    i += 1 + 2; // character set, status flags
    capabilities |= p.readUInt16LE(i) << 16;
    i += 2;
    const authDataLen = p[i]!;
    i += 1 + 10;
    if (capabilities & CLIENT_SECURE_CONNECTION) i += Math.max(13, authDataLen - 8);
    if (capabilities & CLIENT_PLUGIN_AUTH && i < p.length) {
      const nul = p.indexOf(0, i);
      authPlugin = p.subarray(i, nul < 0 ? p.length : nul).toString('latin1');
    }
  }
  return {
    kind: 'greeting',
    protocolVersion: 10,
    serverVersion,
    connectionId,
    capabilities: capabilities >>> 0,
    ...(authPlugin ? { authPlugin } : {}),
    flavour: /mariadb/i.test(serverVersion) ? 'mariadb' : 'mysql',
  };
}

function parseErr(p: Buffer): MysqlErrPacket | undefined {
  if (p.length < 3) return undefined;
  const errno = p.readUInt16LE(1);
  let i = 3;
  let sqlState: string | undefined;
  if (p[i] === 0x23 /* '#' */ && p.length >= i + 6) {
    sqlState = p.subarray(i + 1, i + 6).toString('latin1');
    i += 6;
  }
  return { kind: 'error', errno, ...(sqlState ? { sqlState } : {}), message: p.subarray(i).toString('utf8') };
}

/** The 32-byte SSLRequest (sequence 1) a client sends after the greeting to switch to TLS. */
export function mysqlSslRequest(): Buffer {
  const payload = Buffer.alloc(32);
  payload.writeUInt32LE((CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH) >>> 0, 0);
  payload.writeUInt32LE(16 * 1024 * 1024, 4); // max packet size
  payload[8] = 45; // utf8mb4_general_ci
  const header = Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, (payload.length >> 16) & 0xff, 1]);
  return Buffer.concat([header, payload]);
}

/** MySQL and MariaDB speak first: a greeting (or an ERR packet) before the client says anything. */
export const mysqlWire: WireProtocol = {
  service: 'mysql',
  serverSpeaksFirst: true,

  enough: (b) => (looksLikeMysqlFirstPacket(b) ? completePacketLength(b) !== undefined : null),

  recognise(b) {
    if (!looksLikeMysqlFirstPacket(b)) return null;
    const packet = parseMysqlFirstPacket(b);
    if (packet?.kind === 'greeting') {
      return {
        serverVersion: packet.serverVersion,
        flavour: packet.flavour,
        sslSupported: (packet.capabilities & CLIENT_SSL) !== 0,
        ...(packet.authPlugin ? { authPlugin: packet.authPlugin } : {}),
      };
    }
    if (packet?.kind === 'error') {
      const { errno, sqlState, message } = packet;
      return { preHandshakeError: { errno, ...(sqlState ? { sqlState } : {}), message, source: 'mysql-protocol', code: 'MYSQL_PRE_HANDSHAKE_ERROR' } };
    }
    return null;
  },

  productName: (found) => (found.flavour === 'mariadb' ? 'MariaDB' : 'MySQL'),

  /** The greeting's CLIENT_SSL bit says whether TLS is on offer; the SSLRequest packet asks for it. */
  async startTls(socket, collector, deadline, signal) {
    const end = await collector.waitFor((b) => completePacketLength(b) !== undefined, deadline, signal);
    if (end !== 'enough') throw negotiationError(end, 'the server sent no greeting');
    const packet = parseMysqlFirstPacket(collector.buffer);
    if (!packet) throw new Error('The server’s greeting is not a MySQL handshake packet.');
    if (packet.kind === 'error') throw Object.assign(new Error(packet.message), { errno: packet.errno, sqlState: packet.sqlState, code: 'MYSQL_PRE_HANDSHAKE_ERROR' });
    if ((packet.capabilities & CLIENT_SSL) === 0) return false;
    socket.write(mysqlSslRequest());
    return true;
  },
};
