import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../shared/ipc/contract';
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
