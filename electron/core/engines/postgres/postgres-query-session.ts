import pg from 'pg';
import type { ExplainPlan, LongTransactionRule, QueryNotice } from '../../../../shared/model/query';
import type { ColumnMeta } from '../../../../shared/model/values';
import { CoreError } from '../../errors';
import { BATCH_BYTES, type QuerySession, type StatementOptions, type StatementOutcome, type StatementSink, type TransactionStatus } from '../query-session';
import type { EncodedRows } from '../../../../shared/model/columnar-batch';
import { commandOf, encodeRows } from '../common/row-batch';
import { cancelWithinASecond, RunningStatement } from '../common/running-statement';
import { explainStatement } from './postgres-explain';
import type { PostgresResultTypes } from './postgres-result-types';
import { pgTypeParsers } from './postgres-types';
import { PgWireTap } from './postgres-wire-rows';
import { backendPid, cancelKeyOf, CursorReader, destroySocket, HookableCursor, sendCancelRequest } from './pg-internals';
import { checkoutClient } from './postgres-checkout';
import type { CappedPool } from './postgres-pool';

/** One tap per pooled connection, however often the editor borrows it (a second tap would wrap the first). */
const taps = new WeakMap<object, PgWireTap | null>();
function tapOf(client: pg.Client): PgWireTap | null {
  if (!taps.has(client)) taps.set(client, PgWireTap.install(client));
  return taps.get(client)!;
}

/**
 * Statements psql never wraps in BEGIN when autocommit is off (psql's command_no_begin): they
 * control transactions themselves or refuse to run inside one.
 */
const NO_BEGIN =
  /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*(?:begin|start|commit|end|rollback|abort|savepoint|release|prepare\s+transaction|vacuum|checkpoint|discard\s+all|alter\s+system|(?:create|drop)\s+(?:database|tablespace)|create\s+(?:unique\s+)?index\s+concurrently|drop\s+index\s+concurrently|reindex\s+(?:\(.*?\)\s*)?(?:database|system)|reindex\s+.*\bconcurrently\b)\b/i;

const FIRST_READ_ROWS = 100;

/** COPY … FROM STDIN would wait for data the editor never sends: refuse it at the protocol level. */
class EditorCursor extends HookableCursor<unknown[]> {
  copyToClientIgnored = false;
  /** Told the result's fields when they arrive, before any of its rows. */
  onFields: ((fields: pg.FieldDef[]) => void) | null = null;
  override handleRowDescription(msg: { fields: pg.FieldDef[] }) {
    super.handleRowDescription(msg);
    this.onFields?.(msg.fields);
  }
  handleCopyInResponse(connection: { sendCopyFail(msg: string): void }) {
    connection.sendCopyFail('The SQL editor cannot send COPY … FROM STDIN data; read a file on the server (COPY … FROM \'/path\') or use psql.');
  }
  handleCopyData() {
    this.copyToClientIgnored = true;
  }
}

const severityLevel = (s: string | undefined): QueryNotice['level'] => {
  const v = (s ?? '').toUpperCase();
  if (v === 'WARNING') return 'warning';
  if (v === 'INFO') return 'info';
  if (v === 'LOG') return 'log';
  if (v.startsWith('DEBUG')) return 'debug';
  return 'notice';
};

/** One dedicated pg.Client for an editor tab (never a pooled one: its transaction and cancel are its own). */
/** Why a long transaction hurts on PostgreSQL. */
export const POSTGRES_LONG_TRANSACTION: LongTransactionRule = {
  afterMs: 300_000,
  why: 'An open transaction keeps its locks (other sessions wait for them) and keeps VACUUM from removing dead rows anywhere in the database, so tables and indexes bloat while it lasts.',
};

