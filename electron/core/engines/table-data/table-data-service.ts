import type { RowCount, TableDetail, TableRef } from '../../../../shared/model/schema';
import { GRID_TEXT_LIMIT, type ApplyResult, type EditBatchLimit, type EditPreview, type EditProblem, type EditRequest, type EditWarning, type ReferencingKey, type TableQuery, type TableWindow, type WindowSpec } from '../../../../shared/model/table-query';
import { explainedErrorTitles, type ExplainedError } from '../../../../shared/model/explained-error';
import type { CellValue, ColumnMeta } from '../../../../shared/model/values';
import type { SqlText, StreamOptions, TableData } from '../engine';
import { CoreError, driverErrorDetail, toIpcError } from '../../errors';
import { toCell } from '../common/cells';
import { describePlan, planChanges } from './edit-planner';
import { explainEditFailure, explainFromCatalog, scrubExplained, type EditExplaining } from './explain-edit-failure';
import { rowFingerprint } from './row-fingerprint';
import type { TableDataDriver } from './table-data-driver';
import { cellByIdentity, copySelect, countSelect, estimateSelect, orderingOf, partIndex, resolveTable, streamSelect, windowSelect, type ResolvedTable } from './table-sql';

/** Browsing queries get this long on the server before they are stopped (raw WHERE, sorts on unindexed columns). */
export const WINDOW_TIMEOUT_MS = 30_000;
/** How long a resolved table (columns, keys) is trusted before the catalog is read again. */
const TABLE_CACHE_MS = 60_000;

/**
 * The connection broke while staged changes were being applied. Before COMMIT was sent the server
 * rolls the transaction back (nothing applied); during COMMIT nobody can tell. Keeps the driver's
 * error as `cause`, so a cluster connection sees its node failed.
 */
export class EditConnectionLost extends CoreError {
  constructor(
    override readonly cause: unknown,
    readonly committed: 'no' | 'unknown',
  ) {
    super(
      'connection-failed',
      committed === 'no'
        ? `The connection to the server was lost while the changes were being applied (${describeCause(cause)}). They had not been committed, so nothing was applied; they are still staged.`
        : `The connection to the server was lost during COMMIT (${describeCause(cause)}): whether the changes were applied is unknown. Reload the data to see, before applying them again.`,
      { ...driverErrorDetail(cause), committed },
    );
  }
}

function describeCause(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { message?: unknown; code?: unknown };
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  return typeof e.code === 'string' && !message.includes(e.code) ? `${message} — ${e.code}` : message;
}

class RollBack extends Error {
  constructor(readonly problems: EditProblem[]) {
    super('rolled back');
  }
}

/** Cuts text for the grid at a character boundary (never inside a surrogate pair). */
function cutText(s: string): string {
  let end = GRID_TEXT_LIMIT;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return s.slice(0, end);
}

/**
 * The table browser's work on one engine: windows of rows, counts, single cells, staged edits
 * and streams, built once with Kysely and run through the family's driver.
 */
export class TableDataService implements TableData {
  private readonly tables = new Map<string, { at: number; table: ResolvedTable }>();

  /** `explaining`: how a refused change is put in the user's terms (the engine's explainer and catalog); without it the driver's text stands. */
  constructor(
    private readonly driver: TableDataDriver,
    private readonly explaining?: EditExplaining,
  ) {}

  get sqlText(): SqlText {
    return this.driver;
  }

  /** Reads a table from the catalog and remembers it: the schema tree and Refresh describe the table a tab then browses. */
  async describeTable(table: TableRef): Promise<TableDetail> {
    return this.remember(await this.driver.describe(table));
  }

  private remember(detail: TableDetail): TableDetail {
    this.tables.set(JSON.stringify([detail.schema, detail.name]), { at: Date.now(), table: resolveTable(this.driver, detail) });
    return detail;
  }

  async resolve(ref: TableRef): Promise<ResolvedTable> {
    const key = JSON.stringify([ref.schema, ref.name]);
    const hit = this.tables.get(key);
    if (hit && Date.now() - hit.at < TABLE_CACHE_MS) return hit.table;
    await this.describeTable(ref);
    return this.tables.get(key)!.table;
  }

