import type { ReactNode } from 'react';
import { plural } from '../../../shared/text/plural';
import { tableSizeText, tablesOfPlan, type LintWarning, type MigrationPlan, type PlanStep, type PlanUnit } from '../../../shared/model/migrations';
import type { RehearsalReport } from '../shared/shadow-model';

const unitLabel: Record<PlanUnit['kind'], string> = {
  transaction: 'BEGIN … COMMIT',
  alone: 'Runs alone, outside a transaction',
  autocommit: 'Each statement commits by itself',
};

function Lint({ items }: { items: LintWarning[] }) {
  return (
    <ul className="lint-list" aria-label="Lint warnings">
      {items.map((w, i) => (
        <li key={i} className="lint-item">
          <span className="badge badge-warn">{w.rule}</span> <strong>Statement {w.statementIndex}</strong> (line {w.line}): {w.message}
          {w.suggestion && <div className="lint-suggestion">→ {w.suggestion}</div>}
        </li>
      ))}
    </ul>
  );
}

/** What the plan's rehearsal said of one step: went through, failed (at which statement, why), or did not get there. */
type Rehearsed = { kind: 'ok' } | { kind: 'failed'; statementIndex: number; text: string } | { kind: 'not-reached' } | null;

function rehearsedOf(step: PlanStep, r: RehearsalReport | null | undefined): Rehearsed {
  if (!r || step.direction !== 'up' || (r.outcome !== 'would-succeed' && r.outcome !== 'would-fail')) return null;
  if (r.done.some((d) => d.version === step.version)) return { kind: 'ok' };
  if (r.failed?.version === step.version) return { kind: 'failed', statementIndex: r.failed.statementIndex, text: r.failed.explained?.summary ?? r.failed.error.split('\n')[0]! };
  return r.outcome === 'would-fail' ? { kind: 'not-reached' } : null;
}

function Step({ step, rehearsed }: { step: PlanStep; rehearsed: Rehearsed }) {
  const lintBy = new Map<number, LintWarning[]>();
  for (const w of step.lint) lintBy.set(w.statementIndex, [...(lintBy.get(w.statementIndex) ?? []), w]);
  return (
    <section className="plan-step" aria-label={`${step.direction === 'up' ? 'Apply' : 'Revert'} ${step.version} ${step.name}`}>
      <header className="plan-step-header">
        <span className={`badge ${step.direction === 'up' ? 'badge-up' : 'badge-down'}`}>{step.recordOnly ? 'record' : step.direction}</span>
        <strong className="mono">{step.version}</strong> <span>{step.name}</span>
        {rehearsed?.kind === 'ok' && <span className="state state-applied">rehearsed: went through</span>}
        {rehearsed?.kind === 'failed' && <span className="state state-failed">rehearsed: fails at statement {rehearsed.statementIndex}</span>}
        {rehearsed?.kind === 'not-reached' && <span className="state">rehearsal stopped before it</span>}
        <span className="spacer" />
        <span className="muted mono">{step.file}</span>
        <span className="muted">
          {plural(step.statementsTotal, 'statement')}
          {step.lint.length > 0 && (
            <span className="lint-count">
              {' '}
              · {plural(step.lint.length, 'warning')}
            </span>
          )}
        </span>
      </header>
      {step.notes.map((n, i) => (
        <p key={i} className="plan-note">
          {n}
        </p>
      ))}
      {step.tables.length > 0 && (
        <p className="plan-tables" aria-label="Tables this migration changes">
          <span className="muted">Changes</span>{' '}
          {step.tables.map((t, i) => (
            <span key={t.name} className={`plan-table${t.exists ? '' : ' plan-table-new'}`}>
              {i > 0 && ' · '}
              {tableSizeText(t)}
            </span>
          ))}
        </p>
      )}
      {step.units.map((u, i) => (
        <div key={i} className={`plan-unit plan-unit-${u.kind}`}>
          <div className="plan-unit-label">{unitLabel[u.kind]}</div>
          {u.statements.map((s) => (
            <div key={s.index} className="plan-statement">
              <span className="plan-index" title={`line ${s.line}`}>
                {s.index}
              </span>
              <div className="plan-sql-wrap">
                <pre className="plan-sql">{s.sql}</pre>
                {s.nonTransactional && <div className="plan-alone">⚠ {s.nonTransactional}: it runs alone, outside a transaction.</div>}
                {rehearsed?.kind === 'failed' && rehearsed.statementIndex === s.index && (
                  <div className="plan-rehearsal-fail" role="note" aria-label="Rehearsal failed here">
                    ✗ The rehearsal failed here (line {s.line}): {rehearsed.text}
                  </div>
                )}
                {lintBy.has(s.index) && <Lint items={lintBy.get(s.index)!} />}
              </div>
            </div>
          ))}
        </div>
      ))}
    </section>
  );
}

