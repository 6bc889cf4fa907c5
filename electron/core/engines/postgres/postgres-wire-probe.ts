import { negotiationError, type WireProtocol } from '../../../../features/diagnostics/core/probes/wire-protocol';

/** PostgreSQL's SSLRequest: length 8, code 80877103. The server answers one byte: 'S' or 'N'. */
export const POSTGRES_SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** PostgreSQL never speaks first: it answers the SSLRequest with one byte, 'S' or 'N'. */
export const postgresWire: WireProtocol = {
  service: 'postgresql',
  serverSpeaksFirst: false,
  probe: POSTGRES_SSL_REQUEST,

  enough: () => null,

  recognise(b, sentProbe) {
    if (!sentProbe) return null;
    if (b.length === 1 && (b[0] === 0x53 || b[0] === 0x4e)) return { sslSupported: b[0] === 0x53 };
    // 'E' + length: an ErrorResponse (a PostgreSQL server refusing the SSLRequest, e.g. very old or overloaded).
    if (b[0] === 0x45 && b.length >= 5 && b.readUInt32BE(1) < 10_000) return {};
    return null;
  },

  productName: () => 'PostgreSQL',

  async startTls(socket, collector, deadline, signal) {
    socket.write(POSTGRES_SSL_REQUEST);
    const end = await collector.waitFor((b) => b.length >= 1, deadline, signal);
    if (end !== 'enough') throw negotiationError(end, 'the server did not answer the SSLRequest');
    if (collector.buffer[0] === 0x4e) return false;
    if (collector.buffer[0] !== 0x53) throw new Error(`The server answered the SSLRequest with 0x${collector.buffer.subarray(0, 1).toString('hex')}, not 'S' or 'N'.`);
    return true;
  },
};
