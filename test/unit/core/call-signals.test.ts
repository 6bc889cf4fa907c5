import { describe, expect, it } from 'vitest';
import { CallSignals } from '../../../electron/core/call-signals';
import { keepCancelling } from '../../../electron/core/engines/common/keep-cancelling';
import { createClient } from '../../../shared/ipc/client';
import type { IpcResult } from '../../../shared/ipc/errors';
import type { DbDeskTransport } from '../../../shared/ipc/transport';

describe('CallSignals: the calls a window may cancel', () => {
  it('aborts only the call it names, once; a finished or unknown id is no error', () => {
    const calls = new CallSignals();
    const a = calls.start(1);
    const b = calls.start(2);
    expect(calls.cancel(1)).toBe(true);
    expect(a.aborted).toBe(true);
    expect(b.aborted).toBe(false);
    expect(calls.cancel(1)).toBe(false);
    calls.finish(2, b);
    expect(calls.cancel(2)).toBe(false);
    expect(calls.cancel(99)).toBe(false);
    expect(calls.size).toBe(0);
  });

  it('a call that reuses an id in flight takes it over; the older call finishing does not forget the newer', () => {
    const calls = new CallSignals();
    const old = calls.start(5);
    const newer = calls.start(5);
    calls.finish(5, old);
    expect(calls.cancel(5)).toBe(true);
    expect(newer.aborted).toBe(true);
    expect(old.aborted).toBe(false);
  });

  it('cancelAll aborts every call in flight (the window went away); ids are checked', () => {
    const calls = new CallSignals();
    const signals = [1, 2, 3].map((id) => calls.start(id));
    calls.cancelAll();
    expect(signals.every((s) => s.aborted)).toBe(true);
    for (const bad of [0, -1, 1.5, '1', null, undefined, 2 ** 53, {}]) expect(CallSignals.parseId(bad)).toBeNull();
    expect(CallSignals.parseId(7)).toBe(7);
  });
});

describe('the typed client with a signal', () => {
  it('numbers the call, sends cancel(callId) on abort, and still returns the call’s own answer', async () => {
    const sent: unknown[][] = [];
    let answer!: (r: IpcResult) => void;
    const transport: DbDeskTransport = {
      invoke: (...args) => {
        sent.push(['invoke', ...args]);
        return new Promise((r) => (answer = r));
      },
      cancel: (id) => void sent.push(['cancel', id]),
      subscribe: () => () => undefined,
    };
    const client = createClient(transport);
    const controller = new AbortController();
    const call = client.call('connections.list', {}, { signal: controller.signal });
    controller.abort();
    answer({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    expect(sent).toEqual([
      ['invoke', 'connections.list', {}, 1],
      ['cancel', 1],
    ]);
    // Aborted before: nothing is sent.
    await expect(client.call('connections.list', {}, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled' });
    // Without a signal: no id, nothing to cancel.
    void client.call('connections.list', {});
    expect(sent.at(-1)).toEqual(['invoke', 'connections.list', {}]);
  });
});

describe('keepCancelling', () => {
  it('sends the cancel again while the statement runs, and says clean once it settled', async () => {
    let cancels = 0;
    let settle!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    const done = keepCancelling(settled, async () => {
      cancels++;
      if (cancels === 2) setTimeout(settle, 10);
      return true;
    });
    expect(await done).toBe(true);
    expect(cancels).toBe(2);
  });

  it('gives the connection up when a cancel cannot be delivered', async () => {
    expect(await keepCancelling(new Promise(() => undefined), async () => false)).toBe(false);
  });
});
