import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainedError } from '../../../shared/model/explained-error';
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
