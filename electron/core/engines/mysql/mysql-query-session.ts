import type { ConnectionCap } from '../common/connection-cap';
import { openConnections, readRowsFromWire, setPoolLimit, stopReadingFromWire } from './mysql2-internals';
import mysql from 'mysql2';
import type { ExplainPlan, LongTransactionRule, QueryNotice } from '../../../../shared/model/query';
import type { ColumnMeta } from '../../../../shared/model/values';
import { CoreError } from '../../errors';
import { BATCH_BYTES, type QuerySession, type StatementOptions, type StatementOutcome, type StatementSink, type TransactionStatus } from '../query-session';
import { RowBatcher, commandOf } from '../common/row-batch';
import { cancelWithinASecond, RunningStatement } from '../common/running-statement';
import { mysqlErrorOffset } from './mysql-error-position';
import { explainMysql } from './mysql-explain';
import { mysqlResultColumns, type MysqlField } from './mysql-result-types';
import { MysqlWireRows, WIRE_ROW, wireReadPlan, type WireField } from './mysql-wire-rows';
import type { WireBatch } from '../common/wire-batch';
import type { MysqlFlavour } from './mysql-engine';

const SERVER_STATUS_IN_TRANS = 1;
/** Set by MySQL (5.6.5+) and MariaDB while the open transaction is read-only. */
const SERVER_STATUS_IN_TRANS_READONLY = 0x2000;

/**
 * Galera certifies a transaction at COMMIT against every write set the cluster committed since it
 * began: the longer it is open, the likelier another node touched the same rows and the COMMIT fails
 * (a deadlock error) — with all its work. The guide's rule for Galera: short transactions.
 */
export const GALERA_LONG_TRANSACTION: LongTransactionRule = {
  afterMs: 30_000,
  why: 'On a Galera cluster a transaction is certified against everything the other nodes committed while it was open: the longer it stays open, the likelier its COMMIT fails with a deadlock error and all of its work is lost. Until then its row locks hold writers back on this node.',
};
export const INNODB_LONG_TRANSACTION: LongTransactionRule = {
  afterMs: 300_000,
  why: 'An open transaction keeps its row locks (other writers wait for them) and keeps InnoDB from purging old row versions, which slows the whole server as they pile up.',
};
const ER_QUERY_INTERRUPTED = 1317;

interface OkPacket {
  affectedRows: number;
  warningStatus: number;
  serverStatus: number;
}

const isOk = (r: unknown): r is OkPacket => typeof r === 'object' && r !== null && !Array.isArray(r) && 'affectedRows' in r;

/** One dedicated mysql2 connection for an editor tab; cancel is KILL QUERY from a pooled connection. */
export class MysqlQuerySession implements QuerySession {
  private conn: mysql.Connection | null = null;
  private autoCommit = true;
  private inTransaction = false;
  /** The open transaction may write (the server's status flags say so). */
  private readWriteTransaction = false;
  private running: RunningStatement<unknown> | null = null;
  private broken = false;
  /** `conn` is a pooled connection lent for a statement (the server's connection limit leaves no room for one of its own). */
  private borrowed = false;

  private constructor(
    private readonly pool: mysql.Pool,
    private readonly cap: ConnectionCap,
    private readonly options: mysql.ConnectionOptions,
    private readonly readOnly: boolean,
    private readonly flavour: MysqlFlavour,
    private readonly version: string,
    readonly longTransaction: LongTransactionRule,
  ) {}

  static async open(pool: mysql.Pool, cap: ConnectionCap, options: mysql.ConnectionOptions, readOnly: boolean, flavour: MysqlFlavour, version: string, galera: boolean): Promise<MysqlQuerySession> {
    const session = new MysqlQuerySession(pool, cap, options, readOnly, flavour, version, galera ? GALERA_LONG_TRANSACTION : INNODB_LONG_TRANSACTION);
    await session.connection();
    session.giveBack();
    return session;
  }

  get backendId(): string | null {
    return this.conn?.threadId ? String(this.conn.threadId) : null;
  }

