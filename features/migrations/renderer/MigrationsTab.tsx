import { useCallback, useEffect, useEffectEvent, useMemo, useState } from 'react';
import type { PlanRequestInput } from '../../../shared/ipc/commands/migrations';
import { foreignToolLabels, isRunnableFormat, migrationFormatLabels, toolRunCommands, type HistoryRow, type MigrationPlan, type MigrationSettings, type MigrationStatus } from '../../../shared/model/migrations';
import type { Tab } from '../../../renderer/src/app/app-state';
import { appStore } from '../../../renderer/src/app/app-state';
import { useStore } from '../../../renderer/src/app/store';
import { client } from '../../../renderer/src/ipc/client';
import { toast } from '../../../renderer/src/ui/toasts';
import { errorOf } from '../../connections/renderer/connection-actions';
import { loadSchemas } from '../../connections/renderer/schema-cache';
import { ConfirmRunDialog } from './ConfirmRunDialog';
import { DecisionPanel, needsDecision, type Choice } from './DecisionPanel';
import { FolderDialog } from './FolderDialog';
import { HistoryTable } from './HistoryTable';
import { applyPlan, cancelRun, formatTime, newRunId, repair, type Load, type RunState } from './migration-client';
import { NewMigrationDialog } from './NewMigrationDialog';
import { PlanControls, requestTitle, type PlanChoice } from './PlanControls';
import { PlanView } from './PlanView';
import { RunProgress } from './RunProgress';
import { SettingsDialog } from './SettingsDialog';
import { defaultShadowOptions, ShadowChecks, type ShadowOptions } from './ShadowChecks';
import { PlanRehearsalPanel, rehearsable, usePlanRehearsal } from './PlanRehearsal';
import { entryKey, StatusTable } from './StatusTable';
import { plural } from '../../../shared/text/plural';

type View = 'status' | 'plan' | 'history' | 'shadow';
type DialogState = null | { kind: 'folder' } | { kind: 'new' } | { kind: 'settings' } | { kind: 'apply' } | { kind: 'release' } | { kind: 'decide'; choice: Choice; version: string };

const VIEWS: { id: View; label: string }[] = [
  { id: 'status', label: 'Status' },
  { id: 'plan', label: 'Plan' },
  { id: 'history', label: 'History' },
  { id: 'shadow', label: 'Drift & rehearsal' },
];

