import { useMemo, useState } from 'react';
import type { Tab } from '../../../renderer/src/app/app-state';
import { appStore } from '../../../renderer/src/app/app-state';
import { useStore } from '../../../renderer/src/app/store';
import { plural } from '../../../shared/text/plural';
import { errorOf, openDiagnostics } from '../../connections/renderer/connection-actions';
import { itemLabel } from '../shared/compare-model';
import { ensureOpen, familyMismatch, newRunId, runCompare, type CompareRun, type SidePick } from './compare-client';
import { DdlSideBySide } from './DdlSideBySide';
import { DifferenceList, itemKey, type StatusFilter } from './DifferenceList';
import { MigrationPanel } from './MigrationPanel';
import { SidePicker } from './SidePicker';

const FILTERS: { id: StatusFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'added', label: 'Added' },
  { id: 'changed', label: 'Changed' },
  { id: 'removed', label: 'Removed' },
];

function initialPick(value: unknown): SidePick {
  const v = (value ?? {}) as Partial<SidePick>;
  return { profileId: typeof v.profileId === 'string' ? v.profileId : null, schema: typeof v.schema === 'string' ? v.schema : '' };
}

/**
 * Compare two schemas: choose a source and a target (a connection and a schema each), run; the
 * differences grouped as added, changed and removed, each changed object's DDL side by side, and the
 * migration turning the target into the source, to save or apply.
 */
