import { CompiledQuery } from 'kysely';
import type { HistoryRow } from '../../../../shared/model/migrations';
import type { MigrationAdapter, MigrationConnection } from '../migration-adapter';

/** DB Desk's own history: one row per attempt or decision, never updated after it is done. */
export const HISTORY_TABLE = 'dbdesk_migrations';
export const LOCK_TABLE = 'dbdesk_migrations_lock';

/**
 * What a row records. `up`/`down` rows are runs; the others are decisions an admin made:
 * baseline, mark-applied / mark-reverted (a failed attempt declared finished), forget (a failed
 * attempt discarded after undoing it by hand), accept-checksum (an edit declared intended).
 */
export type HistoryAction = 'up' | 'down' | 'baseline' | 'mark-applied' | 'mark-reverted' | 'forget' | 'accept-checksum';
export type HistoryStatus = 'running' | 'applied' | 'failed' | 'done';

export interface HistoryRecord extends HistoryRow {
  action: HistoryAction;
  status: HistoryStatus;
  statementHashes: string[] | null;
  folderFormat: string | null;
  /** The whole attempt ran in one transaction: if it died, the server rolled all of it back. */
  transactional: boolean;
}

/** Who is running: the audit columns of every row. */
export interface Audit {
  dbUser: string | null;
  osUser: string;
  clientHost: string;
  appVersion: string;
  pid: number;
}

export interface NewHistoryRecord {
  version: string;
  name: string;
  action: HistoryAction;
  status: HistoryStatus;
  checksum: string | null;
  statementHashes: string[] | null;
  statementsApplied: number;
  statementsTotal: number;
  startedAt: string;
  finishedAt?: string | null;
  durationMs?: number | null;
  folderFormat: string;
  transactional: boolean;
  note?: string | null;
}

export interface HistoryUpdate {
  status?: HistoryStatus;
  statementsApplied?: number;
  finishedAt?: string;
  durationMs?: number;
  error?: string | null;
  errorStatement?: number | null;
  errorSql?: string | null;
  checksum?: string | null;
  note?: string | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Reads and writes dbdesk_migrations through one connection, every value bound. */
export class HistoryStore {
  constructor(
    private readonly conn: MigrationConnection,
    private readonly adapter: MigrationAdapter,
    private readonly audit: Audit,
  ) {}

  private get db() {
    return this.adapter.compiler;
  }

  async ensureTables(): Promise<void> {
    for (const ddl of [...this.adapter.historyTableDdl(HISTORY_TABLE), ...this.adapter.lockTableDdl(LOCK_TABLE)]) {
      await this.conn.query(CompiledQuery.raw(ddl));
    }
  }

  async read(): Promise<HistoryRecord[]> {
    const { rows } = await this.conn.query<Record<string, unknown>>(this.db.selectFrom(HISTORY_TABLE).selectAll().orderBy('id').compile());
    return rows.map((r) => {
      let hashes: string[] | null;
      try {
        hashes = r.statement_hashes ? (JSON.parse(String(r.statement_hashes)) as string[]) : null;
      } catch {
        hashes = null;
      }
      return {
        id: Number(r.id),
        version: String(r.version),
        name: String(r.name),
        action: String(r.action) as HistoryAction,
        status: String(r.status) as HistoryStatus,
        checksum: str(r.checksum),
        statementHashes: hashes,
        statementsApplied: Number(r.statements_applied ?? 0),
        statementsTotal: Number(r.statements_total ?? 0),
        startedAt: String(r.started_at),
        finishedAt: str(r.finished_at),
        durationMs: num(r.duration_ms),
        error: str(r.error),
        errorStatement: num(r.error_statement),
        errorSql: str(r.error_sql),
        dbUser: str(r.db_user),
        osUser: str(r.os_user),
        clientHost: str(r.client_host),
        appVersion: str(r.app_version),
        folderFormat: str(r.folder_format),
        transactional: Number(r.single_transaction ?? 0) === 1,
        note: str(r.note),
      };
    });
  }

  async insert(rec: NewHistoryRecord): Promise<number> {
    const values = {
      version: rec.version,
      name: rec.name.slice(0, 255),
      action: rec.action,
      status: rec.status,
      checksum: rec.checksum,
      statement_hashes: rec.statementHashes ? JSON.stringify(rec.statementHashes) : null,
      statements_applied: rec.statementsApplied,
      statements_total: rec.statementsTotal,
      started_at: rec.startedAt,
      finished_at: rec.finishedAt ?? null,
      duration_ms: rec.durationMs ?? null,
      db_user: this.audit.dbUser,
      os_user: this.audit.osUser,
      client_host: this.audit.clientHost,
      app_version: this.audit.appVersion,
      folder_format: rec.folderFormat,
      single_transaction: rec.transactional ? 1 : 0,
      note: rec.note ?? null,
    };
    const insert = this.db.insertInto(HISTORY_TABLE).values(values);
    const result = await this.conn.query<{ id: unknown }>(this.adapter.supportsReturning ? insert.returning('id').compile() : insert.compile());
    const id = result.rows[0]?.id ?? result.insertId;
    if (id === null || id === undefined) throw new Error('The history row was written but its id could not be read back.');
    return Number(id);
  }

  async update(id: number, patch: HistoryUpdate): Promise<void> {
    const set: Record<string, unknown> = {};
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.statementsApplied !== undefined) set.statements_applied = patch.statementsApplied;
    if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
    if (patch.durationMs !== undefined) set.duration_ms = Math.round(patch.durationMs);
    if (patch.error !== undefined) set.error = patch.error === null ? null : patch.error.slice(0, 8000);
    if (patch.errorStatement !== undefined) set.error_statement = patch.errorStatement;
    if (patch.errorSql !== undefined) set.error_sql = patch.errorSql === null ? null : patch.errorSql.slice(0, 8000);
    if (patch.checksum !== undefined) set.checksum = patch.checksum;
    if (patch.note !== undefined) set.note = patch.note;
    if (Object.keys(set).length === 0) return;
    await this.conn.query(this.db.updateTable(HISTORY_TABLE).set(set).where('id', '=', id).compile());
  }
}
