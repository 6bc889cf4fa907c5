import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/ipc/contract';
import { IpcCallError } from '../../../shared/ipc/errors';
import { decodeColumnarBatch } from '../../../shared/model/columnar-batch';
import type { PlanNode } from '../../../shared/model/query';
import { encodingsOf, ENGINES, openRunner, RUNAWAY, series, type EngineName, type Runner } from './harness';

const DDL: Record<EngineName, string> = {
  postgres: 'CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(12,2), big bigint)',
  mariadb: 'CREATE TABLE items (id int PRIMARY KEY, name varchar(100), price decimal(12,2), big bigint) ENGINE=InnoDB',
  sqlite: 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price DECIMAL(12,2), big BIGINT)',
};

/** A script with something each dialect's splitter must get right. */
const DIALECT_SCRIPT: Record<EngineName, string> = {
  postgres: `CREATE FUNCTION twice(x int) RETURNS int AS $$ BEGIN RETURN x * 2; END; $$ LANGUAGE plpgsql;\nSELECT twice(21) AS answer;`,
  mariadb: `DELIMITER //\nCREATE PROCEDURE twice(IN x INT) BEGIN SELECT x * 2 AS answer; END //\nDELIMITER ;\nSELECT 42 AS answer;`,
  sqlite: `CREATE TRIGGER items_name AFTER INSERT ON items BEGIN UPDATE items SET name = upper(name) WHERE id = new.id; END;\nSELECT 42 AS answer;`,
};

