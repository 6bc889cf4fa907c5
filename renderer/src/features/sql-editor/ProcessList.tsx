import { useCallback, useEffect, useState } from 'react';
import type { EngineKind } from '../../../../shared/model/engine';
import type { ServerProcess } from '../../../../shared/model/query';
import { client } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { toast } from '../../ui/toasts';

const duration = (ms: number | null) => (ms === null ? '' : ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

/** The server's sessions and what they run; cancel a statement or end a session, after asking. */
export function ProcessList({ profileId, engine, connected }: { profileId: string; engine: EngineKind; connected: boolean }) {
  const [list, setList] = useState<ServerProcess[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [auto, setAuto] = useState(true);
  const [idle, setIdle] = useState(false);
  const [confirm, setConfirm] = useState<{ p: ServerProcess; mode: 'cancel' | 'terminate' } | null>(null);

  const refresh = useCallback(async () => {
    try {
      setList(await client.call('query.processes', { connectionId: profileId }));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [profileId]);

  useEffect(() => {
    if (!connected || engine === 'sqlite') return;
    void refresh();
    if (!auto) return;
    const t = setInterval(() => void refresh(), 2000);
    return () => clearInterval(t);
  }, [refresh, auto, connected, engine]);

  if (engine === 'sqlite') return <p className="page-note muted">SQLite has no server, so there are no other sessions to list. Cancel a running statement with the Cancel button.</p>;
  if (!connected) return <p className="page-note muted">Connect to see the server’s sessions.</p>;

  const shown = (list ?? []).filter((p) => idle || p.durationMs !== null);
  const kill = async () => {
    if (!confirm) return;
    const { p, mode } = confirm;
    setConfirm(null);
    try {
      const { done } = await client.call('query.killProcess', { connectionId: profileId, processId: p.id, mode });
      toast({ level: done ? 'success' : 'warning', title: done ? (mode === 'cancel' ? `Cancelled the statement of session ${p.id}` : `Terminated session ${p.id}`) : `Session ${p.id} was already gone` });
    } catch (err) {
      toast({ level: 'error', title: `Could not ${mode} session ${p.id}`, message: (err as Error).message });
    }
    void refresh();
  };

  return (
    <div className="processes">
      <div className="side-toolbar">
        <h3>Server sessions</h3>
        <span className="spacer" />
        <label className="check">
          <input type="checkbox" checked={idle} onChange={(e) => setIdle(e.target.checked)} /> Idle too
        </label>
        <label className="check">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> Every 2 s
        </label>
        <button className="btn btn-small" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {list === null && !error && <p className="muted">Reading the process list…</p>}
      {list !== null && shown.length === 0 && <p className="muted">No session is running a statement right now.</p>}
      <table className="process-table" aria-label="Server sessions">
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">User / database</th>
            <th scope="col">State</th>
            <th scope="col">Running for</th>
            <th scope="col">Statement</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={p.id} className={p.own ? 'own' : undefined}>
              <td className="mono">
                {p.id}
                {p.own && <span className="badge" title="A connection of this window">ours</span>}
              </td>
              <td>
                {p.user ?? '—'}
                <div className="muted small">{[p.database, p.client, p.application].filter(Boolean).join(' · ')}</div>
              </td>
              <td>
                {p.state ?? '—'}
                {p.waiting && <div className="muted small">waits: {p.waiting}</div>}
              </td>
              <td className="num">{duration(p.durationMs)}</td>
              <td className="process-query mono" title={p.query ?? ''}>
                {p.query ? (p.query.length > 200 ? `${p.query.slice(0, 200)}…` : p.query) : <span className="muted">—</span>}
              </td>
              <td className="process-actions">
                <button className="btn btn-small" disabled={p.durationMs === null} onClick={() => setConfirm({ p, mode: 'cancel' })} aria-label={`Cancel the statement of session ${p.id}`}>
                  Cancel
                </button>
                <button className="btn btn-small btn-danger-outline" onClick={() => setConfirm({ p, mode: 'terminate' })} aria-label={`Terminate session ${p.id}`}>
                  Terminate
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirm && (
        <Dialog
          title={confirm.mode === 'cancel' ? `Cancel the statement of session ${confirm.p.id}?` : `Terminate session ${confirm.p.id}?`}
          onClose={() => setConfirm(null)}
          footer={
            <>
              <button className="btn" onClick={() => setConfirm(null)} autoFocus>
                Keep it
              </button>
              <button className="btn btn-danger" onClick={() => void kill()}>
                {confirm.mode === 'cancel' ? 'Cancel statement' : 'Terminate session'}
              </button>
            </>
          }
        >
          <p>
            {confirm.mode === 'cancel'
              ? 'The statement stops with an error; the session and its transaction stay.'
              : 'The session is closed by the server and its open transaction is rolled back.'}
            {confirm.p.own && ' This is one of DB Desk’s own connections.'}
          </p>
          {confirm.p.query && <pre className="confirm-query">{confirm.p.query.slice(0, 600)}</pre>}
          <p className="muted small">
            {confirm.p.user ?? 'unknown user'} · {confirm.p.database ?? 'no database'} · {confirm.p.client ?? 'unknown client'}
          </p>
        </Dialog>
      )}
    </div>
  );
}