  /**
   * `signal`: the caller's (a grid window scrolled past); checked before each statement and handed
   * to the driver, which stops the statement on the server when it aborts.
   */
  async readWindow(query: TableQuery, spec: WindowSpec, signal?: AbortSignal): Promise<TableWindow> {
    signal?.throwIfAborted();
    const t = await this.resolve(query.table);
    const ordering = orderingOf(t, query);
    let window = spec;
    if (spec.fromEnd && !spec.anchor && ordering.terms.length === 0) {
      // Nothing to reverse the order by: count, then read from the start.
      const total = (await this.countRows(query, WINDOW_TIMEOUT_MS, signal)).value;
      const end = Math.max(0, total - spec.offset);
      const start = Math.max(0, end - spec.limit);
      window = { offset: start, limit: Math.max(1, end - start), fromEnd: false, rowKeys: spec.rowKeys };
    }
    const plan = windowSelect(this.driver, t, query, ordering, window);
    signal?.throwIfAborted();
    const rows = await this.driver.select(plan.query.compile(this.driver.kysely), { userSql: !!query.where?.trim(), timeoutMs: WINDOW_TIMEOUT_MS, ...(signal ? { signal } : {}) });
    if (plan.reversed) rows.reverse();

    const n = rows.length;
    const columnCount = t.columns.length;
    const values: CellValue[][] = [];
    const truncated: [number, number][] = [];
    for (let c = 0; c < columnCount; c++) {
      const out = new Array<CellValue>(n);
      for (let r = 0; r < n; r++) {
        const raw = rows[r]![c];
        if (typeof raw === 'string' && raw.length > GRID_TEXT_LIMIT) {
          out[r] = cutText(raw);
          truncated.push([c, r]);
        } else out[r] = toCell(raw);
      }
      values.push(out);
    }
    const idParts = t.keys.identityParts;
    const rowIds = idParts.length ? idParts.map((p) => rows.map((row) => toCell(row[partIndex(t, p)], Infinity))) : null;
    const versions = idParts.length ? rows.map((row) => rowFingerprint(row, columnCount)) : null;
    const keyOf = (row: unknown[]) => ordering.terms.map((term) => toCell(row[partIndex(t, term.part)], Infinity));
    const keys = ordering.keyset && n > 0 ? { first: keyOf(rows[0]!), last: keyOf(rows[n - 1]!) } : null;
    const rowKeys = spec.rowKeys && ordering.keyset ? ordering.terms.map((term) => rows.map((row) => toCell(row[partIndex(t, term.part)], Infinity))) : null;
    return {
      batch: { columns: this.columnMeta(t), values, rowCount: n },
      rowIds,
      versions,
      keys,
      rowKeys,
      truncated,
      strategy: plan.strategy,
    };
  }

  columnMeta(t: ResolvedTable): ColumnMeta[] {
    return t.columns.map((c, i) => ({ name: c.name, dataType: t.detail.columns[i]!.dataType, kind: c.kind }));
  }

  async countRows(query: TableQuery, timeoutMs: number, signal?: AbortSignal): Promise<RowCount> {
    signal?.throwIfAborted();
    const t = await this.resolve(query.table);
    const userSql = !!query.where?.trim();
    const exact = await this.driver.countWithin(countSelect(this.driver, t, query).compile(this.driver.kysely), { userSql, timeoutMs, ...(signal ? { signal } : {}) });
    if (exact !== null) return { value: exact, exact: true };
    signal?.throwIfAborted();
    const estimate = await this.driver.estimateRows(estimateSelect(this.driver, t, query).compile(this.driver.kysely), { userSql, ...(signal ? { signal } : {}) }).catch(() => null);
    signal?.throwIfAborted();
    return { value: Math.max(0, Math.round(estimate ?? t.detail.estimatedRows ?? 0)), exact: false };
  }

  /** The raw driver value of one cell, found by row identity. */
  async readCell(table: TableRef, rowId: CellValue[], columnName: string): Promise<unknown> {
    const t = await this.resolve(table);
    const rows = await this.driver.select(cellByIdentity(this.driver, t, rowId, columnName).compile(this.driver.kysely), { userSql: false, timeoutMs: WINDOW_TIMEOUT_MS });
    if (rows.length === 0) throw new CoreError('not-found', 'That row no longer exists (it was deleted or its key changed). Reload the view.');
    return rows[0]![0];
  }

