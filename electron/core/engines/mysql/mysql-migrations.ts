import { createHash } from 'node:crypto';
import { CompiledQuery, DummyDriver, Kysely, MysqlAdapter, MysqlIntrospector, MysqlQueryCompiler, sql } from 'kysely';
import mysql from 'mysql2';
import type { Connection as PromiseConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { ClusterSchemaCheck, LockStrategy, MigrationSettings, PlanSetting, RunnableFormat } from '../../../../shared/model/migrations';
import { checkClusterSchema } from './galera/cluster-schema-check';
import { CoreError } from '../../errors';
import type { ParsedStatement } from '../../../../features/migrations/core/lint/parse-statement';
import { IDENT } from '../../../../features/migrations/core/lint/parse-statement';
import type { DialectLintFinding, LintContext, MigrationAdapter, MigrationConnection, MigrationTarget, QueryResult, SessionLockHolder, TableColumns, TableSize, SchemalessDatabase } from '../../../../features/migrations/core/migration-adapter';
import type { MysqlFlavour } from './mysql-engine';
import { mysqlLexRules } from '../../../../shared/sql/lex-rules/mysql';
import { mysqlIdentifiers, rowsOfTable } from './mysql-identifiers';
import { quoteMysqlIdent } from './mysql-types';
import { mysqlToolTableDdl } from './mysql-tool-tables';
import { normalizeMysqlType } from './mysql-design-types';
import { mysqlExplainer } from './mysql-explained-errors';

/** The node a migration run connects to, and how to reach the cluster's other nodes (Galera's schema check). */
export interface MigrationNode {
  options: mysql.ConnectionOptions;
  flavour: MysqlFlavour;
  /** host:port of the node. */
  endpoint: string;
  /** The nodes the connection profile lists (the node itself for a single-node profile). */
  peers: { host: string; port: number }[];
  /** Connection options for another node: the same login and TLS. */
  optionsFor(host: string, port: number): mysql.ConnectionOptions;
}

class MysqlMigrationConnection implements MigrationConnection {
  readonly sessionId: string;
  private readonly conn: PromiseConnection;
  private closed = false;
  constructor(private readonly raw: mysql.Connection) {
    this.conn = raw.promise();
    this.sessionId = String(raw.threadId);
  }
  async executeRaw(text: string): Promise<void> {
    await this.conn.query(text);
  }
  async query<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const [result] = await this.conn.query(q.sql, [...q.parameters]);
    if (Array.isArray(result)) return { rows: result as R[], affected: 0, insertId: null };
    const header = result as ResultSetHeader;
    return { rows: [], affected: header.affectedRows, insertId: header.insertId || null };
  }
  async begin() {
    await this.conn.query('START TRANSACTION');
  }
  async commit() {
    await this.conn.query('COMMIT');
  }
  async rollback() {
    await this.conn.query('ROLLBACK');
  }
  async close() {
    if (this.closed) return;
    this.closed = true;
    // Its session variables and GET_LOCK end with it.
    this.raw.destroy();
  }
}

/** ALTER operations that make MySQL/MariaDB rebuild the table by copying it (no INSTANT/INPLACE path). */
const COPYING_ACTIONS: [RegExp, string][] = [
  [/^ENGINE\s*=?/i, 'changing the storage engine'],
  [/^CONVERT\s+TO\s+(CHARACTER\s+SET|CHARSET)\b/i, 'converting the character set'],
  [/^DROP\s+PRIMARY\s+KEY\b/i, 'dropping the primary key'],
  [/^ADD\s+(CONSTRAINT\s+\S+\s+)?PRIMARY\s+KEY\b/i, 'adding a primary key'],
  [/^FORCE\b/i, 'FORCE'],
  [/^ORDER\s+BY\b/i, 'ORDER BY'],
  [/^ADD\s+(FULLTEXT|SPATIAL)\b/i, 'adding a FULLTEXT/SPATIAL index'],
  [/^(PARTITION\s+BY|REMOVE\s+PARTITIONING)\b/i, 'repartitioning'],
];

