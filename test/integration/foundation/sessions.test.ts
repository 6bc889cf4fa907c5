import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdmin, type TestDatabase } from '../../support/servers';
import { createTestCore, saveProfileFromUrl, type TestCore } from '../../support/test-core';

async function backendsOf(database: string): Promise<number> {
  const admin = await postgresAdmin();
  try {
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'DB Desk'`, [database]);
    return rows[0].n as number;
  } finally {
    await admin.end();
  }
}

async function waitFor(predicate: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('per-window sessions', () => {
  let db: TestDatabase;
  let t: TestCore;
  beforeAll(async () => {
    db = await createPostgresDatabase();
    t = createTestCore();
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('gives each window its own worker and its own connections', async () => {
    const a = t.openWindow();
    const b = t.openWindow();
    expect(a.session.threadId).not.toBe(b.session.threadId);
    const id = await saveProfileFromUrl(a.client, db.url);
    await a.client.call('connections.open', { id });
    // Window b has not opened it: its worker does not know the connection.
    await expect(b.client.call('schema.schemas', { connectionId: id })).rejects.toMatchObject({ code: 'not-connected' });
    await b.client.call('connections.open', { id });
    expect(await b.client.call('schema.schemas', { connectionId: id })).toEqual(expect.arrayContaining([{ name: 'public', isDefault: true }]));
    await a.close();
    await b.close();
  });

  it('closing a window closes its database connections', async () => {
    const w = t.openWindow();
    const id = await saveProfileFromUrl(w.client, db.url);
    await w.client.call('connections.open', { id });
    await w.client.call('schema.table', { connectionId: id, table: { schema: 'public', name: 'pg_stat_activity' } }).catch(() => undefined);
    expect(await backendsOf(db.name)).toBeGreaterThan(0);
    await w.close();
    await waitFor(async () => (await backendsOf(db.name)) === 0);
  });

  it('a crashed worker is reported to its window and restarted; other windows carry on', async () => {
    const victim = t.openWindow();
    const bystander = t.openWindow();
    const id = await saveProfileFromUrl(victim.client, db.url);
    await victim.client.call('connections.open', { id });
    await bystander.client.call('connections.open', { id });
    const oldThread = victim.session.threadId;

    const crash = await victim.session.send('worker.crashForTest', {});
    expect(crash).toMatchObject({ ok: false, error: { code: 'worker-crashed' } });
    await waitFor(() => victim.events.some((e) => e.name === 'session.crashed'));
    expect(victim.events.find((e) => e.name === 'session.crashed')?.payload).toMatchObject({ restarted: true, reason: expect.stringContaining('Crash requested by a test') });
    expect(bystander.events.some((e) => e.name === 'session.crashed')).toBe(false);

    // The bystander's connection still works.
    expect((await bystander.client.call('schema.tables', { connectionId: id, schema: 'public' })).length).toBeGreaterThanOrEqual(0);
    // The victim has a fresh worker: its connections are gone, but it can reconnect.
    expect(victim.session.threadId).not.toBe(oldThread);
    await expect(victim.client.call('schema.schemas', { connectionId: id })).rejects.toMatchObject({ code: 'not-connected' });
    await victim.client.call('connections.open', { id });
    expect(await victim.client.call('schema.schemas', { connectionId: id })).toEqual(expect.arrayContaining([{ name: 'public', isDefault: true }]));
    await victim.close();
    await bystander.close();
  });

  it('the crash hook is refused when test hooks are off (it is not a contract command anyway)', async () => {
    const w = t.openWindow();
    expect(await w.invoke('worker.crashForTest', {})).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    await w.close();
  });
});
