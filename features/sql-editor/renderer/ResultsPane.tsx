import { explainedErrorTitles, type ExplainedError } from '../../../shared/model/explained-error';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { StatementResult } from '../../../shared/model/query';
import { lineColumn } from '../../../shared/sql/statement-at';
import { useStore } from '../../../renderer/src/app/store';
import { DataGrid } from '../../../renderer/src/ui/data-grid/DataGrid';
import { patchRuntime, sqlStore } from './editor-store';
import { PlanTree } from './PlanTree';
import type { QueryRun, StatementView } from './query-run';
import type { StreamedResult } from './result-store';
import { plural } from '../../../shared/text/plural';
import { COLUMN_RULES, keyText, openFilteredTable, openTarget } from '../../table-browser/renderer/explained-actions';

const ms = (n: number) => (n < 1000 ? `${Math.round(n * 10) / 10} ms` : `${(n / 1000).toFixed(2)} s`);

function useRun(run: QueryRun | null): void {
  useSyncExternalStore(
    (l) => run?.subscribe(l) ?? (() => undefined),
    () => run?.version() ?? 0,
  );
}

/** Results of the last run: one result tab per statement, and the plan when one was asked for. */
export function ResultsPane({ profileId, tabId, onShowError }: { profileId: string; tabId: string; onShowError(from: number, to: number, message: string): void }) {
  const runtime = useStore(sqlStore, (s) => s[profileId]?.runtime[tabId]);
  const run = runtime?.run ?? null;
  useRun(run);
  const selected = runtime?.selected ?? 0;
  const plan = runtime?.plan ?? null;
  const select = (v: number | 'plan') => patchRuntime(profileId, tabId, (r) => ({ ...r, selected: v }));

  if (!run && !plan) {
    return (
      <div className="sql-results sql-results-empty">
        <p className="muted">Results appear here. Each statement gets its own result tab.</p>
      </div>
    );
  }
  const statements = run?.statements ?? [];
  const current = selected === 'plan' ? null : (statements[selected] ?? statements[0] ?? null);
  return (
    <div className="sql-results">
      <div className="result-tabs">
        {/* The run's status sits beside the tabs, outside the tablist (a tablist holds only tabs). */}
        <div className="result-tablist" role="tablist" aria-label="Results">
          {statements.map((s) => (
            <button key={s.index} role="tab" aria-selected={current?.index === s.index} className={`result-tab status-${s.result?.status ?? s.state}`} onClick={() => select(s.index)} title={s.sql.slice(0, 300)}>
              <span className="result-n">{s.index + 1}</span> {tabLabel(s)}
            </button>
          ))}
          {plan && (
            <button role="tab" aria-selected={selected === 'plan'} className="result-tab" onClick={() => select('plan')}>
              {plan.status === 'running' && <span className="spinner" aria-hidden />} Plan{plan.status === 'ready' && plan.plan.analyzed ? ' (analyzed)' : ''}
            </button>
          )}
        </div>
        <span className="spacer" />
        {run && <RunStatus run={run} />}
      </div>
      <div className="result-body" role="tabpanel">
        {selected === 'plan' && plan ? (
          plan.status === 'running' ? (
            <p className="page-note muted">
              <span className="spinner" aria-hidden /> {plan.analyze ? 'Running the statement to measure it…' : 'Asking the server for its plan…'}
            </p>
          ) : plan.status === 'failed' ? (
            <div className="result-error" role="alert">
              <strong>No plan.</strong> {plan.error.message}
            </div>
          ) : (
            <PlanTree plan={plan.plan} />
          )
        ) : current ? (
          <StatementPanel key={`${run!.runId}-${current.index}`} profileId={profileId} s={current} run={run!} onShowError={onShowError} />
        ) : run?.status === 'failed' ? (
          <div className="result-error" role="alert">
            {run.error?.message}
          </div>
        ) : null}
      </div>
    </div>
  );
}

