import type Database from 'better-sqlite3';
import { openSqlite } from '../../native/open-sqlite';
import type { ColumnMeta } from '../../../../shared/model/values';
import { BATCH_BYTES } from '../query-session';
import { RowBatcher, commandOf } from '../common/row-batch';
import { sqliteExplain } from './sqlite-explain';
import { SpoolWriter } from './sqlite-spool';
import type { FromRunner, ToRunner } from './sqlite-runner-protocol';
import { sqliteValueKind } from './sqlite-types';

/**
 * The SQLite runner: a process of its own that runs an editor tab's statements, so a runaway one
 * (better-sqlite3 has no interrupt, and a worker thread cannot be stopped inside a native call)
 * ends when the process is killed. Talks over Node's IPC, or Electron's parentPort in a utilityProcess.
 */
type ParentPort = { postMessage(m: unknown): void; on(e: 'message', l: (e: { data: unknown }) => void): void };
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function post(message: FromRunner): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

/** Statements that control transactions themselves (or cannot run in one): manual mode opens no BEGIN for them. */
const NO_BEGIN = /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*(?:begin|commit|end|rollback|savepoint|release|vacuum|attach|detach|pragma)\b/i;

/** Rows read between turns of the event loop while a result streams (~2 ms of reading). */
const YIELD_EVERY_ROWS = 2000;

let db: Database.Database | null = null;
const credits = new Map<number, { n: number; wake: (() => void) | null }>();

function open(msg: Extract<ToRunner, { type: 'open' }>): void {
  db = openSqlite(msg.file, { readonly: msg.readOnly, fileMustExist: true, timeout: msg.busyTimeoutMs });
  db.defaultSafeIntegers(true);
  db.pragma('foreign_keys = ON');
}

async function waitForCredit(id: number): Promise<void> {
  const c = credits.get(id)!;
  while (c.n <= 0) await new Promise<void>((resolve) => (c.wake = resolve));
}

async function run(msg: Extract<ToRunner, { type: 'run' }>): Promise<void> {
  const conn = db!;
  if (!msg.autoCommit && !conn.inTransaction && !NO_BEGIN.test(msg.sql)) conn.exec('BEGIN');
  const stmt = conn.prepare(msg.sql);
  if (!stmt.reader) {
    const info = stmt.run();
    post({ type: 'done', id: msg.id, inTransaction: conn.inTransaction, outcome: { command: commandOf(msg.sql), rowsAffected: Number(info.changes), rowCount: 0, truncated: false, hasResultSet: false } });
    return;
  }
  const columns: ColumnMeta[] = stmt.columns().map((c) => ({ name: c.name, dataType: c.type ?? '', kind: c.type ? sqliteValueKind(c.type) : 'other' }));
  // Opened before anything is posted: the worker unlinks the file when the first answer arrives.
  const spool = msg.spool ? SpoolWriter.open(msg.spool, msg.credit) : null;
  post({ type: 'columns', id: msg.id, columns });
  credits.set(msg.id, { n: msg.credit, wake: null });
  let iterator: IterableIterator<unknown[]>;
  try {
    iterator = stmt.raw(true).iterate() as IterableIterator<unknown[]>;
  } catch (err) {
    spool?.close();
    throw err;
  }
  let rowCount = 0;
  let truncated = false;
  const builder = new RowBatcher(Math.min(msg.batchRows, msg.maxRows));
  // Whether batches go through the IPC channel (no spool, or one too large for its slot).
  let channelBatches = spool === null;
  try {
    for (;;) {
      const want = Math.min(msg.batchRows, msg.maxRows - rowCount);
      let next = iterator.next();
      while (!next.done) {
        builder.push(next.value);
        if (builder.rowCount >= want || builder.approxBytes >= BATCH_BYTES) break;
        // A batch posted through the IPC channel is written to it only while the event loop runs
        // (the channel takes a fraction of a batch at once, libuv queues the rest): let it run now
        // and then. Without this the worker got whole batches only while this loop waited for
        // credit, ~0.35 s per million rows. Spooled batches need none of it (their message is a few
        // bytes), and the turns cost ~60–80 ms of this thread per million rows.
        if (channelBatches && builder.rowCount % YIELD_EVERY_ROWS === 0) await new Promise((resolve) => setImmediate(resolve));
        next = iterator.next();
      }
      const got = builder.rowCount;
      if (got > 0) {
        rowCount += got;
        const batch = builder.take();
        await waitForCredit(msg.id);
        credits.get(msg.id)!.n--;
        const spooled = spool?.write(batch.rowCount, batch.values);
        if (!spooled) channelBatches = true;
        post(spooled ? { type: 'spooled', id: msg.id, batch: spooled } : { type: 'batch', id: msg.id, batch });
      }
      if (next.done) break;
      if (rowCount >= msg.maxRows) {
        truncated = !iterator.next().done;
        break;
      }
    }
  } finally {
    iterator.return?.();
    credits.delete(msg.id);
    spool?.close();
  }
  post({ type: 'done', id: msg.id, inTransaction: conn.inTransaction, outcome: { command: commandOf(msg.sql), rowsAffected: null, rowCount, truncated, hasResultSet: true } });
}

