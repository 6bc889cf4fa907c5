import { useEffect, useState } from 'react';
import type { ClusterSnapshot } from '../../../shared/model/galera';
import { appStore, connectionState, type FailoverEvent, type Tab } from '../../../renderer/src/app/app-state';
import { useStore } from '../../../renderer/src/app/store';
import { client } from '../../../renderer/src/ipc/client';
import { errorOf, openConnection } from '../../connections/renderer/connection-actions';
import { clockTime } from './cluster-format';
import { NodeTable } from './NodeTable';

const healthLabels: Record<ClusterSnapshot['health'], string> = { healthy: 'Healthy', degraded: 'Degraded', down: 'Down' };

/** The cluster view: every node's state, refreshed live by galera.snapshot events while the tab is open. */
export function ClusterView({ tab }: { tab: Tab; active: boolean }) {
  const profileId = tab.profileId!;
  const profile = useStore(appStore, (s) => s.profiles.find((p) => p.id === profileId));
  const conn = useStore(appStore, (s) => connectionState(s, profileId));
  const isOpen = conn.status === 'open' && conn.open !== undefined;
  const galera = conn.open?.serverInfo.galera ?? false;
  const [snap, setSnap] = useState<ClusterSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!isOpen || !galera) {
      setSnap(null);
      return;
    }
    if (paused) return;
    let live = true;
    setError(null);
    const off = client.on('galera.snapshot', (e) => {
      if (live && e.connectionId === profileId) setSnap(e);
    });
    client
      .call('galera.watch', { connectionId: profileId })
      .then((s) => live && setSnap(s))
      .catch((err: unknown) => live && setError(errorOf(err).message));
    return () => {
      live = false;
      off();
      void client.call('galera.unwatch', { connectionId: profileId }).catch(() => undefined);
    };
  }, [profileId, isOpen, galera, paused, attempt]);

  return (
    <div className="tab-page galera-view">
      <header className="page-header">
        <h2>
          Galera cluster {snap?.clusterName && <span className="muted mono">{snap.clusterName}</span>}
        </h2>
        {snap && <span className={`health-pill health-${snap.health}`}>{healthLabels[snap.health]}</span>}
        <span className="spacer" />
        {snap && (
          <span className="muted" aria-label="Last refresh">
            {paused ? 'Paused' : 'Live'} · {clockTime(snap.takenAt)}
          </span>
        )}
        {isOpen && galera && (
          <button className="btn btn-small" aria-pressed={paused} onClick={() => setPaused((p) => !p)} title={paused ? 'Refresh every second again' : 'Stop refreshing'}>
            {paused ? 'Resume' : 'Pause'}
          </button>
        )}
      </header>

      {!isOpen && (
        <div className="empty-state small">
          <p>Connect to {profile?.name ?? 'the cluster'} to see its nodes.</p>
          <button className="btn btn-primary" onClick={() => void openConnection(profileId)} disabled={conn.status === 'opening'}>
            {conn.status === 'opening' ? 'Connecting…' : 'Connect'}
          </button>
        </div>
      )}
      {isOpen && !galera && <p className="notice">This server is not a Galera node (wsrep_on is OFF), so there is no cluster to show.</p>}
      {isOpen && galera && error && (
        <div className="notice notice-error" role="alert">
          {error}{' '}
          <button className="btn btn-small" onClick={() => setAttempt((a) => a + 1)}>
            Try again
          </button>
        </div>
      )}
      {isOpen && galera && !snap && !error && (
        <p className="muted page-note" role="status">
          <span className="spinner" aria-hidden /> Reading every node…
        </p>
      )}
      {snap && (
        <>
          <p className={`cluster-summary summary-${snap.health}`} role="status" aria-live="polite">
            {snap.summary}
          </p>
          <NodeTable nodes={snap.nodes} />
          <FailoverLog failovers={conn.failovers ?? []} endpoint={conn.open?.endpoint ?? null} />
        </>
      )}
    </div>
  );
}

function FailoverLog({ failovers, endpoint }: { failovers: FailoverEvent[]; endpoint: string | null }) {
  return (
    <section aria-label="Connection moves">
      <h3>Connection moves</h3>
      {failovers.length === 0 ? (
        <p className="muted">The connection has stayed on {endpoint ? <span className="mono">{endpoint}</span> : 'its node'} since it was opened.</p>
      ) : (
        <ol className="failover-log">
          {[...failovers].reverse().map((f) => (
            <li key={f.at + (f.from ?? '') + (f.to ?? '')}>
              <span className="muted mono">{clockTime(f.at)}</span>{' '}
              {f.from ? <span className="mono">{f.from}</span> : 'no node'} → {f.to ? <span className="mono">{f.to}</span> : <strong>no usable node</strong>}
              <span className="muted"> — {f.reason}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