export class MysqlMigrationAdapter implements MigrationAdapter {
  readonly lexRules = mysqlLexRules;
  readonly identifiers = mysqlIdentifiers;
  readonly transactionalDdl = false;
  readonly supportsReturning = false;
  readonly leaseHeartbeat = 'timer' as const;
  readonly endSessionEffect = 'ends that connection (KILL CONNECTION); its GET_LOCK is released and a statement it was running stops where it is';
  readonly explainer = mysqlExplainer;

  /** MySQL/MariaDB commit DDL at once: a migration's statements never share a transaction to roll back. */
  nothingAppliedBecause(ranInTransaction: boolean): string {
    if (ranInTransaction) return 'its transaction was rolled back';
    const product = this.flavour === 'mariadb' ? 'MariaDB' : 'MySQL';
    return `${product} commits each DDL statement on its own, so there was no transaction to roll back: the statement that failed was its first, and a statement that fails changes nothing`;
  }

  normalizeType(type: string): string {
    return normalizeMysqlType(type);
  }

  async columnTypes(c: MigrationConnection, table: string): Promise<{ name: string; type: string; nullable: boolean }[] | null> {
    const { rows: all } = await c.query<RowDataPacket>(
      sql`SELECT TABLE_NAME AS t, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS n, @@lower_case_table_names AS lc FROM information_schema.COLUMNS
           WHERE TABLE_SCHEMA = DATABASE() AND LOWER(TABLE_NAME) = ${table.toLowerCase()} ORDER BY TABLE_NAME, ORDINAL_POSITION`.compile(this.compiler),
    );
    const rows = rowsOfTable(all, table, (r) => String(r.t), Number(all[0]?.lc ?? 0));
    return rows.length ? rows.map((r) => ({ name: String(r.name), type: String(r.type), nullable: r.n === 'YES' })) : null;
  }

  readonly transactionModel =
    'MySQL/MariaDB commit every DDL statement by itself, so each statement commits on its own. Progress is recorded after every statement; a failure leaves the migration failed at that statement, and nothing more runs until you decide what to do.';
  sessionLockDescription(waitSeconds: number): string {
    return `GET_LOCK on the run's own connection, its result checked (1 = ours), tried every 0.5 s for up to ${waitSeconds} s; it ends with the run or with the connection.`;
  }
  lockTimeoutAdvice(error: unknown): string | null {
    return (error as { errno?: number })?.errno === 1205 ? 'It waited longer than the lock timeout for a lock on the table: other sessions were using it. Nothing queued behind it. Retry when traffic is lower, or raise the lock timeout in the migration settings.' : null;
  }
  readonly compiler = new Kysely<SchemalessDatabase>({
    dialect: {
      createAdapter: () => new MysqlAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new MysqlIntrospector(db),
      createQueryCompiler: () => new MysqlQueryCompiler(),
    },
  });

  /**
   * `node`: how to connect, and to what flavour. A function, because a Galera cluster connection
   * moves between nodes: each run connects to the node in use when it starts, and stays there.
   */
  constructor(private readonly node: () => MigrationNode) {}

  private get flavour(): MysqlFlavour {
    return this.node().flavour;
  }

  nowMs() {
    return sql<number>`CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)`;
  }

  /**
   * A connection of its own, outside the engine's pool: a run never waits for (or starves) the
   * window's browsing, and a small pool cannot deadlock a run that needs a second connection.
   */
  openConnection(): Promise<MigrationConnection> {
    return new Promise((resolve, reject) => {
      let conn: mysql.Connection;
      try {
        conn = mysql.createConnection(this.node().options);
      } catch (err) {
        reject(err);
        return;
      }
      conn.connect((err) => {
        if (err) {
          conn.destroy();
          reject(err);
        } else {
          conn.on('error', () => undefined);
          // As the engine does for its pool: utf8mb4 even on servers that ignore the handshake charset.
          conn.query('SET NAMES utf8mb4', (setErr) => {
            if (setErr) {
              conn.destroy();
              reject(setErr);
            } else resolve(new MysqlMigrationConnection(conn));
          });
        }
      });
    });
  }

