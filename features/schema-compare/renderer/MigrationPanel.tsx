import { useEffect, useState } from 'react';
import type { CompareRunOutput } from '../../../shared/ipc/commands/schema-compare';
import type { MigrationPlan, MigrationSettings } from '../../../shared/model/migrations';
import { plural } from '../../../shared/text/plural';
import { client } from '../../../renderer/src/ipc/client';
import { toast } from '../../../renderer/src/ui/toasts';
import { errorOf } from '../../connections/renderer/connection-actions';
import { loadSchemas } from '../../connections/renderer/schema-cache';
import { ConfirmRunDialog } from '../../migrations/renderer/ConfirmRunDialog';
import { FolderDialog } from '../../migrations/renderer/FolderDialog';
import { applyPlan, cancelRun, newRunId, type RunState } from '../../migrations/renderer/migration-client';
import { RunProgress } from '../../migrations/renderer/RunProgress';

type Direction = 'up' | 'down';
interface Saved {
  version: string;
  path: string;
  dir: string;
}
type Dialog = null | { kind: 'folder'; then: 'save' | 'apply' } | { kind: 'apply'; plan: MigrationPlan; version: string };

/**
 * The migration that turns the target into the source, up and down (dbmate format), with the
 * runner's lint. Save writes it into the target connection's migrations folder (the same writer as
 * "New migration"); Apply saves it, plans it with the runner and runs it there — the Migrations
 * view's flow: its lock, the typed confirmation on production, its history and progress.
 */
