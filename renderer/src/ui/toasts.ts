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
}

export const toastStore = createStore<{ toasts: Toast[] }>({ toasts: [] });
let nextId = 1;

/** Shows a toast; errors stay until dismissed, the rest fade after a few seconds. */
export function toast(t: Omit<Toast, 'id' | 'actions'> & { actions?: ToastAction[] }): number {
  const id = nextId++;
  toastStore.set((s) => ({ toasts: [...s.toasts.slice(-4), { ...t, id, actions: t.actions ?? [] }] }));
  if (t.level !== 'error') setTimeout(() => dismissToast(id), t.level === 'warning' ? 8000 : 4000);
  return id;
}

export function dismissToast(id: number): void {
  toastStore.set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}
