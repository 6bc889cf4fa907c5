import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addColumn, updateColumn } from '../../../features/designer/shared/edits';
import { IpcCallError } from '../../../shared/ipc/errors';
import { createPostgresDatabase, postgresExec, type TestDatabase } from '../../support/servers';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';

describe('drift: the database changed after the design was read', () => {
  let db: TestDatabase;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbdesk-drift-'));
    db = await createPostgresDatabase();
    await postgresExec(db.name, `CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2));`);
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, db.url);
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports what someone else changed, refuses to save, and is clean again after a reload', async () => {
    const { design: base } = await w.client.call('designer.open', { connectionId: id, schema: 'public' });
    const design = addColumn(base, base.tables[0]!.id, { name: 'note', type: 'text' }).design;
    expect((await w.client.call('designer.plan', { connectionId: id, base, design, name: 'add note' })).drift).toEqual([]);

    // Someone else alters the table and adds an index.
    await postgresExec(db.name, `ALTER TABLE orders ADD COLUMN placed_at timestamptz; CREATE INDEX orders_total_idx ON orders (total);`);
    const plan = await w.client.call('designer.plan', { connectionId: id, base, design, name: 'add note' });
    expect(plan.drift.map((d) => d.text)).toEqual(['add column placed_at timestamp with time zone NULL', 'add index orders_total_idx (total)']);

    const err = await w.client.call('designer.save', { connectionId: id, base, design, name: 'add note', dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcCallError);
    expect((err as IpcCallError).code).toBe('conflict');
    expect((err as IpcCallError).message).toMatch(/database changed since the design was read.*placed_at/);
    expect(readdirSync(dir)).toEqual([]);

    const { design: fresh } = await w.client.call('designer.open', { connectionId: id, schema: 'public' });
    const again = addColumn(fresh, fresh.tables[0]!.id, { name: 'note', type: 'text' }).design;
    const ok = await w.client.call('designer.plan', { connectionId: id, base: fresh, design: again, name: 'add note' });
    expect(ok.drift).toEqual([]);
    expect(ok.up.statements).toEqual(['ALTER TABLE "public"."orders" ADD COLUMN "note" text']);
    const saved = await w.client.call('designer.save', { connectionId: id, base: fresh, design: again, name: 'add note', dir });
    expect(readFileSync(join(dir, saved.files[0]!), 'utf8')).toBe('-- migrate:up\nALTER TABLE "public"."orders" ADD COLUMN "note" text;\n\n-- migrate:down\nALTER TABLE "public"."orders" DROP COLUMN "note";\n');
  });
});

describe('a SQLite rebuild that would leave rows without their parent', () => {
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  let tmp: string;
  let file: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'dbdesk-rebuild-'));
    file = join(tmp, 'dangling.sqlite');
    const db = new Database(file);
    db.pragma('foreign_keys = OFF');
    db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
             CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total TEXT);
             INSERT INTO customers VALUES (1, 'Ada');
             INSERT INTO orders VALUES (1, 1, '5'), (2, 99, '7');`);
    db.close();
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, `sqlite://${file}`);
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('fails at the foreign key check and leaves the table and its rows as they were', async () => {
    const { design: base } = await w.client.call('designer.open', { connectionId: id, schema: 'main' });
    const orders = base.tables.find((x) => x.name === 'orders')!;
    const design = updateColumn(base, orders.id, orders.columns.find((c) => c.name === 'total')!.id, { type: 'REAL' });
    const dir = join(tmp, 'migrations');
    const saved = await w.client.call('designer.save', { connectionId: id, base, design, name: 'total as real', dir });
    expect(saved.plan.up.statements.at(-4)).toMatch(/pragma_foreign_key_check\('orders'\)/);
    const settings = { ...(await w.client.call('migrations.settings', { profileId: id })), dir };
    const request = { action: 'up' as const, to: saved.version };
    const plan = await w.client.call('migrations.plan', { connectionId: id, dir, settings, request });
    const result = await w.client.call('migrations.apply', { connectionId: id, dir, settings, request, runId: 'rebuild-fails', approved: plan.steps.map((s) => `${s.version}:${s.direction}`) });
    expect(result.outcome).toBe('failed');
    expect(result.failed?.error).toMatch(/foreign_key_check_found_rows_without_parent/);

    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare("SELECT type FROM pragma_table_info('orders') WHERE name = 'total'").get()).toEqual({ type: 'TEXT' });
      expect(db.prepare('SELECT id, customer_id, total FROM orders ORDER BY id').all()).toEqual([
        { id: 1, customer_id: 1, total: '5' },
        { id: 2, customer_id: 99, total: '7' },
      ]);
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE '_dbdesk%'").all()).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('applying a design to a production connection', () => {
  let db: TestDatabase;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbdesk-prod-'));
    db = await createPostgresDatabase();
    await postgresExec(db.name, `CREATE TABLE accounts (id bigint PRIMARY KEY);`);
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, db.url, { production: true });
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes through the runner’s typed confirmation and records the run in its history', async () => {
    const { design: base } = await w.client.call('designer.open', { connectionId: id, schema: 'public' });
    const design = addColumn(base, base.tables[0]!.id, { name: 'owner', type: 'text' }).design;
    const saved = await w.client.call('designer.save', { connectionId: id, base, design, name: 'accounts owner', dir });
    const settings = { ...(await w.client.call('migrations.settings', { profileId: id })), dir };
    const request = { action: 'up' as const, to: saved.version };
    const plan = await w.client.call('migrations.plan', { connectionId: id, dir, settings, request });
    expect(plan.production).toBe(true);
    const approved = plan.steps.map((s) => `${s.version}:${s.direction}`);
    const refused = await w.client.call('migrations.apply', { connectionId: id, dir, settings, request, runId: 'prod-no-confirm', approved }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IpcCallError);
    expect((refused as IpcCallError).message).toMatch(/production connection: confirm by typing the database name/);
    expect((await postgresExec(db.name, `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'owner'`)).rows[0].n).toBe(0);
    const done = await w.client.call('migrations.apply', { connectionId: id, dir, settings, request, runId: 'prod-confirmed', approved, confirmDatabase: plan.database });
    expect(done.outcome).toBe('success');
    const history = await w.client.call('migrations.history', { connectionId: id });
    expect(history.map((h) => h.name)).toContain('accounts_owner');
    const after = await w.client.call('designer.open', { connectionId: id, schema: 'public' });
    expect(after.design.tables[0]!.columns.map((c) => c.name)).toEqual(['id', 'owner']);
  });
});
