import pg from 'pg';
import Cursor from 'pg-cursor';

/**
 * Every use of pg's, pg-cursor's and pg-copy-streams' private parts, in one place. Each accessor
 * takes the private path when it is there and falls back to the public API when it is not (or when
 * DBDESK_DRIVER_INTERNALS=off), so a driver upgrade that moves a private field costs speed, not
 * correctness. test/integration/foundation/driver-internals.test.ts checks both paths against a real
 * server and fails loudly when the installed versions are not the ones verified here.
 */
export const PG_INTERNALS_VERIFIED = { pg: '8.23.1', 'pg-cursor': '2.22.1', 'pg-copy-streams': '7.0.0' } as const;

let internalsOn = process.env.DBDESK_DRIVER_INTERNALS !== 'off';

/** Tests switch the private paths off to prove the public fallbacks. */
export function usePgInternals(on: boolean): void {
  internalsOn = on;
}

/** What pg keeps of the server's BackendKeyData: the backend's pid and the key a CancelRequest needs. */
export interface CancelKey {
  processID: number;
  secretKey: number;
}

type ClientPrivates = { processID?: unknown; secretKey?: unknown; connection?: { stream?: NodeJS.EventEmitter & { destroy?(): void } } };

/** The client's cancel key (pg's private processID/secretKey); null without them. */
export function cancelKeyOf(client: pg.ClientBase): CancelKey | null {
  if (!internalsOn) return null;
  const { processID, secretKey } = client as unknown as ClientPrivates;
  return typeof processID === 'number' && typeof secretKey === 'number' ? { processID, secretKey } : null;
}

/** The backend's pid: pg's private processID, else `SELECT pg_backend_pid()` on the client. */
export async function backendPid(client: pg.ClientBase): Promise<number> {
  const key = cancelKeyOf(client);
  if (key) return key.processID;
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return Number(rows[0]!.pid);
}

/** The socket pg reads the server's messages from (the editor's wire tap); null: rows go through pg. */
export function socketOf(client: unknown): NodeJS.EventEmitter | null {
  if (!internalsOn) return null;
  return (client as ClientPrivates | null)?.connection?.stream ?? null;
}

/** Drops the connection at once (pg's private socket); else asks pg to end it. */
export function destroySocket(client: pg.ClientBase & { end(): Promise<void> }): void {
  const stream = internalsOn ? (client as unknown as ClientPrivates).connection?.stream : undefined;
  if (typeof stream?.destroy === 'function') stream.destroy();
  else void client.end().catch(() => undefined);
}

type ConnectionPrivates = { connect?(port: number, host: string): void; cancel?(pid: number, key: number): void; stream: { destroy(): void } };

/**
 * The protocol's CancelRequest on a fresh socket (pg.Connection's untyped connect/cancel): needs no
 * pooled connection and no login. Rejects when pg no longer has them; the caller then cancels with
 * pg_cancel_backend from another connection.
 */
export function sendCancelRequest(config: pg.ClientConfig, key: CancelKey): Promise<void> {
  return new Promise((resolve, reject) => {
    // Through SSH the cancel request goes over a new channel of the tunnel (the config's stream factory).
    const con = new pg.Connection(config.stream ? { stream: config.stream } : undefined) as unknown as pg.Connection & ConnectionPrivates;
    if (typeof con.connect !== 'function' || typeof con.cancel !== 'function') {
      reject(new Error('This pg has no CancelRequest on its Connection.'));
      return;
    }
    const timer = setTimeout(() => {
      con.stream.destroy();
      reject(new Error('The cancel request could not be sent in time.'));
    }, 500);
    con.on('connect', () => con.cancel!(key.processID, key.secretKey));
    con.on('end', () => {
      clearTimeout(timer);
      resolve();
    });
    con.on('error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
    con.connect(config.port ?? 5432, config.host ?? 'localhost');
  });
}

/** What a cursor has learnt of its result so far (pg's Result, as read() hands it over). */
export interface CursorResult {
  fields: pg.FieldDef[];
  command: string | null;
  rowCount: number | null;
}

/**
 * A cursor's reads with the result they belong to, through pg-cursor's public API: the callback form
 * of read() hands the result over with the rows, and 'end' (with the result) says the portal is done.
 */
export class CursorReader<R> {
  /** The result as last handed over (fields once described; command and count once complete). */
  result: CursorResult = { fields: [], command: null, rowCount: null };
  done = false;

  constructor(private readonly cursor: Cursor<R>) {
    cursor.once('end', (result?: pg.QueryResult) => {
      this.done = true;
      if (result) this.take(result);
    });
  }

  read(rows: number): Promise<R[]> {
    return new Promise((resolve, reject) => {
      this.cursor.read(rows, (err, got, result) => {
        if (err) return reject(err);
        // A read after the end gets rows only (and none).
        if (result) this.take(result);
        resolve(got);
      });
    });
  }

  private take(result: pg.QueryResult): void {
    this.result = { fields: result.fields ?? [], command: result.command ?? null, rowCount: result.rowCount ?? null };
  }
}

/**
 * pg-cursor with the hooks of pg's Submittable interface typed, so a subclass can add to them (see the
 * SQL editor's cursor): pg calls them with the server's messages.
 */
export const HookableCursor = Cursor as unknown as {
  new <R>(text: string, values?: unknown[], config?: Cursor.CursorQueryConfig): Cursor<R> & {
    handleRowDescription(msg: { fields: pg.FieldDef[] }): void;
  };
};

/**
 * Counts the rows of a COPY … TO STDOUT stream: pg-copy-streams' rowCount when it has one, else the
 * CSV records counted as they pass (less the header line).
 */
export function copyRowCounter(stream: object, header: boolean, countRecords: (chunk: Uint8Array) => number): { observe(chunk: Uint8Array): void; rows(): number } {
  const counted = stream as { rowCount?: unknown };
  // pg-copy-streams sets rowCount from the CommandComplete message; it starts at 0.
  if (internalsOn && typeof counted.rowCount === 'number') return { observe: () => undefined, rows: () => Number(counted.rowCount) };
  let records = 0;
  return {
    observe: (chunk) => {
      records += countRecords(chunk);
    },
    rows: () => Math.max(0, records - (header ? 1 : 0)),
  };
}

/**
 * Clients of a pool that finished connecting (pg-pool's private list; its public totalCount also
 * counts clients still connecting, which may be refused too — the fallback, an over-count).
 */
export function connectedCount(pool: pg.Pool): number {
  const clients = internalsOn ? (pool as unknown as { _clients?: { _connected?: boolean; _ending?: boolean }[] })._clients : undefined;
  if (!Array.isArray(clients)) return pool.totalCount;
  return clients.filter((c) => c._connected === true && c._ending !== true).length;
}

/** Lowers a pool's size (pg-pool reads its options' max on every checkout); false when it cannot. */
export function setPoolMax(pool: pg.Pool, size: number): boolean {
  const options = internalsOn ? (pool as unknown as { options?: { max?: unknown } }).options : undefined;
  if (typeof options?.max !== 'number') return false;
  options.max = size;
  return true;
}
