import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainedError } from '../../../shared/model/explained-error';
import { EXPLAIN_LOOKUP_MS } from '../../../features/sql-editor/core/query-sessions';
import { postgresExec } from '../../support/servers';
import { ENGINES, openRunner, type EngineName, type Runner } from './harness';

const SETUP: Record<EngineName, string> = {
  postgres: `CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE items (id int PRIMARY KEY, email varchar(40) NOT NULL CONSTRAINT items_email_unique UNIQUE, code varchar(5), small smallint, qty int CONSTRAINT qty_positive CHECK (qty > 0), parent_id int CONSTRAINT items_parent_fk REFERENCES parent (id));`,
  mariadb: `CREATE TABLE parent (id int PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE items (id int PRIMARY KEY, email varchar(40) NOT NULL, code varchar(5), small smallint, qty int, parent_id int, CONSTRAINT items_email_unique UNIQUE (email), CONSTRAINT qty_positive CHECK (qty > 0), CONSTRAINT items_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB;`,
  sqlite: `CREATE TABLE parent (id INTEGER PRIMARY KEY);
CREATE TABLE items (id INTEGER PRIMARY KEY, email varchar(40) NOT NULL, code varchar(5), small smallint, qty int, parent_id int, CONSTRAINT items_email_unique UNIQUE (email), CONSTRAINT qty_positive CHECK (qty > 0), CONSTRAINT items_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id));`,
};

/**
 * The SQL editor's result carries the explained error on every engine: kind, table, column,
 * constraint, key, and the engine's own text as evidence.
 */