  /** The pooled connections' settings (TLS, charset, type casting) on a connection of the session's own. */
  private async connection(): Promise<mysql.Connection> {
    if (this.conn && !this.broken) return this.conn;
    if (this.borrowed) this.giveBack();
    else this.conn?.destroy();
    this.conn = null;
    this.broken = false;
    this.inTransaction = false;
    if (this.cap.capped) return this.borrow();
    const conn = mysql.createConnection(this.options);
    conn.on('error', () => (this.broken = true));
    conn.on('end', () => (this.broken = true));
    try {
      await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      conn.destroy();
      // The account (or server) has no connection left for the editor: it works on the pool's, one statement at a time.
      const open = openConnections(this.pool);
      const size = open === null ? null : this.cap.refused(err, open);
      if (size === null || !setPoolLimit(this.pool, size)) throw err;
      return this.borrow();
    }
    this.conn = conn;
    // Read-only is the server's rule for this session too, as for every pooled one.
    if (this.readOnly) await this.exec('SET SESSION TRANSACTION READ ONLY');
    if (!this.autoCommit) await this.exec('SET autocommit = 0');
    return conn;
  }

  /**
   * Under a connection limit: a pooled connection for this statement (waiting its turn with the
   * table browser's requests), kept while a transaction is open on it. Its session is the pool's:
   * autocommit off is set for the statement and undone before the connection goes back.
   */
  private async borrow(): Promise<mysql.Connection> {
    const conn = await new Promise<mysql.PoolConnection>((resolve, reject) => this.pool.getConnection((err, c) => (err ? reject(err) : resolve(c))));
    conn.on('error', this.onBorrowedError);
    this.conn = conn;
    this.borrowed = true;
    if (!this.autoCommit) await this.exec('SET autocommit = 0');
    return conn;
  }

  private readonly onBorrowedError = () => {
    this.broken = true;
  };

  /** A borrowed connection goes back to the pool once no statement runs and no transaction is open on it, as the pool lent it. */
  private giveBack(): void {
    if (!this.borrowed || !this.conn || this.running) return;
    if (!this.broken && this.inTransaction) return;
    const conn = this.conn as mysql.PoolConnection;
    this.conn = null;
    this.borrowed = false;
    conn.removeListener('error', this.onBorrowedError);
    if (this.broken) return conn.destroy();
    if (!this.autoCommit) conn.query('SET autocommit = 1', () => conn.release());
    else conn.release();
  }

  private exec(sql: string): Promise<unknown> {
    const conn = this.conn!;
    return new Promise((resolve, reject) => conn.query(sql, (err, result) => (err ? reject(err) : resolve(result))));
  }

  private noteStatus(ok: OkPacket): void {
    this.inTransaction = (ok.serverStatus & SERVER_STATUS_IN_TRANS) !== 0;
    this.readWriteTransaction = this.inTransaction && (ok.serverStatus & SERVER_STATUS_IN_TRANS_READONLY) === 0;
  }

  /** The session's read-only variable: tx_read_only on MariaDB and MySQL before 5.7.20, transaction_read_only after. */
  private readOnlyVariable(): string {
    if (this.flavour === 'mariadb') return 'tx_read_only';
    const [major = 0, minor = 0, patch = 0] = this.version.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
    return major > 5 || (major === 5 && (minor > 7 || (minor === 7 && patch >= 20))) ? 'transaction_read_only' : 'tx_read_only';
  }

  /**
   * A read-only profile's session is SET SESSION TRANSACTION READ ONLY, but any statement may ask
   * for read-write (SET SESSION TRANSACTION READ WRITE, START TRANSACTION READ WRITE, SET
   * tx_read_only = 0). The server's state is checked after every statement, so nothing here depends
   * on reading the SQL: a read-write transaction is rolled back, the session made read-only again,
   * and the statement reported as refused. (Only an account without write privileges also stops a
   * stored procedure that changes its own transactions.)
   */
  private async keepReadOnly(): Promise<void> {
    if (!this.readOnly) return;
    const rows = (await this.exec(`SELECT @@session.${this.readOnlyVariable()} AS ro`)) as { ro: number | string }[];
    if (Number(rows[0]?.ro) === 1 && !this.readWriteTransaction) return;
    if (this.inTransaction) {
      const r = await this.exec('ROLLBACK');
      if (isOk(r)) this.noteStatus(r);
    }
    await this.exec('SET SESSION TRANSACTION READ ONLY');
    throw new CoreError('forbidden', 'This connection is read-only: the statement asked for read-write, so it was undone (an open transaction was rolled back) and the session is read-only again.');
  }

