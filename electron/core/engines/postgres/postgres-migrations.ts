import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { LockStrategy, MigrationSettings, PlanSetting, RunnableFormat } from '../../../../shared/model/migrations';
import { CoreError } from '../../errors';
import { IDENT } from '../../../../features/migrations/core/lint/parse-statement';
import type { SqlStatement } from '../../../../shared/sql/split-statements';
import { nothingAppliedWords, type DialectLintFinding, type LintContext, type MigrationAdapter, type MigrationConnection, type MigrationTarget, type QueryResult, type SessionLockHolder, type TableColumns, type TableSize, type SchemalessDatabase } from '../../../../features/migrations/core/migration-adapter';
import { normalizePostgresType } from './postgres-design-types';
import { postgresExplainer } from './postgres-explained-errors';
import type { ParsedStatement } from '../../../../features/migrations/core/lint/parse-statement';
import { postgresLexRules } from '../../../../shared/sql/lex-rules/postgres';
import { postgresIdentifiers } from './postgres-identifiers';
import { postgresToolTableDdl } from './postgres-tool-tables';
import { backendPid } from './pg-internals';

/** First key of our two-key advisory lock: "DBDS". The second is a hash of the schema. */
const ADVISORY_CLASS = 0x44424453;

function hash31(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h & 0x7fffffff;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

class PostgresMigrationConnection implements MigrationConnection {
  private closed = false;
  constructor(
    private readonly client: pg.Client,
    /** The backend's pid: how other sessions see this one. */
    readonly sessionId: string,
  ) {}
  async executeRaw(text: string): Promise<void> {
    // No values: the simple query protocol, the statement exactly as written.
    await this.client.query(text);
  }
  async query<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const r = await this.client.query(q.sql, [...q.parameters]);
    return { rows: r.rows as R[], affected: r.rowCount ?? 0, insertId: null };
  }
  async begin() {
    await this.client.query('BEGIN');
  }
  async commit() {
    await this.client.query('COMMIT');
  }
  async rollback() {
    await this.client.query('ROLLBACK');
  }
  async close() {
    if (this.closed) return;
    this.closed = true;
    // Its settings and any session lock end with it.
    await this.client.end().catch(() => undefined);
  }
}

