import { useEffect, useEffectEvent, useState } from 'react';
import type { HistoryEntry, SavedQuery } from '../../../shared/model/query';
import { client } from '../../../renderer/src/ipc/client';
import { toast } from '../../../renderer/src/ui/toasts';
import { newTab } from './editor-store';
import { plural } from '../../../shared/text/plural';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

const when = (iso: string) => {
  const d = new Date(iso);
  return `${d.toLocaleDateString()} ${d.toLocaleTimeString()}`;
};

/** Every statement run on the connection, newest first, searchable; open one in a new editor tab. */
export function HistoryPanel({ profileId }: { profileId: string }) {
  const [search, setSearch] = useState('');
  const term = useDebounced(search, 200);
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    client
      .call('history.list', { profileId, limit: 300, ...(term ? { search: term } : {}) })
      .then((e) => {
        setEntries(e);
        setError(null);
      })
      .catch((err: unknown) => setError((err as Error).message));
  const loadNow = useEffectEvent(() => void load());
  useEffect(() => loadNow(), [profileId, term]);
  return (
    <div className="history">
      <div className="side-toolbar">
        <h3>History</h3>
        <span className="spacer" />
        <button className="btn btn-small" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <input type="search" className="search" placeholder="Search the history" aria-label="Search the history" value={search} onChange={(e) => setSearch(e.target.value)} />
      {error && <p className="error-text">{error}</p>}
      {entries?.length === 0 && <p className="muted">{term ? 'Nothing in the history matches.' : 'Nothing has been run on this connection yet.'}</p>}
      <ul className="history-list" aria-label="History entries">
        {entries?.map((e) => (
          <li key={e.id} className={`history-entry status-${e.status}`}>
            <pre className="history-sql" title={e.sql}>
              {e.sql.length > 300 ? `${e.sql.slice(0, 300)}…` : e.sql}
            </pre>
            <div className="history-meta">
              <span className={`status-word status-${e.status}`}>{e.status}</span>
              <span className="muted">{when(e.executedAt)}</span>
              <span className="muted">{Math.round(e.durationMs)} ms</span>
              {e.rowCount !== null && <span className="muted">{plural(e.rowCount, 'row')}</span>}
              <span className="spacer" />
              <button className="btn btn-small" onClick={() => void newTab(profileId, e.sql)}>
                Open
              </button>
              <button className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(e.sql).then(() => toast({ level: 'success', title: 'Copied' }))}>
                Copy
              </button>
            </div>
            {e.error && <p className="error-text small">{e.error}</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Named queries of the connection; open one in a new editor tab. */
export function SavedQueriesPanel({ profileId }: { profileId: string }) {
  const [search, setSearch] = useState('');
  const term = useDebounced(search, 200);
  const [list, setList] = useState<SavedQuery[] | null>(null);
  const load = () =>
    client
      .call('savedQueries.list', { profileId, ...(term ? { search: term } : {}) })
      .then(setList)
      .catch((err: unknown) => toast({ level: 'error', title: 'Could not read the saved queries', message: (err as Error).message }));
  const loadNow = useEffectEvent(() => void load());
  useEffect(() => loadNow(), [profileId, term]);
  return (
    <div className="history">
      <div className="side-toolbar">
        <h3>Saved queries</h3>
        <span className="spacer" />
        <button className="btn btn-small" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <input type="search" className="search" placeholder="Search by name or text" aria-label="Search saved queries" value={search} onChange={(e) => setSearch(e.target.value)} />
      {list?.length === 0 && <p className="muted">{term ? 'No saved query matches.' : 'No saved queries yet: press Save… (Ctrl/⌘+S) in the editor.'}</p>}
      <ul className="history-list" aria-label="Saved queries">
        {list?.map((q) => (
          <li key={q.id} className="history-entry">
            <strong>{q.name}</strong>
            <pre className="history-sql">{q.sql.length > 300 ? `${q.sql.slice(0, 300)}…` : q.sql}</pre>
            <div className="history-meta">
              <span className="muted">{when(q.updatedAt)}</span>
              <span className="spacer" />
              <button className="btn btn-small" onClick={() => void newTab(profileId, q.sql)}>
                Open
              </button>
              <button
                className="btn btn-small btn-danger-outline"
                onClick={() => {
                  if (window.confirm(`Delete the saved query “${q.name}”?`)) void client.call('savedQueries.delete', { id: q.id }).then(load);
                }}
              >
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
