import { useEffect } from 'react';
import { appStore } from '../app/app-state';
import { useStore } from '../app/store';
import { dismissToast, dismissToastsOutside, pauseToasts, toastStore } from './toasts';

export function Toasts() {
  const toasts = useStore(toastStore, (s) => s.toasts);
  const activeTabId = useStore(appStore, (s) => s.activeTabId);
  useEffect(() => dismissToastsOutside(activeTabId), [activeTabId]);
  return (
    <div
      className="toasts"
      aria-live="polite"
      onMouseEnter={() => pauseToasts(true)}
      onMouseLeave={() => pauseToasts(false)}
      onFocus={() => pauseToasts(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) pauseToasts(false);
      }}
    >
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.level}`} role={t.level === 'error' ? 'alert' : 'status'}>
          <div className="toast-body">
            <strong>{t.title}</strong>
            {t.message && <p>{t.message}</p>}
          </div>
          <div className="toast-actions">
            {t.actions.map((a) => (
              <button
                key={a.label}
                className="btn btn-small"
                onClick={() => {
                  a.run();
                  dismissToast(t.id);
                }}
              >
                {a.label}
              </button>
            ))}
            <button className="icon-btn" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
              ×
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
