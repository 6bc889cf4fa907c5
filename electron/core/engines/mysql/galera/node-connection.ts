import mysql from 'mysql2/promise';
import type { EngineConfig } from '../../config';
import { formatEndpoint, mysqlConnectionOptions, withProfileTls } from '../mysql-connection-options';
import { isNodeFailure } from './node-health';

/** How long a health check of one node may take before the node counts as not answering. */
export const HEALTH_CHECK_TIMEOUT_MS = 5000;

/**
 * One small connection to one node, outside the pool, for health checks and the cluster view.
 * Reconnects on the next use after a failure; every use is bounded in time, so a hung node
 * (stopped process, black-holed network) is noticed instead of waited for.
 */
export class NodeConnection {
  readonly endpoint: string;
  private conn: mysql.Connection | null = null;
  /** A connect in progress, shared by overlapping uses (a snapshot asked for during a live refresh). */
  private connecting: Promise<mysql.Connection> | null = null;
  private closed = false;

  constructor(
    private readonly config: EngineConfig,
    readonly host: string,
    readonly port: number,
    private readonly timeoutMs = HEALTH_CHECK_TIMEOUT_MS,
  ) {
    this.endpoint = formatEndpoint(host, port);
  }

  async use<T>(fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('The node connection is closed.');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = Object.assign(new Error(`the node did not answer a health check within ${this.timeoutMs / 1000} s`), { code: 'HEALTH_CHECK_TIMEOUT' });
        reject(err);
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([this.connection().then(fn), timeout]);
    } catch (err) {
      if (isNodeFailure(err)) this.drop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private connection(): Promise<mysql.Connection> {
    if (this.conn) return Promise.resolve(this.conn);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<mysql.Connection> {
    const options = (tls: Parameters<typeof mysqlConnectionOptions>[3]) => ({
      ...mysqlConnectionOptions(this.config, this.host, this.port, tls),
      connectTimeout: Math.min(this.config.connectTimeoutMs, this.timeoutMs),
    });
    const conn = await withProfileTls(this.config, (tls) => mysql.createConnection(options(tls)));
    conn.on('error', () => {
      if (this.conn === conn) this.conn = null;
    });
    if (this.closed) {
      conn.destroy();
      throw new Error('The node connection is closed.');
    }
    try {
      // A locked table must not stall a health check's table read: give up on a metadata lock after 2 s.
      await conn.query('SET SESSION lock_wait_timeout = 2');
    } catch (err) {
      conn.destroy();
      throw err;
    }
    this.conn = conn;
    return conn;
  }

  private drop(): void {
    const c = this.conn;
    this.conn = null;
    c?.destroy();
  }

  close(): void {
    this.closed = true;
    this.drop();
  }
}
