import { useCallback, useEffect, useRef, useState } from 'react';
import type { DiagnosticSubject } from '../../../shared/ipc/commands/diagnostics';
import type { DiagnosticPlanEntry, DiagnosticProgress, DiagnosticRun, DiagnosticStep, DiagnosticStepId, DiagnosticTarget } from '../../../shared/model/diagnostics';
import { client } from '../../../renderer/src/ipc/client';
import { errorOf } from '../../connections/renderer/connection-actions';

/** The steps of one target as they arrive: a single server, or one node of a cluster. */
export interface LiveSteps {
  status: 'running' | 'done' | 'error';
  plan: DiagnosticPlanEntry[];
  steps: Partial<Record<string, DiagnosticStep>>;
  /** The step in progress and when it started (performance.now()). */
  running?: { key: string; since: number };
}

export interface LiveNode {
  endpoint: string;
  steps: Partial<Record<string, DiagnosticStep>>;
  running?: { key: string; since: number };
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

/** A step's place in a run: its id, and for an SSH step its hop (the same id repeats per hop). */
export function stepKey(id: DiagnosticStepId, hop?: { index: number }): string {
  return hop ? `${id}#${hop.index}` : id;
}

function byId(steps: DiagnosticStep[]): Partial<Record<string, DiagnosticStep>> {
  const out: Partial<Record<string, DiagnosticStep>> = {};
  for (const s of steps) out[stepKey(s.id, s.hop)] = s;
  return out;
}

/** A step event applied to the steps it belongs to. */
function advance<T extends { steps: LiveSteps['steps']; running?: LiveSteps['running'] }>(x: T, p: Exclude<DiagnosticProgress, { kind: 'plan' }>): T {
  if (p.kind === 'started') return { ...x, running: { key: stepKey(p.stepId, p.hop), since: performance.now() } };
  const { running, ...rest } = x;
  const key = stepKey(p.step.id, p.step.hop);
  return { ...rest, steps: { ...x.steps, [key]: p.step }, ...(running && running.key !== key ? { running } : {}) } as T;
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
  /** The running diagnostics.run call's controller: Cancel aborts the call itself. */
  const call = useRef<AbortController | null>(null);

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
      // A new run replaces the last one: the old call is cancelled, not left running.
      call.current?.abort();
      const controller = new AbortController();
      call.current = controller;
      client
        .call('diagnostics.run', { runId, subject: subject as never, ...(stepTimeoutMs ? { stepTimeoutMs } : {}) }, { signal: controller.signal })
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
    call.current?.abort();
  }, []);

  return { live, start, cancel };
}
