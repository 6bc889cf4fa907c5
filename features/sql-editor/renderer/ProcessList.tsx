import { useCallback, useEffect, useState } from 'react';
import { isFileEngine, type EngineKind } from '../../../shared/model/engine';
import type { ServerProcess } from '../../../shared/model/query';
import { client } from '../../../renderer/src/ipc/client';
import { Dialog } from '../../../renderer/src/ui/Dialog';
import { toast } from '../../../renderer/src/ui/toasts';

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
    if (!connected || isFileEngine(engine)) return;
    void refresh();
    if (!auto) return;
    const t = setInterval(() => void refresh(), 2000);
    return () => clearInterval(t);
  }, [refresh, auto, connected, engine]);

  if (isFileEngine(engine)) return <p className="page-note muted">SQLite has no server, so there are no other sessions to list. Cancel a running statement with the Cancel button.</p>;
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
      <ul className="process-list" aria-label="Server sessions">
        {shown.map((p) => (
          <li key={p.id} className={`process${p.own ? ' own' : ''}`} aria-label={`Session ${p.id}`}>
            <div className="process-head">
              <span className="process-id">{p.id}</span>
              {p.own && (
                <span className="badge" title="A connection of this window">
                  ours
                </span>
              )}
              <span>{p.user ?? '—'}</span>
              <span className="muted">{[p.database, p.client, p.application].filter(Boolean).join(' · ')}</span>
              <span className={`process-duration${(p.durationMs ?? 0) > 10_000 ? ' long' : ''}`} title="Running for">
                {duration(p.durationMs)}
              </span>
            </div>
            <div className="muted">
              {p.state ?? '—'}
              {p.waiting && ` · waits: ${p.waiting}`}
            </div>
            {p.query && (
              <pre className="process-query" title={p.query}>
                {p.query.length > 400 ? `${p.query.slice(0, 400)}…` : p.query}
              </pre>
            )}
            <div className="process-actions">
              <button className="btn btn-small" disabled={p.durationMs === null} onClick={() => setConfirm({ p, mode: 'cancel' })} aria-label={`Cancel the statement of session ${p.id}`}>
                Cancel statement
              </button>
              <button className="btn btn-small btn-danger-outline" onClick={() => setConfirm({ p, mode: 'terminate' })} aria-label={`Terminate session ${p.id}`}>
                Terminate session
              </button>
            </div>
          </li>
        ))}
      </ul>
      {confirm && (
        <Dialog
          title={confirm.mode === 'cancel' ? `Cancel the statement of session ${confirm.p.id}?` : `Terminate session ${confirm.p.id}?`}
          onClose={() => setConfirm(null)}
          footer={
            <>
              <button className="btn" onClick={() => setConfirm(null)} data-autofocus>
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
