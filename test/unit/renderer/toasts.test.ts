import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dismissToast, dismissToastsOutside, pauseToasts, toast, toastStore, TOAST_MS } from '../../../renderer/src/ui/toasts';

const titles = () => toastStore.get().toasts.map((t) => t.title);

describe('toasts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const t of toastStore.get().toasts) dismissToast(t.id);
    pauseToasts(false);
    vi.useRealTimers();
  });

  it('fade, errors too: none stays over the views the user moves on to', () => {
    toast({ level: 'error', title: 'Migration failed' });
    toast({ level: 'success', title: 'Saved' });
    vi.advanceTimersByTime(TOAST_MS.success);
    expect(titles()).toEqual(['Migration failed']);
    vi.advanceTimersByTime(TOAST_MS.error - TOAST_MS.success);
    expect(titles()).toEqual([]);
  });

  it('do not pile up: three at most, the newest kept', () => {
    for (const n of [1, 2, 3, 4, 5]) toast({ level: 'error', title: `error ${n}` });
    expect(titles()).toEqual(['error 3', 'error 4', 'error 5']);
  });

  it('wait while the pointer or the focus is on them, then fade in the time they had left', () => {
    toast({ level: 'error', title: 'Read me' });
    vi.advanceTimersByTime(TOAST_MS.error - 1000);
    pauseToasts(true);
    vi.advanceTimersByTime(60_000);
    expect(titles()).toEqual(['Read me']);
    pauseToasts(false);
    vi.advanceTimersByTime(999);
    expect(titles()).toEqual(['Read me']);
    vi.advanceTimersByTime(1);
    expect(titles()).toEqual([]);
  });

  it('about a tab, go when the user leaves that tab', () => {
    toast({ level: 'error', title: 'Could not release the lock', tabId: 'migrations:mdb' });
    toast({ level: 'warning', title: 'Lost the connection' });
    dismissToastsOutside('migrations:mdb');
    expect(titles()).toEqual(['Could not release the lock', 'Lost the connection']);
    dismissToastsOutside('table:mdb:shop.Customer');
    expect(titles()).toEqual(['Lost the connection']);
  });
});
