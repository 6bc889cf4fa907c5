import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../shared/ipc/contract';
import { emptyDesign } from '../../../features/designer/shared/model';
import { createTestCore, type TestCore, type TestWindow } from '../../support/test-core';

/**
 * Every command of the contract, fed payloads that do not match it, must answer invalid-input
 * and do nothing else — checked over the real router, for commands added later too.
 */
const malformed: unknown[] = [undefined, null, 42, 'text', [], [{}], { unexpected: true }, { connectionId: 7 }, { id: { $gt: '' } }, { __proto__: { polluted: 1 } }];

describe('the IPC contract against malformed payloads', () => {
  let t: TestCore;
  let w: TestWindow;
  beforeAll(() => {
    t = createTestCore();
    w = t.openWindow();
  });
  afterAll(async () => t?.close());

  for (const name of Object.keys(commands)) {
    it(`${name} refuses every malformed payload`, async () => {
      for (const payload of malformed) {
        const spec = commands[name as keyof typeof commands];
        if (spec.input.safeParse(payload).success) continue; // e.g. {} is a valid empty input
        const r = await w.invoke(name, payload);
        expect(r.ok, `${name} accepted ${JSON.stringify(payload)}`).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('invalid-input');
          expect(r.error.message).toContain(name);
        }
      }
    });
  }

  it('answers an unknown command name without running anything', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'worker.open', 'worker.crashForTest', 42, null]) {
      const r = await w.invoke(name, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    }
  });

  it('names the wrong field in words', async () => {
    const r = await w.invoke('connections.save', { fields: { name: 'x', engine: 'postgresql', port: 70000 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/fields\.port/);
  });

  it('is still serving after all that', async () => {
    const list = await w.client.call('connections.list', {});
    expect(list.some((p) => p.demo)).toBe(true);
  });
});

