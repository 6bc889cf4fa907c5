import mysql from 'mysql2';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { SslMode } from '../../../../shared/model/connection';
import { readTlsMaterial, type EngineConfig } from '../config';
import type { DiagnosticSession, HealthFacts, NetworkEngineDiagnostics, PrivilegeFacts, SessionFacts, TableReadFacts } from '../../../../features/diagnostics/core/engine-diagnostics';
import { packageVersion } from '../common/package-version';
import { tlsOptionsFor } from '../common/tls-options';
import { mysqlConnectionOptions } from './mysql-connection-options';
import { quoteMysqlIdent } from './mysql-types';
import { isEncrypted } from './mysql2-internals';

const SYSTEM_SCHEMAS = "('mysql', 'information_schema', 'performance_schema', 'sys')";

/** Galera status variables and system variables the health step reads (one round trip each). */
const GALERA_STATUS = [
  'wsrep_ready',
  'wsrep_connected',
  'wsrep_cluster_status',
  'wsrep_local_state',
  'wsrep_local_state_comment',
  'wsrep_cluster_size',
  'wsrep_flow_control_paused',
  'wsrep_local_recv_queue_avg',
  'wsrep_desync_count',
  'wsrep_cluster_state_uuid',
  'wsrep_local_state_uuid',
  'wsrep_evs_state',
  // For a cluster profile's per-node advice: which node may be bootstrapped (the most recent state), and who the members are.
  'wsrep_last_committed',
  'wsrep_cluster_conf_id',
  'wsrep_incoming_addresses',
];
const GALERA_VARIABLES = ['wsrep_on', 'wsrep_reject_queries', 'wsrep_sync_wait', 'wsrep_dirty_reads', 'read_only', 'wsrep_node_name', 'wsrep_cluster_name'];
const HEALTH_VARIABLES = ['max_connections', ...GALERA_VARIABLES];

export const mysqlDiagnostics: NetworkEngineDiagnostics = {
  kind: 'network',
  driver: { name: 'mysql2', version: packageVersion('mysql2') },

  async connect(config: EngineConfig, host: string, port: number, options: { timeoutMs: number; tlsMode: SslMode; signal: AbortSignal }): Promise<DiagnosticSession> {
    const material = await readTlsMaterial(config.tls);
    const attempt = (tls: ReturnType<typeof tlsOptionsFor>) =>
      new Promise<mysql.Connection>((resolve, reject) => {
        const conn = mysql.createConnection(mysqlConnectionOptions({ ...config, tls: { ...config.tls, mode: options.tlsMode } }, host, port, tls, options.timeoutMs));
        const onAbort = () => conn.destroy();
        options.signal.addEventListener('abort', onAbort, { once: true });
        // Errors after the login (a timed-out step, a killed server) must not be unhandled events.
        conn.on('error', () => undefined);
        conn.connect((err) => {
          options.signal.removeEventListener('abort', onAbort);
          if (err) {
            conn.destroy();
            reject(err);
          } else resolve(conn);
        });
      });
    const tls = tlsOptionsFor(options.tlsMode, material);
    let conn: mysql.Connection;
    try {
      conn = await attempt(tls);
    } catch (err) {
      // sslmode=prefer: plain text only when the server has no TLS at all (as the engine does).
      if (options.tlsMode === 'prefer' && (err as { code?: string }).code === 'HANDSHAKE_NO_SSL_SUPPORT') conn = await attempt(undefined);
      else throw err;
    }
    return new MysqlDiagnosticSession(conn, await isEncrypted(conn), options.signal);
  },
};

class MysqlDiagnosticSession implements DiagnosticSession {
  private readonly db: Connection;

  constructor(
    private readonly conn: mysql.Connection,
    readonly tlsInUse: boolean,
    signal: AbortSignal,
  ) {
    this.db = conn.promise();
    signal.addEventListener('abort', () => this.destroy(), { once: true });
  }

  private async rows(sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
    const [rows] = await this.db.query<RowDataPacket[]>(sql, params);
    return rows;
  }

  async identify(): Promise<SessionFacts> {
    // The first statement: where an expired password (1820) shows, although the login "worked".
    const r = (await this.rows('SELECT CURRENT_USER() AS usr, DATABASE() AS db, VERSION() AS version, @@version_comment AS comment'))[0]!;
    const n = (await this.rows('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA'))[0]!;
    const version = String(r.version);
    return {
      currentUser: r.usr === null ? null : String(r.usr),
      database: r.db === null ? null : String(r.db),
      product: /mariadb/i.test(version) ? 'mariadb' : 'mysql',
      serverVersion: version.replace(/-.*$/, ''),
      versionText: `${version} (${String(r.comment)})`,
      catalogObjects: Number(n.n),
    };
  }

