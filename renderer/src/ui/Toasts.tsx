import { useStore } from '../app/store';
import { dismissToast, toastStore } from './toasts';

export function Toasts() {
  const toasts = useStore(toastStore, (s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
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
