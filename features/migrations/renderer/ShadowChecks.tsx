import { useEffect, useRef, useState } from 'react';
import type { MigrationProgress, MigrationSettings } from '../../../shared/model/migrations';
import { IpcCallError } from '../../../shared/ipc/errors';
import { client } from '../../../renderer/src/ipc/client';
import { itemLabel, type CompareItem } from '../../schema-compare/shared/compare-model';
import { DdlSideBySide } from '../../schema-compare/renderer/DdlSideBySide';
import type { DriftReport, RehearsalReport, ShadowInfo } from '../shared/shadow-model';
import { formatMs, newRunId } from './migration-client';

type Check =
  | { kind: 'drift' | 'rehearse'; runId: string; events: MigrationProgress[]; cancelling: boolean; controller: AbortController }
  | { kind: 'drift'; report: DriftReport }
  | { kind: 'rehearse'; report: RehearsalReport }
  | { kind: 'drift' | 'rehearse'; error: string; code: string; privilege: boolean };

const driftGroups: { status: CompareItem['status']; title: string }[] = [
  { status: 'changed', title: 'Changed outside the migrations' },
  { status: 'added', title: 'Made outside the migrations (only the live database has them)' },
  { status: 'removed', title: 'Dropped outside the migrations (the migrations make them; the live database lacks them)' },
];

