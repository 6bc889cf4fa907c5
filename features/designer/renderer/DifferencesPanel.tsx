import type { ChangeLine } from '../../../shared/ipc/commands/designer';
import type { DesignerSession } from './designer-session';
import { usePlan } from './use-plan';

const toneSign = { add: '+', drop: '−', change: '~' } as const;

/** Change lines grouped by table, in the order the engine would apply them. */
export function ChangeList({ lines, label }: { lines: ChangeLine[]; label: string }) {
  const groups = new Map<string, ChangeLine[]>();
  for (const l of lines) groups.set(l.table, [...(groups.get(l.table) ?? []), l]);
  return (
    <div className="dz-changes" role="list" aria-label={label}>
      {[...groups].map(([table, ls]) => (
        <div key={table} role="listitem" className="dz-change-group">
          <div className="dz-change-table mono">{table}</div>
          <ul>
            {ls.map((l, i) => (
              <li key={i} className={`dz-change tone-${l.tone}`}>
                <span className="dz-sign" aria-hidden>
                  {toneSign[l.tone]}
                </span>
                <span className="mono">{l.text}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

/**
 * The design against the live database: what the design changes, and what changed in the
 * database since the design was read (drift), refreshed as a person edits.
 */
export function DifferencesPanel({ session }: { session: DesignerSession }) {
  const { load, refresh } = usePlan(session, 'differences', true);
  const live = session.source.kind === 'connection';
  return (
    <div className="dz-panel-body" aria-label="Differences">
      <div className="dz-field-row">
        <h3 className="dz-grow">{live ? 'Design vs. database' : 'What the first migration creates'}</h3>
        <button className="btn btn-small" onClick={refresh} title="Read the database again and compare">
          Refresh
        </button>
      </div>
      {load.status === 'loading' && <p className="muted">Comparing with the database…</p>}
      {load.status === 'failed' && (
        <p className="error-text" role="alert">
          {load.message}
        </p>
      )}
      {load.status === 'ready' && (
        <>
          {load.plan.drift.length > 0 && (
            <div className="notice notice-warning" role="alert">
              <strong>The database changed since the design was read.</strong> Someone altered it meanwhile; the migration was planned against a schema that is not
              there any more. Reload the design before applying.
              <ChangeList lines={load.plan.drift} label="Changes in the database since the design was read" />
              <button className="btn btn-small" onClick={() => void session.discardAndReload()}>
                Discard edits and reload
              </button>
            </div>
          )}
          {load.plan.changes.length === 0 ? (
            <p className="muted dz-empty-note">{live ? 'No differences: the design matches the database.' : 'Nothing to create yet.'}</p>
          ) : (
            <>
              <p className="muted">
                {load.plan.changes.length} change{load.plan.changes.length === 1 ? '' : 's'} · {load.plan.up.statements.length} statement{load.plan.up.statements.length === 1 ? '' : 's'}
                {load.plan.lint.length > 0 && ` · ${load.plan.lint.length} warning${load.plan.lint.length === 1 ? '' : 's'}`}
              </p>
              <ChangeList lines={load.plan.changes} label="Changes the design makes" />
              <button className="btn btn-primary btn-small" onClick={() => session.store.set({ reviewOpen: true })}>
                Review migration…
              </button>
            </>
          )}
        </>
      )}
    </div>
  );
}
