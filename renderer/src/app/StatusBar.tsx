import { appStore } from './app-state';
import { useStore } from './store';

/**
 * The window's status line: what an open connection is living with that is not an error of one
 * request — today, a server that grants fewer connections than the pool size (said once, kept here
 * while the connection is open). Nothing is drawn when there is nothing to say.
 */
export function StatusBar() {
  const connections = useStore(appStore, (s) => s.connections);
  const profiles = useStore(appStore, (s) => s.profiles);
  const capped = Object.entries(connections).filter(([, c]) => c.status === 'open' && c.capped);
  if (capped.length === 0) return null;
  return (
    <footer className="status-bar" role="status" aria-label="Status">
      {capped.map(([id, c]) => (
        <p key={id} className="status-item status-warning" title={`The server said: ${c.capped!.serverMessage}`}>
          <span className="status-icon" aria-hidden>
            ⚠
          </span>{' '}
          <strong>{profiles.find((p) => p.id === id)?.name ?? 'A connection'}</strong>: {c.capped!.message} {c.capped!.remedy}
        </p>
      ))}
    </footer>
  );
}