function ShadowLine({ shadow }: { shadow: ShadowInfo }) {
  return (
    <>
      {shadow.dropped ? (
        <p className="muted shadow-line">
          Shadow: {shadow.description}, {shadow.configured ? 'emptied' : 'dropped'} afterwards.
        </p>
      ) : (
        <p className="notice notice-warning" role="alert">
          {shadow.dropError}
        </p>
      )}
      {(shadow.swept ?? []).length > 0 && (
        <p className="muted shadow-line" aria-label="Swept shadows">
          Swept first — left behind by runs that did not finish (a process killed mid-run):{' '}
          {shadow.swept!.map((x, i) => (
            <span key={x.name}>
              {i > 0 && ', '}
              <span className="mono">{x.name}</span> (made {x.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')})
            </span>
          ))}
          .
        </p>
      )}
      {shadow.sweepProblem && <p className="notice notice-warning">{shadow.sweepProblem}</p>}
    </>
  );
}

function DriftResult({ report }: { report: DriftReport }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="shadow-result" aria-label="Drift result">
      {report.drift ? (
        <p className="notice notice-warning" role="status">
          <strong>Drift:</strong> {report.items.length} object{report.items.length === 1 ? '' : 's'} changed outside the migrations; {report.same} as the {report.applied.length} applied migration{report.applied.length === 1 ? '' : 's'} made them.
        </p>
      ) : (
        <p className="notice notice-success" role="status">
          <strong>No drift.</strong> {report.same} object{report.same === 1 ? '' : 's'} compared: the live schema is what the {report.applied.length} applied migration{report.applied.length === 1 ? '' : 's'} make.
        </p>
      )}
      {driftGroups.map((g) => {
        const items = report.items.filter((i) => i.status === g.status);
        if (items.length === 0) return null;
        return (
          <div key={g.status} className="shadow-group">
            <h4>{g.title}</h4>
            <ul className="shadow-items">
              {items.map((item) => {
                const key = `${item.status}:${itemLabel(item)}`;
                return (
                  <li key={key}>
                    <button className="linkish" aria-expanded={open === key} onClick={() => setOpen(open === key ? null : key)}>
                      <span className="mono">{itemLabel(item)}</span>
                    </button>
                    {item.details.length > 0 && (
                      <ul className="shadow-details">
                        {item.details.map((d, i) => (
                          <li key={i}>{d}</li>
                        ))}
                      </ul>
                    )}
                    {open === key && <DdlSideBySide source={item.sourceDdl} target={item.targetDdl} sourceLabel="Live database" targetLabel="What the migrations make" />}
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
      {report.warnings.map((w, i) => (
        <p key={i} className="notice notice-warning">
          {w}
        </p>
      ))}
      {report.migration && (
        <details className="shadow-migration">
          <summary>A migration recording these changes ({report.migration.up.statements.length} statement{report.migration.up.statements.length === 1 ? '' : 's'})</summary>
          <pre className="mono">{report.migration.fileText}</pre>
        </details>
      )}
      <ShadowLine shadow={report.shadow} />
    </section>
  );
}

/** How a shadow is made: with the rows of small tables or not, in a shadow database the person named. Never saved. */
export interface ShadowOptions {
  withRows: boolean;
  threshold: number;
  shadowUrl: string;
}

export const defaultShadowOptions: ShadowOptions = { withRows: false, threshold: 10_000, shadowUrl: '' };

export function RehearsalResult({ report }: { report: RehearsalReport }) {
  const f = report.failed;
  const cls = report.outcome === 'would-succeed' ? 'notice-success' : report.outcome === 'nothing-pending' ? '' : report.outcome === 'cancelled' ? 'notice-warning' : 'notice-danger';
  return (
    <section className="shadow-result" aria-label="Rehearsal result">
      <div className={`notice ${cls}`} role={report.outcome === 'would-fail' || report.outcome === 'refused' ? 'alert' : 'status'}>
        {report.message.split('\n').map((l, i) => (
          <p key={i}>{l}</p>
        ))}
      </div>
      {report.done.length > 0 && (
        <ul className="shadow-items" aria-label="Went through in the shadow">
          {report.done.map((d) => (
            <li key={d.version}>
              <span className="state state-applied">ok</span> <span className="mono">{d.version}</span> {d.name} <span className="muted">({d.statements} statement{d.statements === 1 ? '' : 's'}, {formatMs(d.durationMs)})</span>
            </li>
          ))}
        </ul>
      )}
      {f && (
        <div className="shadow-failure" aria-label="Would fail">
          <p>
            <span className="state state-failed">would fail</span> <span className="mono">{f.version}</span> {f.name} — statement {f.statementIndex} of {f.statementsTotal}
            {f.file && (
              <>
                {' '}
                in <span className="mono">{f.file}</span>
                {f.line !== null && <> line {f.line}</>}
              </>
            )}
          </p>
          <pre className="mono shadow-sql">{f.sql}</pre>
          {f.explained && <p className="shadow-explained">{f.explained.summary}</p>}
          <p className="muted mono shadow-error">{f.error}</p>
        </div>
      )}
      {report.rows.copied.length > 0 && (
        <p className="muted">
          Rows copied from the live database: {report.rows.copied.map((c) => `${c.table} (${c.rows})`).join(', ')}.
        </p>
      )}
      {report.warnings.map((w, i) => (
        <p key={i} className="notice notice-warning">
          {w}
        </p>
      ))}
      {report.shadow && <ShadowLine shadow={report.shadow} />}
      {report.outcome !== 'nothing-pending' && <p className="muted">The live database was not touched.</p>}
    </section>
  );
}

/**
 * Drift and rehearsal, in a shadow database: "Check drift" replays the applied migrations and lists what
 * was changed outside them; "Rehearse" applies the pending ones to a copy of the live schema and says what
 * would fail, and where. Both show their progress and can be cancelled; the shadow is dropped either way.
 */
export function ShadowChecks({ connectionId, settings, options, onOptions, onFinished }: { connectionId: string; settings: MigrationSettings; options: ShadowOptions; onOptions(o: ShadowOptions): void; onFinished?(): void }) {
  const [check, setCheck] = useState<Check | null>(null);
  const { withRows, threshold, shadowUrl } = options;
  const setWithRows = (v: boolean) => onOptions({ ...options, withRows: v });
  const setThreshold = (v: number) => onOptions({ ...options, threshold: v });
  const setShadowUrl = (v: string) => onOptions({ ...options, shadowUrl: v });
  const [showShadow, setShowShadow] = useState(false);
  const urlRef = useRef<HTMLInputElement>(null);
  const logRef = useRef<HTMLOListElement>(null);
  const running = check !== null && 'events' in check;
  const events = running ? check.events : [];

  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [events.length]);

  const start = async (kind: 'drift' | 'rehearse') => {
    const runId = newRunId();
    const controller = new AbortController();
    setCheck({ kind, runId, events: [], cancelling: false, controller });
    const off = client.on('migration.progress', (e) => {
      if (e.runId === runId) setCheck((c) => (c && 'events' in c && c.runId === runId ? { ...c, events: [...c.events, e].slice(-200) } : c));
    });
    const base = { connectionId, dir: settings.dir!, settings, runId, ...(shadowUrl.trim() ? { shadowUrl: shadowUrl.trim() } : {}) };
    try {
      if (kind === 'drift') {
        const report = await client.call('migrations.drift', base, { signal: controller.signal });
        setCheck({ kind, report });
      } else {
        const report = await client.call('migrations.rehearse', { ...base, copyRowsUpTo: withRows ? threshold : null }, { signal: controller.signal });
        setCheck({ kind, report });
      }
    } catch (err) {
      const code = err instanceof IpcCallError ? err.code : 'internal';
      const privilege = err instanceof IpcCallError && err.detail?.shadow === 'no-privilege';
      const message = code === 'cancelled' ? `${kind === 'drift' ? 'Drift check' : 'Rehearsal'} cancelled. The shadow was dropped; the live database was not touched.` : (err as Error).message;
      setCheck({ kind, error: message, code, privilege });
      if (privilege) setShowShadow(true);
    } finally {
      off();
      onFinished?.();
    }
  };

  const last = events[events.length - 1];
  return (
    <section className="shadow-checks" aria-label="Drift and rehearsal">
      <p className="muted shadow-intro">
        Both build a <strong>shadow database</strong> beside this one (a temporary database, or a file for SQLite), work there, and drop it afterwards — also after a failure or Cancel. The live database is only read.
      </p>
      <div className="shadow-controls">
        <button className="btn btn-primary" disabled={running} onClick={() => void start('drift')}>
          Check drift
        </button>
        <button className="btn" disabled={running} onClick={() => void start('rehearse')}>
          Rehearse pending migrations
        </button>
        <label className="check">
          <input type="checkbox" checked={withRows} disabled={running} onChange={(e) => setWithRows(e.target.checked)} /> Copy the rows of small tables
        </label>
        <label className="check">
          up to{' '}
          <input
            type="number"
            className="shadow-threshold"
            min={0}
            max={10_000_000}
            value={threshold}
            disabled={running || !withRows}
            aria-label="Small table: at most this many rows"
            onChange={(e) => setThreshold(Math.max(0, Math.min(10_000_000, Math.floor(Number(e.target.value) || 0))))}
          />{' '}
          rows
        </label>
        <button className="btn btn-small" aria-expanded={showShadow} onClick={() => setShowShadow(!showShadow)}>
          Shadow database…
        </button>
      </div>
      {showShadow && (
        <div className="shadow-url">
          <label>
            Shadow database URL{' '}
            <input ref={urlRef} className="mono" type="text" value={shadowUrl} disabled={running} placeholder="postgres://user@host/shadow" onChange={(e) => setShadowUrl(e.target.value)} spellCheck={false} autoComplete="off" />
          </label>
          <p className="muted">
            Only when this login may not create a database. PostgreSQL builds the shadow in a schema of its own there; MySQL/MariaDB and SQLite need an empty database or file, and empty it afterwards. Not saved.
          </p>
        </div>
      )}
      {running && (
        <div className="run" aria-busy>
          <header className="run-header">
            <h3>{check.kind === 'drift' ? 'Checking drift' : 'Rehearsing'}</h3>
            <span className="spacer" />
            <button
              className="btn btn-small"
              disabled={check.cancelling}
              onClick={() => {
                setCheck({ ...check, cancelling: true });
                check.controller.abort();
              }}
            >
              {check.cancelling ? 'Stopping, then dropping the shadow…' : 'Cancel'}
            </button>
          </header>
          <div className="run-now" role="status" aria-live="polite">
            <span className="spinner" aria-hidden /> {last ? (last.kind === 'statement-started' ? `${last.version} ${last.name ?? ''} — statement ${last.statementIndex} of ${last.statementsTotal}` : last.message) : 'Starting…'}
          </div>
          <ol className="run-log mono" ref={logRef} aria-label="Progress">
            {events
              .filter((e) => e.kind === 'shadow' || e.kind === 'migration-started' || e.kind === 'migration-failed')
              .map((e, i) => (
                <li key={i}>{e.message}</li>
              ))}
          </ol>
        </div>
      )}
      {check && 'error' in check && (
        <div className={`notice ${check.code === 'cancelled' ? 'notice-warning' : 'notice-danger'}`} role="alert">
          {check.error.split('\n').map((l, i) => (
            <p key={i}>{l}</p>
          ))}
          {check.privilege && (
            <p>
              <button className="btn btn-small" onClick={() => urlRef.current?.focus()}>
                Enter a shadow database URL
              </button>
            </p>
          )}
        </div>
      )}
      {check && 'report' in check && check.kind === 'drift' && <DriftResult report={check.report} />}
      {check && 'report' in check && check.kind === 'rehearse' && <RehearsalResult report={check.report} />}
      {check === null && <p className="muted shadow-intro">Nothing checked yet. “Check drift” finds changes made outside the migrations; “Rehearse” tries the pending migrations before production.</p>}
    </section>
  );
}
