import type { Socket } from 'node:net';
import type { DiagnosticHop, DiagnosticPlanEntry, DiagnosticStepId } from '../../../shared/model/diagnostics';
import { diagnosticStepTitles } from '../../../shared/model/diagnostics';
import type { EngineConfig } from '../../../electron/core/engines/config';
import { profileCredentials, profileRoute } from '../../../electron/core/ssh/profile-tunnel';
import { windowHostKeys } from '../../../electron/core/ssh/host-key-trust';
import { hopLabel } from '../../../electron/core/ssh/ssh-route';
import { probeSshRoute, toSshError, type SshStepRunner } from '../../../electron/core/ssh/ssh-probe';
import type { SshTunnel } from '../../../electron/core/ssh/ssh-tunnel';
import type { Dial } from './probes/socket-io';
import type { StepRecorder } from './step-recorder';
import type { StepTimeouts } from './timeouts';

/**
 * The SSH part of a diagnosis, before the database's steps: every hop's own steps (DNS and TCP,
 * or the jump channel; banner; key exchange; host key; login), then the forward to the database.
 * Each is a step of the run, with its hop, its class and its remedy. Returns the open tunnel the
 * database steps go through, or null when a step failed (the database steps are not run then).
 */
export async function runSshDiagnosis(config: EngineConfig, rec: StepRecorder, timeouts: StepTimeouts, target: { host: string; port: number }): Promise<SshTunnel | null> {
  const runStep: SshStepRunner = async (spec) => {
    const id = `ssh-${spec.phase}` as DiagnosticStepId;
    const step = await rec.run(
      id,
      timeouts[id],
      async (ctx) => {
        // The probe's own timeout error (its class) a moment before the recorder's hard limit.
        const controller = new AbortController();
        ctx.signal.addEventListener('abort', () => controller.abort(ctx.signal.reason), { once: true });
        let timer: NodeJS.Timeout | undefined;
        const limit = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const err = spec.timeout(timeouts[id]);
            controller.abort(err);
            reject(err);
          }, Math.max(1, ctx.deadline - Date.now()));
        });
        try {
          const r = await Promise.race([spec.run({ signal: controller.signal, deadline: ctx.deadline }), limit]);
          return { status: r.status ?? 'ok', detail: r.detail, evidence: r.evidence ?? {} };
        } catch (err) {
          const e = toSshError(err, spec);
          return { status: 'fail', detail: e.message, evidence: { ...e.evidence, sshClass: e.classId }, error: e, errorSource: 'ssh', timedOut: controller.signal.aborted && controller.signal.reason === err };
        } finally {
          clearTimeout(timer);
        }
      },
      spec.hop ?? undefined,
    );
    return step.status !== 'fail';
  };
  const outcome = await probeSshRoute(
    {
      request: { target: { host: config.ssh.host }, jumps: [], useSshConfig: false },
      route: () => profileRoute(config),
      credentials: profileCredentials(config),
      hostKeys: config.hostKeys ?? windowHostKeys.policy,
      target,
      keepaliveIntervalMs: config.ssh.keepaliveIntervalMs,
      timeouts: { config: timeouts['ssh-config'], dns: timeouts['ssh-dns'], tcp: timeouts['ssh-tcp'], jump: timeouts['ssh-jump'], banner: timeouts['ssh-banner'], kex: timeouts['ssh-kex'], 'host-key': timeouts['ssh-host-key'], auth: timeouts['ssh-auth'], forward: timeouts['ssh-forward'] },
    },
    runStep,
  );
  return outcome.tunnel;
}

/** The SSH steps a run will take (the route read from the profile and ~/.ssh/config), for the plan. */
export function sshPlan(config: EngineConfig, timeouts: StepTimeouts): DiagnosticPlanEntry[] {
  const entry = (id: DiagnosticStepId, hop?: DiagnosticHop): DiagnosticPlanEntry => ({ id, ...(hop ? { hop } : {}), title: diagnosticStepTitles[id], timeoutMs: timeouts[id] });
  const plan = [entry('ssh-config')];
  let hops;
  try {
    hops = profileRoute(config).hops;
  } catch {
    return plan;
  }
  hops.forEach((h, index) => {
    const hop = { index, count: hops.length, label: hopLabel(h) };
    const reach: DiagnosticStepId[] = index === 0 ? ['ssh-dns', 'ssh-tcp'] : ['ssh-jump'];
    for (const id of [...reach, 'ssh-banner', 'ssh-kex', 'ssh-host-key', 'ssh-auth'] as DiagnosticStepId[]) plan.push(entry(id, hop));
    if (index === hops.length - 1) plan.push(entry('ssh-forward', hop));
  });
  return plan;
}

/** Probes reach the database through the tunnel: each connection a channel from the bastion. */
export function tunnelDial(tunnel: SshTunnel): Dial {
  return (address, port, _timeoutMs, signal) =>
    new Promise((resolve, reject) => {
      const socket = tunnel.socket();
      const onAbort = () => {
        socket.destroy();
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        resolve(socket as unknown as Socket);
      });
      socket.once('error', (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      });
      socket.connect(port, address);
    });
}
