import { z } from 'zod';
import { command, event } from '../define';
import { CompletionColumn, EditorTab, ExplainPlan, HistoryEntry, SavedQuery, ServerProcess, SessionState, StatementResult } from '../../model/query';
import { ColumnMeta } from '../../model/values';
import { ConnectionId } from './schema';

/** Made by the renderer (one per editor tab), so events can name their session before any answer. */
export const QuerySessionId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
export const RunId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const ProfileId = z.string().min(1).max(64);
const Sql = z.string().min(1).max(5_000_000);

export const RunStatement = z.object({
  sql: Sql,
  /** Where the statement starts in the editor's text: server positions are mapped back with it. */
  offset: z.number().int().nonnegative(),
});

export const queryCommands = {
  'query.openSession': command(
    'Opens a query session: a dedicated connection (a child process for SQLite) for one editor tab, so transactions and cancel are its own.',
    z.object({ connectionId: ConnectionId, sessionId: QuerySessionId }).strict(),
    SessionState,
  ),
  'query.closeSession': command(
    'Closes a query session; an open transaction is rolled back by the server.',
    z.object({ sessionId: QuerySessionId }).strict(),
    z.object({ closed: z.boolean() }),
  ),
  'query.run': command(
    'Runs statements one after another in a query session. Rows stream as query.batch events under credit-based flow control; the answer comes when the last statement ends, an error stops the script, or the caller cancels the call (its AbortSignal: the running statement is cancelled on the server — PostgreSQL cancel request, MySQL KILL QUERY, SQLite: the runner process is stopped — within a second, and answers as cancelled).',
    z
      .object({
        sessionId: QuerySessionId,
        runId: RunId,
        statements: z.array(RunStatement).min(1).max(10_000),
        /** Production connections: the user confirmed the statements that may write. */
        confirmWrites: z.boolean().default(false),
        /** Batches the window can take before it sends query.credit. */
        initialCredit: z.number().int().min(1).max(64).default(4),
        batchRows: z.number().int().min(1).max(100_000).default(10_000),
        /** Rows kept per result; the stream stops (the result marked truncated) past it. */
        maxRows: z.number().int().min(1).max(50_000_000).default(5_000_000),
        /** Keep going after a failed statement (the rest are skipped by default). */
        continueOnError: z.boolean().default(false),
      })
      .strict(),
    z.object({ results: z.array(StatementResult), session: SessionState }),
  ),
  'query.credit': command(
    'The window took batches of a run: the session may send this many more.',
    z.object({ runId: RunId, batches: z.number().int().min(1).max(1024) }).strict(),
    z.object({ accepted: z.boolean() }),
  ),
  'query.setAutoCommit': command(
    'Auto-commit (each statement commits) or manual mode (statements join a transaction until Commit or Rollback).',
    z.object({ sessionId: QuerySessionId, autoCommit: z.boolean() }).strict(),
    SessionState,
  ),
  'query.commit': command('Commits the open transaction of a query session.', z.object({ sessionId: QuerySessionId }).strict(), SessionState),
  'query.rollback': command('Rolls back the open transaction of a query session.', z.object({ sessionId: QuerySessionId }).strict(), SessionState),
  'query.explain': command(
    "The plan of one statement as a tree. With analyze the statement runs (inside a transaction DB Desk rolls back, where the engine allows) and actual rows and times are shown.",
    z.object({ sessionId: QuerySessionId, runId: RunId, sql: Sql, analyze: z.boolean().default(false) }).strict(),
    ExplainPlan,
  ),
  'query.columns': command(
    'Every column of every table and view of one schema, for completion.',
    z.object({ connectionId: ConnectionId, schema: z.string().min(1).max(1024) }).strict(),
    z.array(CompletionColumn),
  ),
  'query.processes': command(
    "The server's sessions with their running statements and durations (PostgreSQL, MySQL/MariaDB).",
    z.object({ connectionId: ConnectionId }).strict(),
    z.array(ServerProcess),
  ),
  'query.killProcess': command(
    "Cancels a session's running statement, or terminates the session (its open transaction is rolled back).",
    z.object({ connectionId: ConnectionId, processId: z.string().max(20).regex(/^\d{1,20}$/), mode: z.enum(['cancel', 'terminate']) }).strict(),
    z.object({ done: z.boolean() }),
  ),

  'history.list': command(
    'Statements run on a connection, newest first; `search` matches any part of the text.',
    z
      .object({
        profileId: ProfileId,
        search: z.string().max(1000).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
        beforeId: z.number().int().optional(),
      })
      .strict(),
    z.array(HistoryEntry),
  ),
  'history.delete': command('Removes history entries.', z.object({ ids: z.array(z.number().int()).min(1).max(10_000) }).strict(), z.object({ deleted: z.number().int() })),
  'history.clear': command("Removes a connection's whole history.", z.object({ profileId: ProfileId }).strict(), z.object({ deleted: z.number().int() })),

  'savedQueries.list': command(
    'Saved queries of a connection, by name; `search` matches the name or the text.',
    z.object({ profileId: ProfileId, search: z.string().max(1000).optional() }).strict(),
    z.array(SavedQuery),
  ),
  'savedQueries.save': command(
    'Saves a query under a name (a new one without id, else replaces it).',
    z.object({ id: z.string().max(64).optional(), profileId: ProfileId, name: z.string().trim().min(1).max(200), sql: Sql }).strict(),
    SavedQuery,
  ),
  'savedQueries.delete': command('Deletes a saved query.', z.object({ id: z.string().min(1).max(64) }).strict(), z.object({ deleted: z.boolean() })),

  'editorTabs.list': command("A connection's editor tabs as they were left.", z.object({ profileId: ProfileId }).strict(), z.array(EditorTab)),
  'editorTabs.save': command('Keeps an editor tab (text, cursor, title, order) across restarts.', z.object({ tab: EditorTab }).strict(), EditorTab),
  'editorTabs.delete': command('Forgets a closed editor tab.', z.object({ id: z.string().min(1).max(64) }).strict(), z.object({ deleted: z.boolean() })),
};

export const queryEvents = {
  'query.statement': event(
    'A statement of a run started, or its result set began (columns known), or it ended (its result).',
    z.object({
      runId: z.string(),
      sessionId: z.string(),
      index: z.number().int(),
      phase: z.enum(['started', 'columns', 'done']),
      columns: z.array(ColumnMeta).optional(),
      result: StatementResult.optional(),
    }),
  ),
  'query.batch': event(
    'Rows of a running statement, by column, encoded once where they were read (the columnar bytes of shared/model/columnar-batch.ts; decodeRows in the window, with the columns of the statement). Each batch spends one credit of the run.',
    z.object({ runId: z.string(), index: z.number().int(), rowCount: z.number().int().nonnegative(), values: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'Expected the batch as bytes.') }),
  ),
  'query.session': event('A query session changed state (transaction opened or ended, connection reset after a cancel).', SessionState),
};
