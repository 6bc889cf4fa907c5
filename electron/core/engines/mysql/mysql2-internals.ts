import type mysql from 'mysql2';

/**
 * Every use of mysql2's private parts, in one place. Each takes the private path when it is there and
 * falls back to the public API when it is not (or when DBDESK_DRIVER_INTERNALS=off), so an upgrade that
 * moves one costs speed, not correctness. test/integration/foundation/driver-internals.test.ts checks
 * both paths against a real server and fails loudly when the installed version is not the one verified
 * here.
 */
export const MYSQL2_INTERNALS_VERIFIED = { mysql2: '3.24.6' } as const;

let internalsOn = process.env.DBDESK_DRIVER_INTERNALS !== 'off';

/** Tests switch the private paths off to prove the public fallbacks. */
export function useMysql2Internals(on: boolean): void {
  internalsOn = on;
}

/** mysql2's packet (what its row parser is handed): the row's bytes are `buffer[offset…end)`. */
export interface Packet {
  buffer: Buffer;
  offset: number;
  end: number;
}

/**
 * Whether the connection's socket is TLS: mysql2's private stream when it has one, else the server's
 * own answer (Ssl_cipher is empty on a plain-text session).
 */
export async function isEncrypted(conn: mysql.Connection): Promise<boolean> {
  const stream = internalsOn ? (conn as unknown as { stream?: { encrypted?: unknown } }).stream : undefined;
  if (stream && typeof stream.encrypted === 'boolean') return stream.encrypted;
  const [rows] = await conn.promise().query<mysql.RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
  return String(rows[0]?.Value ?? '') !== '';
}

interface QueryInternals {
  _rowParser: unknown;
}

/**
 * Makes mysql2's Query hand this result set's row packets to `read` instead of its own row parser.
 * mysql2 assigns `_rowParser` right after emitting 'fields' and calls its `next(packet)` per row, so
 * an accessor on the query keeps ours in place; `read` returns what mysql2 emits as the row.
 * False, and nothing changed, when the query does not look like mysql2 3.x's (a `_rowParser` of its
 * own and a `row` state): the rows then come through mysql2's parser. The integration tests read
 * every column type both ways and check which one ran.
 */
export function readRowsFromWire(query: unknown, read: (packet: Packet) => unknown): boolean {
  const q = query as QueryInternals & { row?: unknown };
  if (!internalsOn) return false;
  if (!Object.prototype.hasOwnProperty.call(q, '_rowParser') || typeof q.row !== 'function') return false;
  const parser = { next: read };
  Object.defineProperty(q, '_rowParser', { configurable: true, get: () => parser, set: () => undefined });
  return true;
}

/** Gives the query its own row parser back (for a later result set). */
export function stopReadingFromWire(query: unknown): void {
  const q = query as QueryInternals;
  if (Object.getOwnPropertyDescriptor(q, '_rowParser')?.get) {
    delete (q as Partial<QueryInternals>)._rowParser;
    q._rowParser = null;
  }
}

interface PoolPrivates {
  config?: { connectionLimit?: unknown };
  /** mysql2's ring queue (no iterator; toArray copies it). */
  _allConnections?: { toArray?(): unknown[] };
}

/**
 * Connections of the pool that finished logging in and are alive (mysql2's private list; ones still
 * connecting, or refused, are listed too). Null when it cannot be told: the pool is then not shrunk.
 */
export function openConnections(pool: mysql.Pool): number | null {
  const all = internalsOn ? (pool as unknown as PoolPrivates)._allConnections : undefined;
  if (typeof all?.toArray !== 'function') return null;
  let n = 0;
  for (const c of all.toArray() as { authorized?: boolean; _fatalError?: unknown; _closing?: boolean }[]) {
    if (c.authorized === true && !c._fatalError && !c._closing) n++;
  }
  return n;
}

/** Lowers the pool's connection limit (mysql2 reads its private config on every checkout); false when it cannot. */
export function setPoolLimit(pool: mysql.Pool, size: number): boolean {
  const config = internalsOn ? (pool as unknown as PoolPrivates).config : undefined;
  if (typeof config?.connectionLimit !== 'number') return false;
  config.connectionLimit = size;
  return true;
}