  async describeTarget(c: MigrationConnection): Promise<MigrationTarget> {
    const { rows } = await c.query<RowDataPacket>(CompiledQuery.raw('SELECT DATABASE() AS db, VERSION() AS v, CURRENT_USER() AS u'));
    const r = rows[0]!;
    if (r.db === null) throw new CoreError('invalid-input', 'This connection names no database, so there is nowhere to keep the migration history. Add the database to the connection.');
    const global = await c.query<RowDataPacket>(CompiledQuery.raw("SHOW GLOBAL VARIABLES WHERE Variable_name = 'wsrep_on'"));
    const session = await c.query<RowDataPacket>(CompiledQuery.raw("SHOW SESSION VARIABLES WHERE Variable_name = 'wsrep_osu_method'"));
    const wsrepOn = String(global.rows[0]?.Value ?? 'OFF').toUpperCase() === 'ON';
    const version = String(r.v);
    const [major = '0', minor = '0'] = version.split(/[.-]/);
    return {
      database: String(r.db),
      schema: null,
      serverVersion: version,
      serverMajor: Number(`${major}.${minor}`),
      dbUser: r.u === null ? null : String(r.u),
      galera: wsrepOn ? { osuMethod: String(session.rows[0]?.Value ?? 'TOI') } : null,
    };
  }

  sessionSettings(s: MigrationSettings, target: MigrationTarget): PlanSetting[] {
    const out: PlanSetting[] = [
      {
        name: 'lock_wait_timeout',
        value: s.lockTimeoutSeconds > 0 ? `${Math.max(1, Math.round(s.lockTimeoutSeconds))} s` : 'server default (1 year)',
        why:
          s.lockTimeoutSeconds > 0
            ? 'A statement that waits longer than this for a metadata lock fails instead of queueing every query on the table behind it.'
            : 'Off: a blocked ALTER waits for up to a year while queries on the table queue behind it.',
      },
    ];
    if (this.flavour === 'mariadb') {
      out.push({ name: 'max_statement_time', value: s.statementTimeoutSeconds > 0 ? `${s.statementTimeoutSeconds} s` : 'off', why: s.statementTimeoutSeconds > 0 ? 'A statement running longer than this is stopped.' : 'Off: statements may run as long as they need.' });
    } else if (s.statementTimeoutSeconds > 0) {
      out.push({ name: 'statement timeout', value: 'not applied', why: 'MySQL limits only SELECT statements (max_execution_time); DDL cannot be given a time limit.' });
    }
    if (target.galera) {
      out.push({ name: 'wsrep_OSU_method', value: target.galera.osuMethod, why: 'How this Galera node replicates DDL (shown, not changed).' });
    }
    return out;
  }

  async applySessionSettings(c: MigrationConnection, s: MigrationSettings): Promise<void> {
    if (s.lockTimeoutSeconds > 0) await c.query(sql`SET SESSION lock_wait_timeout = ${Math.max(1, Math.round(s.lockTimeoutSeconds))}`.compile(this.compiler));
    if (this.flavour === 'mariadb') await c.query(sql`SET SESSION max_statement_time = ${s.statementTimeoutSeconds}`.compile(this.compiler));
  }

  nonTransactionalReason(): string | null {
    // Nothing runs in a transaction here: every statement commits by itself.
    return null;
  }

