import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
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
});
