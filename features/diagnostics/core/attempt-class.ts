import { SecretScrubber } from '../../../shared/security/secrets';
import { diagnosticStepTitles, type DiagnosticClass, type Remedy, type ServiceFound } from '../../../shared/model/diagnostics';
import { defaultPorts, engineLabels } from '../../../shared/model/engine';
import type { EngineConfig } from '../../../electron/core/engines/config';
import { dialectFor } from '../../../electron/core/engines';
import { CoreError } from '../../../electron/core/errors';
import { SshError } from '../../../electron/core/ssh/ssh-failure';
import { classifyDriverError, isAmbiguousTransportError } from './classify-driver-error';
import { errorEvidence } from './driver-error';
import { remedyFor } from './remedies';
import { runDiagnostics } from './run-diagnostics';

export interface AttemptClass {
  classId: DiagnosticClass;
  found?: ServiceFound;
  /** What to do, in one line (the same words Diagnose gives for the class). */
  remedy?: Remedy;
}

/**
 * The class of one failed connection attempt (the wait-for-the-database loop). The driver's error
 * decides when it can; when it cannot (pg's `timeout expired`, mysql2's `connect ETIMEDOUT`, "terminated
 * unexpectedly") the transport probes — DNS, TCP, fingerprint, TLS, no login — look at the port within
 * a short budget. SQLite is all local: its file checks always run.
 */
export async function classifyAttempt(err: unknown, config: EngineConfig, signal: AbortSignal): Promise<AttemptClass> {
  if (err instanceof CoreError && err.code === 'cancelled') return { classId: 'unknown' };
  // The SSH part knows its class (which hop, which phase) already.
  if (err instanceof SshError) return { classId: err.classId ?? 'unknown' };
  const family = await dialectFor(config.engine).diagnostics();
  if (family.kind === 'network') {
    const evidence = errorEvidence(err, new SecretScrubber(), family.driver.name);
    const context = { product: config.engine, tlsInUse: config.tls.mode !== 'disable' };
    const direct = isAmbiguousTransportError(evidence) ? null : classifyDriverError(evidence, context);
    if (direct) {
      // The remedy Diagnose would give for this class, from the same evidence (the port the driver tried).
      const port = evidence.port ?? config.port ?? defaultPorts[config.engine];
      const listenSettings = dialectFor(config.engine).errors.listenSettings;
      const remedy = remedyFor(
        {
          id: 'auth',
          title: diagnosticStepTitles.auth,
          status: 'fail',
          detail: evidence.message,
          startedMs: 0,
          ms: 0,
          timeoutMs: 0,
          timedOut: false,
          evidence: port !== undefined ? { port } : {},
          error: evidence,
          classId: direct.classId,
          ...(direct.alternatives?.length ? { alternatives: direct.alternatives } : {}),
        },
        { ...context, engineLabel: engineLabels[config.engine], ...(listenSettings ? { listenSettings } : {}) },
      );
      return { classId: direct.classId, ...(remedy ? { remedy } : {}) };
    }
  }
  const budget = Math.min(Math.max(config.connectTimeoutMs, 500), 2000);
  const run = await runDiagnostics(config, { signal, stepTimeoutMs: budget, transportOnly: true });
  // A cluster profile: the class of the node the verdict is about (each node was looked at).
  const steps = run.cluster ? (run.cluster.nodes.find((n) => n.endpoint === run.verdict.node) ?? run.cluster.nodes[0])?.steps ?? [] : run.steps;
  const failed = steps.find((s) => s.status === 'fail');
  if (!failed?.classId) return { classId: 'unknown' };
  return { classId: failed.classId, ...(failed.found ? { found: failed.found } : {}), ...(failed.remedy ? { remedy: failed.remedy } : {}) };
}