function tabLabel(s: StatementView): string {
  const r = s.result;
  if (!r) return s.state === 'running' ? `${commandWord(s.sql)} · running` : `${commandWord(s.sql)}`;
  if (r.status === 'error') return 'Error';
  if (r.status === 'cancelled') return 'Cancelled';
  if (r.status === 'skipped') return 'Not run';
  if (r.columns) return `${r.command ?? 'Result'} · ${plural(r.rowCount, 'row')}${r.truncated ? '+' : ''}`;
  return `${r.command ?? 'Done'}${r.rowsAffected !== null ? ` · ${r.rowsAffected.toLocaleString()}` : ''}`;
}

const commandWord = (sql: string) => (/^\s*(\w+)/.exec(sql)?.[1] ?? 'SQL').toUpperCase();

function RunStatus({ run }: { run: QueryRun }) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (run.status !== 'running') return;
    const t = setInterval(() => tick((n) => n + 1), 250);
    return () => clearInterval(t);
  }, [run.status]);
  const elapsed = (run.finishedAt ?? performance.now()) - run.startedAt;
  if (run.status === 'running') {
    return (
      <span className="run-status" role="status" aria-live="polite">
        <span className="spinner" aria-hidden /> Running {ms(elapsed)} · {plural(run.rowsReceived(), 'row')} received
      </span>
    );
  }
  const results = run.output?.results ?? [];
  const failed = results.filter((r) => r.status === 'error').length;
  return (
    <span className="run-status muted" role="status">
      {plural(results.filter((r) => r.status !== 'skipped').length, 'statement')} in {ms(elapsed)}
      {failed > 0 && <span className="error-text"> · {plural(failed, 'error')}</span>}
    </span>
  );
}

function StatementPanel({ profileId, s, run, onShowError }: { profileId: string; s: StatementView; run: QueryRun; onShowError(from: number, to: number, message: string): void }) {
  const r = s.result;
  return (
    <div className="statement-panel">
      {r && <StatementSummary profileId={profileId} r={r} run={run} onShowError={onShowError} />}
      {!r && s.state === 'running' && !s.rows && (
        <p className="page-note muted">
          <span className="spinner" aria-hidden /> Running… Press Cancel (Ctrl/⌘+.) to stop it.
        </p>
      )}
      {!r && s.state === 'pending' && <p className="page-note muted">Waiting for the statements before it.</p>}
      {s.rows && (r === null || r.status === 'ok' || r.rowCount > 0 || s.rows.rowCount() > 0) && <ResultGrid rows={s.rows} label={`Result of statement ${s.index + 1}`} />}
    </div>
  );
}

