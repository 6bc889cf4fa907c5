import { describeTarget } from '../../../shared/model/connection';
import { diagnosticClassLabels, DiagnosticClass } from '../../../shared/model/diagnostics';
import { engineLabels } from '../../../shared/model/engine';
import { appStore, connectionState } from '../../../renderer/src/app/app-state';
import { connectionTools } from '../../../renderer/src/app/connection-tools';
import { useStore } from '../../../renderer/src/app/store';
import { RemedyLine } from './RemedyLine';
import { Welcome } from './Welcome';
import { cancelOpen, closeConnection, openConnection, openDiagnostics } from './connection-actions';
import { plural } from '../../../shared/text/plural';
import { useState } from 'react';
import { BackupDialog } from '../../backup/renderer/BackupDialog';
import { loadSchemas } from './schema-cache';

/** The main area when no tab is open: the selected connection, its state, and what to do next. */
export function ConnectionPanel() {
  const profile = useStore(appStore, (s) => s.profiles.find((p) => p.id === s.selectedProfileId));
  const saved = useStore(appStore, (s) => s.profiles.length);
  const state = useStore(appStore, (s) => connectionState(s, s.selectedProfileId));
  const [backup, setBackup] = useState<{ mode: 'backup' | 'restore'; profileId: string } | null>(null);
  if (!profile) return <Welcome saved={saved} />;
  const last = state.attempts[state.attempts.length - 1];
  return (
    <div className={`connection-panel color-${profile.color}`}>
      <header>
        <h2>{profile.name}</h2>
        <p className="muted">
          {engineLabels[profile.engine]} · {describeTarget(profile)}
          {profile.production && <span className="badge badge-prod">PRODUCTION</span>}
          {profile.readOnly && <span className="badge">READ-ONLY</span>}
        </p>
      </header>

      {state.status === 'idle' && (
        <div className="panel-actions">
          <button className="btn btn-primary" onClick={() => void openConnection(profile.id)}>
            Connect
          </button>
          <button className="btn" onClick={() => appStore.set({ editor: { profileId: profile.id } })}>
            Edit
          </button>
          {connectionTools()
            .filter((t) => !t.needsOpenConnection)
            .map((t) => (
              <button key={t.id} className="btn" title={t.hint} onClick={() => t.run(profile.id)}>
                {t.label}
              </button>
            ))}
        </div>
      )}

      {state.status === 'opening' && (
        <div className="attempts" role="status" aria-live="polite">
          {state.preparing ? (
            <Preparing {...state.preparing} />
          ) : (
            <p>
              <span className="spinner" aria-hidden /> Connecting
              {last ? ` — attempt ${last.attempt} of ${last.maxAttempts}` : '…'}
            </p>
          )}
          <AttemptList profileId={profile.id} />
          <button className="btn" onClick={() => void cancelOpen(profile.id)}>
            Cancel
          </button>
        </div>
      )}

      {state.status === 'failed' && (
        <div className="attempts" role="alert">
          <p className="error-text">
            <strong>Could not connect{classLabel(state.error?.detail?.failureClass) ? ` — ${classLabel(state.error?.detail?.failureClass)}` : ''}.</strong> {state.error?.message}
          </p>
          <RemedyLine remedy={state.error?.detail?.remedy ?? last?.remedy} />
          <AttemptList profileId={profile.id} />
          <div className="panel-actions">
            <button className="btn btn-primary" onClick={() => openDiagnostics(profile.id)}>
              Diagnose
            </button>
            <button className="btn" onClick={() => void openConnection(profile.id)}>
              Try again
            </button>
            <button className="btn" onClick={() => appStore.set({ editor: { profileId: profile.id } })}>
              Edit connection
            </button>
          </div>
        </div>
      )}

      {state.status === 'open' && state.open && (
        <div className="server-info">
          <dl>
            <dt>Server</dt>
            <dd>{state.open.serverInfo.versionText}</dd>
            <dt>{profile.nodes.length > 0 ? 'Node in use' : 'Endpoint'}</dt>
            <dd className="mono">
              {state.open.endpoint}
              {profile.nodes.length > 0 && <span className="muted note-text"> — one of {profile.nodes.length + 1} listed nodes</span>}
            </dd>
            {state.open.serverInfo.currentUser && (
              <>
                <dt>User</dt>
                <dd className="mono">{state.open.serverInfo.currentUser}</dd>
              </>
            )}
            {state.open.serverInfo.currentDatabase && (
              <>
                <dt>Database</dt>
                <dd className="mono">{state.open.serverInfo.currentDatabase}</dd>
              </>
            )}
            <dt>Access</dt>
            <dd>{state.open.serverInfo.readOnly ? 'read-only' : 'read and write'}</dd>
          </dl>
          <LastFailover profileId={profile.id} />
          <p className="muted">Pick a table in the tree on the left to see its structure and rows; the connection’s tools are above the tree.</p>
          <div className="panel-actions">
            <button className="btn" title="Save this database to a file with its own backup tool" onClick={() => setBackup({ mode: 'backup', profileId: profile.id })}>
              Back up…
            </button>
            <button className="btn" title="Restore a backup file into this database" disabled={profile.readOnly} onClick={() => setBackup({ mode: 'restore', profileId: profile.id })}>
              Restore…
            </button>
            <button className="btn" onClick={() => void closeConnection(profile.id)}>
              Disconnect
            </button>
          </div>
        </div>
      )}
      {backup && backup.profileId === profile.id && state.status === 'open' && (
        <BackupDialog mode={backup.mode} connectionId={profile.id} name={profile.name} onClose={() => setBackup(null)} onRestored={() => void loadSchemas(profile.id)} />
      )}
    </div>
  );
}

