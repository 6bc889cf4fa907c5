import { createStore } from '../app/store';

export interface ToastAction {
  label: string;
  run(): void;
}

export interface Toast {
  id: number;
  level: 'info' | 'success' | 'warning' | 'error';
  title: string;
  message?: string;
  actions: ToastAction[];
  /** The tab the message is about: it shows over that tab only, and goes when the user leaves it. */
  tabId?: string;
}

/** How long each level stays on screen (while the pointer or the focus is not on it). */
export const TOAST_MS: Record<Toast['level'], number> = { info: 4000, success: 4000, warning: 8000, error: 12_000 };
const MAX_TOASTS = 3;

export const toastStore = createStore<{ toasts: Toast[] }>({ toasts: [] });
let nextId = 1;

interface Timer {
  handle: ReturnType<typeof setTimeout> | null;
  remaining: number;
  started: number;
}
const timers = new Map<number, Timer>();
let paused = false;

function start(id: number, t: Timer): void {
  t.started = Date.now();
  t.handle = setTimeout(() => dismissToast(id), t.remaining);
}

/**
 * Shows a toast. Every toast fades — errors too, after longer — so none piles up over a view
 * the user moved on to; an error about a tab goes when the user leaves that tab. What must stay
 * (a failed statement, a failed run) belongs in its view, not here.
 */
export function toast(t: Omit<Toast, 'id' | 'actions'> & { actions?: ToastAction[] }): number {
  const id = nextId++;
  const kept = toastStore.get().toasts.slice(-(MAX_TOASTS - 1));
  for (const gone of toastStore.get().toasts.filter((x) => !kept.includes(x))) forgetTimer(gone.id);
  toastStore.set({ toasts: [...kept, { ...t, id, actions: t.actions ?? [] }] });
  const timer: Timer = { handle: null, remaining: TOAST_MS[t.level] + (t.actions?.length ? 4000 : 0), started: 0 };
  timers.set(id, timer);
  if (!paused) start(id, timer);
  return id;
}

function forgetTimer(id: number): void {
  const t = timers.get(id);
  if (t?.handle) clearTimeout(t.handle);
  timers.delete(id);
}

export function dismissToast(id: number): void {
  forgetTimer(id);
  toastStore.set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

/** While the pointer or the focus is on the toasts, none fades (someone is reading or about to click). */
export function pauseToasts(pause: boolean): void {
  if (pause === paused) return;
  paused = pause;
  for (const [id, t] of timers) {
    if (pause && t.handle) {
      clearTimeout(t.handle);
      t.handle = null;
      t.remaining = Math.max(0, t.remaining - (Date.now() - t.started));
    } else if (!pause) start(id, t);
  }
}

/** The user is on another tab now: messages about the ones left behind go. */
export function dismissToastsOutside(activeTabId: string | null): void {
  for (const t of toastStore.get().toasts) if (t.tabId && t.tabId !== activeTabId) dismissToast(t.id);
}
