import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateColumn } from '../../../features/designer/shared/edits';
import { createMariadbDatabase, createPostgresDatabase, mariadbExec, postgresExec } from '../../support/servers';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { differences } from './design-differences';

/**
 * What the designer does not edit must survive what it does: generated columns, ON UPDATE, comments,
 * collations, expression and partial indexes, JSON on MariaDB, WITHOUT ROWID and STRICT on SQLite.
 * Each case changes one column of a table full of such things, applies, and reads back the design.
 */
const cases = [
  {
    engine: 'postgresql' as const,
    schema: () => 'public',
    async create() {
      const db = await createPostgresDatabase();
      await postgresExec(
        db.name,
        `CREATE TYPE mood AS ENUM ('ok', 'meh');
         CREATE TABLE things (
           id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
           name text COLLATE "C" NOT NULL,
           price numeric(10,2) NOT NULL DEFAULT 0,
           taxed numeric(10,2) GENERATED ALWAYS AS (price * 1.2) STORED,
           feeling mood DEFAULT 'ok',
           tags text[] DEFAULT '{}',
           legacy_id serial,
           note varchar(20)
         );
         COMMENT ON TABLE things IS 'Things we sell';
         COMMENT ON COLUMN things.price IS 'In euros';
         CREATE INDEX things_lower_name ON things (lower(name));
         CREATE INDEX things_cheap ON things (price) WHERE price < 10;
         CREATE INDEX things_price_desc ON things (price DESC);`,
      );
      return { url: db.url, drop: () => db.drop() };
    },
    column: 'note',
    type: 'character varying(40)',
  },
  {
    engine: 'mariadb' as const,
    schema: (name: string) => name,
    async create() {
      const db = await createMariadbDatabase();
      await mariadbExec(
        db.name,
        `CREATE TABLE things (
           id bigint AUTO_INCREMENT PRIMARY KEY,
           name varchar(100) COLLATE utf8mb4_bin NOT NULL COMMENT 'Shown to customers',
           price decimal(10,2) NOT NULL DEFAULT 0,
           taxed decimal(10,2) AS (price * 1.2) PERSISTENT,
           attrs json,
           updated_at timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
           note varchar(20),
           UNIQUE KEY things_name (name),
           KEY things_name_prefix (name(10)),
           CONSTRAINT things_price_positive CHECK (price >= 0)
         ) COMMENT 'Things we sell';`,
      );
      return { url: db.url, drop: () => db.drop(), name: db.name };
    },
    column: 'note',
    type: 'varchar(40)',
  },
  {
    engine: 'sqlite' as const,
    schema: () => 'main',
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'dbdesk-fidelity-'));
      const file = join(dir, 'things.sqlite');
      const db = new Database(file);
      db.exec(`CREATE TABLE things (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 name TEXT NOT NULL COLLATE NOCASE,
                 price INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0),
                 taxed REAL GENERATED ALWAYS AS (price * 1.2) VIRTUAL,
                 note TEXT
               ) STRICT;
               CREATE TABLE pairs (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
               CREATE INDEX things_cheap ON things (price) WHERE price < 10;
               CREATE INDEX things_lower ON things (lower(name));
               INSERT INTO things (name, price, note) VALUES ('Ada', 3, 'x'), ('Bob', 30, 'y');`);
      db.close();
      return { url: `sqlite://${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }), file };
    },
    column: 'price',
    type: 'REAL',
  },
];

describe.each(cases)('$engine: what the designer does not edit survives a migration', (c) => {
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  let env: Awaited<ReturnType<(typeof cases)[number]['create']>>;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbdesk-fidelity-mig-'));
    env = await c.create();
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, env.url);
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    await env?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads them, plans nothing for them, and reads them back after changing one column', async () => {
    const schema = c.schema((env as { name?: string }).name ?? '');
    const { design: base, types } = await w.client.call('designer.open', { connectionId: id, schema });
    const things = base.tables.find((x) => x.name === 'things')!;
    const col = (n: string) => things.columns.find((x) => x.name === n)!;
    if (c.engine === 'postgresql') {
      expect(col('taxed').generated).toEqual({ expression: '(price * 1.2)', stored: true });
      expect(col('id').autoIncrement).toBe(true);
      expect(col('name').collation).toBe('C');
      expect(col('price').comment).toBe('In euros');
      expect(things.comment).toBe('Things we sell');
      expect(things.indexes.map((i) => [i.name, i.definition !== null, i.where])).toEqual([
        ['things_cheap', false, '(price < (10)::numeric)'],
        ['things_lower_name', true, null],
        ['things_price_desc', true, null],
      ]);
      expect(types.some((x) => x.name === 'mood' && x.source === 'database')).toBe(true);
    }
    if (c.engine === 'mariadb') {
      expect(col('attrs').type).toBe('json');
      expect(things.checks.map((k) => k.name)).toEqual(['things_price_positive']);
      expect(col('updated_at').onUpdate).toMatch(/^current_timestamp/i);
      expect(col('taxed').generated?.stored).toBe(true);
      expect(col('name').comment).toBe('Shown to customers');
      expect(things.uniques.map((u) => u.name)).toEqual(['things_name']);
      expect(things.indexes.map((i) => i.definition)).toEqual([expect.stringContaining('(`name`(10))')]);
    }
    if (c.engine === 'sqlite') {
      expect(things.strict).toBe(true);
      expect(base.tables.find((x) => x.name === 'pairs')!.withoutRowid).toBe(true);
      expect(col('id').autoIncrement).toBe(true);
      expect(col('name').collation).toBe('NOCASE');
      expect(col('taxed').generated).toEqual({ expression: 'price * 1.2', stored: false });
      expect(things.indexes.map((i) => i.name).sort()).toEqual(['things_cheap', 'things_lower']);
    }
    // Nothing to do for a design equal to the database.
    expect((await w.client.call('designer.plan', { connectionId: id, base, design: base, name: 'noop' })).changes).toEqual([]);

    const design = updateColumn(base, things.id, col(c.column).id, { type: c.type });
    const saved = await w.client.call('designer.save', { connectionId: id, base, design, name: 'change one column', dir });
    expect(saved.plan.changes.map((x) => x.text)).toEqual([`column ${c.column}: type ${col(c.column).type} → ${c.type}`]);
    const settings = { ...(await w.client.call('migrations.settings', { profileId: id })), dir };
    const request = { action: 'up' as const, to: saved.version };
    const plan = await w.client.call('migrations.plan', { connectionId: id, dir, settings, request });
    const result = await w.client.call('migrations.apply', { connectionId: id, dir, settings, request, runId: `fidelity-${c.engine}`, approved: plan.steps.map((s) => `${s.version}:${s.direction}`) });
    expect(result, result.message + JSON.stringify(result.failed)).toMatchObject({ outcome: 'success' });

    const after = (await w.client.call('designer.open', { connectionId: id, schema })).design;
    expect(differences(design, after)).toEqual([]);
    if (c.engine === 'sqlite') {
      const db = new Database((env as { file: string }).file, { readonly: true });
      try {
        expect(db.prepare('SELECT name, price, taxed, note FROM things ORDER BY id').all()).toEqual([
          { name: 'Ada', price: 3, taxed: 3.5999999999999996, note: 'x' },
          { name: 'Bob', price: 30, taxed: 36, note: 'y' },
        ]);
      } finally {
        db.close();
      }
    }
  });
});