function StatementSummary({ profileId, r, run, onShowError }: { profileId: string; r: StatementResult; run: QueryRun; onShowError(from: number, to: number, message: string): void }) {
  return (
    <div className="statement-summary">
      {r.status === 'ok' && (
        <p className="result-line">
          <strong>{r.command ?? 'Done'}</strong>
          {r.columns ? ` — ${plural(r.rowCount, 'row')}` : r.rowsAffected !== null ? ` — ${plural(r.rowsAffected, 'row')} affected` : ''} in {ms(r.durationMs)}
          {r.truncated && <span className="notice-inline"> · stopped at {r.rowCount.toLocaleString()} rows (the result limit); more rows exist</span>}
        </p>
      )}
      {r.status === 'cancelled' && (
        <p className="result-line warning-text" role="status">
          <strong>Cancelled</strong> after {ms(r.durationMs)}. {r.error?.message}
        </p>
      )}
      {r.status === 'skipped' && <p className="result-line muted">Not run: an earlier statement failed or the run was cancelled.</p>}
      {r.status === 'error' && r.error && <ErrorBox profileId={profileId} r={r} run={run} onShowError={onShowError} />}
      {r.notices.length > 0 && (
        <ul className="notices" aria-label="Server messages">
          {r.notices.map((n, i) => (
            <li key={i} className={`notice-${n.level}`}>
              <span className="notice-level">{n.level.toUpperCase()}</span> {n.code && <span className="mono muted">{n.code} </span>}
              {n.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ErrorBox({ profileId, r, onShowError }: { profileId: string; r: StatementResult; run: QueryRun; onShowError(from: number, to: number, message: string): void }) {
  const e = r.error!;
  const at = e.offset !== null ? e.offset - r.offset : null;
  const where = at !== null ? lineColumn(r.sql, at) : null;
  // The row that holds the key, the referenced table: opened as the table browser's problem list opens them.
  const x = e.explained;
  const target = x && x.table && x.schema !== null ? openTarget(x, { schema: x.schema, name: x.table }) : null;
  return (
    <div className="result-error" role="alert">
      {e.explained ? (
        <ExplainedFacts e={e.explained} />
      ) : (
        <p>
          <strong>Error{e.code ? ` ${e.code}` : ''}:</strong> {e.message}
        </p>
      )}
      {where && at !== null && (
        <>
          <pre className="error-context" aria-label="Where the error is">
            {contextLine(r.sql, at)}
          </pre>
          <button className="btn btn-small" onClick={() => onShowError(e.offset!, e.offset! + 1, e.message)}>
            Show in editor (line {where.line}, column {where.column} of the statement)
          </button>
        </>
      )}
      {e.explained && (
        <p className="result-evidence">
          <span className="muted">The server said:</span>{' '}
          <span className="mono">
            {e.code ? `${e.code}: ` : ''}
            {e.message}
          </span>
        </p>
      )}
      {e.detail && <p className="muted">Detail: {e.detail}</p>}
      {e.hint && <p className="muted">Hint: {e.hint}</p>}
      {target && (
        <p className="result-error-actions">
          <button className="btn btn-small" title={target.description} onClick={() => openFilteredTable(profileId, target.table, target.filter, target.title)}>
            {target.label}
          </button>
        </p>
      )}
      <p className="muted small">Ran for {ms(r.durationMs)}. The statements after it were not run.</p>
    </div>
  );
}

/** A constraint or limit error in the user's terms: the rule, then what it is about, one fact a line. */
function ExplainedFacts({ e }: { e: ExplainedError }) {
  const values = e.key ? e.key.values.map((v) => (v === null ? 'NULL' : v)).join(', ') : '';
  const key = !e.key || !e.key.values.length ? null : e.key.columns.length ? keyText(e.key) : `'${values}'`;
  // A NOT NULL, too-long or out-of-range value: the rule is the column's declared type, no constraint of its own.
  const declared = !e.constraint && e.definition !== null && COLUMN_RULES.has(e.kind);
  const facts: [string, string][] = [
    ['Table', e.table ? (e.schema && e.schema !== e.table ? `${e.schema}.${e.table}` : e.table) : ''],
    ['Column', e.columns.length > 1 ? e.columns.join(', ') : (e.column ?? '')],
    declared ? ['Declared as', e.definition!] : ['Constraint', [e.constraint, e.definition].filter(Boolean).join(': ')],
    ['Key', key ?? ''],
    [e.direction === 'referenced' ? 'Referenced by' : 'Refers to', e.otherTable ? `${e.otherTable.name}${e.otherTable.columns.length ? ` (${e.otherTable.columns.join(', ')})` : ''}` : ''],
    ['Row of the statement', e.statementRow !== null ? String(e.statementRow) : ''],
  ];
  return (
    <>
      <p>
        <strong>{explainedErrorTitles[e.kind]}.</strong> {e.summary}
      </p>
      <dl className="result-explained" aria-label="What the error is about">
        {facts
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd className="mono">{v}</dd>
            </div>
          ))}
      </dl>
    </>
  );
}

/** The statement's line with the error, and a caret under the place. */
function contextLine(sql: string, at: number): string {
  const start = sql.lastIndexOf('\n', at - 1) + 1;
  const endNl = sql.indexOf('\n', at);
  const line = sql.slice(start, endNl < 0 ? undefined : endNl);
  const col = at - start;
  const from = Math.max(0, col - 60);
  return `${from > 0 ? '…' : ''}${line.slice(from, col + 60)}\n${' '.repeat(col - from + (from > 0 ? 1 : 0))}^`;
}

function ResultGrid({ rows, label }: { rows: StreamedResult; label: string }) {
  useSyncExternalStore(rows.subscribe.bind(rows), () => rows.version());
  return (
    <div className="result-grid">
      {rows.damage && (
        <div className="result-error" role="alert">
          {rows.damage}
        </div>
      )}
      <DataGrid rows={rows} columns={rows.columns} label={label} emptyText={rows.finished ? 'The statement returned no rows.' : 'Waiting for rows…'} />
    </div>
  );
}