describe.each(ENGINES)('SQL editor query sessions on %s', (engine) => {
  let r: Runner;
  beforeAll(async () => {
    r = await openRunner(engine);
  });
  afterAll(async () => {
    await r?.close();
  });

  it('runs a multi-statement script: one result per statement, rows streamed, rows affected, exact values', async () => {
    const script = `${DDL[engine]};
INSERT INTO items (id, name, price, big) VALUES (1, 'one', 1.50, 9007199254740993), (2, 'two', 2.25, -1), (3, NULL, 0, 0);
-- a comment; with a semicolon
SELECT id, name, price, big FROM items ORDER BY id;
UPDATE items SET price = price + 1 WHERE id < 3;`;
    const { output, rows } = await r.run(script);
    expect(output.results.map((x) => x.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const [, insert, select, update] = output.results;
    expect(insert!.rowsAffected).toBe(3);
    expect(select!.columns!.map((c) => c.name)).toEqual(['id', 'name', 'price', 'big']);
    expect(select!.rowCount).toBe(3);
    const cols = rows.get(2)!;
    expect(cols[0]).toEqual([1, 2, 3]);
    expect(cols[1]).toEqual(['one', 'two', null]);
    // bigint past 2^53 stays exact text; decimals keep their digits where the engine stores them exactly.
    expect(cols[3]![0]).toBe('9007199254740993');
    if (engine !== 'sqlite') expect(cols[2]).toEqual(['1.50', '2.25', '0.00']);
    expect(update!.rowsAffected).toBe(2);
    expect(update!.command).toBe('UPDATE');
    // Offsets point into the script.
    expect(script.slice(select!.offset, select!.offset + 6)).toBe('SELECT');
  });

  it('splits by the dialect’s rules (dollar quotes, DELIMITER, trigger bodies)', async () => {
    const { output, rows } = await r.run(DIALECT_SCRIPT[engine]);
    expect(output.results.every((x) => x.status === 'ok')).toBe(true);
    const last = output.results.length - 1;
    expect(rows.get(last)![0]).toEqual([42]);
  });

  it('stops at an error, skips the rest, and points at the position the server gave', async () => {
    const script = `SELECT 1 AS one;\nSELECT *\n  FROM no_such_table WHERE 1 = 1;\nSELECT 2 AS two;`;
    const { output } = await r.run(script);
    expect(output.results.map((x) => x.status)).toEqual(['ok', 'error', 'skipped']);
    const error = output.results[1]!.error!;
    expect(error.offset).toBe(script.indexOf('no_such_table'));
    expect(error.message).toMatch(/no_such_table/);
    const syntax = `SELECT 1;\nSELECT 1 FROM items WHERE id = = 2;`;
    const bad = (await r.run(syntax)).output.results[1]!.error!;
    expect(bad.offset).not.toBeNull();
    // The position lands on the second '=' (or right before it).
    expect(Math.abs(bad.offset! - syntax.indexOf('= 2'))).toBeLessThanOrEqual(1);
  });

  it('keeps going after errors when asked to', async () => {
    const { output } = await r.run('SELECT 1;\nSELECT * FROM nope;\nSELECT 3;', { continueOnError: true });
    expect(output.results.map((x) => x.status)).toEqual(['ok', 'error', 'ok']);
  });

  it('streams under credit-based flow control: without credit the session stops reading', async () => {
    await r.session('flow');
    const runId = `flow-${engine}`;
    const batches: EventPayload<'query.batch'>[] = [];
    const off = r.w.client.on('query.batch', (p) => {
      if (p.runId === runId) batches.push(p);
    });
    try {
      const running = r.w.client.call('query.run', { sessionId: 'flow', runId, statements: [{ sql: series(engine, 50000), offset: 0 }], initialCredit: 1, batchRows: 5000 });
      await new Promise((res) => setTimeout(res, 600));
      expect(batches.length).toBe(1);
      await r.w.client.call('query.credit', { runId, batches: 100 });
      const out = await running;
      expect(out.results[0]!.rowCount).toBe(50000);
      // Batches of batchRows rows; PostgreSQL reads a first one of 100 (FIRST_READ_ROWS) to size the rest.
      expect(batches.length).toBe(engine === 'postgres' ? 11 : 10);
      expect(batches.every((b) => b.rowCount <= 5000)).toBe(true);
      expect(batches.reduce((n, b) => n + b.rowCount, 0)).toBe(50000);
      expect(Number(decodeColumnarBatch(batches.at(-1)!.values, 1).values[0]!.at(-1))).toBe(50000);
    } finally {
      off();
    }
  });

  it('cuts batches of long texts at about 4 MB, however many rows a batch may hold', async () => {
    const wide: Record<EngineName, string> = {
      postgres: "SELECT g AS n, repeat('x', 100000) AS t FROM generate_series(1, 300) g",
      mariadb: "SELECT seq AS n, REPEAT('x', 100000) AS t FROM seq_1_to_300",
      sqlite: `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 300) SELECT n, hex(zeroblob(50000)) AS t FROM s`,
    };
    const { result, sizes } = await encodingsOf(r, () => r.run(wide[engine], { batchRows: 10_000 }));
    expect(result.output.results[0]!.rowCount).toBe(300);
    const cols = result.rows.get(0)!;
    expect(Number(cols[0]!.at(-1))).toBe(300);
    expect((cols[1]!.at(-1) as string).length).toBe(100_000);
    // 30 MB of text in batches of about 4 MB (PostgreSQL's first read is 100 rows, here 10 MB, to size the rest).
    expect(sizes.length).toBeGreaterThanOrEqual(6);
    expect(sizes.slice(1).every((bytes) => bytes <= 4 * 1024 * 1024 + 200_000)).toBe(true);
  });

  it('cancels a result whose rows wait for the window, and the session is usable right after', async () => {
    await r.session('paused');
    const runId = `paused-${engine}`;
    let batches = 0;
    const off = r.w.client.on('query.batch', (p) => {
      if (p.runId === runId) batches++;
    });
    try {
      // One credit and none given back: the session reads a batch (or two) and then waits.
      const controller = new AbortController();
      const running = r.w.client.call('query.run', { sessionId: 'paused', runId, statements: [{ sql: series(engine, 200000), offset: 0 }], initialCredit: 1, batchRows: 1000 }, { signal: controller.signal });
      await expect.poll(() => batches, { timeout: 10_000 }).toBe(1);
      await new Promise((res) => setTimeout(res, 300));
      controller.abort();
      const out = await running;
      expect(out.results[0]!.status).toBe('cancelled');
      expect(out.session.running).toBe(false);
      // The connection is not left busy with the abandoned result.
      const again = await Promise.race([r.run('SELECT 43 AS answer', { sessionId: 'paused' }), new Promise<null>((res) => setTimeout(() => res(null), 10_000))]);
      expect(again?.rows.get(0)![0]).toEqual([43]);
    } finally {
      off();
    }
  });

  it('stops a result at the row cap and marks it truncated', async () => {
    const { output } = await r.run(`${series(engine, 1000000)};\nSELECT 7 AS after_cap;`, { maxRows: 15000, batchRows: 4000 });
    expect(output.results[0]).toMatchObject({ status: 'ok', rowCount: 15000, truncated: true });
    expect(output.results[1]).toMatchObject({ status: 'ok', rowCount: 1 });
  });

  it('cancels a runaway statement within a second and leaves the session usable', async () => {
    await r.session('cancel');
    const runId = `cancel-${engine}`;
    const started = new Promise<void>((resolve) => {
      const off = r.w.client.on('query.statement', (p) => {
        if (p.runId === runId && p.phase === 'started' && p.index === 1) {
          off();
          resolve();
        }
      });
    });
    const controller = new AbortController();
    const running = r.w.client.call(
      'query.run',
      {
        sessionId: 'cancel',
        runId,
        statements: [
          { sql: 'SELECT 1', offset: 0 },
          { sql: RUNAWAY[engine], offset: 10 },
          { sql: 'SELECT 2', offset: 200 },
        ],
      },
      { signal: controller.signal },
    );
    await started;
    await new Promise((res) => setTimeout(res, 400));
    const t0 = performance.now();
    controller.abort();
    const out = await running;
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);
    expect(out.results.map((x) => x.status)).toEqual(['ok', 'cancelled', 'skipped']);
    expect(out.session.running).toBe(false);
    const again = await r.run('SELECT 42 AS answer', { sessionId: 'cancel' });
    expect(again.rows.get(0)![0]).toEqual([42]);
  });

  it('manual transactions: nothing is visible elsewhere until Commit; Rollback undoes; the indicator follows', async () => {
    await r.run('CREATE TABLE tx_t (id int PRIMARY KEY)', { sessionId: 'tx' });
    const states: EventPayload<'query.session'>[] = [];
    const off = r.w.client.on('query.session', (s) => {
      if (s.sessionId === 'tx') states.push(s);
    });
    try {
      const manual = await r.w.client.call('query.setAutoCommit', { sessionId: 'tx', autoCommit: false });
      expect(manual).toMatchObject({ autoCommit: false, transactionOpen: false });
      const ins = await r.run('INSERT INTO tx_t VALUES (1)', { sessionId: 'tx' });
      expect(ins.output.session.transactionOpen).toBe(true);
      expect(states.at(-1)!.transactionOpen).toBe(true);
      // Another editor tab has its own connection: it does not see the uncommitted row.
      const other = await r.run('SELECT count(*) AS n FROM tx_t', { sessionId: 'other' });
      expect(Number(other.rows.get(0)![0]![0])).toBe(0);
      await expect(r.w.client.call('query.setAutoCommit', { sessionId: 'tx', autoCommit: true })).rejects.toMatchObject({ code: 'conflict' });
      const rolled = await r.w.client.call('query.rollback', { sessionId: 'tx' });
      expect(rolled.transactionOpen).toBe(false);
      await r.run('INSERT INTO tx_t VALUES (2)', { sessionId: 'tx' });
      const committed = await r.w.client.call('query.commit', { sessionId: 'tx' });
      expect(committed.transactionOpen).toBe(false);
      const seen = await r.run('SELECT id FROM tx_t ORDER BY id', { sessionId: 'other' });
      expect(seen.rows.get(0)![0]).toEqual([2]);
      expect(states.some((s) => s.transactionOpen) && states.at(-1)!.transactionOpen === false).toBe(true);
      await r.w.client.call('query.setAutoCommit', { sessionId: 'tx', autoCommit: true });
    } finally {
      off();
    }
  });

  it('reports how long the open transaction has been open, and when it counts as long here', async () => {
    await r.run('CREATE TABLE age_t (id int PRIMARY KEY)', { sessionId: 'age' });
    const closed = await r.w.client.call('query.setAutoCommit', { sessionId: 'age', autoCommit: false });
    expect(closed.transactionAgeMs).toBeNull();
    // Each engine says after how long, and why it matters there.
    const rule = { postgres: [300_000, /VACUUM/], mariadb: [300_000, /purging old row versions/], sqlite: [60_000, /write lock/] }[engine];
    expect(closed.longTransaction.afterMs).toBe(rule[0]);
    expect(closed.longTransaction.why).toMatch(rule[1] as RegExp);
    const opened = await r.run('INSERT INTO age_t VALUES (1)', { sessionId: 'age' });
    expect(opened.output.session.transactionOpen).toBe(true);
    const first = opened.output.session.transactionAgeMs!;
    expect(first).toBeGreaterThanOrEqual(0);
    await new Promise((done) => setTimeout(done, 300));
    // Measured from the statement that opened it, in the core: later states say it is older.
    const later = await r.run('SELECT 1 AS one', { sessionId: 'age' });
    expect(later.output.session.transactionAgeMs!).toBeGreaterThanOrEqual(first + 250);
    const ended = await r.w.client.call('query.rollback', { sessionId: 'age' });
    expect(ended.transactionAgeMs).toBeNull();
    // A new transaction starts from zero again.
    const again = await r.run('INSERT INTO age_t VALUES (2)', { sessionId: 'age' });
    expect(again.output.session.transactionAgeMs!).toBeLessThan(later.output.session.transactionAgeMs!);
    await r.w.client.call('query.rollback', { sessionId: 'age' });
    await r.w.client.call('query.setAutoCommit', { sessionId: 'age', autoCommit: true });
  });

  it('explains a statement as a tree (and with analyze, rolls the statement back)', async () => {
    await r.session('plan');
    const plan = await r.w.client.call('query.explain', { sessionId: 'plan', runId: `plan-${engine}`, sql: 'SELECT a.id, b.name FROM items a JOIN items b ON b.id = a.id WHERE a.price > 1', analyze: false });
    const nodes = flatten(plan.root);
    expect(nodes.length).toBeGreaterThan(0);
    if (engine !== 'sqlite') {
      expect(nodes.some((n) => n.cost !== null)).toBe(true);
      expect(nodes.some((n) => n.rows !== null)).toBe(true);
    } else {
      expect(nodes.some((n) => /SCAN|SEARCH/.test(n.operation))).toBe(true);
    }
    const analyzed = await r.w.client.call('query.explain', { sessionId: 'plan', runId: `plan2-${engine}`, sql: 'DELETE FROM items WHERE id = 3', analyze: true });
    expect(analyzed.analyzed).toBe(true);
    expect(flatten(analyzed.root).some((n) => n.actualTimeMs !== null)).toBe(true);
    expect(analyzed.notes.join(' ')).toMatch(/rolled back/);
    const still = await r.run('SELECT count(*) FROM items WHERE id = 3', { sessionId: 'plan' });
    expect(Number(still.rows.get(0)![0]![0])).toBe(1);
  });

  it('reports the server’s notices and warnings with the statement', async () => {
    if (engine === 'sqlite') {
      // SQLite sends no notices; its statement result carries none.
      expect((await r.run('SELECT 1')).output.results[0]!.notices).toEqual([]);
      return;
    }
    const sql = engine === 'postgres' ? "DO $$ BEGIN RAISE NOTICE 'halfway there'; RAISE WARNING 'careful'; END $$" : "SELECT CAST('12abc' AS UNSIGNED) AS n";
    const result = (await r.run(sql)).output.results[0]!;
    expect(result.status).toBe('ok');
    if (engine === 'postgres') {
      expect(result.notices.map((n) => [n.level, n.message])).toEqual([
        ['notice', 'halfway there'],
        ['warning', 'careful'],
      ]);
    } else {
      expect(result.notices[0]).toMatchObject({ level: 'warning', code: '1292' });
      expect(result.notices[0]!.message).toMatch(/12abc/);
    }
  });

  it('keeps what ran in the connection’s history, searchable', async () => {
    await r.run("SELECT 'history-marker' AS m");
    const found = await r.w.client.call('history.list', { profileId: r.profileId, search: 'history-marker' });
    expect(found.length).toBe(1);
    expect(found[0]).toMatchObject({ status: 'ok', rowCount: 1 });
    const failed = await r.w.client.call('history.list', { profileId: r.profileId, search: 'no_such_table' });
    expect(failed[0]!.status).toBe('error');
    expect(failed[0]!.error).toMatch(/no_such_table/);
  });
});

function flatten(n: PlanNode): PlanNode[] {
  return [n, ...n.children.flatMap(flatten)];
}

describe('production connections', () => {
  it.each(ENGINES)('%s: start in manual mode and ask before a write', async (engine) => {
    const r = await openRunner(engine, { production: true });
    try {
      const s = await r.session();
      expect(s).toMatchObject({ production: true, autoCommit: false });
      const refused = await r.run('CREATE TABLE p (id int)').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(IpcCallError);
      expect((refused as IpcCallError).code).toBe('forbidden');
      expect((refused as IpcCallError).detail).toMatchObject({ needsConfirmation: true, statements: [0] });
      // Reads need no confirmation.
      expect((await r.run('SELECT 1')).output.results[0]!.status).toBe('ok');
      const ok = await r.run('CREATE TABLE p (id int);\nINSERT INTO p VALUES (1)', { confirmWrites: true });
      expect(ok.output.results.map((x) => x.status)).toEqual(['ok', 'ok']);
      expect(ok.output.session.transactionOpen).toBe(true);
      await r.w.client.call('query.rollback', { sessionId: 'tab1' });
    } finally {
      await r.close();
    }
  });
});

describe('saved queries and editor tabs in the app store', () => {
  it('saves, finds, renames and deletes queries; keeps tabs in order', async () => {
    const r = await openRunner('sqlite');
    try {
      const c = r.w.client;
      const a = await c.call('savedQueries.save', { profileId: r.profileId, name: 'Top customers', sql: 'SELECT * FROM customers LIMIT 10' });
      await c.call('savedQueries.save', { profileId: r.profileId, name: 'Orders today', sql: "SELECT * FROM orders WHERE day = date('now')" });
      expect((await c.call('savedQueries.list', { profileId: r.profileId })).map((q) => q.name)).toEqual(['Orders today', 'Top customers']);
      expect((await c.call('savedQueries.list', { profileId: r.profileId, search: 'customers' })).map((q) => q.id)).toEqual([a.id]);
      // LIKE wildcards in a search are plain characters.
      expect(await c.call('savedQueries.list', { profileId: r.profileId, search: '%' })).toEqual([]);
      const renamed = await c.call('savedQueries.save', { id: a.id, profileId: r.profileId, name: 'Best customers', sql: a.sql });
      expect(renamed.name).toBe('Best customers');
      expect(await c.call('savedQueries.delete', { id: a.id })).toEqual({ deleted: true });
      await expect(c.call('savedQueries.save', { profileId: r.profileId, name: '  ', sql: 'x' })).rejects.toMatchObject({ code: 'invalid-input' });

      await c.call('editorTabs.save', { tab: { id: 'tb', profileId: r.profileId, title: 'Second', text: 'SELECT 2', anchor: 8, head: 8, position: 1 } });
      await c.call('editorTabs.save', { tab: { id: 'ta', profileId: r.profileId, title: 'First', text: 'SELECT 1', anchor: 99, head: 3, position: 0 } });
      const tabs = await c.call('editorTabs.list', { profileId: r.profileId });
      expect(tabs.map((t) => [t.id, t.title, t.anchor, t.head])).toEqual([
        ['ta', 'First', 8, 3],
        ['tb', 'Second', 8, 8],
      ]);
      expect(await c.call('editorTabs.delete', { id: 'ta' })).toEqual({ deleted: true });
      // Deleting the connection takes its editor's rows with it.
      await c.call('connections.delete', { id: r.profileId });
      expect(await c.call('editorTabs.list', { profileId: r.profileId })).toEqual([]);
      expect(await c.call('history.list', { profileId: r.profileId })).toEqual([]);
    } finally {
      await r.close();
    }
  });
});
