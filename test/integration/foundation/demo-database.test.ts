import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EVENT_ROWS, generateDemoDatabase } from '../../../electron/core/demo/demo-database';

/** The database a first start opens: related tables, every kind of value, and a million events. */
describe('the demo database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-demo-'));
  const file = join(dir, 'demo.sqlite');
  let seconds = 0;
  let db: Database.Database;
  const progress: [number, number][] = [];
  beforeAll(() => {
    const started = performance.now();
    generateDemoDatabase(file, DEMO_EVENT_ROWS, (done, total) => progress.push([done, total]));
    seconds = (performance.now() - started) / 1000;
    db = new Database(file, { readonly: true });
    db.defaultSafeIntegers(true);
  });
  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a million events, generated in seconds', () => {
    expect(DEMO_EVENT_ROWS).toBe(1_000_000);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1_000_000n });
    console.log(`demo database generated in ${seconds.toFixed(2)} s`);
    // The goal is under 5 s on an idle machine; the bound here leaves room for a loaded CI machine.
    expect(seconds).toBeLessThan(20);
  });

  it('reports its progress while it writes the events (the first start shows it)', () => {
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress[0]).toEqual([0, DEMO_EVENT_ROWS]);
    expect(progress.at(-1)).toEqual([DEMO_EVENT_ROWS, DEMO_EVENT_ROWS]);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
  });

  it('has related tables whose foreign keys all hold', () => {
    const fks = (table: string) => (db.pragma(`foreign_key_list(${table})`) as { table: string }[]).map((f) => f.table).sort();
    expect(fks('orders')).toEqual(['customers']);
    expect(fks('order_items')).toEqual(['orders', 'products']);
    expect(fks('events')).toEqual(['customers']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect((db.prepare('SELECT count(*) AS n FROM orders').get() as { n: bigint }).n).toBeGreaterThan(0n);
  });

  it('holds every kind of value a grid must show exactly', () => {
    const one = (sql: string) => db.prepare(sql).pluck().get();
    expect(one('SELECT count(*) FROM value_showcase WHERE big_integer IS NULL AND text_value IS NULL AND raw IS NULL')).toBeGreaterThan(0n);
    expect(one("SELECT count(*) FROM value_showcase WHERE text_value = ''")).toBeGreaterThan(0n);
    expect(one('SELECT max(big_integer) FROM value_showcase')).toBe(9223372036854775807n);
    expect(one('SELECT min(big_integer) FROM value_showcase')).toBe(-9223372036854775808n);
    // Characters and bytes differ: non-ASCII text.
    expect(one("SELECT count(*) FROM customers WHERE length(name) <> length(CAST(name AS BLOB))")).toBeGreaterThan(0n);
    expect(one("SELECT exact_decimal FROM value_showcase WHERE id = 1")).toBe('12345678901234567890.123456789');
    expect(one("SELECT count(*) FROM customers WHERE balance <> CAST(balance AS INTEGER)")).toBeGreaterThan(0n);
    expect(one("SELECT count(*) FROM value_showcase WHERE day IS NOT NULL AND moment IS NOT NULL AND date(day) = day")).toBeGreaterThan(0n);
    expect(one("SELECT count(*) FROM value_showcase WHERE document IS NOT NULL AND json_valid(document)")).toBeGreaterThan(0n);
    expect(one("SELECT count(*) FROM value_showcase WHERE typeof(raw) = 'blob' AND length(raw) > 0")).toBeGreaterThan(0n);
    // And the events carry NULLs, decimals, JSON and timestamps too.
    const kinds = db.prepare(
      `SELECT count(*) FILTER (WHERE customer_id IS NULL) AS no_customer, count(*) FILTER (WHERE json_valid(payload)) AS json,
              count(*) FILTER (WHERE amount IS NOT NULL) AS amounts, min(occurred_at) AS first FROM events`,
    ).get() as Record<string, unknown>;
    expect(kinds.no_customer).toBeGreaterThan(0n);
    expect(kinds.json).toBeGreaterThan(0n);
    expect(kinds.amounts).toBeGreaterThan(0n);
    expect(kinds.first).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });
});
