import { useEffect, useRef } from 'react';
import type { ClusterSchemaCheck, RunOutcome } from '../../../shared/model/migrations';
import { formatMs, type RunState } from './migration-client';

const outcomeClass: Record<RunOutcome, string> = {
  success: 'notice-success',
  'nothing-to-do': '',
  failed: 'notice-danger',
  cancelled: 'notice-warning',
  'lock-not-acquired': 'notice-warning',
  refused: 'notice-danger',
};

/** A run as it happens: the lock, each migration and statement, then how it ended. */
export function RunProgress({ run, onCancel, onClose }: { run: RunState; onCancel(): void; onClose(): void }) {
  const last = run.events[run.events.length - 1];
  const running = !run.result && !run.error;
  const stepsTotal = last?.stepsTotal ?? 0;
  const stepsDone = last?.stepsDone ?? 0;
  const current = [...run.events].reverse().find((e) => e.kind === 'statement-started' || e.kind === 'migration-started');
  const within = current?.statementIndex && current.statementsTotal ? (current.statementIndex - 1) / current.statementsTotal : 0;
  const fraction = stepsTotal > 0 ? Math.min(1, (stepsDone + (running ? within : 0)) / stepsTotal) : 0;
  const log = run.events.filter((e) => e.kind !== 'statement-finished').slice(-60);
  const logRef = useRef<HTMLOListElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  // A new run takes the focus (a run starts only from the person's confirmation, and the button that
  // opened that dialog is disabled while it goes): its progress and outcome are read where the keyboard is.
  useEffect(() => {
    sectionRef.current?.focus();
  }, [run.runId]);
  // Follow the newest line, as a terminal does.
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [run.events.length]);
  return (
    <section ref={sectionRef} className="run" aria-label="Migration run" aria-busy={running} tabIndex={-1}>
      <header className="run-header">
        <h3>{run.title}</h3>
        <span className="spacer" />
        {running ? (
          <button className="btn btn-small" onClick={onCancel} disabled={run.cancelling}>
            {run.cancelling ? 'Stopping after this statement…' : 'Cancel'}
          </button>
        ) : (
          <button className="btn btn-small" onClick={onClose}>
            Close
          </button>
        )}
      </header>
      {running && (
        <div className="run-now" role="status" aria-live="polite">
          <span className="spinner" aria-hidden /> {last?.kind === 'waiting-for-lock' ? last.message : current ? `${current.version} ${current.name ?? ''} — ${current.kind === 'statement-started' ? `statement ${current.statementIndex} of ${current.statementsTotal}` : 'starting'}` : (last?.message ?? 'Starting…')}
        </div>
      )}
      {stepsTotal > 0 && (
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={stepsTotal} aria-valuenow={stepsDone} aria-label="Migrations done">
          <div className="progress-bar" style={{ width: `${Math.round(fraction * 100)}%` }} />
          <span className="progress-text">
            {stepsDone} of {stepsTotal} migration{stepsTotal === 1 ? '' : 's'}
          </span>
        </div>
      )}
      {run.result && (
        <div className={`notice ${outcomeClass[run.result.outcome]}`} role={run.result.outcome === 'success' || run.result.outcome === 'nothing-to-do' ? 'status' : 'alert'}>
          {run.result.message.split('\n').map((l, i) => (
            <p key={i}>{l}</p>
          ))}
          {run.result.failed?.sql && <pre className="plan-sql">{run.result.failed.sql}</pre>}
        </div>
      )}
      {run.result?.schemaCheck && <SchemaCheck check={run.result.schemaCheck} />}
      {run.error && (
        <div className="notice notice-danger" role="alert">
          {run.error}
        </div>
      )}
      <ol ref={logRef} className="run-log" aria-label="Run log">
        {log.map((e, i) => (
          <li key={i} className={`run-log-${e.kind}`}>
            <span className="run-time">{formatMs(e.elapsedMs)}</span> {e.kind === 'statement-started' ? <code>{`[${e.statementIndex}/${e.statementsTotal}] ${e.sql ?? ''}`}</code> : e.message}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Galera: the schema compared on every node after the run — identical, or what differs where. */
function SchemaCheck({ check }: { check: ClusterSchemaCheck }) {
  const differs = check.differences.length > 0;
  return (
    <div className={`notice schema-check ${check.identical ? 'notice-success' : differs ? 'notice-danger' : 'notice-warning'}`} role={check.identical ? 'status' : 'alert'} aria-label="Schema on every node">
      <strong>{check.identical ? '✓ Same schema on every node' : differs ? '✕ The nodes’ schemas differ' : '! Not every node could be checked'}</strong> — {check.summary}
      <ul>
        {check.nodes.map((n) => (
          <li key={n.endpoint}>
            <span className="mono">{n.endpoint}</span>
            {n.name ? ` (${n.name})` : ''}
            {n.reference ? ' — the run’s node' : ''}: {n.error ? `not checked — ${n.error}` : `${n.objects} objects${n.caughtUp ? '' : ', had not caught up'}`}
          </li>
        ))}
      </ul>
      {differs && (
        <dl className="schema-check-diff">
          {check.differences.map((d) => (
            <div key={d.object}>
              <dt>{d.object}</dt>
              {d.values.map((v) => (
                <dd key={v.endpoint}>
                  {v.endpoint}: {v.definition ?? '(missing)'}
                </dd>
              ))}
            </div>
          ))}
          {check.moreDifferences > 0 && <dd>… and {check.moreDifferences} more</dd>}
        </dl>
      )}
    </div>
  );
}