/** The first start writes the demo database before connecting to it: what is happening, and how far. */
function Preparing({ done, total }: { done: number; total: number }) {
  const writing = done < total;
  return (
    <div className="preparing">
      <p>
        <span className="spinner" aria-hidden />{' '}
        {writing ? `Creating the demo database: ${done.toLocaleString('en-US')} of ${plural(total, 'event')} written…` : 'Creating the demo database: indexing and gathering statistics…'}
      </p>
      <progress max={total + total / 10} value={writing ? done : total} aria-label="Creating the demo database" />
      <p className="muted">A SQLite file with sample customers, orders and a million-row events table, written once on the first start.</p>
    </div>
  );
}

function AttemptList({ profileId }: { profileId: string }) {
  const attempts = useStore(appStore, (s) => connectionState(s, profileId).attempts);
  if (attempts.length === 0) return null;
  return (
    <ol className="attempt-list" aria-label="Connection attempts">
      {attempts.map((a, i) => (
        <li key={i} className={`attempt attempt-${a.status}`}>
          <span className="attempt-n">
            {a.attempt}/{a.maxAttempts}
          </span>
          <span className="attempt-status">{a.status}</span>
          {a.failureClass && (
            <span className={`attempt-class class-chip${a.failureClass === 'unknown' ? ' class-unknown' : ''}`} title={diagnosticClassLabels[a.failureClass]}>
              {a.failureClass}
              {a.found ? ` (${a.found})` : ''}
            </span>
          )}
          {a.error && <span className="attempt-error">{a.error.message}</span>}
          {a.nextAttemptInMs !== undefined && <span className="muted"> — next try in {Math.round(a.nextAttemptInMs / 1000)} s</span>}
        </li>
      ))}
    </ol>
  );
}

/** A failure class from an error's detail, in words (nothing for unknown or absent). */
function classLabel(value: unknown): string | null {
  const parsed = DiagnosticClass.safeParse(value);
  return parsed.success && parsed.data !== 'unknown' ? diagnosticClassLabels[parsed.data] : null;
}

/** The latest move of a cluster connection between nodes: which node it left, why, and where it went. */
function LastFailover({ profileId }: { profileId: string }) {
  const last = useStore(appStore, (s) => connectionState(s, profileId).failovers?.at(-1));
  if (!last) return null;
  const time = new Date(last.at).toLocaleTimeString();
  return (
    <p className={`notice ${last.to ? 'notice-warning' : 'notice-error'}`} role="status">
      {last.from && last.to && (
        <>
          At {time} the connection left <span className="mono">{last.from}</span> ({last.reason}) and moved to <span className="mono">{last.to}</span>.
        </>
      )}
      {last.from && !last.to && (
        <>
          At {time} the connection left <span className="mono">{last.from}</span>: {last.reason}. DB Desk keeps checking the nodes.
        </>
      )}
      {!last.from && last.to && (
        <>
          At {time} the connection found a usable node again: <span className="mono">{last.to}</span>.
        </>
      )}
    </p>
  );
}