export function MigrationPanel(props: { output: CompareRunOutput; targetProfileId: string; targetName: string; onApplied(message: string): void }) {
  const { result, file } = props.output;
  const [direction, setDirection] = useState<Direction>('up');
  const [settings, setSettings] = useState<MigrationSettings | null>(null);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [run, setRun] = useState<RunState | null>(null);
  const running = run !== null && !run.result && !run.error;

  useEffect(() => {
    let live = true;
    client
      .call('migrations.settings', { profileId: props.targetProfileId })
      .then((s) => live && setSettings(s))
      .catch((err: unknown) => live && setError(errorOf(err).message));
    return () => {
      live = false;
    };
  }, [props.targetProfileId]);

  const save = async (s: MigrationSettings): Promise<Saved | null> => {
    if (saved) return saved;
    if (!s.dir) return null;
    const written = await client.call('migrations.create', { dir: s.dir, name: file.name, up: file.up, down: file.down, transaction: file.transaction });
    const next = { version: written.version, path: written.path, dir: s.dir };
    setSaved(next);
    toast({ level: 'success', title: 'Migration saved', message: written.path });
    return next;
  };

  const act = async (what: 'save' | 'apply', s: MigrationSettings | null = settings) => {
    if (!s) return;
    if (!s.dir) {
      setDialog({ kind: 'folder', then: what });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const written = await save(s);
      if (what === 'apply' && written) {
        const plan = await client.call('migrations.plan', { connectionId: props.targetProfileId, dir: written.dir, settings: s, request: { action: 'up', to: written.version } });
        if (plan.blockers.length > 0) setError(`The runner will not apply it yet: ${plan.blockers.join(' ')}`);
        else setDialog({ kind: 'apply', plan, version: written.version });
      }
    } catch (err) {
      setError(errorOf(err).message);
    } finally {
      setBusy(false);
    }
  };

  const chooseFolder = async (dir: string, then: 'save' | 'apply') => {
    setDialog(null);
    try {
      const next = await client.call('migrations.saveSettings', { profileId: props.targetProfileId, settings: { ...(settings as MigrationSettings), dir } });
      setSettings(next);
      await act(then, next);
    } catch (err) {
      setError(errorOf(err).message);
    }
  };

  const apply = async (plan: MigrationPlan, version: string, typed: string | undefined) => {
    setDialog(null);
    if (!settings?.dir && !saved) return;
    const s = { ...(settings as MigrationSettings), dir: saved?.dir ?? settings!.dir };
    const runId = newRunId();
    const title = `Apply ${plan.steps.length === 1 ? plan.steps[0]!.name : plural(plan.steps.length, 'migration')} to ${props.targetName}`;
    setRun({ runId, title, events: [] });
    try {
      const r = await applyPlan(props.targetProfileId, s, { action: 'up', to: version }, plan, runId, typed, {
        onEvent: (e) => setRun((x) => (x && x.runId === runId ? { ...x, events: [...x.events, e] } : x)),
      });
      setRun((x) => (x && x.runId === runId ? { ...x, result: r } : x));
      if (r.done.length + (r.failed?.statementsApplied ?? 0) > 0) void loadSchemas(props.targetProfileId);
      if (r.outcome === 'success') props.onApplied(`${r.message.split('\n')[0]!} ${saved ? `(${saved.path})` : ''}`.trim());
    } catch (err) {
      setRun((x) => (x && x.runId === runId ? { ...x, error: errorOf(err).message } : x));
    }
  };

  const section = direction === 'up' ? file.up : file.down;
  const lint = result.migration.lint;
  const others = (plan: MigrationPlan, version: string) => plan.steps.filter((s) => s.version !== version);
  return (
    <section className="cmp-migration" aria-label="Migration">
      <header className="cmp-migration-header">
        <h3>
          Migration <span className="muted">— turns {result.target.label} ({result.target.schema}) into {result.source.label} ({result.source.schema})</span>
        </h3>
      </header>
      <div className="cmp-migration-actions">
        <button className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(section).then(() => toast({ level: 'success', title: `${direction === 'up' ? 'Up' : 'Down'} SQL copied` }))}>
          Copy SQL
        </button>
        <button className="btn btn-small" disabled={busy || running || saved !== null || settings === null} onClick={() => void act('save')}>
          {saved ? 'Saved' : 'Save to migrations folder'}
        </button>
        <button className="btn btn-small btn-primary" disabled={busy || running || settings === null || run?.result?.outcome === 'success'} onClick={() => void act('apply')}>
          Apply to {props.targetName}…
        </button>
      </div>
      <p className="muted cmp-folder">
        {settings === null ? 'Reading the migrations settings…' : settings.dir ? <>Migrations folder of {props.targetName}: <code className="mono">{settings.dir}</code></> : `${props.targetName} has no migrations folder yet: Save and Apply ask for one.`}
        {saved && (
          <>
            {' '}
            — saved as <code className="mono">{saved.path}</code>
          </>
        )}
      </p>
      {error && (
        <p className="notice notice-danger" role="alert">
          {error}
        </p>
      )}
      {run && <RunProgress run={run} onCancel={() => (setRun({ ...run, cancelling: true }), void cancelRun(run.runId))} onClose={() => setRun(null)} />}
      {lint.length > 0 && (
        <ul className="notice notice-warning cmp-lint" aria-label="Lint warnings">
          {lint.map((l, i) => (
            <li key={i}>
              <strong>{l.rule}</strong> (statement {l.statementIndex + 1}): {l.message}
              {l.suggestion && <span className="muted"> — {l.suggestion}</span>}
            </li>
          ))}
        </ul>
      )}
      <div className="cmp-tabs" role="tablist" aria-label="Migration direction">
        {(['up', 'down'] as const).map((d) => (
          <button
            key={d}
            role="tab"
            id={`cmp-dir-${d}`}
            aria-selected={direction === d}
            aria-controls="cmp-dir-panel"
            tabIndex={direction === d ? 0 : -1}
            className={`cmp-tab${direction === d ? ' active' : ''}`}
            onClick={() => setDirection(d)}
            onKeyDown={(e) => {
              if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
              e.preventDefault();
              const next = d === 'up' ? 'down' : 'up';
              setDirection(next);
              document.getElementById(`cmp-dir-${next}`)?.focus();
            }}
          >
            {d === 'up' ? 'Up' : 'Down'} <span className="muted">({plural(d === 'up' ? result.migration.up.statements.length : result.migration.down.statements.length, 'statement')})</span>
          </button>
        ))}
        <span className="spacer" />
        <span className="muted cmp-tx">{file.transaction ? 'in one transaction' : 'transaction:false (runs its own transactions)'}</span>
      </div>
      <pre id="cmp-dir-panel" role="tabpanel" aria-labelledby={`cmp-dir-${direction}`} className="cmp-sql mono" tabIndex={0}>
        {`-- migrate:${direction}${file.transaction ? '' : ' transaction:false'}\n${section}`}
      </pre>

      {dialog?.kind === 'folder' && settings && <FolderDialog start={settings.dir} onClose={() => setDialog(null)} onChoose={(dir) => void chooseFolder(dir, dialog.then)} />}
      {dialog?.kind === 'apply' && (
        <ConfirmRunDialog title={`Apply the migration to ${props.targetName}`} production={dialog.plan.production} database={dialog.plan.database} confirmLabel="Apply" onClose={() => setDialog(null)} onConfirm={(typed) => void apply(dialog.plan, dialog.version, typed)}>
          <p>
            {plural(dialog.plan.steps.reduce((n, s) => n + s.statementsTotal, 0), 'statement')} on <strong className="mono">{dialog.plan.database}</strong>, under {dialog.plan.lock.strategy}; recorded in the migration history.
          </p>
          {others(dialog.plan, dialog.version).length > 0 && (
            <p className="notice notice-warning">
              The folder has {plural(others(dialog.plan, dialog.version).length, 'other pending migration')} before this one ({others(dialog.plan, dialog.version).map((s) => s.version).join(', ')}): they run first.
            </p>
          )}
          {dialog.plan.steps.some((s) => s.lint.length > 0) && <p className="notice notice-warning">{plural(dialog.plan.steps.reduce((n, s) => n + s.lint.length, 0), 'lint warning')} — read them above first.</p>}
        </ConfirmRunDialog>
      )}
    </section>
  );
}
