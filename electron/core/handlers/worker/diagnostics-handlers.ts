import { runDiagnostics } from '../../../../features/diagnostics/core/run-diagnostics';
import type { WorkerInternalHandlers } from '../../worker/worker-context';

export const diagnosticsInternalHandlers: WorkerInternalHandlers = {
  /** Cancelled by the call's signal (the caller's diagnostics.run): the running step fails as cancelled, the rest are skipped. */
  async 'worker.diagnose'({ runId, config, name, stepTimeoutMs }, ctx) {
    return runDiagnostics(config, {
      runId,
      signal: ctx.signal,
      ...(stepTimeoutMs !== undefined ? { stepTimeoutMs } : {}),
      ...(name !== undefined ? { name } : {}),
      onProgress: (p) => ctx.emit('diagnostics.step', p),
    });
  },
};