  async planEdits(request: EditRequest): Promise<EditPreview> {
    const t = await this.resolve(request.table);
    const plan = planChanges(this.driver, t, request);
    const groups = transactionsOf(request);
    // One BEGIN … COMMIT per transaction the user agreed to, so Review SQL shows exactly what runs.
    const statements = groups.flatMap((ids) => {
      const group = new Set(ids);
      return describePlan(this.driver, plan.filter((p) => group.has(p.change.id)));
    });
    return { statements, warnings: this.declaredTypeWarnings(t, request) };
  }

  /** Staged values the engine would store although they go past their column's declared type. */
  private declaredTypeWarnings(t: ResolvedTable, request: EditRequest): EditWarning[] {
    const check = this.driver.declaredTypeWarning?.bind(this.driver);
    if (!check) return [];
    const out: EditWarning[] = [];
    for (const change of request.changes) {
      if (change.kind === 'delete') continue;
      for (const { column, value } of change.values) {
        const info = t.detail.columns.find((c) => c.name === column);
        const message = info ? check(info, value) : null;
        if (message) out.push({ changeId: change.id, column, message });
      }
    }
    return out;
  }

  /** Null: no limit beyond the server's own on one transaction (a Galera node's service overrides it). */
  async checkEditLimits(_edits: EditRequest): Promise<EditBatchLimit | null> {
    return null;
  }

  /**
   * Applies staged changes in one transaction — or, when the user agreed to split a batch too big
   * for one, in those transactions, in order, stopping at the first that fails.
   */
  async applyEdits(request: EditRequest, secrets: readonly string[] = []): Promise<ApplyResult> {
    const groups = transactionsOf(request);
    if (!request.transactions) return this.applyInOneTransaction(request, secrets);
    const outcomes: NonNullable<ApplyResult['transactions']> = [];
    let rowsAffected = 0;
    let failed: ApplyResult | null = null;
    for (const ids of groups) {
      if (failed) {
        outcomes.push({ changeIds: ids, applied: false, rowsAffected: 0, ran: false });
        continue;
      }
      const group = new Set(ids);
      let part: ApplyResult;
      try {
        part = await this.applyInOneTransaction({ table: request.table, changes: request.changes.filter((c) => group.has(c.id)) }, secrets);
      } catch (err) {
        // Before anything was committed the error is the whole answer; after, the committed
        // transactions must be reported with it (they are in the database now).
        if (!outcomes.some((o) => o.applied)) throw err;
        const unknown = err instanceof EditConnectionLost && err.committed === 'unknown';
        outcomes.push({ changeIds: ids, applied: false, rowsAffected: 0, ran: true, ...(unknown ? { outcomeUnknown: true } : {}) });
        failed = { applied: false, rowsAffected: 0, problems: [{ changeId: ids[0]!, kind: 'error', message: toIpcError(err, 'query-failed', secrets).message }] };
        continue;
      }
      outcomes.push({ changeIds: ids, applied: part.applied, rowsAffected: part.rowsAffected, ran: true });
      rowsAffected += part.rowsAffected;
      if (!part.applied) failed = part;
    }
    return { applied: failed === null, rowsAffected, problems: failed?.problems ?? [], transactions: outcomes };
  }