  /** A statement with no result set answers with an OK packet that carries the transaction flag. */
  private async refreshStatus(): Promise<void> {
    const r = await this.exec('DO 0');
    if (isOk(r)) this.noteStatus(r);
  }

  status(): TransactionStatus {
    return { autoCommit: this.autoCommit, open: this.inTransaction && !this.broken, failed: false };
  }

  /**
   * The session's current database (USE changes it). Safe inside a transaction: a refused statement
   * leaves it open and usable here, and SELECT DATABASE() reads no table, so no snapshot is taken.
   */
  async lookupSchemas(): Promise<string[]> {
    if (!this.conn || this.broken || this.running) return [];
    const rows = (await this.exec('SELECT DATABASE() AS db')) as { db: string | null }[];
    const db = rows[0]?.db;
    return db ? [String(db)] : [];
  }

  async run(sql: string, sink: StatementSink, options: StatementOptions): Promise<StatementOutcome> {
    const conn = await this.connection();
    const running = new RunningStatement(this.stream(conn, sql, sink, options));
    this.running = running;
    try {
      const outcome = await running.result;
      await this.keepReadOnly();
      return outcome;
    } finally {
      this.running = null;
      this.giveBack();
    }
  }

  private stream(conn: mysql.Connection, sql: string, sink: StatementSink, options: StatementOptions): Promise<StatementOutcome> {
    return new Promise<StatementOutcome>((resolve, reject) => {
      let columns: ColumnMeta[] | null = null;
      let resultSets = 0;
      // Rows read from the wire into a WireBatch when every column allows it, else mysql2's rows into a RowBatcher.
      let pending: RowBatcher | WireBatch | null = null;
      let rowCount = 0;
      let truncated = false;
      let ok: OkPacket | null = null;
      let flushing: Promise<void> = Promise.resolve();
      let failed: unknown = null;

      const flush = () => {
        if (!pending || pending.rowCount === 0) return;
        const batch = pending.take();
        conn.pause();
        flushing = flushing.then(() => sink.rows(batch)).then(
          () => conn.resume(),
          (err: unknown) => {
            failed = err;
            conn.resume();
          },
        );
      };

      const query = conn.query({ sql, rowsAsArray: true });
      query.on('fields', (fields: MysqlField[] | undefined) => {
        if (!fields) return;
        resultSets++;
        if (resultSets > 1) {
          // Only the first result set is shown; mysql2 reads (and we drop) the rest.
          stopReadingFromWire(query);
          return;
        }
        columns = mysqlResultColumns(fields);
        const capacity = Math.min(options.batchRows, options.maxRows);
        const plan = wireReadPlan(fields as unknown as WireField[]);
        const wire = plan ? new MysqlWireRows(plan, capacity) : null;
        const wired =
          wire !== null &&
          readRowsFromWire(query, (packet) => {
            if (truncated || failed) return null;
            wire.read(packet);
            return WIRE_ROW;
          });
        pending = wired ? wire.batch : new RowBatcher(capacity);
        sink.columns(columns);
      });
      query.on('result', (row: unknown, index?: number) => {
        if (isOk(row)) {
          ok = row;
          return;
        }
        if ((index ?? 0) > 0 || resultSets > 1 || truncated || failed || !pending) return;
        if (row !== WIRE_ROW) (pending as RowBatcher).push(row as unknown[]);
        rowCount++;
        if (rowCount >= options.maxRows) {
          // Enough: stop the server sending the rest instead of reading and dropping it.
          truncated = true;
          flush();
          void this.killQuery(conn.threadId);
        } else if (pending.rowCount >= options.batchRows || pending.approxBytes >= BATCH_BYTES) flush();
      });
      query.on('error', (err: { errno?: number }) => {
        failed ??= err;
      });
      query.on('end', () => {
        flush();
        void flushing.then(async () => {
          const interruptedOnPurpose = truncated && (failed as { errno?: number } | null)?.errno === ER_QUERY_INTERRUPTED;
          if (failed && !interruptedOnPurpose) return reject(failed);
          try {
            const notices = await this.warnings(ok?.warningStatus ?? (columns ? 1 : 0));
            if (resultSets > 1) notices.push({ level: 'note', message: `The statement returned ${resultSets} result sets; the first is shown.`, code: null });
            if (ok) this.noteStatus(ok);
            if (!ok || columns) await this.refreshStatus();
            resolve({
              command: commandOf(sql),
              rowsAffected: ok && !columns ? ok.affectedRows : null,
              rowCount,
              truncated,
              hasResultSet: columns !== null,
              notices,
            });
          } catch (err) {
            reject(err);
          }
        });
      });
    });
  }

