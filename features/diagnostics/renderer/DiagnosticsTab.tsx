import { useEffect, useEffectEvent, useMemo, useState } from 'react';
import type { DiagnosticSubject } from '../../../shared/ipc/commands/diagnostics';
import { ConnectionFields } from '../../../shared/model/connection';
import { describeTarget } from '../../../shared/model/connection';
import { engineLabels } from '../../../shared/model/engine';
import type { Tab } from '../../../renderer/src/app/app-state';
import { appStore, connectionState } from '../../../renderer/src/app/app-state';
import { useStore } from '../../../renderer/src/app/store';
import { diagnosticDraft, openConnection, reopenEditor } from '../../connections/renderer/connection-actions';
import { ClusterNodes } from './ClusterNodes';
import { ReportDialog } from './ReportDialog';
import { StepList } from './StepList';
import { useDiagnosis } from './use-diagnosis';
import { VerdictBanner } from './VerdictBanner';

const stepLimits = [
  { label: 'Each step’s own limit', value: 0 },
  { label: '1 s per step', value: 1000 },
  { label: '3 s per step', value: 3000 },
  { label: '10 s per step', value: 10_000 },
  { label: '30 s per step', value: 30_000 },
];

/** The diagnostics tab of a saved profile or of an editor draft: runs at once, and again on demand. */
export function DiagnosticsTab({ tab, active }: { tab: Tab; active: boolean }) {
  const draftKey = typeof tab.params.draftKey === 'string' ? tab.params.draftKey : null;
  const draft = draftKey ? diagnosticDraft(draftKey) : undefined;
  const profile = useStore(appStore, (s) => s.profiles.find((p) => p.id === tab.profileId));
  const connected = useStore(appStore, (s) => (tab.profileId ? connectionState(s, tab.profileId).status === 'open' : false));
  const subject = useMemo<DiagnosticSubject | null>(() => {
    if (draftKey) {
      if (!draft) return null;
      const fields = ConnectionFields.safeParse(draft.fields);
      if (!fields.success) return null;
      return {
        kind: 'draft',
        fields: fields.data,
        ...(draft.password !== undefined ? { password: draft.password } : {}),
        ...(draft.sshPassword !== undefined ? { sshPassword: draft.sshPassword } : {}),
        ...(draft.sshPassphrase !== undefined ? { sshPassphrase: draft.sshPassphrase } : {}),
        ...(draft.id ? { id: draft.id } : {}),
      };
    }
    return tab.profileId ? { kind: 'profile', profileId: tab.profileId } : null;
  }, [draftKey, draft, tab.profileId]);
  const { live, start, cancel } = useDiagnosis(subject);
  const [limit, setLimit] = useState(0);
  const [reportOpen, setReportOpen] = useState(false);
  const running = live?.status === 'running';

  // Runs when the tab opens, and again each time "Diagnose" is chosen for it (params.run changes).
  const startNow = useEffectEvent(() => {
    if (subject) start(limit || undefined);
  });
  useEffect(() => startNow(), [subject, tab.params.run]);

  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && !running && subject) {
        e.preventDefault();
        start(limit || undefined);
      } else if (e.key === 'Escape' && running && !reportOpen) {
        cancel();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, running, subject, limit, reportOpen, start, cancel]);

  if (!subject) {
    return (
      <div className="empty-state small" role="alert">
        <h2>Nothing to diagnose</h2>
        <p>{draftKey ? 'This draft is gone (the page was reloaded). Open the connection editor and choose Test again.' : 'This connection no longer exists.'}</p>
      </div>
    );
  }
  const target = live?.target;
  const name = profile?.name ?? draft?.fields.name ?? target?.name ?? 'connection';
  const where = target ? `${engineLabels[target.engine]} · ${describeTarget(target)}${target.tlsMode ? ` · sslmode=${target.tlsMode}` : ''}${target.readOnly ? ' · read-only' : ''}` : '';

  return (
    <div className="tab-page diagnostics-page">
      <header className="page-header diag-header">
        <div className="diag-heading">
          <h2>
            Diagnose <span className="diag-name">{name}</span>
            {draftKey && <span className="badge">UNSAVED DRAFT</span>}
          </h2>
          <span className="muted diag-where">{where || '\u00a0'}</span>
        </div>
        <span className="spacer" />
        <label className="diag-limit-select">
          <span className="visually-hidden">Step time limit</span>
          {/* Not disabled while a run goes (it is the tab's first control: disabling it would drop the keyboard's focus); it applies to the next run. */}
          <select aria-label="Step time limit" title="The time each step may take, from the next run on" value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {stepLimits.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        {running ? (
          <button className="btn" onClick={cancel} disabled={live?.cancelling} title="Stop the diagnosis (Escape)">
            Cancel
          </button>
        ) : (
          <button className="btn" onClick={() => start(limit || undefined)} title="Run every check again (Ctrl+Enter)">
            Run again
          </button>
        )}
        <button className="btn btn-primary" disabled={!live?.run} onClick={() => setReportOpen(true)} title="Copy a report for a ticket: secrets removed, names masked on request">
          Copy report…
        </button>
      </header>
      {live && <VerdictBanner live={live} />}
      {live?.run && (
        <div className="diag-next">
          {draft ? (
            <button className="btn btn-small" onClick={() => reopenEditor(draft)}>
              Back to the editor
            </button>
          ) : (
            profile && (
              <>
                {live.run.verdict.usable && !connected && (
                  <button className="btn btn-small" onClick={() => void openConnection(profile.id)}>
                    Connect
                  </button>
                )}
                <button className="btn btn-small" onClick={() => appStore.set({ editor: { profileId: profile.id } })}>
                  Edit connection
                </button>
              </>
            )
          )}
          <span className="muted">
            Finished in {live.run.ms} ms · {live.run.environment.driver}
          </span>
        </div>
      )}
      {live && (live.nodes ? <ClusterNodes live={live} /> : <StepList live={live} />)}
      {reportOpen && live?.run && <ReportDialog run={live.run} onClose={() => setReportOpen(false)} />}
    </div>
  );
}
