import { diagnosticClassLabels, diagnosticStepTitles, remedyAudienceLabels } from '../../../shared/model/diagnostics';
import type { LiveDiagnosis } from './use-diagnosis';
import { plural } from '../../../shared/text/plural';

/** The answer first: usable or not, the class, and what to do and who should do it. */
export function VerdictBanner({ live }: { live: LiveDiagnosis }) {
  if (live.status === 'error') {
    return (
      <section className="diag-verdict verdict-failed" role="alert">
        <span className="verdict-icon" aria-hidden>
          ✕
        </span>
        <div>
          <h3 className="verdict-headline">The diagnosis could not run</h3>
          <p>{live.error}</p>
        </div>
      </section>
    );
  }
  if (live.status === 'running' || !live.run) {
    // A cluster's nodes run at once: count the steps of all of them.
    const done = live.nodes ? live.nodes.reduce((n, x) => n + Object.keys(x.steps).length, 0) : Object.keys(live.steps).length;
    const total = live.plan.length * (live.nodes?.length ?? 1);
    return (
      <section className="diag-verdict verdict-running" role="status" aria-live="polite">
        <span className="verdict-icon" aria-hidden>
          <span className="spinner" />
        </span>
        <div>
          <h3 className="verdict-headline">{live.cancelling ? 'Cancelling…' : 'Diagnosing…'}</h3>
          <p className="muted">{total ? `${done} of ${plural(total, 'step')} done${live.nodes ? ` on ${live.nodes.length} nodes` : ''}` : 'Starting'}</p>
        </div>
      </section>
    );
  }
  const v = live.run.verdict;
  const tone = v.status === 'ok' ? 'ok' : v.status === 'degraded' ? 'degraded' : 'failed';
  return (
    <section className={`diag-verdict verdict-${tone}`} role={v.usable ? 'status' : 'alert'} aria-label="Verdict">
      <span className="verdict-icon" aria-hidden>
        {v.status === 'ok' ? '✓' : v.status === 'degraded' ? '!' : '✕'}
      </span>
      <div className="verdict-body">
        <p className="verdict-kicker">{v.usable ? (v.status === 'ok' ? 'Usable' : 'Usable, with warnings') : 'Not usable'}</p>
        <h3 className="verdict-headline">{v.headline}</h3>
        {v.classId && (
          <p className="verdict-class">
            <span className={`class-chip${v.classId === 'unknown' ? ' class-unknown' : ''}`}>{v.classId}</span> {diagnosticClassLabels[v.classId]}
            {v.found ? ` — found ${v.found}` : ''}
            {v.node ? <span className="muted"> · node {v.node}</span> : null}
            {v.failedStep ? <span className="muted"> · at step “{diagnosticStepTitles[v.failedStep]}”</span> : null}
            {v.alternatives?.length ? <span className="muted"> · could also be {v.alternatives.join(', ')}</span> : null}
          </p>
        )}
        {v.remedy && (
          <p className={`diag-remedy remedy-${v.remedy.audience}`}>
            <span className="audience-badge">{remedyAudienceLabels[v.remedy.audience]}</span> {v.remedy.text}
          </p>
        )}
      </div>
    </section>
  );
}