  private async warnings(count: number): Promise<QueryNotice[]> {
    if (count <= 0) return [];
    const rows = (await this.exec('SHOW WARNINGS LIMIT 100')) as { Level: string; Code: number; Message: string }[];
    return rows.map((w) => ({
      level: w.Level === 'Error' ? 'error' : w.Level === 'Note' ? 'note' : 'warning',
      message: w.Message,
      code: String(w.Code),
    }));
  }

  private killQuery(threadId: number | null): Promise<void> {
    if (!threadId) return Promise.resolve();
    return new Promise((resolve) => this.pool.query('KILL QUERY ?', [threadId], () => resolve()));
  }

  async cancel(): Promise<{ reset: boolean }> {
    const running = this.running;
    const conn = this.conn;
    if (!running || !conn) return { reset: false };
    const threadId = conn.threadId;
    return cancelWithinASecond(
      running,
      () => this.killQuery(threadId),
      () => {
        // The pool could not answer in time (all its connections busy?) or the server did not stop.
        this.broken = true;
        conn.destroy();
        if (threadId) this.pool.query('KILL ?', [threadId], () => undefined);
      },
    );
  }

  async setAutoCommit(autoCommit: boolean): Promise<void> {
    // Under a connection limit the setting waits for the next statement's borrowed connection.
    if (this.cap.capped && !this.conn) {
      this.autoCommit = autoCommit;
      return;
    }
    await this.connection();
    try {
      await this.exec(autoCommit ? 'SET autocommit = 1' : 'SET autocommit = 0');
      this.autoCommit = autoCommit;
      await this.refreshStatus();
    } finally {
      this.giveBack();
    }
  }

  async commit(): Promise<void> {
    if (this.cap.capped && !this.conn) return;
    await this.connection();
    try {
      const r = await this.exec('COMMIT');
      if (isOk(r)) this.noteStatus(r);
    } finally {
      this.giveBack();
    }
  }

  async rollback(): Promise<void> {
    if (this.cap.capped && !this.conn) return;
    await this.connection();
    try {
      const r = await this.exec('ROLLBACK');
      if (isOk(r)) this.noteStatus(r);
    } finally {
      this.giveBack();
    }
  }

  async explain(sql: string, analyze: boolean): Promise<ExplainPlan> {
    await this.connection();
    const running = new RunningStatement(explainMysql((s) => this.exec(s), sql, analyze, { flavour: this.flavour, version: this.version, inTransaction: this.inTransaction }));
    this.running = running;
    try {
      return await running.result;
    } finally {
      this.running = null;
      await this.refreshStatus().catch(() => undefined);
      this.giveBack();
    }
  }

  errorOffset(error: unknown, sql: string): number | null {
    return mysqlErrorOffset(error, sql);
  }

  async close(): Promise<void> {
    if (this.borrowed) {
      // A transaction left open is not handed to the next user of the pooled connection.
      if (this.inTransaction) await this.exec('ROLLBACK').catch(() => (this.broken = true));
      this.inTransaction = false;
      this.giveBack();
      return;
    }
    const conn = this.conn;
    this.conn = null;
    if (conn) await new Promise<void>((resolve) => conn.end(() => resolve()));
  }
}

