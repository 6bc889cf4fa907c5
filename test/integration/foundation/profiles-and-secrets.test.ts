import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore, type TestWindow } from '../../support/test-core';

const PASSWORD = 'Tr0ub4dor&3-unique-marker';

describe('saved connections and their passwords', () => {
  let t: TestCore;
  let w: TestWindow;
  beforeAll(() => {
    t = createTestCore();
    w = t.openWindow();
  });
  afterAll(async () => t?.close());

  const fields = { name: 'Sales DB', engine: 'postgresql', host: 'db.example.com', port: 5432, database: 'sales', user: 'alice', production: true, color: 'red' } as const;

  it('creates, edits, duplicates and deletes profiles', async () => {
    const created = await w.client.call('connections.save', { fields, password: PASSWORD });
    expect(created).toMatchObject({ name: 'Sales DB', hasPassword: true, production: true, tls: { mode: 'prefer' } });
    const edited = await w.client.call('connections.save', { id: created.id, fields: { ...fields, name: 'Sales (primary)', readOnly: true } });
    expect(edited).toMatchObject({ id: created.id, name: 'Sales (primary)', readOnly: true, hasPassword: true });
    const copy = await w.client.call('connections.duplicate', { id: created.id });
    expect(copy).toMatchObject({ name: 'Sales (primary) (copy)', hasPassword: true, readOnly: true });
    expect(copy.id).not.toBe(created.id);
    const again = await w.client.call('connections.duplicate', { id: created.id });
    expect(again.name).toBe('Sales (primary) (copy 2)');
    const cleared = await w.client.call('connections.save', { id: copy.id, fields: { ...fields, name: copy.name }, password: null });
    expect(cleared.hasPassword).toBe(false);
    expect(await w.client.call('connections.delete', { id: again.id })).toEqual({ deleted: true });
    const names = (await w.client.call('connections.list', {})).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Demo database (SQLite)', 'Sales (primary)', 'Sales (primary) (copy)']));
    expect(names).not.toContain('Sales (primary) (copy 2)');
    await expect(w.client.call('connections.save', { id: again.id, fields })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('never sends a password back, and keeps it encrypted at rest, away from its key', async () => {
    const created = await w.client.call('connections.save', { fields: { ...fields, name: 'secret check' }, password: PASSWORD });
    const everything = JSON.stringify([await w.client.call('connections.list', {}), await w.client.call('app.startup', {}), created]);
    expect(everything).not.toContain(PASSWORD);
    // The store file (and its WAL) never holds the password in clear.
    for (const f of readdirSync(t.dataDir).filter((n) => n.startsWith('dbdesk.sqlite'))) {
      expect(readFileSync(join(t.dataDir, f)).includes(Buffer.from(PASSWORD))).toBe(false);
    }
    const keyFile = join(t.dataDir, 'keys', 'secret.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // The core can still read it (a connect would use it).
    expect(t.core.profiles.passwordOf(created.id)).toBe(PASSWORD);
  });

  it('an unreadable saved password is a clear error, not a crash', async () => {
    const created = await w.client.call('connections.save', { fields: { ...fields, name: 'corrupt secret' }, password: PASSWORD });
    t.core.store.db.prepare('UPDATE secrets SET data = ? WHERE profile_id = ?').run(Buffer.from([1, 2, 3]), created.id);
    await expect(w.client.call('connections.open', { id: created.id })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/cannot be decrypted|Enter the password again/) });
  });

  it('refuses a profile that breaks the rules with the field named', async () => {
    await expect(w.client.call('connections.save', { fields: { ...fields, name: '   ' } })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/fields\.name/) });
  });
});