/** The Migrations view of one connection: folder, states, plan with lint, runs with live progress, history. */
export function MigrationsTab({ tab }: { tab: Tab; active: boolean }) {
  const profileId = tab.profileId!;
  const profile = useStore(appStore, (s) => s.profiles.find((p) => p.id === profileId));
  const [settings, setSettings] = useState<Load<MigrationSettings>>({ status: 'loading' });
  const [status, setStatus] = useState<Load<MigrationStatus>>({ status: 'idle' });
  const [plan, setPlan] = useState<Load<MigrationPlan>>({ status: 'idle' });
  const [history, setHistory] = useState<Load<HistoryRow[]>>({ status: 'idle' });
  const [view, setView] = useState<View>('status');
  const [choice, setChoice] = useState<PlanChoice>({ kind: 'up' });
  const [planned, setPlanned] = useState<PlanRequestInput | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [run, setRun] = useState<RunState | null>(null);
  const [dialog, setDialog] = useState<DialogState>(null);
  /** The shadow's options, shared by the Drift & rehearsal view and the plan's Rehearse. */
  const [shadowOptions, setShadowOptions] = useState<ShadowOptions>(defaultShadowOptions);
  const rehearsal = usePlanRehearsal(profileId);
  const s = settings.status === 'ready' ? settings.value : null;
  const running = run !== null && !run.result && !run.error;

  useEffect(() => {
    client
      .call('migrations.settings', { profileId })
      .then((value) => setSettings({ status: 'ready', value }))
      .catch((err: unknown) => setSettings({ status: 'failed', message: errorOf(err).message }));
  }, [profileId]);

  const refresh = useCallback(
    (current: MigrationSettings | null = s) => {
      if (!current?.dir) return;
      setStatus({ status: 'loading' });
      setPlan({ status: 'idle' });
      client
        .call('migrations.status', { connectionId: profileId, dir: current.dir, settings: current })
        .then((value) => {
          setStatus({ status: 'ready', value });
          const first = value.migrations.find(needsDecision);
          if (first) setSelected((sel) => sel ?? entryKey(first));
        })
        .catch((err: unknown) => setStatus({ status: 'failed', message: errorOf(err).message }));
      client
        .call('migrations.history', { connectionId: profileId })
        .then((value) => setHistory({ status: 'ready', value }))
        .catch((err: unknown) => setHistory({ status: 'failed', message: errorOf(err).message }));
    },
    [profileId, s],
  );
  // Read again when the folder changes; other settings changes refresh where they are saved.
  const refreshNow = useEffectEvent(() => refresh());
  useEffect(() => refreshNow(), [s?.dir]);

  const saveSettings = async (next: MigrationSettings) => {
    try {
      const saved = await client.call('migrations.saveSettings', { profileId, settings: next });
      setSettings({ status: 'ready', value: saved });
      setDialog(null);
      if (saved.dir === s?.dir) refresh(saved);
    } catch (err) {
      toast({ level: 'error', title: 'Could not save the migration settings', message: errorOf(err).message, tabId: tab.id });
    }
  };

  const loadPlan = (request: PlanRequestInput) => {
    if (!s?.dir) return;
    setView('plan');
    setPlanned(request);
    setPlan({ status: 'loading' });
    // A rehearsal is of the plan it was started from.
    rehearsal.clear();
    client
      .call('migrations.plan', { connectionId: profileId, dir: s.dir, settings: s, request })
      .then((value) => setPlan({ status: 'ready', value }))
      .catch((err: unknown) => setPlan({ status: 'failed', message: errorOf(err).message }));
  };

  const track = (title: string) => {
    const runId = newRunId();
    setRun({ runId, title, events: [] });
    return {
      runId,
      cb: { onEvent: (e: RunState['events'][number]) => setRun((r) => (r && r.runId === runId ? { ...r, events: [...r.events, e] } : r)) },
      finish: (result: Awaited<ReturnType<typeof applyPlan>> | null, error?: string) => {
        setRun((r) => (r && r.runId === runId ? { ...r, ...(result ? { result } : {}), ...(error ? { error } : {}) } : r));
        refresh();
        // Tables came and went: the schema tree shows the database as it is now.
        if (result && result.done.length + (result.failed?.statementsApplied ?? 0) > 0) void loadSchemas(profileId);
      },
    };
  };

  const apply = async (typed: string | undefined) => {
    setDialog(null);
    if (!s?.dir || plan.status !== 'ready' || !planned) return;
    const t = track(requestTitle(planned, plan.value));
    try {
      const result = await applyPlan(profileId, s, planned, plan.value, t.runId, typed, t.cb);
      t.finish(result);
      toast({ level: result.outcome === 'success' || result.outcome === 'nothing-to-do' ? 'success' : 'error', title: result.message.split('\n')[0]! });
    } catch (err) {
      t.finish(null, errorOf(err).message);
    }
  };

  const decide = async (c: Choice, version: string, typed: string | undefined) => {
    setDialog(null);
    if (!s?.dir) return;
    const t = track(`${c.label} — ${version}`);
    try {
      const result = await repair(profileId, s, c.action, version, t.runId, typed, t.cb);
      t.finish(result);
    } catch (err) {
      t.finish(null, errorOf(err).message);
    }
  };

  const releaseLock = async (typed: string | undefined) => {
    void typed;
    setDialog(null);
    if (!s || status.status !== 'ready' || !status.value.lock) return;
    try {
      const r = await client.call('migrations.releaseLock', { connectionId: profileId, settings: s, ref: status.value.lock.ref });
      toast({ level: 'success', title: 'Lock released', message: r.message });
    } catch (err) {
      toast({ level: 'error', title: 'Could not release the lock', message: errorOf(err).message, tabId: tab.id });
    }
    refresh();
  };

  const st = status.status === 'ready' ? status.value : null;
  const entry = useMemo(() => st?.migrations.find((m) => entryKey(m) === selected) ?? null, [st, selected]);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const m of st?.migrations ?? []) c[m.state] = (c[m.state] ?? 0) + 1;
    return c;
  }, [st]);
  const rehearsing = rehearsal.state?.status === 'running';
  const canApply = plan.status === 'ready' && plan.value.blockers.length === 0 && plan.value.steps.length > 0 && !running && !rehearsing;
  const canRehearse = plan.status === 'ready' && rehearsable(planned, plan.value) && !running && !rehearsing;
  const rehearseId = `mig-rehearse-${profileId}`;
  const startRehearsal = () => {
    if (!s?.dir || plan.status !== 'ready' || !rehearsable(planned, plan.value)) return;
    void rehearsal.start(s, planned, plan.value, shadowOptions);
  };

  // The run's box goes away: the keyboard goes back to the view it was started from.
  const closeRun = () => {
    setRun(null);
    document.getElementById(`mig-tab-${profileId}-${view}`)?.focus();
  };

  const onTabKey = (e: React.KeyboardEvent) => {
    const i = VIEWS.findIndex((v) => v.id === view);
    const next = e.key === 'ArrowRight' ? (i + 1) % VIEWS.length : e.key === 'ArrowLeft' ? (i + VIEWS.length - 1) % VIEWS.length : -1;
    if (next < 0) return;
    e.preventDefault();
    setView(VIEWS[next]!.id);
    document.getElementById(`mig-tab-${profileId}-${VIEWS[next]!.id}`)?.focus();
  };

  return (
    <div className="tab-page migrations">
      <header className="page-header">
        <h2>
          Migrations <span className="muted">— {profile?.name}</span>
          {profile?.production && <span className="badge badge-prod">PRODUCTION</span>}
        </h2>
        <span className="spacer" />
        <button className="btn btn-small" disabled={!s?.dir || (st !== null && !isRunnableFormat(st.format))} onClick={() => setDialog({ kind: 'new' })}>
          New migration
        </button>
        <button className="btn btn-small" disabled={!s?.dir || status.status === 'loading'} onClick={() => refresh()}>
          Refresh
        </button>
      </header>

      {settings.status === 'failed' && (
        <p className="notice notice-danger" role="alert">
          {settings.message}
        </p>
      )}
      {s && (
        <div className="mig-folder">
          <span className="label">Folder</span>
          <code className="mono mig-folder-path" title={s.dir ?? ''}>
            {s.dir ?? 'none chosen'}
          </code>
          <button id={`mig-folder-${profileId}`} className="btn btn-small" onClick={() => setDialog({ kind: 'folder' })}>
            {s.dir ? 'Change…' : 'Choose folder…'}
          </button>
        </div>
      )}
      {s && !s.dir && (
        <div className="empty-state small">
          <h2>Choose this database’s migrations folder</h2>
          <p>DB Desk reads dbmate, golang-migrate and Flyway folders as they are, and writes new migrations in dbmate’s format.</p>
          <button className="btn btn-primary" onClick={() => setDialog({ kind: 'folder' })}>
            Choose folder…
          </button>
        </div>
      )}

      {status.status === 'failed' && (
        <p className="notice notice-danger" role="alert">
          {status.message}
        </p>
      )}
      {st && s && (
        <>
          <dl className="mig-summary">
            <div>
              <dt>Format</dt>
              <dd title={migrationFormatLabels[st.format]}>
                {st.format}
                {st.empty && isRunnableFormat(st.format) ? ' (empty folder)' : ` · ${plural(st.migrations.filter((m) => m.file).length, 'file')}`}
              </dd>
            </div>
            <div>
              <dt>State</dt>
              <dd>
                {(['applied', 'pending', 'failed', 'edited', 'missing'] as const)
                  .filter((k) => counts[k])
                  .map((k) => (
                    <span key={k} className={`state state-${k}`}>
                      {counts[k]} {k}
                    </span>
                  ))}
                {st.migrations.length === 0 && 'no migrations'}
              </dd>
            </div>
            <div>
              <dt>Lock</dt>
              <dd>
                {st.lock ? (
                  <>
                    <span className={`state ${st.lock.stale ? 'state-failed' : 'state-pending'}`}>{st.lock.stale ? 'stale' : 'held'}</span> {st.lock.holder}
                    {st.lock.since && <span className="muted"> since {formatTime(st.lock.since)}</span>}{' '}
                    <button className="btn btn-small" onClick={() => setDialog({ kind: 'release' })}>
                      Release…
                    </button>
                  </>
                ) : (
                  'free'
                )}
              </dd>
            </div>
            <div>
              <dt>Timeouts</dt>
              <dd>
                lock {s.lockTimeoutSeconds ? `${s.lockTimeoutSeconds} s` : 'off'} · statement {s.statementTimeoutSeconds ? `${s.statementTimeoutSeconds} s` : 'off'} · wait for lock {s.lockWaitSeconds} s{' '}
                <button className="btn btn-small" onClick={() => setDialog({ kind: 'settings' })}>
                  Change…
                </button>
              </dd>
            </div>
            {st.galera && (
              <div>
                <dt>Galera</dt>
                <dd>
                  wsrep_OSU_method = <strong>{st.galera.osuMethod}</strong>
                  {st.galera.osuMethod.toUpperCase() === 'TOI' && <span className="muted"> — each DDL statement pauses the whole cluster while it runs</span>}
                </dd>
              </div>
            )}
          </dl>
          {st.foreign.length > 0 && (
            <section className="foreign" aria-label="Other tools’ history tables">
              <h3>Other tools’ histories in this database</h3>
              <ul>
                {st.foreign.map((f) => (
                  <li key={f.table}>
                    <strong>{foreignToolLabels[f.tool]}</strong> <code className="mono">{f.table}</code> — {f.summary}
                    {f.matchesFolder && <span className="badge badge-up">the folder’s tool: its table decides what is applied</span>}
                    {f.markers.map((m, i) => (
                      <div key={i} className="marker">
                        ⚠ {m}
                      </div>
                    ))}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {!isRunnableFormat(st.format) && (
            <p className="notice" role="note">
              {migrationFormatLabels[st.format]}. DB Desk shows each migration’s state from {foreignToolLabels[st.format]}’s history table, and does not run or write these
              migrations: use {toolRunCommands[st.format]}.
            </p>
          )}
          {st.problems.map((p, i) => (
            <p key={i} className={`notice ${p.startsWith('Ignored') ? '' : 'notice-warning'}`}>
              {p}
            </p>
          ))}
        </>
      )}

      {run && <RunProgress run={run} onCancel={() => (setRun({ ...run, cancelling: true }), void cancelRun(run.runId))} onClose={closeRun} />}

      {s?.dir && (
        <>
          <div className="mig-tabs" role="tablist" aria-label="Migrations views" onKeyDown={onTabKey}>
            {VIEWS.map((v) => (
              <button
                key={v.id}
                id={`mig-tab-${profileId}-${v.id}`}
                role="tab"
                aria-selected={view === v.id}
                aria-controls={`mig-panel-${profileId}-${v.id}`}
                tabIndex={view === v.id ? 0 : -1}
                className={`mig-tab${view === v.id ? ' active' : ''}`}
                onClick={() => {
                  setView(v.id);
                  if (v.id === 'plan' && plan.status === 'idle') loadPlan({ action: 'up' });
                }}
              >
                {v.label}
                {v.id === 'status' && st ? ` (${st.migrations.length})` : ''}
                {v.id === 'history' && history.status === 'ready' ? ` (${history.value.length})` : ''}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`mig-panel-${profileId}-${view}`} aria-labelledby={`mig-tab-${profileId}-${view}`} className="mig-panel">
            {view === 'status' && (
              <>
                {status.status === 'loading' && <p className="muted page-note">Reading the folder and the database’s histories…</p>}
                {st && <StatusTable migrations={st.migrations} selected={selected} onSelect={setSelected} />}
                {entry && (
                  <DecisionPanel
                    entry={entry}
                    busy={running}
                    canDecide={st !== null && isRunnableFormat(st.format)}
                    onChoose={(c) => setDialog({ kind: 'decide', choice: c, version: entryKey(entry) })}
                    onPlanUp={() => loadPlan({ action: 'up' })}
                    onCompare={() => (s?.dir ? client.call('migrations.compareTable', { connectionId: profileId, dir: s.dir, settings: s, version: entryKey(entry) }) : Promise.reject(new Error('Choose the migrations folder first.')))}
                  />
                )}
              </>
            )}
            {view === 'plan' && (
              <>
                <PlanControls
                  versions={st?.migrations ?? []}
                  choice={choice}
                  onChange={setChoice}
                  onPlan={loadPlan}
                  canApply={canApply}
                  onApply={() => setDialog({ kind: 'apply' })}
                  canRehearse={canRehearse}
                  onRehearse={startRehearsal}
                  rehearseId={rehearseId}
                />
                {rehearsal.state && (
                  <PlanRehearsalPanel
                    state={rehearsal.state}
                    options={shadowOptions}
                    onCancel={rehearsal.cancel}
                    onClose={() => {
                      rehearsal.clear();
                      document.getElementById(rehearseId)?.focus();
                    }}
                  />
                )}
                {plan.status === 'idle' && <p className="muted page-note">Choose what to plan, then “Show plan”: every statement is listed before anything runs.</p>}
                {plan.status === 'loading' && <p className="muted page-note">Planning…</p>}
                {plan.status === 'failed' && (
                  <p className="notice notice-danger" role="alert">
                    {plan.message}
                  </p>
                )}
                {plan.status === 'ready' && <PlanView plan={plan.value} rehearsal={rehearsal.state?.status === 'done' ? rehearsal.state.report : null} />}
              </>
            )}
            {/* Kept mounted: a running check keeps its progress and Cancel while another view is shown. */}
            {s && (
              <div hidden={view !== 'shadow'}>
                <ShadowChecks connectionId={profileId} settings={s} options={shadowOptions} onOptions={setShadowOptions} />
              </div>
            )}
            {view === 'history' && (
              <>
                {history.status === 'loading' && <p className="muted page-note">Reading dbdesk_migrations…</p>}
                {history.status === 'failed' && <p className="notice notice-danger">{history.message}</p>}
                {history.status === 'ready' && <HistoryTable rows={history.value} />}
              </>
            )}
          </div>
        </>
      )}

      {dialog?.kind === 'folder' && s && <FolderDialog start={s.dir} returnFocus={() => document.getElementById(`mig-folder-${profileId}`)} onClose={() => setDialog(null)} onChoose={(dir) => void saveSettings({ ...s, dir })} />}
      {dialog?.kind === 'settings' && s && <SettingsDialog settings={s} onClose={() => setDialog(null)} onSave={(next) => void saveSettings(next)} />}
      {dialog?.kind === 'new' && s?.dir && (
        <NewMigrationDialog
          dir={s.dir}
          format={st?.format ?? 'dbmate'}
          empty={st?.empty ?? true}
          onClose={() => setDialog(null)}
          onCreated={() => {
            setDialog(null);
            refresh();
          }}
        />
      )}
      {dialog?.kind === 'apply' && plan.status === 'ready' && planned && (
        <ConfirmRunDialog title={requestTitle(planned, plan.value)} production={plan.value.production} database={plan.value.database} confirmLabel="Apply" onClose={() => setDialog(null)} onConfirm={(typed) => void apply(typed)}>
          <p>
            {plural(plan.value.steps.length, 'migration')} on <strong className="mono">{plan.value.database}</strong>, under {plan.value.lock.strategy}.
          </p>
          {plan.value.steps.some((x) => x.lint.length > 0) && <p className="notice notice-warning">{plural(plan.value.steps.reduce((n, x) => n + x.lint.length, 0), 'lint warning')} — read them in the plan first.</p>}
        </ConfirmRunDialog>
      )}
      {dialog?.kind === 'decide' && st && (
        <ConfirmRunDialog title={`${dialog.choice.label} — ${dialog.version}`} production={st.production} database={st.database} confirmLabel={dialog.choice.label} danger={dialog.choice.danger ?? false} onClose={() => setDialog(null)} onConfirm={(typed) => void decide(dialog.choice, dialog.version, typed)}>
          <p>{dialog.choice.explain}</p>
        </ConfirmRunDialog>
      )}
      {dialog?.kind === 'release' && st?.lock && (
        <ConfirmRunDialog title="Release the migration lock" production={false} database={st.database} confirmLabel="Release the lock" danger onClose={() => setDialog(null)} onConfirm={(typed) => void releaseLock(typed)}>
          <p>
            Held by <strong>{st.lock.holder}</strong>
            {st.lock.since && <> since {formatTime(st.lock.since)}</>}.
          </p>
          <p>{st.lock.stale ? 'This lock looks stale.' : 'This lock looks alive: release it only if you know that runner is stuck or gone.'}</p>
          <p>Releasing {st.lock.releaseEffect}.</p>
        </ConfirmRunDialog>
      )}
    </div>
  );
}