  async privileges(): Promise<PrivilegeFacts> {
    const grants = (await this.rows('SHOW GRANTS')).map((row) => String(Object.values(row)[0]));
    const [who] = await this.rows("SELECT CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''') AS grantee, DATABASE() AS db");
    const grantees = [String(who!.grantee)];
    // Privileges through an enabled role count too (MariaDB and MySQL 8 both list them).
    try {
      for (const r of await this.rows('SELECT ROLE_NAME FROM information_schema.ENABLED_ROLES')) if (r.ROLE_NAME) grantees.push(`'${String(r.ROLE_NAME)}'`, `'${String(r.ROLE_NAME)}'@''`, `'${String(r.ROLE_NAME)}'@'%'`);
    } catch {
      /* a server without ENABLED_ROLES: the user's own grants are all there is */
    }
    const db = who!.db === null ? null : String(who!.db);
    const placeholders = grantees.map(() => '?').join(', ');
    const privileges = async (table: string, where: string, params: unknown[]) =>
      new Set((await this.rows(`SELECT DISTINCT PRIVILEGE_TYPE AS p FROM information_schema.${table} WHERE GRANTEE IN (${placeholders}) ${where}`, [...grantees, ...params])).map((r) => String(r.p)));
    const global = await privileges('USER_PRIVILEGES', '', []);
    const schema = db ? await privileges('SCHEMA_PRIVILEGES', 'AND TABLE_SCHEMA = ?', [db]) : new Set<string>();
    const tableRows = db
      ? await this.rows(`SELECT TABLE_NAME AS t, GROUP_CONCAT(PRIVILEGE_TYPE) AS p FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE IN (${placeholders}) AND TABLE_SCHEMA = ? GROUP BY TABLE_NAME`, [...grantees, db])
      : [];
    const visible = db ? Number((await this.rows('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [db]))[0]!.n) : 0;
    const has = (set: Set<string>, ...p: string[]) => p.some((x) => set.has(x) || set.has('ALL PRIVILEGES'));
    const read = has(global, 'SELECT') || has(schema, 'SELECT');
    const write = has(global, 'INSERT', 'UPDATE', 'DELETE') || has(schema, 'INSERT', 'UPDATE', 'DELETE');
    const tableHas = (...p: string[]) => tableRows.filter((r) => String(r.p).split(',').some((x) => p.includes(x))).length;
    return {
      scope: db ?? '(no database selected)',
      // information_schema only lists tables this user has some privilege on, so there is no true total.
      tablesTotal: null,
      tablesReadable: read ? visible : tableHas('SELECT'),
      tablesWritable: write ? visible : tableHas('INSERT', 'UPDATE', 'DELETE'),
      readScope: read,
      writeScope: write,
      canCreate: has(global, 'CREATE') || has(schema, 'CREATE'),
      grants,
    };
  }

  async health(): Promise<HealthFacts> {
    const status = new Map(
      (await this.rows(`SHOW GLOBAL STATUS WHERE Variable_name IN (${['Threads_connected', ...GALERA_STATUS].map(() => '?').join(', ')})`, ['Threads_connected', ...GALERA_STATUS])).map((r) => [
        String(r.Variable_name).toLowerCase(),
        String(r.Value),
      ]),
    );
    const vars = new Map(
      (await this.rows(`SHOW GLOBAL VARIABLES WHERE Variable_name IN (${HEALTH_VARIABLES.map(() => '?').join(', ')})`, HEALTH_VARIABLES)).map((r) => [String(r.Variable_name).toLowerCase(), String(r.Value)]),
    );
    const [v] = await this.rows('SELECT VERSION() AS v');
    const wsrepOn = /^(ON|1)$/i.test(vars.get('wsrep_on') ?? '');
    let galera: Record<string, string> | null = null;
    if (wsrepOn) {
      galera = {};
      for (const k of GALERA_STATUS) if (status.has(k)) galera[k] = status.get(k)!;
      for (const k of GALERA_VARIABLES) if (vars.has(k)) galera[k] = vars.get(k)!;
    }
    return {
      serverVersion: String(v!.v),
      connectionsUsed: status.has('threads_connected') ? Number(status.get('threads_connected')) : null,
      connectionsMax: vars.has('max_connections') ? Number(vars.get('max_connections')) : null,
      readOnly: /^(ON|1)$/i.test(vars.get('read_only') ?? ''),
      inRecovery: null,
      galera,
    };
  }

  async readTable(): Promise<TableReadFacts> {
    const [t] = await this.rows(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES
        WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ${SYSTEM_SCHEMAS}
        ORDER BY (TABLE_SCHEMA = DATABASE()) DESC, TABLE_ROWS, TABLE_SCHEMA, TABLE_NAME LIMIT 1`,
    );
    if (!t) return { table: null, rows: 0, columns: 0 };
    const [rows, fields] = await this.db.query<RowDataPacket[]>(`SELECT * FROM ${quoteMysqlIdent(String(t.s))}.${quoteMysqlIdent(String(t.t))} LIMIT 1`);
    return { table: `${String(t.s)}.${String(t.t)}`, rows: rows.length, columns: fields.length };
  }

  async close(): Promise<void> {
    await this.db.end().catch(() => this.destroy());
  }

  destroy(): void {
    this.conn.destroy();
  }
}