export class PostgresQuerySession implements QuerySession {
  readonly longTransaction = POSTGRES_LONG_TRANSACTION;
  private client: pg.Client | null;
  /** Reads the editor's result rows from the socket's bytes (null: pg reads them). */
  private tap: PgWireTap | null = null;
  private autoCommit = true;
  private running: RunningStatement<unknown> | null = null;
  private broken = false;
  /** `client` is a pooled connection lent for a statement (the server's connection limit leaves no room for one of its own). */
  private borrowed = false;
  /** The backend's pid of `client` (for pg_cancel_backend / pg_terminate_backend). */
  private pid: number | null = null;
  /**
   * The session's search path (current_schemas(false)) as last read with no transaction open:
   * inside a transaction nothing is run to read it again (a failed one refuses any statement, and a
   * SELECT would fix a REPEATABLE READ transaction's snapshot early).
   */
  private searchPath: string[] | null = null;

  private constructor(
    private readonly config: pg.ClientConfig,
    private readonly pool: CappedPool,
    private readonly types: PostgresResultTypes,
    private readonly readOnly: boolean,
    client: pg.Client | null,
  ) {
    this.client = client;
  }

  static async open(config: pg.ClientConfig, pool: CappedPool, types: PostgresResultTypes, readOnly: boolean): Promise<PostgresQuerySession> {
    const session = new PostgresQuerySession(config, pool, types, readOnly, null);
    await session.connection();
    session.giveBack();
    return session;
  }

  get backendId(): string | null {
    return this.client && this.pid !== null ? String(this.pid) : null;
  }

  /** The session's connection, reconnected after a reset. */
  private async connection(): Promise<pg.Client> {
    if (this.client && !this.broken) return this.client;
    this.dropConnection();
    this.broken = false;
    if (this.pool.capped) return this.borrow();
    // pg-pool keeps the password as a non-enumerable property of its options: a spread would drop it.
    const client = new pg.Client({ ...this.config, password: this.config.password, application_name: 'DB Desk SQL editor' });
    // A broken socket must not take the worker down: the session notes it and the next statement reconnects.
    client.on('error', () => (this.broken = true));
    client.on('end', () => (this.broken = true));
    try {
      await client.connect();
    } catch (err) {
      // The account (or server) has no connection left for the editor: it works on the pool's, one statement at a time.
      if (this.pool.absorbRefusal(err)) return this.borrow();
      throw err;
    }
    this.pid = await backendPid(client);
    this.client = client;
    this.tap = PgWireTap.install(client);
    // Read now, while no transaction is open: a refused statement inside one is explained with it.
    this.searchPath = null;
    await this.readSearchPath(client).catch(() => undefined);
    return client;
  }

  /**
   * Under a connection limit: a pooled connection for this statement (waiting its turn with the
   * table browser's requests), kept while a transaction is open on it and handed back after.
   */
  private async borrow(): Promise<pg.Client> {
    const client = await checkoutClient(this.pool);
    client.on('error', this.onBorrowedError);
    this.pid = await backendPid(client);
    this.client = client;
    this.borrowed = true;
    this.tap = tapOf(client);
    return client;
  }

  /** A borrowed connection goes back to the pool once no statement runs and no transaction is open on it. */
  private giveBack(): void {
    if (!this.borrowed || !this.client || this.running) return;
    if (!this.broken && this.client.getTransactionStatus() !== 'I') return;
    const client = this.client as pg.PoolClient;
    this.client = null;
    this.tap = null;
    this.borrowed = false;
    client.removeListener('error', this.onBorrowedError);
    client.release(this.broken);
  }

  private readonly onBorrowedError = () => {
    this.broken = true;
  };

  /** Lets go of the connection: its own is ended, a borrowed one handed back (destroyed if it broke). */
  private dropConnection(): void {
    const client = this.client;
    if (!client) return;
    if (this.borrowed) {
      this.broken = true;
      this.giveBack();
      return;
    }
    this.client = null;
    client.end().catch(() => undefined);
  }

  status(): TransactionStatus {
    const tx = this.client && !this.broken ? this.client.getTransactionStatus() : 'I';
    return { autoCommit: this.autoCommit, open: tx === 'T' || tx === 'E', failed: tx === 'E' };
  }

  async run(sql: string, sink: StatementSink, options: StatementOptions): Promise<StatementOutcome> {
    const client = await this.connection();
    const notices: QueryNotice[] = [];
    const onNotice = (m: { severity?: string; message?: string; code?: string }) => notices.push({ level: severityLevel(m.severity), message: m.message ?? '', code: m.code ?? null });
    client.on('notice', onNotice);
    const running = new RunningStatement(this.stream(client, sql, sink, options, notices));
    this.running = running;
    try {
      const outcome = await running.result;
      await this.keepReadOnly(client);
      return outcome;
    } finally {
      this.running = null;
      client.off('notice', onNotice);
      this.giveBack();
    }
  }

