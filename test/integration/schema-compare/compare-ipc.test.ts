import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcCallError } from '../../../shared/ipc/errors';
import { defaultMigrationSettings } from '../../../shared/model/migrations';
import { largeSchemaDdl } from '../../support/large-schema';
import { migrationFolder, postgresUnderTest, sqliteUnderTest } from '../../support/migrations';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';

type Db = Awaited<ReturnType<typeof postgresUnderTest.create>>;

/** compare.run through the router and a real worker: two databases, two schemas of one, refusals, cancel, then the migration saved and applied. */
describe('schema compare over IPC', () => {
  let tc: TestCore;
  let w: TestWindow;
  let source: Db;
  let target: Db;
  let lite: Db;
  const ids: Record<string, string> = {};
  const folder = migrationFolder();

  beforeAll(async () => {
    [source, target, lite] = await Promise.all([postgresUnderTest.create(), postgresUnderTest.create(), sqliteUnderTest.create()]);
    await source.exec(`CREATE TYPE mood AS ENUM ('ok', 'sad');
      CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text, mood mood);
      CREATE INDEX customers_email ON customers (email);
      CREATE VIEW named AS SELECT id, name FROM customers;
      CREATE SCHEMA "Other Side"; CREATE TABLE "Other Side".customers (id bigint PRIMARY KEY);`);
    await target.exec(`CREATE TABLE customers (id bigint PRIMARY KEY, name text);
      INSERT INTO customers VALUES (1, 'Ada');
      CREATE TABLE legacy (id int);`);
    tc = createTestCore();
    w = tc.openWindow();
    ids.source = await saveProfileFromUrl(w.client, source.url, { name: 'Source' });
    ids.target = await saveProfileFromUrl(w.client, target.url, { name: 'Target' });
    ids.lite = await saveProfileFromUrl(w.client, lite.url, { name: 'Lite' });
    for (const id of Object.values(ids)) await w.client.call('connections.open', { id });
  });

  afterAll(async () => {
    await w?.close();
    await tc?.close();
    await Promise.all([source?.drop(), target?.drop(), lite?.drop()]);
    folder.remove();
  });

  it('compares two connections with progress, and the saved migration applied through the runner makes them equal', async () => {
    const runId = 'run-compare-1';
    const out = await w.client.call('compare.run', { runId, source: { connectionId: ids.source!, schema: null, label: 'Source' }, target: { connectionId: ids.target!, schema: null, label: 'Target' } });
    const r = out.result;
    expect(r.equal).toBe(false);
    const labels = r.items.map((i) => `${i.status} ${i.kind} ${i.name}`);
    expect(labels).toEqual(expect.arrayContaining(['added enum mood', 'added view named', 'changed table customers', 'removed table legacy']));
    const customers = r.items.find((i) => i.name === 'customers')!;
    expect(customers.sourceDdl).toContain('email');
    expect(customers.targetDdl).not.toContain('email');
    expect(out.file.up).toContain('CREATE TYPE');
    expect(out.file.down).toContain('DROP TYPE');
    const steps = w.events.filter((e) => e.name === 'compare.progress' && (e.payload as { runId: string }).runId === runId).map((e) => (e.payload as { step: string; side: string | null }).step);
    expect(steps).toEqual(expect.arrayContaining(['reading', 'read', 'comparing', 'linting', 'done']));
    expect(steps.at(-1)).toBe('done');

    // Saved through the migrations folder writer, planned and applied by the runner on the target.
    const written = await w.client.call('migrations.create', { dir: folder.dir, name: out.file.name, up: out.file.up, down: out.file.down, transaction: out.file.transaction });
    expect(readFileSync(written.path, 'utf8')).toMatch(/^-- migrate:up/m);
    const settings = { ...defaultMigrationSettings, dir: folder.dir };
    const plan = await w.client.call('migrations.plan', { connectionId: ids.target!, dir: folder.dir, settings, request: { action: 'up' } });
    expect(plan.steps.map((s) => s.version)).toEqual([written.version]);
    const run = await w.client.call('migrations.apply', { connectionId: ids.target!, dir: folder.dir, settings, request: { action: 'up' }, runId: 'run-apply-1', approved: plan.steps.map((s) => `${s.version}:${s.direction}`) });
    expect(run.outcome).toBe('success');
    const again = await w.client.call('compare.run', { runId: 'run-compare-2', source: { connectionId: ids.source!, schema: null }, target: { connectionId: ids.target!, schema: null } });
    expect(again.result.items).toEqual([]);
    expect(again.result.equal).toBe(true);
    expect(await target.query('SELECT name FROM customers')).toEqual([{ name: 'Ada' }]);
    expect(readFileSync(join(folder.dir, written.files[0]!), 'utf8')).toContain('-- migrate:down');
  });

  it('compares two schemas of one connection', async () => {
    const out = await w.client.call('compare.run', { runId: 'run-compare-3', source: { connectionId: ids.source!, schema: 'Other Side' }, target: { connectionId: ids.source!, schema: 'public' } });
    expect(out.result.source.schema).toBe('Other Side');
    expect(out.result.target.schema).toBe('public');
    expect(out.result.items.map((i) => `${i.status} ${i.kind} ${i.name}`)).toEqual(expect.arrayContaining(['changed table customers', 'removed view named', 'removed enum mood']));
  });

  it('refuses two engine families, a connection not open, a schema that does not exist, and a bad input', async () => {
    const mixed = (await w.client.call('compare.run', { runId: 'run-compare-4', source: { connectionId: ids.lite!, schema: null, label: 'Lite' }, target: { connectionId: ids.target!, schema: null, label: 'Target' } }).catch((e: unknown) => e)) as IpcCallError;
    expect(mixed.code).toBe('invalid-input');
    expect(mixed.message).toMatch(/Both sides must be one engine family: Lite is SQLite, Target is PostgreSQL/);
    const closed = (await w.client.call('compare.run', { runId: 'run-compare-5', source: { connectionId: 'nope', schema: null }, target: { connectionId: ids.target!, schema: null } }).catch((e: unknown) => e)) as IpcCallError;
    expect(closed.code).toBe('not-connected');
    const missing = (await w.client.call('compare.run', { runId: 'run-compare-6', source: { connectionId: ids.source!, schema: 'no such schema' }, target: { connectionId: ids.target!, schema: null } }).catch((e: unknown) => e)) as IpcCallError;
    expect(missing.message).toMatch(/no schema named "no such schema"/);
    const bad = await w.invoke('compare.run', { runId: 'run-compare-7', source: { connectionId: ids.source!, schema: null, extra: 1 }, target: { connectionId: ids.target!, schema: null } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('cancels a compare in progress', async () => {
    // A schema large enough that reading it takes a while (the cancel arrives while it is read).
    await source.exec(`CREATE SCHEMA big; SET search_path = big; ${largeSchemaDdl(600)}`);
    const runId = 'run-compare-8';
    const controller = new AbortController();
    const call = w.client.call('compare.run', { runId, source: { connectionId: ids.source!, schema: 'big' }, target: { connectionId: ids.source!, schema: 'big' } }, { signal: controller.signal });
    // Cancel as soon as the first side starts reading.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (w.events.some((e) => e.name === 'compare.progress' && (e.payload as { runId: string }).runId === runId)) {
          clearInterval(check);
          resolve();
        }
      }, 1);
    });
    controller.abort();
    const err = (await call.catch((e: unknown) => e)) as IpcCallError;
    expect(err.code).toBe('cancelled');
    // The worker stopped at the next step: no 'done' for this run, and the window still compares.
    await new Promise((r) => setTimeout(r, 300));
    expect(w.events.some((e) => e.name === 'compare.progress' && (e.payload as { runId: string; step: string }).runId === runId && (e.payload as { step: string }).step === 'done')).toBe(false);
    const next = await w.client.call('compare.run', { runId: 'run-compare-9', source: { connectionId: ids.source!, schema: null }, target: { connectionId: ids.source!, schema: null } });
    expect(next.result.equal).toBe(true);
  });
});
