import { useEffect, useState } from 'react';
import type { MigrationEntry, RepairAction, TableComparison } from '../../../shared/model/migrations';
import { errorOf } from '../../connections/renderer/connection-actions';
import { TableComparisonView } from './TableComparisonView';

export interface Choice {
  action: RepairAction;
  label: string;
  /** What happens, in plain words, and when to pick it. */
  explain: string;
  danger?: boolean;
}

/** The choices for a failed or edited migration, each explained. Exported for the confirm dialog's text. */
export function choicesFor(m: MigrationEntry): Choice[] {
  if (m.state === 'edited') {
    return [
      {
        action: 'accept-checksum',
        label: 'Accept the new checksum',
        explain:
          'Pick this when the database already matches the edited file — you only fixed a comment, or made the same change by hand. DB Desk records the new checksum and runs nothing. (To undo the edit instead, restore the file from version control; no button needed.)',
      },
    ];
  }
  if (m.state !== 'failed') return [];
  const k = m.errorStatement ?? (m.statementsApplied ?? 0) + 1;
  const ran = m.statementsApplied ?? 0;
  const down = m.failedDirection === 'down';
  const before = ran === 0 ? 'none of its statements' : ran === 1 ? 'statement 1' : `statements 1–${ran}`;
  const out: Choice[] = [];
  if (m.resumable) {
    out.push({
      action: 'resume',
      label: `Resume from statement ${k}`,
      explain: `Fix the cause first — create what was missing, or correct statement ${k} in the file. DB Desk then runs statements ${k}–${m.statementsTotal ?? '…'} only; ${before} ${ran === 1 ? 'is' : 'are'} not run again.`,
    });
  }
  out.push({
    action: 'mark-applied',
    label: down ? 'Mark as reverted' : 'Mark as applied',
    explain: down
      ? 'Pick this when you finished the revert by hand: DB Desk records the migration as reverted and runs nothing.'
      : 'Pick this when you finished the migration by hand: DB Desk records it as applied and runs none of its statements.',
  });
  out.push({
    action: 'forget',
    label: 'Forget the failed attempt',
    danger: true,
    explain: down
      ? `Pick this after putting back by hand what ${before} undid. The migration counts as applied again, as before the revert.`
      : `Pick this after undoing ${before} by hand, so the database is as it was before. The migration becomes pending again and the next “up” runs it from the start.`,
  });
  return out;
}

/** Edited, or failed with something left applied (ours) or unknown (another tool's): an admin must decide. */
export function needsDecision(m: MigrationEntry): boolean {
  return m.state === 'edited' || (m.state === 'failed' && (m.resumable === true || m.statementsTotal === undefined));
}

/** Details of the selected migration and, when it needs one, the decision to make. */
/** `canDecide` is false for a folder DB Desk only shows (Alembic, Prisma, Kysely): its own tool decides. */
export function DecisionPanel(props: { entry: MigrationEntry; busy: boolean; canDecide: boolean; onChoose(choice: Choice): void; onPlanUp(): void; onCompare(): Promise<TableComparison> }) {
  const m = props.entry;
  const choices = choicesFor(m);
  const k = m.errorStatement ?? (m.statementsApplied ?? 0) + 1;
  const [comparison, setComparison] = useState<{ status: 'idle' | 'loading' } | { status: 'ready'; value: TableComparison } | { status: 'failed'; message: string }>({ status: 'idle' });
  useEffect(() => setComparison({ status: 'idle' }), [m.version, m.errorSql]);
  const compare = () => {
    setComparison({ status: 'loading' });
    props.onCompare().then(
      (value) => setComparison({ status: 'ready', value }),
      (err: unknown) => setComparison({ status: 'failed', message: errorOf(err).message }),
    );
  };
  // Nothing of the attempt is applied and the table matches: the admin may record the migration as applied.
  const markMatching: Choice | null =
    comparison.status === 'ready' && comparison.value.match && !m.resumable && m.failedDirection !== 'down'
      ? { action: 'mark-applied', label: 'Mark as applied', explain: `${comparison.value.table} already has every column this migration creates: DB Desk records ${m.version} as applied and runs none of its statements.` }
      : null;
  return (
    <section className={`decision${m.state === 'edited' ? ' decision-edited' : m.state === 'failed' ? '' : ' decision-other'}`} aria-label={`Migration ${m.version}`}>
      <h3>
        <span className="mono">{m.version}</span> {m.name}
      </h3>
      {m.state === 'failed' && (
        <>
          <p>
            {m.resumable ? (
              <>
                Failed at <strong>statement {k}</strong>
                {m.statementsTotal !== undefined && <> of {m.statementsTotal}</>} while going {m.failedDirection ?? 'up'}.{' '}
                {(m.statementsApplied ?? 0) > 0 ? <>Statements 1–{m.statementsApplied} stayed applied. </> : <>Nothing of it stayed applied. </>}
                <strong>Nothing more runs on this database until you choose what to do.</strong>
              </>
            ) : m.statementsTotal !== undefined ? (
              <>{m.note ?? `The last attempt failed at statement ${k}; nothing of it is applied.`} Fix the cause, then apply again{m.failedCreateTable && props.canDecide ? ' — or, if the table that exists is what the migration creates, mark it applied' : ''}.</>
            ) : props.canDecide ? (
              <>Another tool left it failed and recorded no per-statement progress, so DB Desk cannot resume it. Nothing more runs until you choose.</>
            ) : (
              <>Its own tool left it failed; that tool decides what happens next.</>
            )}
          </p>
          {m.error && <pre className="server-error">{m.error}</pre>}
          {m.errorSql && (
            <details open>
              <summary>Statement {k}</summary>
              <pre className="plan-sql">{m.errorSql}</pre>
            </details>
          )}
          <div className="panel-actions">
            {m.failedCreateTable && (
              <button className="btn" disabled={comparison.status === 'loading'} onClick={compare} title={`Compare ${m.failedCreateTable} in the database with the table statement ${k} creates`}>
                {comparison.status === 'loading' ? 'Comparing…' : 'Compare with the database'}
              </button>
            )}
            {markMatching && props.canDecide && (
              <button className="btn btn-primary" disabled={props.busy} onClick={() => props.onChoose(markMatching)}>
                {markMatching.label}
              </button>
            )}
            {props.canDecide && !m.resumable && m.statementsTotal !== undefined && (
              <button className="btn" onClick={props.onPlanUp}>
                Plan “up” again
              </button>
            )}
          </div>
          {comparison.status === 'ready' && <TableComparisonView comparison={comparison.value} />}
          {comparison.status === 'failed' && (
            <p className="error-text" role="alert">
              {comparison.message}
            </p>
          )}
        </>
      )}
      {m.state === 'edited' && <p>The file changed after this migration was applied. “Up” is blocked until you decide, because the database may not match the file any more.</p>}
      {m.note && m.state !== 'edited' && !(m.state === 'failed' && !m.resumable && m.statementsTotal !== undefined) && <p className="muted">{m.note}</p>}
      {props.canDecide && needsDecision(m) && choices.length > 0 && (
        <ul className="choices">
          {choices.map((c) => (
            <li key={c.action} className="choice">
              <button className={`btn ${c.action === 'resume' || c.action === 'accept-checksum' ? 'btn-primary' : ''}`} disabled={props.busy} onClick={() => props.onChoose(c)}>
                {c.label}
              </button>
              <p>{c.explain}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