function facts(plan: MigrationPlan): [string, ReactNode, boolean][] {
  return [
    ['Lock', plan.lock.description, false],
    ...plan.settings.map((s): [string, ReactNode, boolean] => [
      s.name,
      <>
        <strong>{s.value}</strong> — {s.why}
      </>,
      true,
    ]),
    ['Transactions', plan.transactions, false],
    ...(plan.startsFrom ? [['Starts from', plan.startsFrom, false] as [string, ReactNode, boolean]] : []),
    ...plan.mirrors.map((m): [string, ReactNode, boolean] => ['Also', m, false]),
  ];
}

/** The dry run: every statement in order, how they are grouped, the lock, the timeouts, lint. */
export function PlanView({ plan, rehearsal }: { plan: MigrationPlan; rehearsal?: RehearsalReport | null }) {
  const lintCount = plan.steps.reduce((n, s) => n + s.lint.length, 0);
  return (
    <div className="plan">
      {plan.blockers.length > 0 && (
        <div className="notice notice-danger" role="alert">
          <strong>Nothing can run until this is resolved:</strong>
          <ul>
            {plan.blockers.map((b, i) => (
              <li key={i}>{b}</li>
            ))}
          </ul>
        </div>
      )}
      {plan.warnings.map((w, i) => (
        <p key={i} className="notice notice-warning">
          {w}
        </p>
      ))}
      {plan.galera && <GaleraNotice plan={plan} galera={plan.galera} />}
      <dl className="plan-facts">
        {facts(plan).map(([label, body, mono], i) => (
          <div key={i} className="plan-fact-row">
            <dt className={mono ? 'mono' : undefined}>{label}</dt>
            <dd>{body}</dd>
          </div>
        ))}
      </dl>
      {plan.steps.length === 0 ? (
        <p className="empty-state small">{plan.blockers.length > 0 ? 'No steps.' : 'Nothing to do: the database is up to date with the folder.'}</p>
      ) : (
        <>
          <p className="muted plan-summary">
            {plural(plan.steps.length, 'migration')}, {plural(plan.steps.reduce((n, s) => n + s.units.reduce((m, u) => m + u.statements.length, 0), 0), 'statement')}
            {lintCount > 0 && <span className="lint-count"> · {plural(lintCount, 'lint warning')}</span>}
          </p>
          {plan.steps.map((s) => (
            <Step key={`${s.version}:${s.direction}`} step={s} rehearsed={rehearsedOf(s, rehearsal)} />
          ))}
        </>
      )}
    </div>
  );
}

/** Galera: how DDL replicates here, the TOI warning, and the sizes of the tables the run changes — to pick a quiet time. */
function GaleraNotice({ plan, galera }: { plan: MigrationPlan; galera: NonNullable<MigrationPlan['galera']> }) {
  const touched = tablesOfPlan(plan.steps);
  return (
    <div className="notice notice-warning plan-galera" role="note" aria-label="Galera">
      <p>
        <strong>Galera · wsrep_OSU_method = {galera.osuMethod}.</strong> {galera.warning}
      </p>
      {touched.length > 0 && (
        <p>
          <strong>Tables it changes:</strong> {touched.map(tableSizeText).join(' · ')}. The bigger the table, the longer {galera.osuMethod.toUpperCase() === 'TOI' ? 'every node waits' : 'the node is out of step'}: choose a low-traffic time.
        </p>
      )}
    </div>
  );
}