  lint(p: ParsedStatement, ctx: LintContext): DialectLintFinding[] {
    if (p.kind !== 'alter-table' || ctx.isNewTable(p.table)) return [];
    const out: DialectLintFinding[] = [];
    const algorithm = /\bALGORITHM\s*=?\s*(INSTANT|INPLACE|NOCOPY|COPY|DEFAULT)\b/i.exec(p.statement.skeleton)?.[1]?.toUpperCase();
    const suggestion = 'Add ALGORITHM=INSTANT (or INPLACE), LOCK=NONE: the server then refuses the change instead of silently copying the table and blocking writes.';
    if (algorithm === 'COPY') {
      out.push({ rule: 'table-copy', message: `ALGORITHM=COPY rebuilds ${p.table} by copying every row; writes wait until it ends.`, suggestion });
      return out;
    }
    if (algorithm && algorithm !== 'DEFAULT') return out;
    const copying: string[] = [];
    for (const action of p.actions) {
      const modify = new RegExp(`^(MODIFY|CHANGE)\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?(${IDENT})`, 'i').exec(action);
      if (modify) {
        out.push({
          rule: 'type-rewrite',
          message: `${modify[1]!.toUpperCase()} COLUMN ${modify[2]} redefines the column: a type change makes MySQL/MariaDB rebuild ${p.table} by copying it.`,
          suggestion,
        });
      }
      for (const [re, what] of COPYING_ACTIONS) if (re.test(action)) copying.push(what);
    }
    if (copying.length > 0) {
      out.push({ rule: 'table-copy', message: `ALTER TABLE ${p.table} copies the whole table (${copying.join(', ')}); writes to it are blocked meanwhile.`, suggestion });
    }
    return out;
  }

