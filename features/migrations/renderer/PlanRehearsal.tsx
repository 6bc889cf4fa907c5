import { useEffect, useRef, useState } from 'react';
import type { PlanRequestInput } from '../../../shared/ipc/commands/migrations';
import { IpcCallError } from '../../../shared/ipc/errors';
import type { MigrationPlan, MigrationProgress, MigrationSettings } from '../../../shared/model/migrations';
import { client } from '../../../renderer/src/ipc/client';
import type { RehearsalReport } from '../shared/shadow-model';
import { newRunId } from './migration-client';
import { RehearsalResult, type ShadowOptions } from './ShadowChecks';

/** The rehearsal of the plan on screen: running (progress, Cancel), or how it ended. */
export type PlanRehearsal =
  | { status: 'running'; runId: string; events: MigrationProgress[]; cancelling: boolean; controller: AbortController }
  | { status: 'done'; report: RehearsalReport }
  | { status: 'failed'; message: string; cancelled: boolean };

/** Whether the plan can be rehearsed: migrations to apply (up), nothing blocking. */
export function rehearsable(request: PlanRequestInput | null, plan: MigrationPlan | null): request is Extract<PlanRequestInput, { action: 'up' }> {
  return request?.action === 'up' && plan !== null && plan.blockers.length === 0 && plan.steps.length > 0 && plan.steps.every((s) => s.direction === 'up' && !s.recordOnly);
}

/** What the shadow gets, in words. */
export function shadowOptionsText(o: ShadowOptions): string {
  const rows = o.withRows ? `the live schema with the rows of tables of at most ${o.threshold.toLocaleString('en-US')} rows` : 'the live schema (no rows)';
  return `On a shadow copy of ${rows}${o.shadowUrl.trim() ? ', in the shadow database you named' : ''} — options in Drift & rehearsal. The live database is only read.`;
}

/**
 * Rehearses exactly the plan's migrations (its steps are sent as approved: if the live database would now
 * run others, the rehearsal refuses and says so) on a shadow, with progress and Cancel.
 */
export function usePlanRehearsal(connectionId: string) {
  const [state, setState] = useState<PlanRehearsal | null>(null);
  const current = useRef<PlanRehearsal | null>(null);
  current.current = state;

  const start = async (settings: MigrationSettings, request: Extract<PlanRequestInput, { action: 'up' }>, plan: MigrationPlan, options: ShadowOptions) => {
    const runId = newRunId();
    const controller = new AbortController();
    setState({ status: 'running', runId, events: [], cancelling: false, controller });
    const off = client.on('migration.progress', (e) => {
      if (e.runId === runId) setState((s) => (s?.status === 'running' && s.runId === runId ? { ...s, events: [...s.events, e].slice(-200) } : s));
    });
    try {
      const report = await client.call(
        'migrations.rehearse',
        {
          connectionId,
          dir: settings.dir!,
          settings,
          runId,
          copyRowsUpTo: options.withRows ? options.threshold : null,
          ...(request.to ? { to: request.to } : {}),
          approved: plan.steps.map((s) => `${s.version}:${s.direction}`),
          ...(options.shadowUrl.trim() ? { shadowUrl: options.shadowUrl.trim() } : {}),
        },
        { signal: controller.signal },
      );
      setState((s) => (s?.status === 'running' && s.runId === runId ? { status: 'done', report } : s));
    } catch (err) {
      const cancelled = err instanceof IpcCallError && err.code === 'cancelled';
      const message = cancelled ? 'Rehearsal cancelled. The shadow was dropped; the live database was not touched.' : (err as Error).message;
      setState((s) => (s?.status === 'running' && s.runId === runId ? { status: 'failed', message, cancelled } : s));
    } finally {
      off();
    }
  };

  const cancel = () => {
    const s = current.current;
    if (s?.status !== 'running' || s.cancelling) return;
    s.controller.abort();
    setState({ ...s, cancelling: true });
  };

  /** Forgets the rehearsal (a new plan was shown); a running one is cancelled. */
  const clear = () => {
    const s = current.current;
    if (s?.status === 'running') s.controller.abort();
    setState(null);
  };

  return { state, start, cancel, clear };
}

/** The plan's rehearsal: progress and Cancel while it runs, then the result — where the keyboard is. */
export function PlanRehearsalPanel({ state, options, onCancel, onClose }: { state: PlanRehearsal; options: ShadowOptions; onCancel(): void; onClose(): void }) {
  const running = state.status === 'running';
  const sectionRef = useRef<HTMLElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const logRef = useRef<HTMLOListElement>(null);
  // Started from the Rehearse button (now off): the focus goes to Cancel; when it ends, to the result.
  useEffect(() => {
    if (running) cancelRef.current?.focus();
    else sectionRef.current?.focus();
  }, [running]);
  const events = running ? state.events : [];
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [events.length]);
  const last = events[events.length - 1];
  return (
    <section ref={sectionRef} className="run plan-rehearsal" aria-label="Rehearsal of this plan" aria-busy={running} tabIndex={-1}>
      <header className="run-header">
        <h3>{running ? 'Rehearsing this plan' : 'Rehearsal of this plan'}</h3>
        <span className="spacer" />
        {running ? (
          <button ref={cancelRef} className="btn btn-small" disabled={state.cancelling} onClick={onCancel}>
            {state.cancelling ? 'Stopping, then dropping the shadow…' : 'Cancel'}
          </button>
        ) : (
          <button className="btn btn-small" onClick={onClose}>
            Close
          </button>
        )}
      </header>
      <p className="muted shadow-line">{shadowOptionsText(options)}</p>
      {running && (
        <>
          <div className="run-now" role="status" aria-live="polite">
            <span className="spinner" aria-hidden /> {last ? (last.kind === 'statement-started' ? `${last.version} ${last.name ?? ''} — statement ${last.statementIndex} of ${last.statementsTotal}` : last.message) : 'Starting…'}
          </div>
          <ol className="run-log mono" ref={logRef} aria-label="Rehearsal progress">
            {events
              .filter((e) => e.kind === 'shadow' || e.kind === 'migration-started' || e.kind === 'migration-failed' || e.kind === 'migration-finished')
              .map((e, i) => (
                <li key={i}>{e.message}</li>
              ))}
          </ol>
        </>
      )}
      {state.status === 'done' && <RehearsalResult report={state.report} />}
      {state.status === 'failed' && (
        <div className={`notice ${state.cancelled ? 'notice-warning' : 'notice-danger'}`} role="alert">
          {state.message.split('\n').map((l, i) => (
            <p key={i}>{l}</p>
          ))}
        </div>
      )}
    </section>
  );
}
