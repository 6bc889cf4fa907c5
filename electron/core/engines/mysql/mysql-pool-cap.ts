import type mysql from 'mysql2';
import type { CapReader, ConnectionCap } from '../common/connection-cap';
import { mysqlExplainer } from './mysql-explained-errors';
import { openConnections, setPoolLimit } from './mysql2-internals';

/** MySQL/MariaDB refusals for a connection limit: the account's (1226, 1203) or the server's (1040). */
export const mysqlCapReader: CapReader = (err) => {
  const e = mysqlExplainer.explain(err);
  if (e?.kind !== 'connection-limit') return null;
  if (e.evidence.code === 1040) {
    return { scope: 'server', remedy: 'Every connection slot of the server is taken: close idle sessions elsewhere, or ask the DBA to raise max_connections; or lower this connection’s pool size.' };
  }
  const user = /^User '?((?:[^']|'')+?)'? (?:has exceeded|already has more than)/.exec(e.evidence.message)?.[1];
  return {
    scope: 'account',
    remedy: `Ask the DBA to raise the account’s limit (ALTER USER ${user ? `'${user}'@…` : '…'} WITH MAX_USER_CONNECTIONS …, or the max_user_connections variable), close its other sessions, or lower this connection’s pool size.`,
  };
};

/**
 * mysql2's pool working within the connections the server grants: when it refuses one more for a
 * connection limit while the pool holds others, the pool's limit drops to those and the request
 * joins mysql2's own queue for a released connection. Every checkout (pool.query, the promise pool,
 * Kysely) goes through getConnection, so one wrapper covers them.
 */
export function capMysqlPool(pool: mysql.Pool, cap: ConnectionCap): void {
  const getConnection = pool.getConnection.bind(pool);
  const capped = (cb: (err: NodeJS.ErrnoException | null, conn: mysql.PoolConnection) => void) => {
    getConnection((err, conn) => {
      if (err) {
        const open = openConnections(pool);
        const size = open === null ? null : cap.refused(err, open);
        if (size !== null && setPoolLimit(pool, size)) return capped(cb);
      }
      cb(err, conn);
    });
  };
  pool.getConnection = capped as typeof pool.getConnection;
}
