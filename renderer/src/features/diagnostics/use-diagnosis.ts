import { useCallback, useEffect, useRef, useState } from 'react';
import type { DiagnosticSubject } from '../../../../shared/ipc/commands/diagnostics';
import type { DiagnosticPlanEntry, DiagnosticRun, DiagnosticStep, DiagnosticStepId, DiagnosticTarget } from '../../../../shared/model/diagnostics';
import { client } from '../../ipc/client';
import { errorOf } from '../connections/connection-actions';

export interface LiveDiagnosis {
  runId: string;
  status: 'running' | 'done' | 'error';
  plan: DiagnosticPlanEntry[];
  target?: DiagnosticTarget;
  steps: Partial<Record<DiagnosticStepId, DiagnosticStep>>;
  /** The step in progress and when it started (performance.now()). */
  running?: { id: DiagnosticStepId; since: number };
  run?: DiagnosticRun;
  error?: string;
  cancelling: boolean;
}

function newRunId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * One diagnosis at a time for a tab: starts it, follows its live step events (the answer comes only
 * at the end), cancels it. Events of other runs are ignored by run id.
 */
export function useDiagnosis(subject: DiagnosticSubject | null) {
  const [live, setLive] = useState<LiveDiagnosis | null>(null);
  const current = useRef<string | null>(null);

  useEffect(
    () =>
      client.on('diagnostics.step', (p) => {
        if (p.runId !== current.current) return;
        setLive((l) => {
          if (!l || l.runId !== p.runId) return l;
          if (p.kind === 'plan') return { ...l, plan: p.steps, target: p.target };
          if (p.kind === 'started') return { ...l, running: { id: p.stepId, since: performance.now() } };
          const { running, ...rest } = l;
          return { ...rest, steps: { ...l.steps, [p.step.id]: p.step }, ...(running && running.id !== p.step.id ? { running } : {}) };
        });
      }),
    [],
  );

  const start = useCallback(
    (stepTimeoutMs?: number) => {
      if (!subject) return;
      const runId = newRunId();
      current.current = runId;
      setLive({ runId, status: 'running', plan: [], steps: {}, cancelling: false });
      client
        .call('diagnostics.run', { runId, subject: subject as never, ...(stepTimeoutMs ? { stepTimeoutMs } : {}) })
        .then((run) => {
          if (current.current !== runId) return;
          const steps: LiveDiagnosis['steps'] = {};
          for (const s of run.steps) steps[s.id] = s;
          setLive((l) => (l && l.runId === runId ? { ...l, status: 'done', run, steps, target: run.target, running: undefined, cancelling: false } : l));
        })
        .catch((err: unknown) => {
          if (current.current !== runId) return;
          setLive((l) => (l && l.runId === runId ? { ...l, status: 'error', error: errorOf(err).message, running: undefined, cancelling: false } : l));
        });
    },
    [subject],
  );

  const cancel = useCallback(() => {
    const runId = current.current;
    if (!runId) return;
    setLive((l) => (l ? { ...l, cancelling: true } : l));
    void client.call('diagnostics.cancel', { runId }).catch(() => undefined);
  }, []);

  return { live, start, cancel };
}