describe('the limits of the contract', () => {
  let t: TestCore;
  let w: TestWindow;
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-limits-'));
  beforeAll(() => {
    t = createTestCore();
    w = t.openWindow();
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a command name that is not a string, even one whose toString is a trap', async () => {
    for (const name of [{ toString: 1 }, { toString: () => 'x'.repeat(1e6) }, ['connections.list'], 'x'.repeat(1_000_000), undefined, true]) {
      const r = await w.invoke(name, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
      expect(JSON.stringify(r).length).toBeLessThan(400);
    }
  });

  it('never echoes an unknown key, however long, back to the window', async () => {
    const key = 'k'.repeat(50 * 1024 * 1024);
    const r = await w.invoke('connections.list', { [key]: 1, other: 2 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(r).length).toBeLessThan(2000);
    if (!r.ok) expect(r.error.message).toMatch(/unknown fields "k+… \(52428800 characters\)", "other"/);
  });

  it('lists at most 20 issues of a payload wrong in thousands of places', async () => {
    const r = await w.invoke('history.delete', { ids: Array.from({ length: 5000 }, () => 'x') });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    if (!r.ok) expect((r.error.detail as { issues: unknown[] }).issues).toHaveLength(21);
  });

  it('refuses a NUL in any path as invalid input, in words', async () => {
    const nul = join(dir, 'a\u0000b');
    const calls: [string, unknown][] = [
      ['migrations.browse', { path: nul }],
      ['migrations.create', { dir: nul, name: 'x' }],
      ['designer.save-scratch', { design: emptyDesign('sqlite', 'main'), name: 'x', dir: nul }],
      ['table.saveCell', { connectionId: 'c', table: { schema: 'main', name: 't' }, rowId: [1], column: 'x', path: nul }],
      ['connections.test', { fields: { name: 'x', engine: 'sqlite', file: nul } }],
      ['migrations.saveSettings', { profileId: 'demo', settings: { dir: nul, lockTimeoutSeconds: 5, statementTimeoutSeconds: 0, lockWaitSeconds: 30 } }],
    ];
    for (const [name, input] of calls) {
      const r = await w.invoke(name, input);
      expect(r, name).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('NUL') } });
    }
  });

  it('refuses a relative folder or file: nothing is written where the server was started', async () => {
    const rel = `dbdesk-relative-${randomBytes(4).toString('hex')}`;
    const calls: [string, unknown][] = [
      ['migrations.create', { dir: rel, name: 'x' }],
      ['migrations.browse', { path: rel }],
      ['designer.save-scratch', { design: emptyDesign('sqlite', 'main'), name: 'x', dir: rel }],
      ['table.saveCell', { connectionId: 'c', table: { schema: 'main', name: 't' }, rowId: [1], column: 'x', path: `${rel}.bin` }],
    ];
    for (const [name, input] of calls) {
      const r = await w.invoke(name, input);
      expect(r, name).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('absolute path') } });
    }
    expect(existsSync(rel)).toBe(false);
    const made = await w.client.call('migrations.create', { dir: join(dir, 'migrations'), name: 'first' });
    expect(readdirSync(join(dir, 'migrations'))).toEqual([made.files[0]]);
  });

  it('refuses text that is not Unicode (a lone surrogate) instead of storing it changed', async () => {
    const r = await w.invoke('editorTabs.save', { tab: { id: '\ud800', profileId: 'demo', title: 't', text: '', anchor: 0, head: 0, position: 0 } });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('tab.id: the text holds half of a UTF-16 pair') } });
    // A whole pair (an emoji) is text like any other.
    expect(await w.invoke('editorTabs.save', { tab: { id: 'emoji', profileId: 'demo', title: '\ud83d\ude00', text: '', anchor: 0, head: 0, position: 0 } })).toMatchObject({ ok: true });
  });

  it('answers a design that names a missing column, or a NUL in a name, as invalid input', async () => {
    const table = { id: 't', name: 'items', columns: [{ id: 'c', name: 'id', type: 'integer', nullable: false, default: null }], primaryKey: { name: null, columns: ['c'] } };
    const design = { ...emptyDesign('sqlite', 'main'), tables: [table] };
    expect(await w.invoke('designer.plan-scratch', { design, name: 'x' })).toMatchObject({ ok: true });
    const dangling = { ...design, tables: [{ ...table, primaryKey: { name: null, columns: ['gone'] } }] };
    expect(await w.invoke('designer.plan-scratch', { design: dangling, name: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('refers to a column it does not have') } });
    const nul = { ...design, tables: [{ ...table, name: 'it\u0000ems' }] };
    expect(await w.invoke('designer.plan-scratch', { design: nul, name: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'A name cannot contain the NUL character.' } });
  });

  it('writes migrations made at the same moment into one folder as separate versions, and says when the folder is a file', async () => {
    const folder = join(dir, 'same-second');
    const made = await Promise.all(Array.from({ length: 4 }, () => w.client.call('migrations.create', { dir: folder, name: 'same name' })));
    expect(new Set(made.map((m) => m.version)).size).toBe(4);
    expect(readdirSync(folder).sort()).toEqual(made.map((m) => m.files[0]).sort());
    const r = await w.invoke('migrations.create', { dir: '/dev/null', name: 'x' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', message: '"/dev/null" is not a folder (a file is in its place or in its path).' } });
  });

  it('bounds every string the app store keeps', async () => {
    const long = 'x'.repeat(100_000);
    expect(await w.invoke('settings.update', { lastConnectionId: long })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const draft = { base: emptyDesign('sqlite', 'main'), design: emptyDesign('sqlite', 'main'), savedAt: long };
    expect(await w.invoke('designer.save-state', { scope: 'scratch:a', schema: 'main', draft })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await w.invoke('designer.save-state', { scope: 'scratch:a', schema: 'main', positions: { [long]: { x: 1, y: 2 } } })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(t.core.store.settings.get().lastConnectionId).not.toBe(long);
  });
});