export function CompareTab({ tab }: { tab: Tab; active: boolean }) {
  const profiles = useStore(appStore, (s) => s.profiles);
  const [source, setSource] = useState<SidePick>(() => initialPick(tab.params.source));
  const [target, setTarget] = useState<SidePick>(() => initialPick(tab.params.target));
  const [run, setRun] = useState<CompareRun>({ status: 'idle' });
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState<StatusFilter>('all');
  const [selected, setSelected] = useState<string | null>(null);
  const [view, setView] = useState<'differences' | 'migration'>('differences');
  /** What the last Apply did, said above the compare that followed it. */
  const [applied, setApplied] = useState<string | null>(null);

  const sourceProfile = profiles.find((p) => p.id === source.profileId);
  const targetProfile = profiles.find((p) => p.id === target.profileId);
  const mismatch = familyMismatch(sourceProfile, targetProfile);
  const running = run.status === 'running';
  const canRun = !!sourceProfile && !!targetProfile && !mismatch && !running;

  const compare = async (after: string | null = null) => {
    if (!sourceProfile || !targetProfile || mismatch) return;
    setApplied(after);
    const runId = newRunId();
    const controller = new AbortController();
    // The tab says what it compares (it was opened from one connection; the sides may have changed since).
    appStore.set((s) => ({ ...s, tabs: s.tabs.map((t) => (t.id === tab.id ? { ...t, title: `Compare — ${sourceProfile.name} → ${targetProfile.name}` } : t)) }));
    setRun({ status: 'running', runId, progress: [], controller });
    for (const [side, p] of [['source', sourceProfile], ['target', targetProfile]] as const) {
      const failed = await ensureOpen(p.id);
      if (controller.signal.aborted) return setRun({ status: 'failed', error: { code: 'cancelled', message: 'The compare was cancelled.' } });
      if (failed) {
        setRun({ status: 'failed', error: { ...failed, message: `Cannot connect to ${p.name}: ${failed.message}` }, side });
        return;
      }
    }
    try {
      const output = await runCompare(
        runId,
        { profileId: sourceProfile.id, schema: source.schema, label: sourceProfile.name },
        { profileId: targetProfile.id, schema: target.schema, label: targetProfile.name },
        (p) => setRun((r) => (r.status === 'running' && r.runId === runId ? { ...r, progress: [...r.progress, p] } : r)),
        controller.signal,
      );
      setRun({ status: 'done', output, at: Date.now() });
      const first = output.result.items.find((i) => i.status === 'changed') ?? output.result.items[0];
      setSelected(first ? itemKey(first) : null);
    } catch (err) {
      setRun({ status: 'failed', error: errorOf(err) });
    }
  };

  const cancel = () => {
    if (run.status !== 'running') return;
    setRun({ ...run, cancelling: true });
    run.controller.abort();
  };

  const swap = () => {
    setSource(target);
    setTarget(source);
  };

  const output = run.status === 'done' ? run.output : null;
  const result = output?.result ?? null;
  const counts = useMemo(() => {
    const c = { added: 0, changed: 0, removed: 0 };
    for (const i of result?.items ?? []) c[i.status]++;
    return c;
  }, [result]);
  const item = result?.items.find((i) => itemKey(i) === selected) ?? null;
  const lastProgress = run.status === 'running' ? run.progress : [];

  return (
    <div className="tab-page schema-compare">
      <header className="page-header">
        <h2>Compare schemas</h2>
        <span className="muted">the migration turns the target into the source</span>
      </header>

      <form
        className="cmp-sides"
        aria-label="What to compare"
        onSubmit={(e) => {
          e.preventDefault();
          if (canRun) void compare();
        }}
      >
        <SidePicker side="source" pick={source} disabled={running} onChange={setSource} />
        <button type="button" className="btn btn-small cmp-swap" onClick={swap} disabled={running} aria-label="Swap source and target" title="Swap source and target">
          ⇄
        </button>
        <SidePicker side="target" pick={target} disabled={running} onChange={setTarget} />
        <div className="cmp-actions">
          {running ? (
            <button type="button" className="btn" onClick={cancel} disabled={run.cancelling}>
              {run.cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : (
            <button type="submit" className="btn btn-primary" disabled={!canRun}>
              {run.status === 'done' ? 'Compare again' : 'Compare'}
            </button>
          )}
        </div>
      </form>

      {mismatch && (
        <p className="notice notice-danger" role="alert">
          {mismatch}
        </p>
      )}
      {running && (
        <div className="cmp-progress" role="status" aria-live="polite">
          <span className="spinner" aria-hidden />{' '}
          {lastProgress.length === 0 ? 'Connecting…' : lastProgress[lastProgress.length - 1]!.message}
          {lastProgress.filter((p) => p.step === 'read').length > 0 && (
            <span className="muted"> · {lastProgress.filter((p) => p.step === 'read').map((p) => p.message).join(' · ')}</span>
          )}
        </div>
      )}
      {run.status === 'failed' && (
        <div className={`notice ${run.error.code === 'cancelled' ? 'notice-warning' : 'notice-danger'}`} role="alert">
          <strong>{run.error.code === 'cancelled' ? 'Compare cancelled.' : run.side ? 'Connection failed.' : 'The compare failed.'}</strong> {run.error.code === 'cancelled' ? '' : run.error.message}
          {run.side && (
            <>
              {' '}
              <button className="btn btn-small" onClick={() => openDiagnostics((run.side === 'source' ? sourceProfile : targetProfile)!.id)}>
                Diagnose
              </button>
            </>
          )}
        </div>
      )}
      {run.status === 'idle' && !mismatch && (
        <div className="empty-state small">
          <p>Choose a source and a target of one engine family — two connections, or two schemas of one — then Compare.</p>
        </div>
      )}

      {applied && run.status !== 'running' && (
        <p className="notice notice-success" role="status">
          {applied} Compared again:
        </p>
      )}
      {result && output && result.equal && (
        <div className="empty-state small cmp-equal" role="status">
          <h2>No differences</h2>
          <p>
            {result.target.label} ({result.target.schema}) has the same {plural(result.same, 'object')} as {result.source.label} ({result.source.schema}).
          </p>
          {result.ignored.length > 0 && <p className="muted">Left out: migration tools’ own tables ({result.ignored.join(', ')}).</p>}
        </div>
      )}

      {result && output && !result.equal && (
        <>
          <div className="cmp-summary" role="status" aria-label="Summary">
            <span className="cmp-pill cmp-pill-added">{counts.added} added</span>
            <span className="cmp-pill cmp-pill-changed">{counts.changed} changed</span>
            <span className="cmp-pill cmp-pill-removed">{counts.removed} removed</span>
            <span className="muted">
              {plural(result.same, 'object')} the same · read in {output.timings.read} ms, compared in {output.timings.compare} ms
              {result.ignored.length > 0 && ` · left out: ${result.ignored.join(', ')}`}
            </span>
          </div>
          <div className="cmp-tabs" role="tablist" aria-label="Compare views">
            {(['differences', 'migration'] as const).map((v) => (
              <button
                key={v}
                role="tab"
                id={`cmp-view-${tab.id}-${v}`}
                aria-selected={view === v}
                aria-controls={`cmp-view-panel-${tab.id}`}
                tabIndex={view === v ? 0 : -1}
                className={`cmp-tab${view === v ? ' active' : ''}`}
                onClick={() => setView(v)}
                onKeyDown={(e) => {
                  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
                  e.preventDefault();
                  const next = v === 'differences' ? 'migration' : 'differences';
                  setView(next);
                  document.getElementById(`cmp-view-${tab.id}-${next}`)?.focus();
                }}
              >
                {v === 'differences' ? `Differences (${result.items.length})` : 'Migration'}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`cmp-view-panel-${tab.id}`} aria-labelledby={`cmp-view-${tab.id}-${view}`} className="cmp-panel">
            {view === 'differences' && (
              <div className="cmp-body">
                <div className="cmp-left">
                  <div className="cmp-filter">
                    <input type="search" placeholder="Filter by name or kind" aria-label="Filter differences" value={filter} onChange={(e) => setFilter(e.target.value)} />
                    <div className="cmp-status-filter" role="group" aria-label="Show">
                      {FILTERS.map((f) => (
                        <button key={f.id} type="button" className={`btn btn-small${status === f.id ? ' active' : ''}`} aria-pressed={status === f.id} onClick={() => setStatus(f.id)}>
                          {f.label} {f.id === 'all' ? result.items.length : counts[f.id]}
                        </button>
                      ))}
                    </div>
                  </div>
                  <DifferenceList items={result.items} filter={filter} status={status} selected={selected} onSelect={setSelected} />
                </div>
                <div className="cmp-detail" aria-label="Selected difference" role="region">
                  {item ? (
                    <>
                      <h3>
                        <span className={`cmp-pill cmp-pill-${item.status}`}>{item.status}</span> <span className="mono">{itemLabel(item)}</span>
                      </h3>
                      <ul className="cmp-details">
                        {item.details.map((d, i) => (
                          <li key={i}>{d}</li>
                        ))}
                      </ul>
                      <DdlSideBySide source={item.sourceDdl} target={item.targetDdl} sourceLabel={`Source — ${result.source.label} (${result.source.schema})`} targetLabel={`Target — ${result.target.label} (${result.target.schema})`} />
                    </>
                  ) : (
                    <p className="muted">Choose a difference to see its DDL on both sides.</p>
                  )}
                </div>
              </div>
            )}
            {view === 'migration' && targetProfile && <MigrationPanel key={run.status === 'done' ? run.at : 0} output={output} targetProfileId={targetProfile.id} targetName={targetProfile.name} onApplied={(message) => void compare(message)} />}
          </div>
        </>
      )}
    </div>
  );
}