  historyTableDdl(table: string): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${quoteMysqlIdent(table)} (
        id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
        version varchar(100) NOT NULL,
        name varchar(255) NOT NULL,
        action varchar(20) NOT NULL,
        status varchar(20) NOT NULL,
        checksum varchar(64) NULL,
        statement_hashes mediumtext NULL,
        statements_applied int NOT NULL DEFAULT 0,
        statements_total int NOT NULL DEFAULT 0,
        started_at varchar(40) NOT NULL,
        finished_at varchar(40) NULL,
        duration_ms bigint NULL,
        error text NULL,
        error_statement int NULL,
        error_sql mediumtext NULL,
        db_user varchar(255) NULL,
        os_user varchar(255) NULL,
        client_host varchar(255) NULL,
        app_version varchar(50) NULL,
        folder_format varchar(20) NULL,
        single_transaction smallint NOT NULL DEFAULT 0,
        note text NULL,
        KEY ${quoteMysqlIdent(`${table}_version`)} (version)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    ];
  }

  toolTableDdl(tool: RunnableFormat, table: string): string[] {
    return mysqlToolTableDdl(tool, table);
  }

  lockTableDdl(table: string): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${quoteMysqlIdent(table)} (
        id int NOT NULL PRIMARY KEY,
        token varchar(64) NULL,
        holder varchar(500) NULL,
        session_id varchar(64) NULL,
        host varchar(255) NULL,
        pid int NULL,
        acquired_at varchar(40) NULL,
        expires_at_ms bigint NULL
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    ];
  }

  async listTables(c: MigrationConnection, names: string[]): Promise<TableColumns[]> {
    const { rows } = await c.query<RowDataPacket>(
      sql`SELECT TABLE_NAME AS t, LOWER(COLUMN_NAME) AS c FROM information_schema.COLUMNS
           WHERE TABLE_SCHEMA = DATABASE() AND LOWER(TABLE_NAME) IN (${sql.join(names.map((n) => n.toLowerCase()))})
           ORDER BY TABLE_NAME, ORDINAL_POSITION`.compile(this.compiler),
    );
    const out = new Map<string, TableColumns>();
    for (const r of rows) {
      const t = out.get(String(r.t)) ?? { schema: null, name: String(r.t), columns: [] };
      t.columns.push(String(r.c));
      out.set(String(r.t), t);
    }
    return [...out.values()];
  }

  async tableSizes(c: MigrationConnection, names: string[]): Promise<TableSize[]> {
    if (names.length === 0) return [];
    // The server's own estimates (InnoDB samples TABLE_ROWS): instant, never a count(*) of a big table.
    const { rows } = await c.query<RowDataPacket>(
      sql`SELECT TABLE_NAME AS t, TABLE_ROWS AS r, DATA_LENGTH + INDEX_LENGTH AS b, @@lower_case_table_names AS lc FROM information_schema.TABLES
           WHERE TABLE_SCHEMA = DATABASE() AND LOWER(TABLE_NAME) IN (${sql.join(names.map((n) => n.toLowerCase()))})`.compile(this.compiler),
    );
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return names.flatMap((name) => {
      const r = rowsOfTable(rows, name, (row) => String(row.t), Number(rows[0]?.lc ?? 0))[0];
      return r ? [{ name, rows: num(r.r), bytes: num(r.b) }] : [];
    });
  }

  /** Galera: the migrated database's schema on every node of the cluster, compared once each caught up with this run. */
  clusterSchemaCheck(target: MigrationTarget): ((c: MigrationConnection) => Promise<ClusterSchemaCheck | null>) | null {
    if (!target.galera) return null;
    return (c) => checkClusterSchema((text, params = []) => c.query<RowDataPacket>(CompiledQuery.raw(text, params)).then((r) => r.rows), target.database, this.node());
  }

  lockStrategy(target: MigrationTarget, forced?: LockStrategy): LockStrategy {
    // On Galera only the lease row holds across nodes: GET_LOCK is node-local (and refused under
    // wsrep_on since MariaDB 10.6.13), so no setting may choose another there.
    if (target.galera) return 'lease-row';
    return forced ?? 'named-lock';
  }

  /** GET_LOCK names are limited to 64 characters. */
  private lockName(name: string): string {
    return name.length <= 64 ? name : `dbdesk_migrations:${createHash('sha1').update(name).digest('hex')}`;
  }

  async trySessionLock(c: MigrationConnection, lockName: string): Promise<boolean> {
    const { rows } = await c.query<RowDataPacket>(sql`SELECT GET_LOCK(${this.lockName(lockName)}, 0) AS ok`.compile(this.compiler));
    const ok = rows[0]?.ok;
    // 1: ours; 0: someone else has it; NULL: an error (killed, out of memory…) — never "probably fine".
    if (ok === null || ok === undefined) throw new CoreError('query-failed', 'GET_LOCK returned NULL: the server could not take the migration lock.');
    return Number(ok) === 1;
  }

  async releaseSessionLock(c: MigrationConnection, lockName: string): Promise<void> {
    await c.query(sql`SELECT RELEASE_LOCK(${this.lockName(lockName)})`.compile(this.compiler));
  }

  async sessionLockHolder(c: MigrationConnection, lockName: string): Promise<SessionLockHolder | null> {
    const { rows } = await c.query<RowDataPacket>(sql`SELECT IS_USED_LOCK(${this.lockName(lockName)}) AS id`.compile(this.compiler));
    const id = rows[0]?.id;
    if (id === null || id === undefined) return null;
    const proc = await c.query<RowDataPacket>(sql`SELECT USER AS u, HOST AS h FROM information_schema.PROCESSLIST WHERE ID = ${Number(id)}`.compile(this.compiler));
    const p = proc.rows[0];
    return { sessionId: String(id), who: p ? `${String(p.u)}@${String(p.h)} (connection ${String(id)})` : `connection ${String(id)}`, since: null };
  }

  async endSession(c: MigrationConnection, sessionId: string): Promise<void> {
    if (!/^\d+$/.test(sessionId)) throw new CoreError('invalid-input', `"${sessionId}" is not a connection id.`);
    await c.query(sql`KILL CONNECTION ${Number(sessionId)}`.compile(this.compiler));
  }
}
