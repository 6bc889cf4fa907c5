import mysql from 'mysql2';
import type { Pool as PromisePool, PoolConnection as PromisePoolConnection } from 'mysql2/promise';
import { keepCancelling } from '../common/keep-cancelling';

/**
 * Stops statements of the pool's connections with `KILL QUERY <thread id>` from a connection of its
 * own, outside the pool: opened on the first kill and kept (reopened when it broke). Through the
 * pool, a KILL would wait behind the very queries it is meant to stop when every pooled connection
 * runs a window nobody waits for any more. Where the connection of its own cannot be opened (a
 * connection limit), the KILL goes through the pool.
 */
export class MysqlQueryKiller {
  private connection: Promise<mysql.Connection> | null = null;
  private closed = false;

  constructor(
    private readonly options: mysql.ConnectionOptions,
    private readonly pool: PromisePool,
  ) {}

  /** KILL QUERY for one thread; true once the server has taken it (the statement stops, or had ended). */
  async kill(threadId: number): Promise<boolean> {
    const text = `KILL QUERY ${Math.trunc(threadId)}`;
    try {
      const conn = await this.own();
      await new Promise<void>((resolve, reject) => conn.query(text, (err) => (err ? reject(err) : resolve())));
      return true;
    } catch {
      this.connection = null;
    }
    try {
      await this.pool.query(text);
      return true;
    } catch {
      return false;
    }
  }

  private own(): Promise<mysql.Connection> {
    if (this.closed) return Promise.reject(new Error('closed'));
    this.connection ??= new Promise<mysql.Connection>((resolve, reject) => {
      const conn = mysql.createConnection(this.options);
      conn.on('error', () => {
        // A broken connection is opened again on the next kill.
        if (this.connection) this.connection = null;
      });
      conn.connect((err) => (err ? reject(err) : resolve(conn)));
    });
    const opening = this.connection;
    opening.catch(() => {
      if (this.connection === opening) this.connection = null;
    });
    return opening;
  }

  async close(): Promise<void> {
    this.closed = true;
    const opening = this.connection;
    this.connection = null;
    const conn = await opening?.catch(() => null);
    conn?.destroy();
  }
}

/**
 * Runs `fn` (statements on `conn`, a pooled connection) so that the caller's `signal` stops it on the
 * server: on abort, KILL QUERY for that connection's thread. Settles only once the KILL has been
 * taken by the server, so what the caller runs next on the connection (its cleanup), and whoever
 * takes it from the pool after, is not hit by it: a KILL QUERY that reaches an idle connection is
 * forgotten by the server. When the KILL could not be delivered, or the statement ran on through every
 * KILL sent, `undelivered` is called as soon as that is known: the caller must not reuse the
 * connection, and may stop waiting for the statement (a stream stops reading it).
 */
export async function whileKillable<T>(conn: PromisePoolConnection, killer: MysqlQueryKiller, signal: AbortSignal, fn: () => Promise<T>, undelivered: () => void): Promise<T> {
  signal.throwIfAborted();
  let delivered: Promise<void> | null = null;
  let settle!: () => void;
  const settled = new Promise<void>((r) => (settle = r));
  const onAbort = () => {
    // A KILL that reached the connection before its statement did is forgotten: sent again while it runs.
    delivered = keepCancelling(settled, () => killer.kill(conn.threadId)).then((stopped) => {
      if (!stopped) undelivered();
    });
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn();
  } finally {
    settle();
    signal.removeEventListener('abort', onAbort);
    if (delivered) await delivered;
  }
}
