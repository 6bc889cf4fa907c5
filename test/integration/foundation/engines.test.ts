import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { closeSync, mkdtempSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMariadbDatabase, createPostgresDatabase, mariadbExec, postgresExec, type TestDatabase } from '../../support/servers';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';

const hostile = 'select "weird" table; --';

describe.each([
  {
    engine: 'postgresql',
    create: createPostgresDatabase,
    setup: async (db: TestDatabase) => {
      await postgresExec(
        db.name,
        `CREATE TABLE parent (id bigint PRIMARY KEY, label text NOT NULL DEFAULT 'x');
         CREATE TABLE "${hostile.replace(/"/g, '""')}" (id serial PRIMARY KEY, parent_id bigint REFERENCES parent(id) ON DELETE CASCADE, amount numeric(12,2), note text);
         CREATE INDEX hostile_parent ON "${hostile.replace(/"/g, '""')}" (parent_id);
         CREATE TABLE no_pk (a int);
         CREATE VIEW v_parent AS SELECT * FROM parent;
         INSERT INTO parent VALUES (1, 'one'), (2, 'two');`,
      );
    },
    schema: 'public',
  },
  {
    engine: 'mariadb',
    create: createMariadbDatabase,
    setup: async (db: TestDatabase) => {
      await mariadbExec(
        db.name,
        `CREATE TABLE parent (id bigint PRIMARY KEY, label varchar(20) NOT NULL DEFAULT 'x');
         CREATE TABLE \`${hostile}\` (id int AUTO_INCREMENT PRIMARY KEY, parent_id bigint, amount decimal(12,2), note text,
           CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent(id) ON DELETE CASCADE);
         CREATE TABLE no_pk (a int);
         CREATE VIEW v_parent AS SELECT * FROM parent;
         INSERT INTO parent VALUES (1, 'one'), (2, 'two');`,
      );
    },
    schema: '',
  },
] as const)('$engine engine against the real server', ({ create, setup, schema: fixedSchema }) => {
  let db: TestDatabase;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  let schema: string;

  beforeAll(async () => {
    db = await create();
    await setup(db);
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, db.url);
    schema = fixedSchema || db.name;
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('connects and reports the server', async () => {
    const open = await w.client.call('connections.open', { id });
    expect(open.serverInfo.currentDatabase).toBe(db.name);
    expect(open.serverInfo.version).toMatch(/^\d+\.\d+/);
    expect(open.endpoint).toBe(db.url.includes('3306') ? '127.0.0.1:3306' : '127.0.0.1:5432');
    const attempts = w.events.filter((e) => e.name === 'connection.attempt').map((e) => (e.payload as { status: string }).status);
    expect(attempts).toEqual(['trying', 'connected']);
  });

  it('counts a small table exactly and gives the engine’s estimate, marked, for a big one', async () => {
    const rows = 150_000; // past EXACT_COUNT_THRESHOLD (100,000)
    if (db.url.includes('3306')) {
      await mariadbExec(db.name, `CREATE TABLE big (id int PRIMARY KEY) ENGINE=InnoDB; INSERT INTO big SELECT seq FROM seq_1_to_${rows}; ANALYZE TABLE big;`);
    } else {
      await postgresExec(db.name, `CREATE TABLE big (id int PRIMARY KEY); INSERT INTO big SELECT generate_series(1, ${rows}); ANALYZE big;`);
    }
    const big = await w.client.call('schema.table', { connectionId: id, table: { schema, name: 'big' } });
    expect(big.rowCount?.exact).toBe(false);
    // An estimate: near the truth, not necessarily equal to it.
    expect(big.rowCount!.value).toBeGreaterThan(rows * 0.5);
    expect(big.rowCount!.value).toBeLessThan(rows * 1.5);
    const parent = await w.client.call('schema.table', { connectionId: id, table: { schema, name: 'parent' } });
    expect(parent.rowCount).toEqual({ value: 2, exact: true });
  });

  it('lists schemas with the default one marked, then tables by name', async () => {
    const schemas = await w.client.call('schema.schemas', { connectionId: id });
    expect(schemas.find((s) => s.isDefault)?.name).toBe(schema);
    const tables = await w.client.call('schema.tables', { connectionId: id, schema });
    expect(tables.map((x) => [x.name, x.kind])).toEqual(
      expect.arrayContaining([
        ['parent', 'table'],
        [hostile, 'table'],
        ['no_pk', 'table'],
        ['v_parent', 'view'],
      ]),
    );
  });

  it('describes a table with a hostile name: columns, keys, foreign keys, indexes, exact count', async () => {
    const t1 = await w.client.call('schema.table', { connectionId: id, table: { schema, name: hostile } });
    expect(t1.columns.map((c) => c.name)).toEqual(['id', 'parent_id', 'amount', 'note']);
    expect(t1.primaryKey).toEqual(['id']);
    expect(t1.columns[0]!.autoIncrement).toBe(true);
    expect(t1.columns[2]!.dataType).toMatch(/^(numeric|decimal)\(12,2\)$/);
    expect(t1.foreignKeys).toHaveLength(1);
    expect(t1.foreignKeys[0]).toMatchObject({ columns: ['parent_id'], referencedTable: 'parent', referencedColumns: ['id'], onDelete: 'CASCADE' });
    expect(t1.indexes.some((ix) => ix.columns.includes('parent_id'))).toBe(true);
    expect(t1.rowCount).toEqual({ value: 0, exact: true });

    const parent = await w.client.call('schema.table', { connectionId: id, table: { schema, name: 'parent' } });
    expect(parent.rowCount).toEqual({ value: 2, exact: true });
    expect(parent.columns[1]).toMatchObject({ name: 'label', nullable: false, defaultValue: expect.stringMatching(/'x'/) });
    expect(parent.rowIdentity).toEqual({ kind: 'primary-key', columns: ['id'] });
  });

  it('says how rows of a table without a primary key are identified (or why they cannot be)', async () => {
    const noPk = await w.client.call('schema.table', { connectionId: id, table: { schema, name: 'no_pk' } });
    expect(['ctid', 'none']).toContain(noPk.rowIdentity.kind);
    if (noPk.rowIdentity.kind === 'none') expect(noPk.rowIdentity.reason).toMatch(/primary key/);
  });

  it('answers an unknown table with not-found', async () => {
    await expect(w.client.call('schema.table', { connectionId: id, table: { schema, name: 'nope' } })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('sqlite engine against real files', () => {
  let t: TestCore;
  let w: TestWindow;
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-sqlite-'));

  beforeAll(() => {
    t = createTestCore();
    w = t.openWindow();
  });
  afterAll(async () => t?.close());

  it('opens a file, lists and describes tables, and counts exactly', async () => {
    const file = join(dir, 'app.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'n');
             CREATE TABLE "b ""q""" (x TEXT, a_id INTEGER REFERENCES a(id) ON DELETE SET NULL);
             CREATE UNIQUE INDEX b_x ON "b ""q""" (x);
             INSERT INTO a (name) VALUES ('one'), ('two'), ('three');`);
    db.close();
    const id = await saveProfileFromUrl(w.client, `sqlite:${file}`);
    const open = await w.client.call('connections.open', { id });
    expect(open.serverInfo.product).toBe('sqlite');
    const tables = await w.client.call('schema.tables', { connectionId: id, schema: 'main' });
    expect(tables.map((x) => x.name)).toEqual(['a', 'b "q"']);
    const a = await w.client.call('schema.table', { connectionId: id, table: { schema: 'main', name: 'a' } });
    expect(a.rowCount).toEqual({ value: 3, exact: true });
    expect(a.columns[0]).toMatchObject({ name: 'id', autoIncrement: true, primaryKeyPosition: 1 });
    const b = await w.client.call('schema.table', { connectionId: id, table: { schema: 'main', name: 'b "q"' } });
    expect(b.rowIdentity).toEqual({ kind: 'rowid' });
    expect(b.foreignKeys[0]).toMatchObject({ columns: ['a_id'], referencedTable: 'a', referencedColumns: ['id'], onDelete: 'SET NULL' });
    expect(b.indexes[0]).toMatchObject({ name: 'b_x', unique: true, columns: ['x'] });
  });

  it('estimates a big table from its largest rowid (marked), and table.count then counts it exactly', async () => {
    const file = join(dir, 'big.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);
             INSERT INTO big WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000) SELECT i, 'v' FROM n;
             DELETE FROM big WHERE id % 10 = 0;`);
    db.close();
    const id = await saveProfileFromUrl(w.client, `sqlite:${file}`);
    await w.client.call('connections.open', { id });
    const detail = await w.client.call('schema.table', { connectionId: id, table: { schema: 'main', name: 'big' } });
    expect(detail.rowCount).toEqual({ value: 149_999, exact: false }); // the largest rowid left
    expect(await w.client.call('table.count', { connectionId: id, query: { table: { schema: 'main', name: 'big' } } })).toEqual({ value: 135_000, exact: true });
  });

  it('refuses a missing file instead of creating an empty database', async () => {
    const id = await saveProfileFromUrl(w.client, `sqlite:${join(dir, 'missing.db')}`);
    await expect(w.client.call('connections.open', { id })).rejects.toMatchObject({ code: 'connection-failed', message: expect.stringContaining('does not exist') });
  });

  it('says a text file is not a database', async () => {
    const file = join(dir, 'notes.txt');
    (await import('node:fs')).writeFileSync(file, 'hello, this is not sqlite\n'.repeat(100));
    const id = await saveProfileFromUrl(w.client, `sqlite:${file}`);
    await expect(w.client.call('connections.open', { id })).rejects.toMatchObject({ message: expect.stringContaining('not a SQLite database') });
  });
  /** A file with a small table and a big one, then `damage` applied to its bytes. */
  function damagedDb(name: string, damage: (fd: number, size: number) => void): string {
    const file = join(dir, name);
    const db = new Database(file);
    db.exec("CREATE TABLE small (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO small VALUES (1, 'one');");
    db.exec('CREATE TABLE big (id INTEGER PRIMARY KEY, payload TEXT)');
    const insert = db.prepare('INSERT INTO big (payload) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200) + i);
    })();
    db.close();
    const fd = openSync(file, 'r+');
    try {
      damage(fd, statSync(file).size);
    } finally {
      closeSync(fd);
    }
    return file;
  }

  it('says a file whose schema page is damaged is damaged', async () => {
    const file = damagedDb('bad-schema.db', (fd) => writeSync(fd, Buffer.alloc(3000, 0xff), 0, 3000, 110));
    const id = await saveProfileFromUrl(w.client, `sqlite:${file}`);
    await expect(w.client.call('connections.open', { id })).rejects.toMatchObject({
      code: 'connection-failed',
      message: expect.stringContaining('is damaged (database disk image is malformed)'),
    });
  });

  it('says so when a table’s pages are damaged: the read fails clearly, the connection goes on', async () => {
    const file = damagedDb('bad-pages.db', (fd, size) => writeSync(fd, Buffer.alloc(4096 * 3, 0xff), 0, 4096 * 3, size - 4096 * 4));
    const id = await saveProfileFromUrl(w.client, `sqlite:${file}`);
    await w.client.call('connections.open', { id });
    const readBig = async () => {
      for (let offset = 0; ; offset += 500) {
        const win = await w.client.call('table.window', { connectionId: id, query: { table: { schema: 'main', name: 'big' } }, window: { offset, limit: 500 } });
        if (win.batch.rowCount < 500) return;
      }
    };
    await expect(readBig()).rejects.toMatchObject({
      code: 'query-failed',
      message: 'The database file is damaged (database disk image is malformed). Diagnose checks how much of it can be read.',
      detail: { driverCode: 'SQLITE_CORRUPT' },
    });
    // The undamaged table still reads.
    const small = await w.client.call('table.window', { connectionId: id, query: { table: { schema: 'main', name: 'small' } }, window: { offset: 0, limit: 10 } });
    expect(small.batch.rowCount).toBe(1);
  });
});
