import { useEffect, useState } from 'react';
import type { DiagnosticPlanEntry, DiagnosticStep, DriverErrorEvidence, EvidenceValue } from '../../../shared/model/diagnostics';
import { diagnosticClassLabels, remedyAudienceLabels } from '../../../shared/model/diagnostics';
import { stepKey, type LiveSteps } from './use-diagnosis';

/** Which SSH server of a chain a step is about (` · hop 2`); the detail names it. */
function hopTag(hop: DiagnosticPlanEntry['hop']): string {
  return hop && hop.count > 1 ? ` · hop ${hop.index + 1}` : '';
}

const icons: Record<DiagnosticStep['status'] | 'pending' | 'running', string> = { ok: '✓', warn: '!', fail: '✕', skip: '–', pending: '○', running: '' };
const statusWords: Record<DiagnosticStep['status'], string> = { ok: 'passed', warn: 'warning', fail: 'failed', skip: 'skipped' };

/** The steps in order: done ones with their result, the running one with a clock, the rest waiting. */
export function StepList({ live, label = 'Diagnostic steps' }: { live: LiveSteps; label?: string }) {
  const done = Object.values(live.steps).filter((s) => s !== undefined);
  const plan: DiagnosticPlanEntry[] = live.plan.length ? live.plan : done.map((s) => ({ id: s.id, ...(s.hop ? { hop: s.hop } : {}), title: s.title, timeoutMs: s.timeoutMs }));
  if (plan.length === 0) return <p className="muted page-note">Preparing the checks…</p>;
  return (
    <ol className="diag-steps" aria-label={label}>
      {plan.map((entry, i) => {
        const key = stepKey(entry.id, entry.hop);
        const step = live.steps[key];
        if (step) return <StepRow key={key} index={i + 1} step={step} />;
        const running = live.running?.key === key;
        return (
          <li key={key} className={`diag-step ${running ? 'diag-running' : 'diag-pending'}`} aria-busy={running}>
            <div className="diag-step-head">
              <span className="diag-icon" aria-hidden>
                {running ? <span className="spinner" /> : icons.pending}
              </span>
              <span className="diag-index">{i + 1}</span>
              <span className="diag-title">{entry.title}{hopTag(entry.hop)}</span>
              <span className="diag-detail muted">{running ? 'running…' : live.status === 'running' ? 'waiting' : 'not run'}</span>
              <span className="diag-time mono">{running ? <RunningClock since={live.running!.since} limit={entry.timeoutMs} /> : ''}</span>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function RunningClock({ since, limit }: { since: number; limit: number }) {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(t);
  }, []);
  return (
    <>
      {((now - since) / 1000).toFixed(1)} s{limit ? ` / ${limit / 1000} s` : ''}
    </>
  );
}

function StepRow({ step, index }: { step: DiagnosticStep; index: number }) {
  const expandable = step.status !== 'skip' && (Object.keys(step.evidence).length > 0 || step.error || step.remedy);
  const head = (
    <div className="diag-step-head">
      <span className="diag-icon" aria-label={statusWords[step.status]} role="img">
        {icons[step.status]}
      </span>
      <span className="diag-index">{index}</span>
      <span className="diag-title">{step.title}{hopTag(step.hop)}</span>
      <span className="diag-detail">
        {step.detail}
        {step.classId && (
          <span className={`class-chip${step.classId === 'unknown' ? ' class-unknown' : ''}`} title={diagnosticClassLabels[step.classId]}>
            {step.classId}
            {step.found ? ` · found ${step.found}` : ''}
          </span>
        )}
      </span>
      <span className="diag-time mono" title={step.timeoutMs ? `limit ${step.timeoutMs} ms` : undefined}>
        {step.status === 'skip' ? '' : `${step.ms} ms`}
        {step.timedOut ? ' ⏱' : ''}
      </span>
    </div>
  );
  return (
    <li className={`diag-step diag-${step.status}`} data-step={step.id} data-status={step.status}>
      {expandable ? (
        <details open={step.status === 'fail'}>
          <summary>{head}</summary>
          <StepBody step={step} />
        </details>
      ) : (
        head
      )}
    </li>
  );
}

function StepBody({ step }: { step: DiagnosticStep }) {
  const entries = Object.entries(step.evidence);
  return (
    <div className="diag-step-body">
      {step.remedy && step.status !== 'ok' && (
        <p className={`diag-remedy remedy-${step.remedy.audience}`}>
          <span className="audience-badge">{remedyAudienceLabels[step.remedy.audience]}</span> {step.remedy.text}
        </p>
      )}
      {entries.length > 0 && (
        <dl className="diag-evidence">
          {entries.map(([k, v]) => (
            <div key={k} className="diag-evidence-row">
              <dt>{k}</dt>
              <dd className="mono">{formatValue(v)}</dd>
            </div>
          ))}
        </dl>
      )}
      {step.error && <ErrorFacts error={step.error} />}
      {step.timeoutMs > 0 && (
        <p className="muted diag-limit">
          Ran {step.ms} ms of its {step.timeoutMs} ms limit{step.timedOut ? ' and was stopped at the limit' : ''}.
        </p>
      )}
    </div>
  );
}

function ErrorFacts({ error }: { error: DriverErrorEvidence }) {
  const facts: [string, string | number | boolean | undefined][] = [
    ['message', error.message],
    ['source', error.source],
    ['code', error.code],
    ['errno', error.errno],
    ['SQLSTATE', error.sqlState],
    ['severity', error.severity],
    ['routine', error.routine],
    ['detail', error.detail],
    ['hint', error.hint],
    ['syscall', error.syscall],
    ['address', error.address],
    ['port', error.port],
  ];
  return (
    <div className="diag-error">
      <h4>Driver error (secrets removed)</h4>
      <dl className="diag-evidence">
        {facts
          .filter(([, v]) => v !== undefined && v !== '')
          .map(([k, v]) => (
            <div key={k} className="diag-evidence-row">
              <dt>{k}</dt>
              <dd className="mono">{String(v)}</dd>
            </div>
          ))}
        {error.causes?.map((c, i) => (
          <div key={`cause-${i}`} className="diag-evidence-row">
            <dt>cause {i + 1}</dt>
            <dd className="mono">
              {c.code ? `${c.code}: ` : ''}
              {c.message}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function formatValue(v: EvidenceValue): string {
  if (Array.isArray(v)) return v.length ? v.join('\n') : '(none)';
  if (v === null) return '(none)';
  return String(v);
}
