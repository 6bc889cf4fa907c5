import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_PROFILE_ID } from '../../../electron/core/app-core';
import { createPostgresDatabase, type TestDatabase } from '../../support/servers';
import { createTestCore, type TestCore } from '../../support/test-core';

/** A port with nothing listening: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

type Attempt = { profileId: string; attempt: number; maxAttempts: number; status: string; error?: { message: string }; nextAttemptInMs?: number };

describe("the seed guide's environment variables and wait-for-database loop", () => {
  const cores: TestCore[] = [];
  let db: TestDatabase | undefined;
  afterAll(async () => {
    await Promise.all(cores.map((c) => c.close()));
    await db?.drop();
  });

  it('starts with the DB_* connection present, selected and opened at start', async () => {
    db = await createPostgresDatabase();
    const t = createTestCore({ env: { DB_TYPE: 'postgresql', DB_HOST: '127.0.0.1', DB_PORT: '5432', DB_NAME: db.name, DB_USER: 'postgres', DB_POOL_SIZE: '3' } });
    cores.push(t);
    const w = t.openWindow();
    const start = await w.client.call('app.startup', {});
    expect(start.selectedId).toBe(ENVIRONMENT_PROFILE_ID);
    expect(start.openAtStart).toBe(true);
    expect(start.profiles[0]).toMatchObject({ id: ENVIRONMENT_PROFILE_ID, source: 'environment', database: db.name, poolSize: 3, retry: { maxAttempts: 5, delaySeconds: 5 } });
    const open = await w.client.call('connections.open', { id: ENVIRONMENT_PROFILE_ID });
    expect(open.serverInfo.currentDatabase).toBe(db.name);
    await expect(w.client.call('connections.delete', { id: ENVIRONMENT_PROFILE_ID })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('reports a bad DB_* value in words instead of failing to start', async () => {
    const t = createTestCore({ env: { DB_TYPE: 'oracle' } });
    cores.push(t);
    const start = await t.openWindow().client.call('app.startup', {});
    expect(start.environmentError).toMatch(/DB_TYPE="oracle"/);
    expect(start.selectedId).toBe('demo');
  });

  it('retries DB_MAX_RETRIES times, DB_RETRY_DELAY apart, reporting each attempt with its error', async () => {
    const port = await closedPort();
    const t = createTestCore({ env: { DB_TYPE: 'postgresql', DB_HOST: '127.0.0.1', DB_PORT: String(port), DB_NAME: 'x', DB_MAX_RETRIES: '3', DB_RETRY_DELAY: '0.2' } });
    cores.push(t);
    const w = t.openWindow();
    const started = Date.now();
    await expect(w.client.call('connections.open', { id: ENVIRONMENT_PROFILE_ID })).rejects.toMatchObject({ code: 'connection-failed', message: expect.stringMatching(/Gave up after 3 attempts.*ECONNREFUSED/) });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(400);
    const attempts = w.events.filter((e) => e.name === 'connection.attempt').map((e) => e.payload as Attempt);
    expect(attempts.map((a) => `${a.attempt}/${a.maxAttempts} ${a.status}`)).toEqual(['1/3 trying', '1/3 failed', '2/3 trying', '2/3 failed', '3/3 trying', '3/3 failed']);
    expect(attempts[1]).toMatchObject({ nextAttemptInMs: 200, error: { message: expect.stringContaining('ECONNREFUSED') } });
    expect(attempts[5]!.nextAttemptInMs).toBeUndefined();
  });

  it('can be cancelled while waiting between attempts', async () => {
    const port = await closedPort();
    const t = createTestCore({ env: { DB_TYPE: 'mariadb', DB_HOST: '127.0.0.1', DB_PORT: String(port), DB_MAX_RETRIES: '5', DB_RETRY_DELAY: '30' } });
    cores.push(t);
    const w = t.openWindow();
    const controller = new AbortController();
    const opening = w.client.call('connections.open', { id: ENVIRONMENT_PROFILE_ID }, { signal: controller.signal });
    while (!w.events.some((e) => e.name === 'connection.attempt' && (e.payload as Attempt).status === 'failed')) await new Promise((r) => setTimeout(r, 20));
    const cancelledAt = Date.now();
    controller.abort();
    await expect(opening).rejects.toMatchObject({ code: 'cancelled' });
    expect(Date.now() - cancelledAt).toBeLessThan(1000);
    expect(w.events.filter((e) => e.name === 'connection.attempt').map((e) => (e.payload as Attempt).status)).toEqual(['trying', 'failed', 'cancelled']);
  });

  it('imports a .env file as a saved profile with its password stored, not shown', async () => {
    const t = createTestCore();
    cores.push(t);
    const w = t.openWindow();
    const profile = await w.client.call('connections.importEnv', { text: 'DB_TYPE=mysql\nDB_HOST=db.internal\nDB_NAME=shop\nDB_USER=app\nDB_PASS="s3cret value"\n' });
    expect(profile).toMatchObject({ engine: 'mysql', host: 'db.internal', database: 'shop', user: 'app', hasPassword: true, name: 'shop (.env)' });
    expect(JSON.stringify(profile)).not.toContain('s3cret');
    expect(t.core.profiles.passwordOf(profile.id)).toBe('s3cret value');
    await expect(w.client.call('connections.importEnv', { text: 'HELLO=1' })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('DB_TYPE') });
  });

  it('an unreachable host gets a clear error that never contains the password', async () => {
    const t = createTestCore();
    cores.push(t);
    const w = t.openWindow();
    const saved = await w.client.call('connections.save', {
      fields: { name: 'nowhere', engine: 'postgresql', host: 'db.nonexistent.invalid', port: 5432, connectTimeoutMs: 2000 },
      password: 'pa55-in-error?',
    });
    const err = await w.client.call('connections.open', { id: saved.id }).catch((e: unknown) => e as { code: string; message: string });
    expect(err).toMatchObject({ code: 'connection-failed', message: expect.stringContaining('ENOTFOUND') });
    expect(JSON.stringify(w.events)).not.toContain('pa55-in-error?');
  });
});
