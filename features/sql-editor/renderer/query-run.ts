import type { DbDeskClient } from '../../../shared/ipc/client';
import type { CommandOutput, EventPayload } from '../../../shared/ipc/contract';
import { IpcCallError, type IpcError } from '../../../shared/ipc/errors';
import type { StatementResult } from '../../../shared/model/query';
import type { PickedStatement } from '../../../shared/sql/statement-at';
import { StreamedResult } from './result-store';

export interface StatementView {
  index: number;
  sql: string;
  offset: number;
  state: 'pending' | 'running' | 'done';
  result: StatementResult | null;
  /** The streamed rows of a statement that returned a result set. */
  rows: StreamedResult | null;
}

export interface RunOptions {
  confirmWrites?: boolean;
  /** Rows kept per result in this window: the stream stops (truncated) past it. */
  maxRows?: number;
  batchRows?: number;
  initialCredit?: number;
}

/** Runs in flight in this window, by id, so events find their run. */
const runs = new Map<string, QueryRun>();
const attached = new WeakSet<DbDeskClient>();

function attach(client: DbDeskClient): void {
  if (attached.has(client)) return;
  attached.add(client);
  client.on('query.statement', (p) => runs.get(p.runId)?.onStatement(p));
  client.on('query.batch', (p) => runs.get(p.runId)?.onBatch(p));
}

let counter = 0;
const newRunId = () => `r${Date.now().toString(36)}${(++counter).toString(36)}`;

/**
 * One press of Run: its statements, their streamed results, and the credit the window gives back
 * for each batch it takes (so the session never reads faster than this window stores).
 */
export class QueryRun {
  readonly runId = newRunId();
  readonly statements: StatementView[];
  status: 'running' | 'done' | 'failed' = 'running';
  error: IpcError | null = null;
  output: CommandOutput<'query.run'> | null = null;
  readonly startedAt = performance.now();
  finishedAt: number | null = null;
  private versionNo = 0;
  private readonly listeners = new Set<() => void>();
  /** Cancel aborts the query.run call itself: the core cancels the running statement on the server. */
  private readonly controller = new AbortController();

  constructor(
    private readonly client: DbDeskClient,
    readonly sessionId: string,
    picked: readonly PickedStatement[],
    private readonly options: RunOptions = {},
  ) {
    this.statements = picked.map((p, index) => ({ index, sql: p.sql, offset: p.from, state: 'pending', result: null, rows: null }));
  }

  async start(): Promise<CommandOutput<'query.run'> | null> {
    attach(this.client);
    runs.set(this.runId, this);
    try {
      this.output = await this.client.call('query.run', {
        sessionId: this.sessionId,
        runId: this.runId,
        statements: this.statements.map((s) => ({ sql: s.sql, offset: s.offset })),
        confirmWrites: this.options.confirmWrites ?? false,
        initialCredit: this.options.initialCredit ?? 4,
        batchRows: this.options.batchRows ?? 10_000,
        maxRows: this.options.maxRows ?? 2_000_000,
      }, { signal: this.controller.signal });
      for (const r of this.output.results) this.settle(r);
      this.status = 'done';
      return this.output;
    } catch (err) {
      this.status = 'failed';
      this.error = err instanceof IpcCallError ? err.toIpcError() : { code: 'internal', message: (err as Error).message };
      return null;
    } finally {
      this.finishedAt = performance.now();
      runs.delete(this.runId);
      for (const s of this.statements) s.rows?.finish();
      this.changed();
    }
  }

  /** Stops the run: the statement running is cancelled on the server, the rest are skipped; the run still answers. */
  cancel(): void {
    this.controller.abort();
  }

  onStatement(p: EventPayload<'query.statement'>): void {
    const s = this.statements[p.index];
    if (!s) return;
    if (p.phase === 'started') s.state = 'running';
    else if (p.phase === 'columns' && p.columns) {
      s.rows = new StreamedResult();
      s.rows.setColumns(p.columns);
    } else if (p.phase === 'done' && p.result) this.settle(p.result);
    this.changed();
  }

  onBatch(p: EventPayload<'query.batch'>): void {
    const s = this.statements[p.index];
    if (!s?.rows) return;
    // Kept as it arrived; the grid decodes the batches it shows.
    s.rows.append({ rowCount: p.rowCount, values: p.values });
    // The batch is stored: the session may send another.
    void this.client.call('query.credit', { runId: this.runId, batches: 1 }).catch(() => undefined);
    this.changed();
  }

  private settle(result: StatementResult): void {
    const s = this.statements[result.index];
    if (!s) return;
    s.state = 'done';
    s.result = result;
    if (result.columns && !s.rows) {
      s.rows = new StreamedResult();
      s.rows.setColumns(result.columns);
    }
    s.rows?.finish();
  }

  rowsReceived(): number {
    return this.statements.reduce((n, s) => n + (s.rows?.rowCount() ?? 0), 0);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  version(): number {
    return this.versionNo;
  }

  private changed(): void {
    this.versionNo++;
    for (const l of this.listeners) l();
  }
}
