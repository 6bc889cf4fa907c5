import { expect } from 'vitest';
import { HostKeyPolicy, type HostKeyDecision, type HostKeyQuestion } from '../../../electron/core/ssh/host-key-policy';
import type { SshCredentials } from '../../../electron/core/ssh/ssh-auth';
import type { SshFailureClass, SshPhase } from '../../../electron/core/ssh/ssh-failure';
import { collectSshSteps, probeSshRoute, type SshProbeInput, type SshStepResult } from '../../../electron/core/ssh/ssh-probe';
import type { SshEndpoint } from '../../../shared/model/ssh';

/** A host key policy over one known_hosts file that records what it was asked and answers `answer`. */
export function recordingPolicy(knownHostsFile: string, answer: HostKeyDecision = 'reject'): HostKeyPolicy & { asked: HostKeyQuestion[] } {
  const asked: HostKeyQuestion[] = [];
  const policy = new HostKeyPolicy({ knownHostsFile, globalFiles: [], decide: async (q) => (asked.push(q), answer) }) as HostKeyPolicy & { asked: HostKeyQuestion[] };
  policy.asked = asked;
  return policy;
}

export interface ProbeRun {
  ok: boolean;
  steps: SshStepResult[];
  close(): void;
}

/** Runs the hop-by-hop diagnosis of a route to `target` (127.0.0.1:5432 by default). */
export async function probe(
  route: { target: SshEndpoint; jumps?: SshEndpoint[] },
  credentials: SshCredentials,
  hostKeys: HostKeyPolicy,
  extra: Partial<SshProbeInput> = {},
): Promise<ProbeRun> {
  const { runStep, steps } = collectSshSteps();
  const outcome = await probeSshRoute(
    {
      request: { target: route.target, jumps: route.jumps ?? [], useSshConfig: false },
      credentials,
      hostKeys,
      target: { host: '127.0.0.1', port: 5432 },
      ...extra,
    },
    runStep,
  );
  return { ok: outcome.ok, steps, close: () => outcome.tunnel?.close() };
}

export function summary(steps: SshStepResult[]): string {
  return steps.map((s) => `${s.hop ? `hop ${s.hop.index + 1} ` : ''}${s.phase}: ${s.status}${s.classId ? ` (${s.classId})` : ''} ${s.detail}`).join('\n');
}

/** The run stopped at this phase (of this hop) with this class and a remedy; every step before it passed. */
export function expectSshFailure(run: ProbeRun, classId: SshFailureClass, phase: SshPhase, hopIndex?: number): SshStepResult {
  const text = summary(run.steps);
  expect(run.ok, text).toBe(false);
  const failed = run.steps[run.steps.length - 1]!;
  expect({ phase: failed.phase, status: failed.status, classId: failed.classId }, text).toEqual({ phase, status: 'fail', classId });
  if (hopIndex !== undefined) expect(failed.hop?.index, text).toBe(hopIndex);
  expect(failed.remedy?.text.length ?? 0, text).toBeGreaterThan(20);
  expect(run.steps.slice(0, -1).every((s) => s.status !== 'fail'), text).toBe(true);
  return failed;
}
