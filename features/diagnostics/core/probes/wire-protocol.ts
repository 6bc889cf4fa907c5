import type { Socket } from 'node:net';
import type { ServiceFound } from '../../../../shared/model/diagnostics';
import type { ReadEnd, SocketCollector } from './socket-io';

/** An error a server sent before its handshake (MySQL: an ERR packet instead of the greeting). */
export interface PreHandshakeError {
  errno: number;
  sqlState?: string;
  message: string;
  /** The error's source for classification (the dialect that reads it) and its code. */
  source: string;
  code: string;
}

/** What the first bytes of one protocol say about the server. */
export interface Recognised {
  serverVersion?: string;
  /** The product when the protocol serves several (MySQL or MariaDB). */
  flavour?: 'mysql' | 'mariadb';
  authPlugin?: string;
  /** PostgreSQL's 'S'/'N' answer, or the MySQL greeting's CLIENT_SSL bit. */
  sslSupported?: boolean;
  preHandshakeError?: PreHandshakeError;
}

/**
 * One database protocol as the diagnostics probes need it, without credentials: how its servers
 * open a conversation, how to recognise them from their first bytes, how they switch to TLS.
 * A member of the Dialect (engines/<family>/<family>-wire-probe.ts); the fingerprint asks every
 * dialect's, so a PostgreSQL profile pointed at a MySQL port is told what answered.
 */
export interface WireProtocol {
  /** What the fingerprint reports when this protocol answers. */
  readonly service: ServiceFound;
  /** True when its servers speak first (MySQL's greeting); false when they wait for the client. */
  readonly serverSpeaksFirst: boolean;
  /** Bytes a silent server of this protocol answers (PostgreSQL's SSLRequest). */
  readonly probe?: Buffer;
  /** With these bytes received: true when they are enough to decide, false when more are needed, null when they are not this protocol's. */
  enough(bytes: Buffer): boolean | null;
  /** What the bytes say, or null when they are not this protocol's (`sentProbe`: our probe went out first). */
  recognise(bytes: Buffer, sentProbe: boolean): Recognised | null;
  /** The product that answered, in words: `PostgreSQL`, `MariaDB`, `MySQL`. */
  productName(found: Recognised): string;
  /** Asks for TLS before the login, the way the driver does: false when the server offers none. */
  startTls(socket: Socket, collector: SocketCollector, deadline: number, signal: AbortSignal): Promise<boolean>;
}

/** The error of a TLS negotiation the server did not finish. */
export function negotiationError(end: ReadEnd, what: string): Error {
  const err = new Error(`TLS negotiation failed: ${what} (${end === 'timeout' ? 'timed out' : `connection ${end}`}).`);
  return Object.assign(err, { code: end === 'timeout' ? 'DBDESK_TIMEOUT' : 'ECONNRESET' });
}
