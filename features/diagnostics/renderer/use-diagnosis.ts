import { useCallback, useEffect, useRef, useState } from 'react';
import type { DiagnosticSubject } from '../../../shared/ipc/commands/diagnostics';
import type { DiagnosticPlanEntry, DiagnosticProgress, DiagnosticRun, DiagnosticStep, DiagnosticStepId, DiagnosticTarget } from '../../../shared/model/diagnostics';
import { client } from '../../../renderer/src/ipc/client';
import { errorOf } from '../../connections/renderer/connection-actions';

/** The steps of one target as they arrive: a single server, or one node of a cluster. */
export interface LiveSteps {
  status: 'running' | 'done' | 'error';
  plan: DiagnosticPlanEntry[];
  steps: Partial<Record<DiagnosticStepId, DiagnosticStep>>;
  /** The step in progress and when it started (performance.now()). */
  running?: { id: DiagnosticStepId; since: number };
}

export interface LiveNode {
  endpoint: string;
  steps: Partial<Record<DiagnosticStepId, DiagnosticStep>>;
  running?: { id: DiagnosticStepId; since: number };
}

export interface LiveDiagnosis extends LiveSteps {
  runId: string;
  target?: DiagnosticTarget;
  /** A cluster profile: every node's own steps (they run at the same time), in the profile's order. */
  nodes?: LiveNode[];
  run?: DiagnosticRun;
  error?: string;
  cancelling: boolean;
}

function byId(steps: DiagnosticStep[]): Partial<Record<DiagnosticStepId, DiagnosticStep>> {
  const out: Partial<Record<DiagnosticStepId, DiagnosticStep>> = {};
  for (const s of steps) out[s.id] = s;
  return out;
}

/** A step event applied to the steps it belongs to. */
function advance<T extends { steps: LiveSteps['steps']; running?: LiveSteps['running'] }>(x: T, p: Exclude<DiagnosticProgress, { kind: 'plan' }>): T {
  if (p.kind === 'started') return { ...x, running: { id: p.stepId, since: performance.now() } };
  const { running, ...rest } = x;
  return { ...rest, steps: { ...x.steps, [p.step.id]: p.step }, ...(running && running.id !== p.step.id ? { running } : {}) } as T;
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
          if (p.kind === 'plan') return { ...l, plan: p.steps, target: p.target, ...(p.nodes ? { nodes: p.nodes.map((endpoint) => ({ endpoint, steps: {} })) } : {}) };
          if (p.node !== undefined && l.nodes) return { ...l, nodes: l.nodes.map((n) => (n.endpoint === p.node ? advance(n, p) : n)) };
          return advance(l, p);
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
          const nodes = run.cluster?.nodes.map((n): LiveNode => ({ endpoint: n.endpoint, steps: byId(n.steps) }));
          setLive((l) => (l && l.runId === runId ? { ...l, status: 'done', run, steps: byId(run.steps), target: run.target, running: undefined, cancelling: false, ...(nodes ? { nodes } : {}) } : l));
        })
        .catch((err: unknown) => {
          if (current.current !== runId) return;
          setLive((l) => (l && l.runId === runId ? { ...l, status: 'error', error: errorOf(err).message, running: undefined, cancelling: false, ...(l.nodes ? { nodes: l.nodes.map(({ running: _r, ...n }) => n) } : {}) } : l));
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
