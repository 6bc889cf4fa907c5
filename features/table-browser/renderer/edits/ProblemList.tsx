import { explainedErrorTitles, type ExplainedError } from '../../../../shared/model/explained-error';
import type { EditProblem, FilterGroup } from '../../../../shared/model/table-query';
import { equalityFilter } from '../panels/ReferencesPanel';

/** Where the grid shows a change, and what the problem list may do about it. */
export interface ProblemPlaces {
  /** `New row 1`, `Row 3 (id = 2)`: the change's row as the grid shows it. */
  rowLabel(changeId: string): string;
  /** Selects the marked cell (or the row) in the grid; absent when the row is not in the grid now. */
  goTo?(changeId: string, column: string | null): void;
  /** Opens a table filtered to a key (a tab of its own). */
  open?(table: { schema: string; name: string }, filter: FilterGroup, title: string): void;
}

/** Kinds whose definition is the column's declared type, not a constraint of its own. */
const COLUMN_RULES = new Set<ExplainedError['kind']>(['not-null', 'too-long', 'out-of-range', 'invalid-value']);

/** A key as `(email) = (ada@example.com)`. */
function keyText(key: NonNullable<ExplainedError['key']>): string {
  return `(${key.columns.join(', ')}) = (${key.values.map((v) => (v === null ? 'NULL' : v)).join(', ')})`;
}

/** What opening the conflicting, missing or referencing row means for this error, when it can be opened. */
function openTarget(e: ExplainedError, here: { schema: string; name: string }): { label: string; table: { schema: string; name: string }; filter: FilterGroup; title: string } | null {
  const key = e.key;
  if (!key || key.values.some((v) => v === null)) return null;
  if (e.kind === 'unique') {
    const columns = key.columns.length === key.values.length ? key.columns : e.columns;
    const filter = columns.length === key.values.length ? equalityFilter(columns, key.values) : null;
    return filter ? { label: 'Open the existing row', table: here, filter, title: `${here.name} ${keyText({ columns, values: key.values })}` } : null;
  }
  if (e.kind === 'foreign-key' && e.otherTable && e.otherTable.columns.length === key.values.length) {
    const table = { schema: e.otherTable.schema ?? here.schema, name: e.otherTable.name };
    const filter = equalityFilter(e.otherTable.columns, key.values);
    if (!filter) return null;
    const title = `${table.name} ${keyText({ columns: e.otherTable.columns, values: key.values })}`;
    return e.direction === 'referenced' ? { label: `Open the rows of ${table.name} that point here`, table, filter, title } : { label: `Look for the key in ${table.name}`, table, filter, title };
  }
  return null;
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
            <button className="btn btn-small" onClick={() => places.open!(target.table, target.filter, target.title)}>
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
