/**
 * A server that grants fewer connections than the pool may open (a role's CONNECTION LIMIT, MySQL's
 * max_user_connections, a full max_connections): the pool keeps the connections it has, the other
 * requests wait for one of them, and the user is told once, with the numbers and what would lift it.
 */
export interface PoolCap {
  /** Connections the server granted: the pool keeps at most this many. */
  granted: number;
  /** The profile's pool size. */
  poolSize: number;
  /** `account`: this user's own limit; `database`: the database's limit; `server`: every slot of the server is taken. */
  scope: 'account' | 'database' | 'server';
  /** The server's refusal, as it said it. */
  serverMessage: string;
  /** What would lift the cap, in this engine's words. */
  remedy: string;
}

/** How an engine family reads a refused connection: null when the error is not a connection limit. */
export type CapReader = (err: unknown) => { scope: PoolCap['scope']; remedy: string } | null;

/**
 * The cap of one engine's pool. `refused` is called when opening one more connection failed; with
 * connections still open it is a cap (the pool shrinks to them and the caller waits for one), with none
 * the connection simply failed. The first cap is reported once, through `onCap`.
 */
export class ConnectionCap {
  private reported = false;
  /** The connections the server granted, once it refused one more; null while it never did. */
  granted: number | null = null;

  constructor(
    private readonly poolSize: number,
    private readonly read: CapReader,
    private readonly onCap: ((cap: PoolCap) => void) | undefined,
  ) {}

  /** Returns the pool's new size when `err` is a cap while `open` connections are alive; null otherwise (rethrow). */
  refused(err: unknown, open: number): number | null {
    if (open < 1) return null;
    const cap = this.read(err);
    if (!cap) return null;
    this.granted = this.granted === null ? open : Math.min(this.granted, open);
    if (!this.reported) {
      this.reported = true;
      const message = err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
      this.onCap?.({ granted: this.granted, poolSize: this.poolSize, scope: cap.scope, serverMessage: message, remedy: cap.remedy });
    }
    return this.granted;
  }

  /** Whether the server has refused a connection for the limit (the SQL editor then shares the pool's). */
  get capped(): boolean {
    return this.granted !== null;
  }
}
