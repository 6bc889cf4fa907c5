import type pg from 'pg';
import { checkoutClient } from './postgres-checkout';
import { backendPid, cancelKeyOf, destroySocket, sendCancelRequest } from './pg-internals';
import { keepCancelling } from '../common/keep-cancelling';

export interface CancellableOptions {
  /**
   * When the statement cannot be stopped (a cancel could not be delivered, or it ran on through every
   * cancel sent), drop the connection at once rather than wait for the statement to end: what `fn`
   * awaits then fails. For a stream, which would otherwise read a result nobody wants to its end.
   */
  dropWhenUnstoppable?: boolean;
}

/**
 * Runs `fn` on a pooled client that the caller's `signal` can stop on the server: on abort, the
 * statement running on that backend is cancelled — the protocol's CancelRequest on a fresh socket
 * (it needs no pooled connection, so it gets through even when every pooled connection is busy with
 * windows nobody waits for), or pg_cancel_backend from the pool when pg's cancel key is not there.
 *
 * A cancel that reached the backend before the statement did is ignored by PostgreSQL, so it is sent
 * again while the statement runs (keep-cancelling.ts). The client goes back to the pool clean: it is
 * released only once every cancel sent has reached the server (the postmaster has signalled the
 * backend), so none can stop the next query of whoever takes the client; a cancel that arrives while
 * the backend is idle is ignored. A cancel that could not be delivered, or a statement that would not
 * stop, means the backend may still be busy: that client is dropped — as is one `fn` marks with its
 * `drop` (its cleanup failed, or it broke off mid-protocol).
 */
export async function onCancellableClient<T>(
  pool: pg.Pool,
  config: pg.ClientConfig,
  signal: AbortSignal,
  fn: (client: pg.PoolClient, drop: () => void) => Promise<T>,
  options: CancellableOptions = {},
): Promise<T> {
  signal.throwIfAborted();
  const client = await checkoutClient(pool);
  const key = cancelKeyOf(client);
  let delivered: Promise<boolean> | null = null;
  let unusable = false;
  try {
    // Aborted while waiting for a free client: nothing was sent on it.
    signal.throwIfAborted();
    // Without pg's key, the backend's pid (one round trip) for pg_cancel_backend.
    // backendPid reads pg's key when it has one (no round trip).
    const pid = await backendPid(client);
    signal.throwIfAborted();
    let settle!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    const onAbort = () => {
      delivered = keepCancelling(settled, () => cancelStatement(pool, config, key, pid)).then((stopped) => {
        if (!stopped) {
          unusable = true;
          if (options.dropWhenUnstoppable) destroySocket(client as unknown as pg.Client);
        }
        return stopped;
      });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await fn(client, () => (unusable = true));
    } finally {
      settle();
      signal.removeEventListener('abort', onAbort);
      if (delivered) await delivered;
    }
  } finally {
    client.release(unusable);
  }
}

/** Asks the server to cancel what backend `pid` runs; true once the request has reached it. */
async function cancelStatement(pool: pg.Pool, config: pg.ClientConfig, key: ReturnType<typeof cancelKeyOf>, pid: number): Promise<boolean> {
  if (key) {
    try {
      await sendCancelRequest(config, key);
      return true;
    } catch {
      // pg without CancelRequest, or the socket refused: the pool's way below.
    }
  }
  try {
    await pool.query('SELECT pg_cancel_backend($1)', [pid]);
    return true;
  } catch {
    return false;
  }
}