/**
 * Where a syntax error is. SQLite says only the token ('near "=": syntax error'); the token may
 * occur more than once. Compiling the statement cut right after each occurrence finds it: up to a
 * good occurrence SQLite reports incomplete input, at the bad one the same syntax error.
 */
function syntaxErrorOffset(conn: Database.Database, sql: string, message: string): number | null {
  const near = /near "([^"]+)": syntax error/.exec(message)?.[1];
  if (!near) return null;
  for (let at = sql.indexOf(near); at >= 0; at = sql.indexOf(near, at + 1)) {
    try {
      conn.prepare(sql.slice(0, at + near.length));
    } catch (err) {
      if ((err as Error).message === message) return at;
    }
  }
  return null;
}

function quickCheck(file: string): string[] {
  const check = openSqlite(file, { readonly: true, fileMustExist: true, timeout: 0 });
  try {
    return (check.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
  } finally {
    check.close();
  }
}

async function handle(msg: ToRunner): Promise<void> {
  if (msg.type === 'credit') {
    const c = credits.get(msg.id);
    if (c) {
      c.n += msg.batches;
      c.wake?.();
      c.wake = null;
    }
    return;
  }
  if (msg.type === 'open') {
    open(msg);
    post({ type: 'opened' });
    return;
  }
  try {
    if (msg.type === 'run') await run(msg);
    else if (msg.type === 'exec') {
      if (db!.inTransaction) db!.exec(msg.sql);
      post({ type: 'done', id: msg.id, outcome: null, inTransaction: db!.inTransaction });
    } else if (msg.type === 'explain') {
      const plan = sqliteExplain(db!, msg.sql, msg.analyze);
      post({ type: 'done', id: msg.id, outcome: null, plan, inTransaction: db!.inTransaction });
    } else if (msg.type === 'quick-check') {
      post({ type: 'checked', id: msg.id, problems: quickCheck(msg.file) });
    }
  } catch (err) {
    const e = err as { message?: string; code?: string };
    const message = e.message ?? String(err);
    const offset = msg.type === 'run' && db ? syntaxErrorOffset(db, msg.sql, message) : null;
    post({ type: 'error', id: msg.id, message, code: e.code ?? null, inTransaction: db?.inTransaction ?? false, offset });
  }
}

// Messages are handled one after another, except credits, which must reach a statement that waits for them.
let queue: Promise<void> = Promise.resolve();
function receive(msg: ToRunner): void {
  if (msg.type === 'credit') {
    void handle(msg);
    return;
  }
  queue = queue.then(() =>
    handle(msg).catch((err: unknown) => {
      // Only `open` can get here: the worker waits for `opened` and reports this.
      post({ type: 'error', id: -1, message: (err as Error).message, code: (err as { code?: string }).code ?? null, inTransaction: false });
    }),
  );
}

if (parentPort) parentPort.on('message', (e) => receive(e.data as ToRunner));
else {
  process.on('message', (m) => receive(m as ToRunner));
  // The worker is gone (crash, window closed): nothing is left to serve.
  process.on('disconnect', () => process.exit(0));
}
