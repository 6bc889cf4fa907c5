import type Database from 'better-sqlite3';
import type { CompletionColumn, ServerProcess } from '../../../../shared/model/query';
import { CoreError } from '../../errors';
import type { QueryCapable, QuerySession, QuerySessionOptions } from '../query-session';
import { SqliteQuerySession } from './sqlite-query-session';
import { quoteSqliteIdent } from './sqlite-quote';

/** The SQL editor's side of a SQLite engine. Statements run in a runner process; SQLite has no process list. */
export class SqliteQueryTools implements QueryCapable {
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  openQuerySession(options: QuerySessionOptions): Promise<QuerySession> {
    return SqliteQuerySession.open(this.file, options.readOnly || this.db.readonly, options.launchRunner);
  }

  async listColumns(schema: string): Promise<CompletionColumn[]> {
    const rows = this.db
      .prepare(
        `SELECT m.name AS tbl, p.name AS col, p.type AS typ
           FROM ${quoteSqliteIdent(schema)}.sqlite_schema m, pragma_table_info(m.name, ?) p
          WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
          ORDER BY m.name, p.cid LIMIT 100000`,
      )
      .all(schema) as { tbl: string; col: string; typ: string }[];
    return rows.map((r) => ({ table: r.tbl, column: r.col, dataType: r.typ }));
  }

  async processList(_own: ReadonlySet<string>): Promise<ServerProcess[] | null> {
    return null;
  }

  async killProcess(_id: string, _mode: 'cancel' | 'terminate'): Promise<boolean> {
    throw new CoreError('unsupported', 'SQLite has no server sessions to cancel or terminate.');
  }
}
