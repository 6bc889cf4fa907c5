import pg from 'pg';
import type { CapReader, ConnectionCap } from '../common/connection-cap';
import { postgresExplainer } from './postgres-explained-errors';
import { quotePgIdent } from './postgres-types';
import { connectedCount, setPoolMax } from './pg-internals';

/** PostgreSQL's refusals for a connection limit (SQLSTATE 53300): the role's, the database's, or the server's. */
export const postgresCapReader: CapReader = (err) => {
  const e = postgresExplainer.explain(err);
  if (e?.kind !== 'connection-limit') return null;
  const message = e.evidence.message;
  const role = /too many connections for role "((?:[^"]|"")+)"/.exec(message)?.[1];
  if (role !== undefined) {
    return { scope: 'account', remedy: `Ask the DBA to raise the role’s limit (ALTER ROLE ${quotePgIdent(role)} CONNECTION LIMIT …), close the role’s other sessions, or lower this connection’s pool size.` };
  }
  const db = /too many connections for database "((?:[^"]|"")+)"/.exec(message)?.[1];
  if (db !== undefined) {
    return { scope: 'database', remedy: `Ask the DBA to raise the database’s limit (ALTER DATABASE ${quotePgIdent(db)} CONNECTION LIMIT …), close other sessions on it, or lower this connection’s pool size.` };
  }
  return { scope: 'server', remedy: 'Every connection slot of the server is taken: close idle sessions elsewhere, or ask the DBA to raise max_connections (or put a pooler in front); or lower this connection’s pool size.' };
};

type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/**
 * A pg pool that works within the connections the server grants: when the server refuses one more
 * for a connection limit while the pool holds others, the pool's size drops to what it holds and
 * the request waits for one of them (pg-pool's own queue), instead of failing.
 */
export class CappedPool extends pg.Pool {
  cap: ConnectionCap | null = null;

  /**
   * A connection (the pool's, or an editor session's own) was refused: when it is a connection limit
   * and the pool holds connections, the pool shrinks to them and true is returned (wait for one).
   */
  absorbRefusal(err: unknown): boolean {
    const size = this.cap?.refused(err, connectedCount(this)) ?? null;
    if (size === null) return false;
    // pg-pool reads `max` on every checkout: at the cap, requests queue for a released client.
    return setPoolMax(this, size);
  }

  /** The server refused a connection for its limit: sessions that wanted one of their own share the pool's. */
  get capped(): boolean {
    return this.cap?.capped ?? false;
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    const attempt = (): Promise<pg.PoolClient> =>
      super.connect().catch((err: unknown) => {
        if (!this.absorbRefusal(err)) throw err;
        return attempt();
      });
    if (!callback) return attempt();
    attempt().then(
      (client) => callback(undefined, client, (release) => client.release(release as boolean | Error | undefined)),
      (err: Error) => callback(err, undefined, () => undefined),
    );
  }
}
