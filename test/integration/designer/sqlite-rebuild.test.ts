import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateColumn } from '../../../features/designer/shared/edits';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';

describe('SQLite: a rebuilt parent whose referenced column is renamed', () => {
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  let tmp: string;
  let file: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'dbdesk-sqlite-rebuild-'));
    file = join(tmp, 'shop.sqlite');
    const db = new Database(file);
    db.exec(`CREATE TABLE customers (code TEXT PRIMARY KEY, name TEXT);
             CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_code TEXT REFERENCES customers(code) ON DELETE CASCADE);
             CREATE VIEW customer_orders AS SELECT c.code, o.id FROM customers c JOIN orders o ON o.customer_code = c.code;
             INSERT INTO customers VALUES ('a', 'Ada'), ('b', 'Bob');
             INSERT INTO orders VALUES (1, 'a'), (2, 'b'), (3, 'b');`);
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

  it('keeps the children pointing at the renamed column, the view working, and every row', async () => {
    const { design: base } = await w.client.call('designer.open', { connectionId: id, schema: 'main' });
    const customers = base.tables.find((x) => x.name === 'customers')!;
    let design = updateColumn(base, customers.id, customers.columns[0]!.id, { name: 'customer_code' });
    design = updateColumn(design, customers.id, customers.columns[1]!.id, { type: 'VARCHAR(100)', nullable: false });
    const dir = join(tmp, 'migrations');
    const saved = await w.client.call('designer.save', { connectionId: id, base, design, name: 'rename code', dir });
    // The renamed column is carried by the rebuild: lint sees a table copy, and no lost column or table.
    expect(saved.plan.lint.map((l) => `${l.rule}: ${l.message}`)).toEqual([expect.stringMatching(/^table-copy: Rebuilds customers: every row is copied into .* \(columns customer_code, name\)/)]);
    const settings = { ...(await w.client.call('migrations.settings', { profileId: id })), dir };
    const request = { action: 'up' as const, to: saved.version };
    const plan = await w.client.call('migrations.plan', { connectionId: id, dir, settings, request });
    expect(plan.steps[0]!.lint.map((l) => l.rule)).toEqual(['table-copy']);
    const result = await w.client.call('migrations.apply', { connectionId: id, dir, settings, request, runId: 'rename-rebuild', approved: plan.steps.map((s) => `${s.version}:${s.direction}`) });
    expect(result, JSON.stringify(result.failed)).toMatchObject({ outcome: 'success' });

    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('orders')").all()).toEqual([{ table: 'customers', from: 'customer_code', to: 'customer_code' }]);
      expect(db.prepare('SELECT * FROM pragma_foreign_key_check').all()).toEqual([]);
      expect(db.prepare('SELECT customer_code, name FROM customers ORDER BY 1').all()).toEqual([
        { customer_code: 'a', name: 'Ada' },
        { customer_code: 'b', name: 'Bob' },
      ]);
      expect(db.prepare('SELECT count(*) AS n FROM customer_orders').get()).toEqual({ n: 3 });
    } finally {
      db.close();
    }
    // And the rebuilt table still cascades deletes to its children.
    const rw = new Database(file);
    try {
      rw.pragma('foreign_keys = ON');
      rw.prepare("DELETE FROM customers WHERE customer_code = 'b'").run();
      expect(rw.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 1 });
    } finally {
      rw.close();
    }
  });
});