  private async stream(client: pg.Client, sql: string, sink: StatementSink, options: StatementOptions, notices: QueryNotice[]): Promise<StatementOutcome> {
    if (!this.autoCommit && client.getTransactionStatus() === 'I' && !NO_BEGIN.test(sql)) await client.query('BEGIN');
    const cursor = new EditorCursor(sql, undefined, { rowMode: 'array', types: pgTypeParsers });
    const reader = new CursorReader(cursor);
    const tap = this.tap;
    // The first read is small: the first rows reach the window sooner, and it tells how many rows
    // of this result fit BATCH_BYTES before a batch of ten thousand long texts is read at once.
    let want = Math.min(FIRST_READ_ROWS, options.batchRows, options.maxRows);
    if (tap) {
      tap.arm();
      const capacity = Math.min(options.batchRows, options.maxRows);
      cursor.onFields = (fields) => tap.describe(fields, capacity);
    }
    client.query(cursor);
    let columns: ColumnMeta[] | null = null;
    let rowCount = 0;
    let truncated = false;
    let reading: Promise<unknown[][]> = reader.read(want);
    try {
      for (;;) {
        const rows = await reading;
        // Rows the tap read from the socket (pg's `rows` is then empty), taken before anything else can arrive.
        let wired: EncodedRows | null;
        try {
          wired = tap?.take() ?? null;
        } catch (err) {
          await cursor.close().catch(() => undefined);
          throw err;
        }
        const got = wired ? wired.rowCount : rows.length;
        if (columns === null && reader.result.fields.length > 0) {
          columns = await this.types.columns(reader.result.fields);
          sink.columns(columns);
        }
        const finished = reader.done || got < want;
        const capped = rowCount + got >= options.maxRows;
        const batch = got > 0 ? (wired ?? encodeRows(rows)) : null;
        // Read ahead: the server sends the next batch while this one is handed on. At most one batch
        // waits here, so memory stays bounded by the window's credit all the same. The next batch
        // asks for as many rows as fit BATCH_BYTES at this batch's size per row.
        if (!finished && !capped) {
          const perRow = batch ? batch.values.byteLength / got : 0;
          const fit = perRow > 0 ? Math.max(1, Math.floor(BATCH_BYTES / perRow)) : options.batchRows;
          want = Math.min(options.batchRows, options.maxRows - rowCount - got, fit);
          reading = reader.read(want);
          reading.catch(() => undefined);
        }
        if (batch && columns) {
          rowCount += got;
          try {
            await sink.rows(batch);
          } catch (err) {
            // Cancelled while waiting for the window: end the portal, or the connection stays busy with it.
            await cursor.close().catch(() => undefined);
            throw err;
          }
        }
        if (finished) break;
        if (capped) {
          truncated = true;
          await cursor.close();
          break;
        }
      }
    } finally {
      tap?.disarm();
    }
    if (cursor.copyToClientIgnored) notices.push({ level: 'note', message: 'COPY … TO STDOUT output is not shown in the SQL editor.', code: null });
    const command = reader.result.command ?? commandOf(sql);
    const counted = reader.result.rowCount;
    const affects = command !== null && ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'].includes(command);
    return {
      command,
      rowsAffected: affects && typeof counted === 'number' ? counted : null,
      rowCount,
      truncated,
      hasResultSet: columns !== null,
      notices,
    };
  }