  /**
   * Applies staged changes in one transaction. Each updated or deleted row is read again first
   * (locked where the engine can): gone or different from what the grid read means a conflict.
   * Any conflict or error rolls everything back and names the change it belongs to.
   */
  private async applyInOneTransaction(request: EditRequest, secrets: readonly string[]): Promise<ApplyResult> {
    const t = await this.resolve(request.table);
    const plan = planChanges(this.driver, t, request);
    let current = '';
    /** Each checked row as it was read, by change id: a refused change's key values come from it. */
    const read = new Map<string, unknown[]>();
    /** Whether the driver got as far as sending COMMIT: after that, a broken connection leaves the outcome unknown. */
    let committing = false;
    try {
      const affected = await this.driver.transaction(async (run) => {
        const problems: EditProblem[] = [];
        for (const p of plan) {
          if (!p.check) continue;
          current = p.change.id;
          const { rows } = await run(p.check);
          const expected = p.change.kind === 'insert' ? '' : p.change.version;
          if (rows[0]) read.set(p.change.id, rows[0]);
          if (rows.length === 0) problems.push({ changeId: p.change.id, kind: 'conflict', message: 'This row was deleted (or its key changed) since it was read. Reload to see the current data.' });
          else if (rowFingerprint(rows[0]!, t.columns.length) !== expected) {
            problems.push({ changeId: p.change.id, kind: 'conflict', message: 'This row was changed by someone else since it was read. Reload to see the current values, then edit again.' });
          }
        }
        if (problems.length) throw new RollBack(problems);
        let total = 0;
        for (const p of plan) {
          current = p.change.id;
          const { affected: n } = await run(p.write);
          if (p.change.kind === 'delete' && n === 0) throw new RollBack([{ changeId: p.change.id, kind: 'conflict', message: 'This row was deleted since it was read.' }]);
          total += n;
        }
        committing = true;
        return total;
      });
      return { applied: true, rowsAffected: affected, problems: [] };
    } catch (err) {
      if (err instanceof RollBack) return { applied: false, rowsAffected: 0, problems: err.problems };
      // Not a problem with one change: the server went away. Never reported as "nothing applied" when it may have been.
      if (this.driver.connectionLost(err)) throw new EditConnectionLost(err, committing ? 'unknown' : 'no');
      if (!current) throw err;
      const message = toIpcError(err, 'query-failed', secrets).message;
      const change = plan.find((p) => p.change.id === current)!.change;
      const explained = this.explaining ? await explainEditFailure(this.driver, t, this.explaining, { err, change, row: read.get(current) ?? null }).catch(() => null) : null;
      return {
        applied: false,
        rowsAffected: 0,
        problems: [{ changeId: current, kind: 'error', message: explained ? `${explainedErrorTitles[explained.kind]}: ${explained.summary}` : message, ...(explained ? { explained: scrubExplained(explained, secrets) } : {}) }],
      };
    }
  }

  /** Streams every row of a view (raw driver values, table columns only) in batches from a cursor. */
  async streamRows(query: TableQuery, options: StreamOptions, onRows: (rows: unknown[][]) => Promise<void> | void): Promise<void> {
    const t = await this.resolve(query.table);
    const compiled = streamSelect(this.driver, t, query, orderingOf(t, query)).compile(this.driver.kysely);
    await this.driver.stream(compiled, { table: query.table, userSql: !!query.where?.trim(), batchSize: options.batchSize, signal: options.signal }, onRows);
  }

  /**
   * CSV written by the server itself, when the engine can (PostgreSQL COPY) and the view binds
   * no values; null means: stream the rows instead.
   */
  async copyCsv(query: TableQuery, options: { header: boolean; delimiter: string; signal: AbortSignal }, write: (chunk: Buffer) => Promise<void>): Promise<number | null> {
    if (!this.driver.copyCsv) return null;
    const t = await this.resolve(query.table);
    const compiled = copySelect(this.driver, t, query, orderingOf(t, query)).compile(this.driver.kysely);
    if (compiled.parameters.length > 0) return null;
    return this.driver.copyCsv(compiled, { ...options, userSql: !!query.where?.trim() }, write);
  }

  /** Columns of a view before streaming it (the writers need them for headers). */
  async columnsOf(table: TableRef): Promise<ColumnMeta[]> {
    return this.columnMeta(await this.resolve(table));
  }

  async referencedBy(table: TableRef): Promise<ReferencingKey[]> {
    return this.driver.referencedBy(table);
  }

  async explainFromCatalog(explained: ExplainedError, candidates: readonly TableRef[], action?: 'insert' | 'update' | 'delete'): Promise<ExplainedError> {
    if (!this.explaining) return explained;
    for (const ref of candidates) {
      let t: ResolvedTable;
      try {
        t = await this.resolve(ref);
      } catch {
        continue; // not in this schema (or not visible from the pool's connections): the next one
      }
      const context = { schema: t.detail.schema, table: t.detail.name, ...(action ? { action } : {}) };
      return explainFromCatalog(this.driver, t, this.explaining, explained, { sent: [], row: null, context });
    }
    return explained;
  }
}

/**
 * The transactions a request asks for: one with every change, or the split the user agreed to —
 * which must name every change exactly once, in the staged order (nothing reordered, nothing left out).
 */
export function transactionsOf(request: EditRequest): string[][] {
  const ids = request.changes.map((c) => c.id);
  if (!request.transactions) return [ids];
  const flat = request.transactions.flat();
  if (flat.length !== ids.length || flat.some((id, i) => id !== ids[i])) {
    throw new CoreError('invalid-input', 'The transactions to split the changes into must list every staged change exactly once, in order.');
  }
  return request.transactions;
}