/** Statements PostgreSQL refuses inside a transaction block (Flyway's list, plus CLUSTER and COMMIT PREPARED). */
const NON_TRANSACTIONAL: [RegExp, string][] = [
  [/^CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\b/i, 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block'],
  [/^DROP\s+INDEX\s+CONCURRENTLY\b/i, 'DROP INDEX CONCURRENTLY cannot run inside a transaction block'],
  [/^REINDEX\b.*\bCONCURRENTLY\b/i, 'REINDEX CONCURRENTLY cannot run inside a transaction block'],
  [/^REINDEX\s+(\(.*\)\s+)?(SYSTEM|DATABASE)\b/i, 'REINDEX DATABASE/SYSTEM cannot run inside a transaction block'],
  [/^VACUUM\b/i, 'VACUUM cannot run inside a transaction block'],
  [/^ALTER\s+SYSTEM\b/i, 'ALTER SYSTEM cannot run inside a transaction block'],
  [/^(CREATE|DROP)\s+DATABASE\b/i, 'CREATE/DROP DATABASE cannot run inside a transaction block'],
  [/^ALTER\s+DATABASE\b.*\bSET\s+TABLESPACE\b/i, 'ALTER DATABASE … SET TABLESPACE cannot run inside a transaction block'],
  [/^(CREATE|DROP)\s+TABLESPACE\b/i, 'CREATE/DROP TABLESPACE cannot run inside a transaction block'],
  [/^(CREATE|DROP)\s+SUBSCRIPTION\b/i, 'CREATE/DROP SUBSCRIPTION (with a replication slot) cannot run inside a transaction block'],
  [/^DISCARD\s+ALL\b/i, 'DISCARD ALL cannot run inside a transaction block'],
  [/^CLUSTER\s*$/i, 'CLUSTER without a table cannot run inside a transaction block'],
  [/^(COMMIT|ROLLBACK)\s+PREPARED\b/i, 'COMMIT/ROLLBACK PREPARED cannot run inside a transaction block'],
];

export class PostgresMigrationAdapter implements MigrationAdapter {
  readonly lexRules = postgresLexRules;
  readonly identifiers = postgresIdentifiers;
  readonly transactionalDdl = true;
  readonly supportsReturning = true;
  readonly leaseHeartbeat = 'timer' as const;
  readonly endSessionEffect = 'ends that PostgreSQL session (pg_terminate_backend); if it was still migrating, its open transaction is rolled back';
  readonly explainer = postgresExplainer;
  nothingAppliedBecause = nothingAppliedWords;

  /** serial and friends are integers with a sequence default: the catalog shows the integer. */
  normalizeType(type: string): string {
    const serial: Record<string, string> = { smallserial: 'smallint', serial2: 'smallint', serial: 'integer', serial4: 'integer', bigserial: 'bigint', serial8: 'bigint' };
    return normalizePostgresType(serial[type.trim().toLowerCase()] ?? type);
  }

  async columnTypes(c: MigrationConnection, table: string): Promise<{ name: string; type: string; nullable: boolean }[] | null> {
    const { rows } = await c.query<{ name: string; type: string; nullable: boolean }>(
      sql`SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
            FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid
           WHERE t.relnamespace = current_schema()::regnamespace AND t.relkind IN ('r', 'p') AND t.relname = ${table}
             AND a.attnum > 0 AND NOT a.attisdropped
           ORDER BY a.attnum`.compile(this.compiler),
    );
    return rows.length ? rows : null;
  }

  readonly transactionModel =
    'Each migration runs in its own transaction: when a statement fails, nothing of that migration stays applied. Statements that cannot run inside a transaction run alone, outside it, and the plan marks them.';
  sessionLockDescription(waitSeconds: number): string {
    return `PostgreSQL advisory lock (pg_try_advisory_lock), held by the run's own connection and tried every 0.5 s for up to ${waitSeconds} s; it ends with the run or with the connection.`;
  }
  lockTimeoutAdvice(error: unknown): string | null {
    return (error as { code?: string })?.code === '55P03' ? 'It waited longer than the lock timeout for a lock on the table: other sessions were using it. Nothing queued behind it. Retry when traffic is lower, or raise the lock timeout in the migration settings.' : null;
  }
  readonly compiler = new Kysely<SchemalessDatabase>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });

  /** `config`: how the engine's pool connects; runs open connections of their own, outside the pool. */
  constructor(private readonly config: pg.ClientConfig) {}

  nowMs() {
    return sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
  }

  async openConnection(): Promise<MigrationConnection> {
    const client = new pg.Client(this.config);
    // A dropped connection surfaces as the failing statement's error, not as an unhandled event.
    client.on('error', () => undefined);
    await client.connect();
    return new PostgresMigrationConnection(client, String(await backendPid(client)));
  }

  async describeTarget(c: MigrationConnection): Promise<MigrationTarget> {
    const { rows } = await c.query<{ db: string; sch: string | null; v: string; vnum: string; u: string }>(
      sql`SELECT current_database() AS db, current_schema() AS sch, current_setting('server_version') AS v,
                 current_setting('server_version_num') AS vnum, current_user AS u`.compile(this.compiler),
    );
    const r = rows[0]!;
    if (!r.sch) throw new CoreError('invalid-input', 'The search_path names no schema that exists, so there is nowhere to keep the migration history. Set search_path or create the schema.');
    return { database: r.db, schema: r.sch, serverVersion: r.v, serverMajor: Math.floor(Number(r.vnum) / 10000), dbUser: r.u, galera: null };
  }

  sessionSettings(s: MigrationSettings): PlanSetting[] {
    return [
      {
        name: 'lock_timeout',
        value: s.lockTimeoutSeconds > 0 ? `${s.lockTimeoutSeconds} s` : 'off',
        why: s.lockTimeoutSeconds > 0 ? 'A statement that waits longer than this for a table lock fails instead of queueing production traffic behind it.' : 'Turned off: a blocked statement waits as long as it takes, and queries queue behind it.',
      },
      {
        name: 'statement_timeout',
        value: s.statementTimeoutSeconds > 0 ? `${s.statementTimeoutSeconds} s` : 'off',
        why: s.statementTimeoutSeconds > 0 ? 'A statement running longer than this is cancelled.' : 'Off: long index builds and backfills may run as long as they need.',
      },
    ];
  }

  async applySessionSettings(c: MigrationConnection, s: MigrationSettings, _t: MigrationTarget, label: string): Promise<void> {
    await c.query(
      sql`SELECT set_config('lock_timeout', ${String(Math.round(s.lockTimeoutSeconds * 1000))}, false),
                 set_config('statement_timeout', ${String(Math.round(s.statementTimeoutSeconds * 1000))}, false),
                 set_config('application_name', ${label.slice(0, 63)}, false)`.compile(this.compiler),
    );
  }

  nonTransactionalReason(statement: SqlStatement, target: MigrationTarget): string | null {
    const s = statement.skeleton;
    for (const [re, why] of NON_TRANSACTIONAL) if (re.test(s)) return why;
    if (target.serverMajor < 12 && /^ALTER\s+TYPE\b.*\bADD\s+VALUE\b/i.test(s)) return `ALTER TYPE … ADD VALUE cannot run inside a transaction block before PostgreSQL 12 (this server is ${target.serverVersion})`;
    return null;
  }

  lint(p: ParsedStatement, ctx: LintContext): DialectLintFinding[] {
    const out: DialectLintFinding[] = [];
    if (p.kind === 'create-index' && !p.concurrently && p.table && !ctx.isNewTable(p.table)) {
      out.push({
        rule: 'index-without-concurrently',
        message: `Builds an index on ${p.table} without CONCURRENTLY: writes to the table are blocked until the build ends.`,
        suggestion: 'Use CREATE INDEX CONCURRENTLY (DB Desk then runs it alone, outside a transaction).',
      });
    }
    if (p.kind === 'alter-table' && !ctx.isNewTable(p.table)) {
      for (const action of p.actions) {
        const type = new RegExp(`^ALTER\\s+(?:COLUMN\\s+)?(${IDENT})\\s+(?:SET\\s+DATA\\s+)?TYPE\\b`, 'i').exec(action);
        if (type) {
          out.push({
            rule: 'type-rewrite',
            message: `Changes the type of ${p.table}.${type[1]}: PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock (unless the change is binary-compatible, e.g. varchar(n) → text).`,
            suggestion: 'For a big table, add a new column, backfill it in batches, then swap the columns.',
          });
        }
        const notNull = new RegExp(`^ALTER\\s+(?:COLUMN\\s+)?(${IDENT})\\s+SET\\s+NOT\\s+NULL\\b`, 'i').exec(action);
        if (notNull) {
          out.push({
            rule: 'set-not-null-scan',
            message: `SET NOT NULL on ${p.table}.${notNull[1]} scans the whole table while holding an ACCESS EXCLUSIVE lock.`,
            suggestion: `First ADD CONSTRAINT … CHECK (${notNull[1]} IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT in a separate migration; SET NOT NULL then skips the scan (PostgreSQL 12+).`,
          });
        }
      }
    }
    return out;
  }

  historyTableDdl(table: string): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${quote(table)} (
        id bigserial PRIMARY KEY,
        version varchar(100) NOT NULL,
        name varchar(255) NOT NULL,
        action varchar(20) NOT NULL,
        status varchar(20) NOT NULL,
        checksum varchar(64),
        statement_hashes text,
        statements_applied integer NOT NULL DEFAULT 0,
        statements_total integer NOT NULL DEFAULT 0,
        started_at varchar(40) NOT NULL,
        finished_at varchar(40),
        duration_ms bigint,
        error text,
        error_statement integer,
        error_sql text,
        db_user varchar(255),
        os_user varchar(255),
        client_host varchar(255),
        app_version varchar(50),
        folder_format varchar(20),
        single_transaction smallint NOT NULL DEFAULT 0,
        note text
      )`,
      `CREATE INDEX IF NOT EXISTS ${quote(`${table}_version`)} ON ${quote(table)} (version)`,
    ];
  }

  toolTableDdl(tool: RunnableFormat, table: string): string[] {
    return postgresToolTableDdl(tool, table);
  }

  lockTableDdl(table: string): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${quote(table)} (
        id integer PRIMARY KEY,
        token varchar(64),
        holder varchar(500),
        session_id varchar(64),
        host varchar(255),
        pid integer,
        acquired_at varchar(40),
        expires_at_ms bigint
      )`,
    ];
  }

  async listTables(c: MigrationConnection, names: string[]): Promise<TableColumns[]> {
    const { rows } = await c.query<{ table_schema: string; table_name: string; column_name: string; is_current: boolean }>(
      sql`SELECT table_schema, table_name, lower(column_name) AS column_name, table_schema = current_schema() AS is_current
            FROM information_schema.columns
           WHERE lower(table_name) IN (${sql.join(names.map((n) => n.toLowerCase()))})
             AND (table_schema = current_schema()
                  OR (table_schema = 'atlas_schema_revisions' AND table_name = 'atlas_schema_revisions'))
           ORDER BY table_schema, table_name, ordinal_position`.compile(this.compiler),
    );
    const out = new Map<string, TableColumns>();
    for (const r of rows) {
      const key = `${r.table_schema}.${r.table_name}`;
      const t = out.get(key) ?? { schema: r.is_current ? null : r.table_schema, name: r.table_name, columns: [] };
      t.columns.push(r.column_name);
      out.set(key, t);
    }
    return [...out.values()];
  }

  async tableSizes(c: MigrationConnection, names: string[]): Promise<TableSize[]> {
    if (names.length === 0) return [];
    // reltuples is the planner's estimate (-1: never analysed); the size counts indexes and TOAST.
    const { rows } = await c.query<{ t: string; r: number | null; b: string | null }>(
      // Names come folded as PostgreSQL folds them (`Customer` → customer, `"Customer"` → Customer): exact.
      sql`SELECT c.relname AS t, CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::float8 END AS r, pg_total_relation_size(c.oid)::text AS b
            FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
             AND c.relname IN (${sql.join(names)})`.compile(this.compiler),
    );
    return rows.map((r) => ({ name: r.t, rows: r.r === null ? null : Math.round(Number(r.r)), bytes: r.b === null ? null : Number(r.b) }));
  }

  lockStrategy(_target: MigrationTarget, forced?: LockStrategy): LockStrategy {
    return forced ?? 'advisory-lock';
  }

  private keys(lockName: string): [number, number] {
    return [ADVISORY_CLASS, hash31(lockName)];
  }

  async trySessionLock(c: MigrationConnection, lockName: string): Promise<boolean> {
    const [a, b] = this.keys(lockName);
    const { rows } = await c.query<{ ok: boolean }>(sql`SELECT pg_try_advisory_lock(${a}::int, ${b}::int) AS ok`.compile(this.compiler));
    return rows[0]!.ok === true;
  }

  async releaseSessionLock(c: MigrationConnection, lockName: string): Promise<void> {
    const [a, b] = this.keys(lockName);
    await c.query(sql`SELECT pg_advisory_unlock(${a}::int, ${b}::int)`.compile(this.compiler));
  }

  async sessionLockHolder(c: MigrationConnection, lockName: string): Promise<SessionLockHolder | null> {
    const [a, b] = this.keys(lockName);
    const { rows } = await c.query<{ pid: number; usename: string | null; app: string | null; addr: string | null; started: string | null }>(
      sql`SELECT a.pid, a.usename, a.application_name AS app, coalesce(a.client_hostname, host(a.client_addr)) AS addr,
                 to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
             AND l.classid = ${String(a)}::oid AND l.objid = ${String(b)}::oid
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`.compile(this.compiler),
    );
    const r = rows[0];
    if (!r) return null;
    const app = r.app ? ` "${r.app}"` : '';
    return { sessionId: String(r.pid), who: `${r.usename ?? 'unknown user'}${app} from ${r.addr ?? 'a local socket'} (backend pid ${r.pid})`, since: r.started };
  }

  async endSession(c: MigrationConnection, sessionId: string): Promise<void> {
    if (!/^\d+$/.test(sessionId)) throw new CoreError('invalid-input', `"${sessionId}" is not a PostgreSQL backend pid.`);
    const { rows } = await c.query<{ ok: boolean }>(sql`SELECT pg_terminate_backend(${Number(sessionId)}::int) AS ok`.compile(this.compiler));
    if (!rows[0]?.ok) throw new CoreError('forbidden', `PostgreSQL did not end session ${sessionId}: it is gone already, or this user may not signal it (needs the same role or pg_signal_backend).`);
  }
}