  /**
   * A read-only profile's session starts with default_transaction_read_only=on, but any statement
   * may ask for read-write (SET SESSION CHARACTERISTICS … READ WRITE, BEGIN READ WRITE, SET
   * TRANSACTION READ WRITE). The server's settings are checked after every statement, so nothing
   * here depends on reading the SQL: a read-write transaction is rolled back, the session made
   * read-only again, and the statement reported as refused. (Only a role without write privileges
   * also stops a procedure that commits and changes its own transactions.)
   */
  private async keepReadOnly(client: pg.Client): Promise<void> {
    if (!this.readOnly || client.getTransactionStatus() === 'E') return;
    const { rows } = await client.query<{ d: string; t: string }>("SELECT current_setting('default_transaction_read_only') AS d, current_setting('transaction_read_only') AS t");
    if (rows[0]?.d === 'on' && rows[0]?.t === 'on') return;
    if (client.getTransactionStatus() !== 'I') await client.query('ROLLBACK');
    await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
    throw new CoreError('forbidden', 'This connection is read-only: the statement asked for read-write, so it was undone (an open transaction was rolled back) and the session is read-only again.');
  }

  async cancel(): Promise<{ reset: boolean }> {
    const running = this.running;
    const client = this.client;
    if (!running || !client) return { reset: false };
    const pid = this.pid;
    const key = cancelKeyOf(client);
    // The protocol's CancelRequest needs no connection of the pool; without pg's cancel key, pg_cancel_backend does.
    const cancelFromPool = async () => {
      if (pid !== null) await this.pool.query('SELECT pg_cancel_backend($1)', [pid]);
    };
    const cancel = () => (key ? sendCancelRequest(this.config, key).catch(cancelFromPool) : cancelFromPool());
    return cancelWithinASecond(running, cancel, () => {
      this.broken = true;
      destroySocket(client);
      // The backend may not notice the closed socket until it next writes: end it from the pool.
      if (pid !== null) void this.pool.query('SELECT pg_terminate_backend($1)', [pid]).catch(() => undefined);
    });
  }

  async setAutoCommit(autoCommit: boolean): Promise<void> {
    this.autoCommit = autoCommit;
  }

  async commit(): Promise<void> {
    // Under a connection limit nothing is held between statements unless a transaction is open.
    if (this.pool.capped && !this.client) return;
    const client = await this.connection();
    try {
      if (client.getTransactionStatus() !== 'I') await client.query('COMMIT');
    } finally {
      this.giveBack();
    }
  }

  async rollback(): Promise<void> {
    if (this.pool.capped && !this.client) return;
    const client = await this.connection();
    try {
      if (client.getTransactionStatus() !== 'I') await client.query('ROLLBACK');
    } finally {
      this.giveBack();
    }
  }

  async explain(sql: string, analyze: boolean): Promise<ExplainPlan> {
    const client = await this.connection();
    if (client.getTransactionStatus() === 'E') {
      throw new CoreError('query-failed', 'The open transaction failed; roll it back before asking for a plan.');
    }
    const running = new RunningStatement(explainStatement(client, sql, analyze));
    this.running = running;
    try {
      return await running.result;
    } finally {
      this.running = null;
      this.giveBack();
    }
  }

  async lookupSchemas(): Promise<string[]> {
    const client = this.client;
    // No connection of its own between statements (under a connection limit): the pool's view is the caller's fallback.
    if (!client || this.broken || this.running) return this.searchPath ?? [];
    if (client.getTransactionStatus() !== 'I') return this.searchPath ?? [];
    return this.readSearchPath(client);
  }

  private async readSearchPath(client: pg.Client): Promise<string[]> {
    // As JSON text: the session's connection may parse no type at all.
    const { rows } = await client.query<{ path: string }>('SELECT array_to_json(current_schemas(false))::text AS path');
    const path: unknown = JSON.parse(rows[0]?.path ?? '[]');
    this.searchPath = Array.isArray(path) ? path.map(String) : [];
    return this.searchPath;
  }

  errorOffset(error: unknown, sql: string): number | null {
    const position = Number((error as { position?: string }).position);
    if (!Number.isInteger(position) || position < 1) return null;
    // The server counts characters (code points); JavaScript strings count UTF-16 units.
    return [...sql].slice(0, position - 1).join('').length;
  }

  async close(): Promise<void> {
    // A borrowed connection with a transaction open is not handed to the next user as it is.
    if (this.borrowed && this.client && this.client.getTransactionStatus() !== 'I') await this.client.query('ROLLBACK').catch(() => (this.broken = true));
    if (this.borrowed) {
      this.giveBack();
      return;
    }
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}
