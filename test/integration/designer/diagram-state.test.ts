import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTable } from '../../../features/designer/shared/edits';
import { emptyDesign } from '../../../features/designer/shared/model';
import { STORE_FILE } from '../../../electron/core/store/app-store';
import { createTestCore, type TestCore, type TestWindow } from '../../support/test-core';

describe('diagram positions and drafts in the app store', () => {
  let t: TestCore;
  let w: TestWindow;
  beforeAll(() => {
    t = createTestCore();
    w = t.openWindow();
  });
  afterAll(async () => t?.close());

  it('keeps positions per connection and schema, and a draft until it is cleared', async () => {
    const profile = await w.client.call('connections.save', { fields: { name: 'x', engine: 'sqlite', file: join(t.dataDir, 'x.sqlite') } as never });
    expect(await w.client.call('designer.state', { scope: profile.id, schema: 'main' })).toEqual({ positions: {}, draft: null });
    await w.client.call('designer.save-state', { scope: profile.id, schema: 'main', positions: { 't:a': { x: 10, y: 20 } } });
    await w.client.call('designer.save-state', { scope: profile.id, schema: 'other', positions: { 't:a': { x: 99, y: 99 } } });
    const design = addTable(emptyDesign('sqlite', 'main'), 'a').design;
    await w.client.call('designer.save-state', { scope: profile.id, schema: 'main', draft: { base: emptyDesign('sqlite', 'main'), design, savedAt: '2026-01-01T00:00:00.000Z' } });
    const state = await w.client.call('designer.state', { scope: profile.id, schema: 'main' });
    expect(state.positions).toEqual({ 't:a': { x: 10, y: 20 } });
    expect(state.draft?.design.tables.map((x) => x.name)).toEqual(['a']);
    // Saving positions leaves the draft alone; a null draft deletes it.
    await w.client.call('designer.save-state', { scope: profile.id, schema: 'main', positions: {} });
    expect((await w.client.call('designer.state', { scope: profile.id, schema: 'main' })).draft).not.toBeNull();
    await w.client.call('designer.save-state', { scope: profile.id, schema: 'main', draft: null });
    expect((await w.client.call('designer.state', { scope: profile.id, schema: 'main' })).draft).toBeNull();
    // Deleting the connection deletes its diagrams.
    await w.client.call('connections.delete', { id: profile.id });
    const db = new Database(join(t.dataDir, STORE_FILE), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM designer_state WHERE scope = ?').get(profile.id)).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('lists designs made without a database, and ignores a damaged draft instead of failing', async () => {
    const design = addTable(emptyDesign('postgresql', 'public'), 'books').design;
    await w.client.call('designer.save-state', { scope: 'scratch:abc', schema: 'public', draft: { base: emptyDesign('postgresql', 'public'), design, savedAt: '2026-01-02T00:00:00.000Z', title: 'Library' } });
    expect(await w.client.call('designer.scratch-list', {})).toEqual([{ scope: 'scratch:abc', schema: 'public', title: 'Library', engine: 'postgresql', tables: 1, savedAt: '2026-01-02T00:00:00.000Z' }]);
    const db = new Database(join(t.dataDir, STORE_FILE));
    try {
      db.prepare(`UPDATE designer_state SET draft = '{"broken": true' WHERE scope = 'scratch:abc'`).run();
    } finally {
      db.close();
    }
    expect(await w.client.call('designer.state', { scope: 'scratch:abc', schema: 'public' })).toEqual({ positions: {}, draft: null });
    expect(await w.client.call('designer.scratch-list', {})).toEqual([]);
  });

  it('refuses a position that is not a finite number', async () => {
    const r = await w.invoke('designer.save-state', { scope: 'scratch:x', schema: 'public', positions: { a: { x: 'NaN', y: 1 } } });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
