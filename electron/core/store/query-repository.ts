import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EditorTab, HistoryEntry, SavedQuery, StatementResult } from '../../../shared/model/query';
import { CoreError } from '../errors';

/** History entries kept per connection; older ones are dropped as new ones come. */
export const HISTORY_LIMIT_PER_PROFILE = 10_000;

const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The SQL editor's rows in the app store: history, saved queries and editor tabs, all per connection. */
export class QueryRepository {
  constructor(private readonly db: Database.Database) {}

  recordHistory(profileId: string, results: readonly StatementResult[], at = new Date()): void {
    const insert = this.db.prepare('INSERT INTO query_history (profile_id, sql, executed_at, duration_ms, status, row_count, error) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const r of results) {
        if (r.status === 'skipped') continue;
        const rows = r.columns ? r.rowCount : r.rowsAffected;
        insert.run(profileId, r.sql, at.toISOString(), r.durationMs, r.status, rows, r.error?.message ?? null);
      }
      this.db
        .prepare('DELETE FROM query_history WHERE profile_id = ? AND id <= (SELECT id FROM query_history WHERE profile_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)')
        .run(profileId, profileId, HISTORY_LIMIT_PER_PROFILE);
    })();
  }

  listHistory(profileId: string, options: { search?: string | undefined; limit: number; beforeId?: number | undefined }): HistoryEntry[] {
    const where = ['profile_id = ?'];
    const params: unknown[] = [profileId];
    if (options.search) {
      where.push("sql LIKE ? ESCAPE '\\'");
      params.push(likePattern(options.search));
    }
    if (options.beforeId !== undefined) {
      where.push('id < ?');
      params.push(options.beforeId);
    }
    const rows = this.db
      .prepare(`SELECT id, profile_id, sql, executed_at, duration_ms, status, row_count, error FROM query_history WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`)
      .all(...params, options.limit) as { id: number; profile_id: string; sql: string; executed_at: string; duration_ms: number; status: HistoryEntry['status']; row_count: number | null; error: string | null }[];
    return rows.map((r) => ({ id: r.id, profileId: r.profile_id, sql: r.sql, executedAt: r.executed_at, durationMs: r.duration_ms, status: r.status, rowCount: r.row_count, error: r.error }));
  }

  deleteHistory(ids: readonly number[]): number {
    const del = this.db.prepare('DELETE FROM query_history WHERE id = ?');
    return this.db.transaction(() => ids.reduce((n, id) => n + del.run(id).changes, 0))();
  }

  clearHistory(profileId: string): number {
    return this.db.prepare('DELETE FROM query_history WHERE profile_id = ?').run(profileId).changes;
  }

  listSaved(profileId: string, search?: string): SavedQuery[] {
    const rows = (
      search
        ? this.db.prepare("SELECT * FROM saved_queries WHERE profile_id = ? AND (name LIKE ? ESCAPE '\\' OR sql LIKE ? ESCAPE '\\') ORDER BY name COLLATE NOCASE").all(profileId, likePattern(search), likePattern(search))
        : this.db.prepare('SELECT * FROM saved_queries WHERE profile_id = ? ORDER BY name COLLATE NOCASE').all(profileId)
    ) as { id: string; profile_id: string; name: string; sql: string; created_at: string; updated_at: string }[];
    return rows.map((r) => ({ id: r.id, profileId: r.profile_id, name: r.name, sql: r.sql, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  saveQuery(input: { id?: string | undefined; profileId: string; name: string; sql: string }): SavedQuery {
    const now = new Date().toISOString();
    const id = input.id ?? randomUUID();
    if (input.id) {
      const changed = this.db.prepare('UPDATE saved_queries SET name = ?, sql = ?, updated_at = ? WHERE id = ? AND profile_id = ?').run(input.name, input.sql, now, id, input.profileId).changes;
      if (changed === 0) throw new CoreError('not-found', 'That saved query no longer exists.');
    } else {
      this.db.prepare('INSERT INTO saved_queries (id, profile_id, name, sql, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, input.profileId, input.name, input.sql, now, now);
    }
    return this.listSaved(input.profileId).find((q) => q.id === id)!;
  }

  deleteSaved(id: string): boolean {
    return this.db.prepare('DELETE FROM saved_queries WHERE id = ?').run(id).changes > 0;
  }

  listTabs(profileId: string): EditorTab[] {
    const rows = this.db.prepare('SELECT id, profile_id, position, title, text, anchor, head FROM editor_tabs WHERE profile_id = ? ORDER BY position, updated_at').all(profileId) as {
      id: string;
      profile_id: string;
      position: number;
      title: string;
      text: string;
      anchor: number;
      head: number;
    }[];
    return rows.map((r) => ({ id: r.id, profileId: r.profile_id, position: r.position, title: r.title, text: r.text, anchor: r.anchor, head: r.head }));
  }

  saveTab(tab: EditorTab): EditorTab {
    this.db
      .prepare(
        `INSERT INTO editor_tabs (id, profile_id, position, title, text, anchor, head, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET profile_id = excluded.profile_id, position = excluded.position, title = excluded.title,
           text = excluded.text, anchor = excluded.anchor, head = excluded.head, updated_at = excluded.updated_at`,
      )
      .run(tab.id, tab.profileId, tab.position, tab.title, tab.text, Math.min(tab.anchor, tab.text.length), Math.min(tab.head, tab.text.length), new Date().toISOString());
    return this.listTabs(tab.profileId).find((t) => t.id === tab.id)!;
  }

  deleteTab(id: string): boolean {
    return this.db.prepare('DELETE FROM editor_tabs WHERE id = ?').run(id).changes > 0;
  }

  /** A deleted connection takes its editor's rows with it. */
  forgetProfile(profileId: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM query_history WHERE profile_id = ?').run(profileId);
      this.db.prepare('DELETE FROM saved_queries WHERE profile_id = ?').run(profileId);
      this.db.prepare('DELETE FROM editor_tabs WHERE profile_id = ?').run(profileId);
    })();
  }
}
