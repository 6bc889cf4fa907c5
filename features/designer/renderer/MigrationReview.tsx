import { useEffect, useState } from 'react';
import type { MigrationPlan, MigrationSettings, RunResult } from '../../../shared/model/migrations';
import { appStore } from '../../../renderer/src/app/app-state';
import { useStore } from '../../../renderer/src/app/store';
import { client } from '../../../renderer/src/ipc/client';
import { Dialog } from '../../../renderer/src/ui/Dialog';
import { toast } from '../../../renderer/src/ui/toasts';
import { errorOf } from '../../connections/renderer/connection-actions';
import { loadSchemas } from '../../connections/renderer/schema-cache';
import { ChangeList } from './DifferencesPanel';
import type { DesignerSession } from './designer-session';
import { downloadText } from './export';
import { usePlan } from './use-plan';

type Step =
  | { kind: 'review' }
  | { kind: 'working'; what: string }
  | { kind: 'confirm'; version: string; file: string; dir: string; settings: MigrationSettings; plan: MigrationPlan }
  | { kind: 'running'; progress: string[] }
  | { kind: 'done'; message: string; ok: boolean; file?: string };

/**
 * The migration of the design, shown before anything happens: changes, the runner's lint
 * warnings, the up and down SQL. Then saved into the connection's migrations folder, or saved
 * and applied at once through the migrations runner (lock, production confirmation, history).
 */
