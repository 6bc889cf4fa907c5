import { explainedErrorTitles, type ExplainedError } from '../../../../shared/model/explained-error';
import type { EditProblem, FilterGroup } from '../../../../shared/model/table-query';
import { COLUMN_RULES, keyText, openTarget } from '../explained-actions';

/** Where the grid shows a change, and what the problem list may do about it. */
export interface ProblemPlaces {
  /** `New row 1`, `Row 3 (id = 2)`: the change's row as the grid shows it. */
  rowLabel(changeId: string): string;
  /** Selects the marked cell (or the row) in the grid; absent when the row is not in the grid now. */
  goTo?(changeId: string, column: string | null): void;
  /** Opens a table filtered to a key (a tab of its own). */
  open?(table: { schema: string; name: string }, filter: FilterGroup, title: string): void;
}

/** One refused change, explained: the row and column, the rule and its definition, the key, the server's own words. */
function ExplainedProblem({ problem, e, places, table }: { problem: EditProblem; e: ExplainedError; places: ProblemPlaces; table: { schema: string; name: string } }) {
  const row = places.rowLabel(problem.changeId);
  const target = openTarget(e, table);
  return (
    <li className="tb-problem" data-kind={e.kind}>
      <div>
        <strong>
          {row}
          {e.column ? <>, column <code>{e.column}</code></> : null}: {explainedErrorTitles[e.kind]}.
        </strong>{' '}
        {e.summary}
      </div>
      {!e.constraint && e.definition && COLUMN_RULES.has(e.kind) ? (
        <div className="tb-problem-line">
          Declared as <code>{e.definition}</code>
        </div>
      ) : (e.constraint || e.definition) && (
        <div className="tb-problem-line">
          Constraint {e.constraint ? <code>{e.constraint}</code> : <span className="muted">(unnamed)</span>}
          {e.definition ? (
            <>
              : <code>{e.definition}</code>
            </>
          ) : null}
        </div>
      )}
      {e.key && e.kind !== 'not-null' && (
        <div className="tb-problem-line">
          Key <code>{keyText(e.key)}</code>
        </div>
      )}
      <div className="tb-problem-line tb-problem-evidence muted">
        The server said: <span className="mono">{e.evidence.message}</span>
        {e.evidence.detail ? (
          <>
            {' '}
            — DETAIL: <span className="mono">{e.evidence.detail}</span>
          </>
        ) : null}
        {e.evidence.hint ? (
          <>
            {' '}
            — HINT: <span className="mono">{e.evidence.hint}</span>
          </>
        ) : null}
        {e.statementRow !== null && ` (“row ${e.statementRow}” counts the rows of that one statement: it is ${row} here.)`}
      </div>
      {(places.goTo || (target && places.open)) && (
        <div className="tb-problem-actions">
          {places.goTo && (
            <button className="btn btn-small" onClick={() => places.goTo!(problem.changeId, e.column)}>
              {e.column ? 'Go to the cell' : 'Go to the row'}
            </button>
          )}
          {target && places.open && (
            <button className="btn btn-small" title={target.description} onClick={() => places.open!(target.table, target.filter, target.title)}>
              {target.label}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** The problems of the last Apply: explained ones in full, conflicts and unexplained errors in the server's words. */
export function ProblemList({ problems, places, table, limit = 5 }: { problems: EditProblem[]; places: ProblemPlaces; table: { schema: string; name: string }; limit?: number }) {
  return (
    <ul className="tb-problem-list">
      {problems.slice(0, limit).map((p) =>
        p.explained ? (
          <ExplainedProblem key={p.changeId} problem={p} e={p.explained} places={places} table={table} />
        ) : (
          <li key={p.changeId} className="tb-problem">
            <span className={`badge ${p.kind === 'conflict' ? 'badge-key' : 'badge-prod'}`}>{p.kind}</span> <strong>{places.rowLabel(p.changeId)}:</strong> {p.message}
          </li>
        ),
      )}
    </ul>
  );
}
