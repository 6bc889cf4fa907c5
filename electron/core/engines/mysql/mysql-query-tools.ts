import type { ConnectionCap } from '../common/connection-cap';
import type mysql from 'mysql2';
import type { Pool as PromisePool, RowDataPacket } from 'mysql2/promise';
import type { CompletionColumn, ServerProcess } from '../../../../shared/model/query';
import type { QueryCapable, QuerySession, QuerySessionOptions } from '../query-session';
import type { MysqlFlavour } from './mysql-engine';
import { MysqlQuerySession } from './mysql-query-session';

const ER_NO_SUCH_THREAD = 1094;

/** The SQL editor's side of a MySQL/MariaDB engine: query sessions, completion columns, the process list. */
export class MysqlQueryTools implements QueryCapable {
  private server: { version: string; galera: boolean } | null = null;

  constructor(
    private readonly pool: mysql.Pool,
    private readonly promisePool: PromisePool,
    private readonly flavour: MysqlFlavour,
    private readonly cap: ConnectionCap,
    /** How the pool connects: an editor tab's session opens its own connection the same way. */
    private readonly connectionOptions: mysql.ConnectionOptions,
  ) {}

  async openQuerySession(options: QuerySessionOptions): Promise<QuerySession> {
    if (this.server === null) {
      const [rows] = await this.promisePool.query<RowDataPacket[]>('SELECT VERSION() AS v');
      // SHOW, not @@wsrep_on: MySQL has no such variable and would fail the statement.
      const [wsrep] = await this.promisePool.query<RowDataPacket[]>("SHOW GLOBAL VARIABLES LIKE 'wsrep_on'");
      this.server = { version: String(rows[0]!.v), galera: String(wsrep[0]?.Value ?? '').toUpperCase() === 'ON' };
    }
    return MysqlQuerySession.open(this.pool, this.cap, this.connectionOptions, options.readOnly, this.flavour, this.server.version, this.server.galera);
  }

  async listColumns(schema: string): Promise<CompletionColumn[]> {
    const [rows] = await this.promisePool.query<RowDataPacket[]>(
      `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS col, COLUMN_TYPE AS typ
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?
        ORDER BY TABLE_NAME, ORDINAL_POSITION LIMIT 100000`,
      [schema],
    );
    return rows.map((r) => ({ table: String(r.tbl), column: String(r.col), dataType: String(r.typ) }));
  }

  async processList(own: ReadonlySet<string>): Promise<ServerProcess[]> {
    // MariaDB has TIME_MS; MySQL only whole seconds.
    const timeMs = this.flavour === 'mariadb' ? 'TIME_MS' : 'TIME * 1000';
    const [rows] = await this.promisePool.query<RowDataPacket[]>(
      `SELECT ID AS id, USER AS user, HOST AS host, DB AS db, COMMAND AS command, ${timeMs} AS ms, STATE AS state, INFO AS info,
              ID = CONNECTION_ID() AS mine
         FROM information_schema.PROCESSLIST
        WHERE ID <> CONNECTION_ID()
        ORDER BY (COMMAND <> 'Sleep') DESC, ms DESC`,
    );
    return rows.map((r) => {
      const id = String(r.id);
      const command = String(r.command);
      const idle = command === 'Sleep' || command === 'Daemon';
      return {
        id,
        user: r.user === null ? null : String(r.user),
        database: r.db === null ? null : String(r.db),
        client: r.host === null || r.host === '' ? null : String(r.host),
        application: null,
        state: r.state ? `${command}: ${String(r.state)}` : command,
        query: r.info === null ? null : String(r.info),
        durationMs: idle ? null : Math.round(Number(r.ms)),
        waiting: null,
        own: Number(r.mine) === 1 || own.has(id),
      };
    });
  }

  async killProcess(id: string, mode: 'cancel' | 'terminate'): Promise<boolean> {
    try {
      await this.promisePool.query(mode === 'cancel' ? 'KILL QUERY ?' : 'KILL ?', [Number(id)]);
      return true;
    } catch (err) {
      if ((err as { errno?: number }).errno === ER_NO_SUCH_THREAD) return false;
      throw err;
    }
  }
}
