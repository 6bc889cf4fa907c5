import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainedError } from '../../../shared/model/explained-error';
import { cli, dbmateFile, enginesUnderTest, migrationFolder } from '../../support/migrations';

const V = '20240401000000';

/**
 * `dbdesk migrate up --json`: a statement the server refuses carries its explained error in
 * `failed.explained` (kind, table, column, constraint, key, the engine's text), on every engine.
 */
describe.each(enginesUnderTest)('migrate --json explains a refused statement on $name', (engine) => {
  let db: Awaited<ReturnType<typeof engine.create>>;
  const folders: ReturnType<typeof migrationFolder>[] = [];

  beforeAll(async () => {
    db = await engine.create();
    const innodb = engine.name === 'mariadb' ? ' ENGINE=InnoDB' : '';
    await db.exec(`CREATE TABLE parent (id int PRIMARY KEY)${innodb}`);
    await db.exec(
      `CREATE TABLE items (id int PRIMARY KEY, email varchar(40) NOT NULL, qty int, parent_id int, CONSTRAINT items_email_unique UNIQUE (email), CONSTRAINT qty_positive CHECK (qty > 0), CONSTRAINT items_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id))${innodb}`,
    );
    await db.exec(`INSERT INTO parent (id) VALUES (1)`);
    await db.exec(`INSERT INTO items (id, email, qty, parent_id) VALUES (1, 'ada@example.com', 5, 1)`);
  });
  afterAll(async () => {
    for (const f of folders) f.remove();
    await db?.drop();
  });

  /** Runs one migration made of `statement`, expects it to fail, and returns the failure. */
  async function failedWith(statement: string): Promise<{ explained: ExplainedError; error: string; sql: string }> {
    const folder = migrationFolder({ [`${V}_refused.sql`]: dbmateFile(`${statement};`) });
    folders.push(folder);
    const r = await cli(['migrate', 'up', '--json', '--url', db.url, '--dir', folder.dir]);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout) as { outcome: string; message: string; failed: { explained?: ExplainedError; error: string; sql: string } };
    expect(result.outcome).toBe('failed');
    if (!result.failed.explained) throw new Error(`not explained: ${result.failed.error}`);
    // The sentence is in the run's message too (what the CLI prints without --json).
    expect(result.message).toContain(result.failed.explained.summary);
    expect(result.failed.explained.evidence.message.length).toBeGreaterThan(0);
    return result.failed as { explained: ExplainedError; error: string; sql: string };
  }

  it('unique', async () => {
    const f = await failedWith(`INSERT INTO items (id, email) VALUES (2, 'ada@example.com')`);
    expect(f.explained).toMatchObject({ kind: 'unique', table: 'items' });
    if (engine.name === 'sqlite') expect(f.explained.column).toBe('email');
    else expect(f.explained).toMatchObject({ constraint: 'items_email_unique', key: { values: ['ada@example.com'] } });
  });

  it('foreign key', async () => {
    const f = await failedWith(`INSERT INTO items (id, email, parent_id) VALUES (3, 'x@example.com', 42)`);
    expect(f.explained).toMatchObject({ kind: 'foreign-key', direction: 'missing', table: 'items' });
    if (engine.name !== 'sqlite') expect(f.explained).toMatchObject({ constraint: 'items_parent_fk', otherTable: { name: 'parent' } });
  });

  it('NOT NULL and CHECK', async () => {
    expect((await failedWith(`UPDATE items SET email = NULL WHERE id = 1`)).explained).toMatchObject({ kind: 'not-null', column: 'email' });
    const check = (await failedWith(`UPDATE items SET qty = 0 WHERE id = 1`)).explained;
    expect(check.kind).toBe('check');
    if (engine.name !== 'sqlite') expect(check.constraint).toBe('qty_positive');
  });
});
