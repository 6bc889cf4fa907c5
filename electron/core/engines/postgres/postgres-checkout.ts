import type pg from 'pg';

/**
 * A pooled client for one unit of work. pg-pool listens for a client's errors only while it is idle:
 * a backend that goes away while the client is checked out (terminated, server restart) makes pg emit
 * 'error' on the client, and with no listener that error ends the worker process. This listens until
 * release, and a client that broke is destroyed on release rather than handed to the next query.
 *
 * Every `pool.connect()` in the engine goes through here (`pool.query()` guards itself).
 */
export async function checkoutClient(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  let broken = false;
  const onError = () => (broken = true);
  client.on('error', onError);
  const release = client.release.bind(client);
  client.release = (destroy?: boolean | Error) => {
    client.removeListener('error', onError);
    return release(destroy || broken);
  };
  return client;
}

/** The pool as Kysely's PostgresDialect sees it, checking clients out through `checkoutClient`. */
export function guardedPool(pool: pg.Pool): { connect(): Promise<pg.PoolClient>; end(): Promise<void> } {
  return { connect: () => checkoutClient(pool), end: () => pool.end() };
}
