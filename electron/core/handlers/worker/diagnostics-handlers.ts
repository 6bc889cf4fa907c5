import { runDiagnostics } from '../../../../features/diagnostics/core/run-diagnostics';
import type { WorkerInternalHandlers } from '../../worker/worker-context';

/** Diagnoses running in this window, by run id, so they can be cancelled. */
const running = new Map<string, AbortController>();

export const diagnosticsInternalHandlers: WorkerInternalHandlers = {
  async 'worker.diagnose'({ runId, config, name, stepTimeoutMs }, ctx) {
    running.get(runId)?.abort();
    const controller = new AbortController();
    running.set(runId, controller);
    try {
      return await runDiagnostics(config, {
        runId,
        signal: controller.signal,
        ...(stepTimeoutMs !== undefined ? { stepTimeoutMs } : {}),
        ...(name !== undefined ? { name } : {}),
        onProgress: (p) => ctx.emit('diagnostics.step', p),
      });
    } finally {
      if (running.get(runId) === controller) running.delete(runId);
    }
  },

  async 'worker.cancelDiagnosis'({ runId }) {
    const c = running.get(runId);
    c?.abort();
    return { cancelled: c !== undefined };
  },
};