describe.each(ENGINES)('SQL editor: explained errors on %s', (engine) => {
  let r: Runner;
  beforeAll(async () => {
    r = await openRunner(engine);
    const { output } = await r.run(`${SETUP[engine]}\nINSERT INTO parent (id) VALUES (1);\nINSERT INTO items (id, email, qty, parent_id) VALUES (1, 'ada@example.com', 5, 1);`);
    expect(output.results.map((x) => x.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });
  afterAll(async () => {
    await r?.close();
  });

  const failing = async (sql: string): Promise<ExplainedError> => {
    const { output } = await r.run(sql);
    const result = output.results[0]!;
    expect(result.status).toBe('error');
    const e = result.error!.explained;
    if (!e) throw new Error(`not explained: ${result.error!.message}`);
    expect(e.evidence.message).toBe(result.error!.message);
    return e;
  };

  it('unique: the table, the column or constraint, and the key', async () => {
    const e = await failing(`INSERT INTO items (id, email) VALUES (2, 'ada@example.com')`);
    expect(e).toMatchObject({ kind: 'unique', table: 'items' });
    if (engine === 'sqlite') expect(e.column).toBe('email');
    else expect(e.constraint).toBe('items_email_unique');
    if (engine !== 'sqlite') expect(e.key!.values).toEqual(['ada@example.com']);
    // Never an empty column list where the server named only the index (MariaDB).
    expect(e.summary).not.toContain('()');
    if (engine !== 'sqlite') expect(e.summary).toContain('ada@example.com');
  });

  it('foreign key: the referenced table and, where the engine says, the constraint', async () => {
    const e = await failing(`INSERT INTO items (id, email, parent_id) VALUES (3, 'x@example.com', 99)`);
    expect(e).toMatchObject({ kind: 'foreign-key', direction: 'missing', table: 'items' });
    if (engine !== 'sqlite') expect(e).toMatchObject({ constraint: 'items_parent_fk', otherTable: { name: 'parent' } });
  });

  it('NOT NULL, CHECK', async () => {
    expect(await failing(`UPDATE items SET email = NULL WHERE id = 1`)).toMatchObject({ kind: 'not-null', column: 'email' });
    const check = await failing(`UPDATE items SET qty = -1 WHERE id = 1`);
    expect(check).toMatchObject({ kind: 'check' });
    if (engine !== 'sqlite') expect(check.constraint).toBe('qty_positive');
  });

  if (engine !== 'sqlite') {
    it('too long and out of range', async () => {
      const long = await failing(`UPDATE items SET code = 'TOOLONG1' WHERE id = 1`);
      expect(long.kind).toBe('too-long');
      const range = await failing(`UPDATE items SET small = 99999 WHERE id = 1`);
      expect(range.kind).toBe('out-of-range');
      if (engine === 'mariadb') expect(range).toMatchObject({ column: 'small', statementRow: 1 });
    });
  }
});

const SCHEMA: Record<EngineName, string> = { postgres: 'public', mariadb: '', sqlite: 'main' };

/**
 * The catalog of the table a refused statement writes fills the explanation in, as the table
 * browser's does (engines/table-data/explain-edit-failure.ts): the unique key's columns and
 * definition, the foreign key and the other table, the CHECK's expression, the column and its type —
 * looked up on the pool's connections within EXPLAIN_LOOKUP_MS.
 */
describe.each(ENGINES)('SQL editor: refused statements explained from the catalog on %s', (engine) => {
  let r: Runner;
  const slowest: number[] = [];
  beforeAll(async () => {
    r = await openRunner(engine);
    const { output } = await r.run(`${SETUP[engine]}\nINSERT INTO parent (id) VALUES (1);\nINSERT INTO items (id, email, qty, parent_id) VALUES (1, 'ada@example.com', 5, 1);`);
    expect(output.results.map((x) => x.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });
  afterAll(async () => {
    await r?.close();
  });

  const failing = async (sql: string): Promise<ExplainedError> => {
    const started = performance.now();
    const { output } = await r.run(sql);
    slowest.push(performance.now() - started);
    const result = output.results[0]!;
    expect(result.status).toBe('error');
    const e = result.error!.explained;
    if (!e) throw new Error(`not explained: ${result.error!.message}`);
    return e;
  };
  const schema = () => SCHEMA[engine] || r.db.name;

  it('unique: the key\'s columns, definition and constraint; its values where the server prints them', async () => {
    const e = await failing(`INSERT INTO items (id, email) VALUES (2, 'ada@example.com')`);
    expect(e).toMatchObject({ kind: 'unique', schema: schema(), table: 'items', column: 'email', columns: ['email'], constraint: 'items_email_unique', definition: 'UNIQUE (email)' });
    // PostgreSQL's DETAIL and MariaDB's "Duplicate entry" say the values; SQLite's message does not.
    if (engine === 'sqlite') expect(e.key).toBeNull();
    else expect(e.key).toEqual({ columns: ['email'], values: ['ada@example.com'] });
    const pk = await failing(`INSERT INTO items (id, email) VALUES (1, 'new@example.com')`);
    expect(pk).toMatchObject({ kind: 'unique', columns: ['id'], definition: 'PRIMARY KEY (id)' });
    if (engine !== 'sqlite') expect(pk.key).toEqual({ columns: ['id'], values: ['1'] });
  });

  it('foreign key: its definition, the referenced table and columns (and the key where the server prints it)', async () => {
    const e = await failing(`INSERT INTO items (id, email, parent_id) VALUES (3, 'x@example.com', 99)`);
    expect(e).toMatchObject({
      kind: 'foreign-key',
      direction: 'missing',
      table: 'items',
      column: 'parent_id',
      columns: ['parent_id'],
      constraint: 'items_parent_fk',
      definition: 'FOREIGN KEY (parent_id) REFERENCES parent (id)',
      otherTable: { schema: schema(), name: 'parent', columns: ['id'] },
    });
    if (engine === 'postgres') expect(e.key).toEqual({ columns: ['parent_id'], values: ['99'] });
  });

  it('foreign key, a referenced row deleted: the referencing table and its columns', async () => {
    const e = await failing(`DELETE FROM parent WHERE id = 1`);
    expect(e).toMatchObject({
      kind: 'foreign-key',
      direction: 'referenced',
      table: 'parent',
      constraint: 'items_parent_fk',
      definition: 'FOREIGN KEY (parent_id) REFERENCES parent (id)',
      otherTable: { name: 'items', columns: ['parent_id'] },
    });
    if (engine === 'postgres') expect(e.key).toEqual({ columns: ['id'], values: ['1'] });
  });

  it('NOT NULL: the column and its declared type', async () => {
    const e = await failing(`UPDATE items SET email = NULL WHERE id = 1`);
    expect(e).toMatchObject({ kind: 'not-null', table: 'items', column: 'email', columns: ['email'] });
    expect(e.definition).toMatch(/^email (character varying|varchar)\(40\) NOT NULL$/);
  });

  it('CHECK: the expression and the column it names', async () => {
    const e = await failing(`UPDATE items SET qty = -1 WHERE id = 1`);
    expect(e).toMatchObject({ kind: 'check', table: 'items', constraint: 'qty_positive', column: 'qty' });
    expect(e.definition).toMatch(/^CHECK \(.*qty.* > 0.*\)$/);
    expect(e.summary).toContain(e.definition);
  });

  if (engine !== 'sqlite') {
    it('too long and out of range: the column and its type, though PostgreSQL names only the type', async () => {
      const long = await failing(`UPDATE items SET code = 'TOOLONG1' WHERE id = 1`);
      expect(long).toMatchObject({ kind: 'too-long', table: 'items', column: 'code', columns: ['code'] });
      expect(long.definition).toMatch(/^code (character varying|varchar)\(5\)$/);
      const range = await failing(`UPDATE items SET small = 99999 WHERE id = 1`);
      expect(range).toMatchObject({ kind: 'out-of-range', column: 'small', columns: ['small'] });
      expect(range.definition).toMatch(/^small smallint(\(6\))?$/);
    });
  }

  it(`the lookup keeps within its bound (${EXPLAIN_LOOKUP_MS} ms)`, () => {
    // Each refused run above, lookup included, from the call to its answer.
    expect(slowest.length).toBeGreaterThan(3);
    expect(Math.max(...slowest)).toBeLessThan(EXPLAIN_LOOKUP_MS);
    console.info(`[explain] ${engine}: refused runs with the catalog lookup took ${slowest.map((x) => x.toFixed(1)).join(', ')} ms`);
  });
});

/**
 * PostgreSQL: the lookup never runs in the session's transaction. A failed transaction stays failed
 * and untouched (its last statement is still the refused INSERT, its earlier row is rolled back with
 * it), and an unqualified name resolves by the session's search path, not the pool's.
 */
describe('SQL editor on PostgreSQL: explaining inside a failed transaction', () => {
  let r: Runner;
  beforeAll(async () => {
    r = await openRunner('postgres');
    const { output } = await r.run(`${SETUP.postgres}
INSERT INTO items (id, email) VALUES (1, 'ada@example.com');
CREATE SCHEMA explain_other;
CREATE TABLE explain_other.codes (id int PRIMARY KEY, code varchar(3));
CREATE TABLE public.codes (id int PRIMARY KEY, label varchar(3), code varchar(10));`);
    expect(output.results.every((x) => x.status === 'ok')).toBe(true);
  });
  afterAll(async () => {
    await r?.close();
  });

  it('BEGIN … a refused INSERT: explained from the catalog, the transaction still failed and untouched', async () => {
    const { output } = await r.run(`BEGIN;
INSERT INTO items (id, email) VALUES (10, 'ten@example.com');
INSERT INTO items (id, email) VALUES (11, 'ada@example.com')`);
    expect(output.results.map((x) => x.status)).toEqual(['ok', 'ok', 'error']);
    expect(output.results[2]!.error!.explained).toMatchObject({ kind: 'unique', schema: 'public', table: 'items', constraint: 'items_email_unique', definition: 'UNIQUE (email)', key: { columns: ['email'], values: ['ada@example.com'] } });
    // (The session's state is read again: pg may report the failed status a moment after the error.)
    await expect.poll(async () => (await r.session()).transactionFailed).toBe(true);

    // The session's backend ran nothing after the refused INSERT: the lookup used the pool's connections.
    const pid = Number(output.session.backendId);
    const seen = await postgresExec(r.db.name, 'SELECT state, query FROM pg_stat_activity WHERE pid = $1', [pid]);
    expect(seen.rows[0]).toEqual({ state: 'idle in transaction (aborted)', query: `INSERT INTO items (id, email) VALUES (11, 'ada@example.com')` });

    // Still failed: the next statement is refused as in any aborted transaction, then ROLLBACK ends it.
    const next = await r.run('SELECT 1');
    expect(next.output.results[0]!.error!.code).toBe('25P02');
    const state = await r.w.client.call('query.rollback', { sessionId: 'tab1' });
    expect(state).toMatchObject({ transactionOpen: false, transactionFailed: false });
    expect((await postgresExec(r.db.name, 'SELECT count(*)::int AS n FROM items WHERE id = 10')).rows[0]).toEqual({ n: 0 });
  });

  it("an unqualified name resolves by the session's search path, also inside a failed transaction", async () => {
    // Autocommit: read from the session when it is idle.
    const set = await r.run(`SET search_path TO explain_other, public;
INSERT INTO codes (id, code) VALUES (1, 'TOOLONG')`);
    expect(set.output.results.map((x) => x.status)).toEqual(['ok', 'error']);
    expect(set.output.results[1]!.error!.explained).toMatchObject({ kind: 'too-long', schema: 'explain_other', table: 'codes', column: 'code', definition: 'code character varying(3)' });

    // In a failed transaction: the path read before it (nothing runs in the transaction).
    const tx = await r.run(`BEGIN;
INSERT INTO codes (id, code) VALUES (2, 'TOOLONG')`);
    expect(tx.output.results.map((x) => x.status)).toEqual(['ok', 'error']);
    expect(tx.output.results[1]!.error!.explained).toMatchObject({ kind: 'too-long', schema: 'explain_other', table: 'codes', column: 'code', definition: 'code character varying(3)' });
    await expect.poll(async () => (await r.session()).transactionFailed).toBe(true);
    await r.w.client.call('query.rollback', { sessionId: 'tab1' });

    // The pool's search path finds public.codes, whose only varchar(3) column is "label": not what the session meant.
    const other = await r.run(`SET search_path TO public;
INSERT INTO codes (id, label) VALUES (1, 'TOOLONG')`);
    expect(other.output.results[1]!.error!.explained).toMatchObject({ kind: 'too-long', schema: 'public', table: 'codes', column: 'label' });
  });
});