export function MigrationReview({ session }: { session: DesignerSession }) {
  const source = session.source;
  const live = source.kind === 'connection';
  const profile = useStore(appStore, (s) => (source.kind === 'connection' ? s.profiles.find((p) => p.id === source.profileId) : undefined));
  const [name, setName] = useState(live ? 'update schema' : 'create schema');
  const [section, setSection] = useState<'up' | 'down'>('up');
  const [dir, setDir] = useState('');
  const [settings, setSettings] = useState<MigrationSettings | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'review' });
  const [confirmText, setConfirmText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { load } = usePlan(session, name, step.kind === 'review');
  const close = () => session.store.set({ reviewOpen: false });

  useEffect(() => {
    if (source.kind !== 'connection') return;
    void client
      .call('migrations.settings', { profileId: source.profileId })
      .then((s) => {
        setSettings(s);
        setDir(s.dir ?? '');
      })
      .catch(() => undefined);
  }, [source]);

  const plan = load.status === 'ready' ? load.plan : null;
  const drift = (plan?.drift.length ?? 0) > 0;
  const canWrite = !!plan && plan.changes.length > 0 && !drift && dir.trim() !== '';

  /** Writes the file; a folder typed here for the first time becomes the connection's folder. */
  const save = async (): Promise<{ version: string; file: string; dir: string; settings: MigrationSettings } | null> => {
    setError(null);
    try {
      if (source.kind === 'scratch') {
        const r = await client.call('designer.save-scratch', { design: session.design, name, dir: dir.trim(), version: session.state.serverVersion });
        return { version: r.version, file: r.files[0]!, dir: r.dir, settings: settings ?? { dir: r.dir, lockTimeoutSeconds: 5, statementTimeoutSeconds: 0, lockWaitSeconds: 30 } };
      }
      const r = await client.call('designer.save', { connectionId: source.profileId, base: session.state.base, design: session.design, name, dir: dir.trim() });
      let s = settings!;
      if (s.dir !== r.dir) s = await client.call('migrations.saveSettings', { profileId: source.profileId, settings: { ...s, dir: r.dir } });
      setSettings(s);
      return { version: r.version, file: r.files[0]!, dir: r.dir, settings: s };
    } catch (err) {
      setError(errorOf(err).message);
      return null;
    }
  };

  const onSave = async () => {
    setStep({ kind: 'working', what: 'Saving the migration…' });
    const r = await save();
    if (!r) return setStep({ kind: 'review' });
    setStep({ kind: 'done', ok: true, file: r.file, message: `Saved ${r.file} in ${r.dir}. It is pending: apply it from the migrations view, or with dbdesk migrate.` });
    toast({ level: 'success', title: 'Migration saved', message: r.file });
  };

  const onApply = async () => {
    if (source.kind !== 'connection') return;
    setStep({ kind: 'working', what: 'Saving the migration and planning the run…' });
    const r = await save();
    if (!r) return setStep({ kind: 'review' });
    try {
      const runPlan = await client.call('migrations.plan', { connectionId: source.profileId, dir: r.dir, settings: r.settings, request: { action: 'up', to: r.version } });
      const onlyOurs = runPlan.steps.length === 1 && runPlan.steps[0]!.version === r.version;
      const next = { kind: 'confirm' as const, version: r.version, file: r.file, dir: r.dir, settings: r.settings, plan: runPlan };
      if (onlyOurs && runPlan.blockers.length === 0 && !runPlan.production) await run(next);
      else setStep(next);
    } catch (err) {
      setError(errorOf(err).message);
      setStep({ kind: 'done', ok: false, file: r.file, message: `Saved ${r.file}, but the run could not be planned.` });
    }
  };

  const run = async (c: Extract<Step, { kind: 'confirm' }>) => {
    if (source.kind !== 'connection') return;
    const runId = `designer-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const progress: string[] = [];
    setStep({ kind: 'running', progress });
    const off = client.on('migration.progress', (p) => {
      if (p.runId !== runId) return;
      progress.push(p.message);
      setStep({ kind: 'running', progress: [...progress] });
    });
    try {
      const result: RunResult = await client.call('migrations.apply', {
        connectionId: source.profileId,
        dir: c.dir,
        settings: c.settings,
        request: { action: 'up', to: c.version },
        runId,
        approved: c.plan.steps.map((s) => `${s.version}:${s.direction}`),
        ...(c.plan.production ? { confirmDatabase: confirmText } : {}),
      });
      const ok = result.outcome === 'success';
      setStep({ kind: 'done', ok, file: c.file, message: result.message + (result.failed ? ` — ${result.failed.error}` : '') });
      if (ok) {
        toast({ level: 'success', title: 'Migration applied', message: c.file });
        void loadSchemas(source.profileId);
        await session.reloadAfterApply();
      }
    } catch (err) {
      setStep({ kind: 'done', ok: false, file: c.file, message: errorOf(err).message });
    } finally {
      off();
    }
  };

  const sql = plan ? plan[section].statements.map((s) => `${s};`).join('\n\n') : '';
  return (
    <Dialog
      title="Review migration"
      wide
      onClose={close}
      footer={
        step.kind === 'review' ? (
          <>
            {plan && (
              <button className="btn" onClick={() => downloadText(plan.fileName, plan.fileText, 'application/sql')}>
                Download .sql
              </button>
            )}
            <span className="spacer" />
            <button className="btn" onClick={close}>
              Keep editing
            </button>
            <button className="btn" disabled={!canWrite} onClick={() => void onSave()}>
              Save to folder
            </button>
            {live && (
              <button className="btn btn-primary" disabled={!canWrite || profile?.readOnly} title={profile?.readOnly ? 'The connection is read-only' : undefined} onClick={() => void onApply()}>
                Apply now
              </button>
            )}
          </>
        ) : step.kind === 'confirm' ? (
          <>
            <span className="spacer" />
            <button className="btn" onClick={close}>
              Not now
            </button>
            <button className="btn btn-primary" disabled={step.plan.blockers.length > 0 || (step.plan.production && confirmText !== step.plan.database)} onClick={() => void run(step)}>
              Apply {step.plan.steps.length} migration{step.plan.steps.length === 1 ? '' : 's'}
            </button>
          </>
        ) : step.kind === 'done' ? (
          <>
            <span className="spacer" />
            <button className="btn btn-primary" onClick={close}>
              Done
            </button>
          </>
        ) : undefined
      }
    >
      {step.kind === 'review' && (
        <div className="dz-review">
          <label className="field">
            <span className="label">Migration name</span>
            <input aria-label="Migration name" value={name} onChange={(e) => setName(e.target.value)} />
            {plan && <span className="field-help mono">{plan.fileName}</span>}
          </label>
          {load.status === 'loading' && <p className="muted">Generating the migration…</p>}
          {load.status === 'failed' && (
            <p className="error-text" role="alert">
              {load.message}
            </p>
          )}
          {plan && drift && (
            <div className="notice notice-warning" role="alert">
              <strong>The database changed since the design was read</strong> — applying now could fail or undo someone else’s work. Reload the design first.
              <ChangeList lines={plan.drift} label="Changes in the database since the design was read" />
              <button className="btn btn-small" onClick={() => void session.discardAndReload().then(close)}>
                Discard edits and reload
              </button>
            </div>
          )}
          {plan && plan.changes.length === 0 && <p className="muted">The design matches the database: there is nothing to migrate.</p>}
          {plan && plan.changes.length > 0 && (
            <>
              <details open className="dz-details">
                <summary>
                  {plan.changes.length} change{plan.changes.length === 1 ? '' : 's'}
                </summary>
                <ChangeList lines={plan.changes} label="Changes" />
              </details>
              {plan.lint.length > 0 && (
                <section className="dz-lint" aria-label="Lint warnings">
                  <h3>Warnings</h3>
                  <ul>
                    {plan.lint.map((w, i) => (
                      <li key={i} className="notice notice-warning">
                        <span className="badge">{w.rule}</span> statement {w.statementIndex}: {w.message}
                        {w.suggestion && <div className="muted">{w.suggestion}</div>}
                      </li>
                    ))}
                  </ul>
                </section>
              )}
              {[...plan.up.notes].length > 0 && (
                <ul className="dz-notes" aria-label="Notes">
                  {plan.up.notes.map((n, i) => (
                    <li key={i}>{n}</li>
                  ))}
                </ul>
              )}
              <div className="dz-sql-tabs" role="tablist" aria-label="Migration sections">
                {(['up', 'down'] as const).map((s) => (
                  <button key={s} role="tab" aria-selected={section === s} className={`dz-sql-tab${section === s ? ' active' : ''}`} onClick={() => setSection(s)}>
                    {s === 'up' ? 'Up' : 'Down'} ({plan[s].statements.length}){plan[s].transactional ? '' : ' · own transaction'}
                  </button>
                ))}
              </div>
              <pre className="dz-sql" role="tabpanel" aria-label={`${section === 'up' ? 'Up' : 'Down'} SQL`} tabIndex={0}>
                {sql}
              </pre>
              <label className="field">
                <span className="label">Migrations folder{live ? ' of this connection' : ''}</span>
                <input aria-label="Migrations folder" className="mono" placeholder="/path/to/db/migrations" value={dir} onChange={(e) => setDir(e.target.value)} />
                <span className="field-help">{dir.trim() ? 'New files use dbmate’s format (or the folder’s own format).' : 'Choose where the migration file goes.'}</span>
              </label>
            </>
          )}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
      {step.kind === 'working' && (
        <p role="status">
          <span className="spinner" aria-hidden /> {step.what}
        </p>
      )}
      {step.kind === 'confirm' && (
        <div className="dz-review" aria-label="Run plan">
          <p>
            Saved <span className="mono">{step.file}</span>. The runner will apply:
          </p>
          <ul className="dz-list">
            {step.plan.steps.map((s) => (
              <li key={s.version} className="mono">
                {s.version} {s.name} — {s.statementsTotal} statement{s.statementsTotal === 1 ? '' : 's'}
              </li>
            ))}
          </ul>
          <p className="muted">{step.plan.lock.description}</p>
          {step.plan.warnings.map((w, i) => (
            <p key={i} className="notice notice-warning">
              {w}
            </p>
          ))}
          {step.plan.blockers.map((b, i) => (
            <p key={i} className="notice error-text" role="alert">
              {b}
            </p>
          ))}
          {step.plan.production && (
            <label className="field">
              <span className="label">
                This is a production connection. Type <span className="mono">{step.plan.database}</span> to apply.
              </span>
              <input aria-label="Type the database name to confirm" className="mono" value={confirmText} onChange={(e) => setConfirmText(e.target.value)} />
            </label>
          )}
        </div>
      )}
      {step.kind === 'running' && (
        <div role="status" aria-live="polite">
          <p>
            <span className="spinner" aria-hidden /> Applying…
          </p>
          <ul className="dz-progress mono">
            {step.progress.slice(-8).map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {step.kind === 'done' && (
        <div role={step.ok ? 'status' : 'alert'} className={step.ok ? 'test-result test-ok' : 'test-result test-failed'}>
          <p>{step.message}</p>
        </div>
      )}
    </Dialog>
  );
}
