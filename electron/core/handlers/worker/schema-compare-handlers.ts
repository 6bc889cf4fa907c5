import { compareLive } from '../../../../features/schema-compare/core/compare-live';
import { migrationFiles } from '../../../../features/schema-compare/core/compare-files';
import type { WorkerCommandHandlers } from '../../worker/worker-context';

/** Schema compare: both sides are connections open in this window (the same one for two of its schemas). */
export const schemaCompareWorkerHandlers: WorkerCommandHandlers = {
  // Cancelled through the call's own signal (the caller aborts it): the answer is then `cancelled`.
  async 'compare.run'({ runId, source, target, name }, ctx) {
    const s = ctx.registry.get(source.connectionId);
    const t = ctx.registry.get(target.connectionId);
    const timings = { read: 0, compare: 0, lint: 0 };
    const result = await compareLive(
      { engine: s.engine, schema: source.schema, label: source.label ?? s.databaseName },
      { engine: t.engine, schema: target.schema, label: target.label ?? t.databaseName },
      { ...(name ? { name } : {}), signal: ctx.signal, timings, onProgress: (p) => ctx.emit('compare.progress', { runId, ...p }) },
    );
    const fileName = name ?? `match ${result.source.label}${result.source.schema !== result.target.schema ? ` ${result.source.schema}` : ''}`;
    const file = migrationFiles(result, fileName);
    return {
      result,
      file: { name: file.name, up: file.up ?? '', down: file.down ?? '', transaction: file.transaction ?? true },
      timings: { read: Math.round(timings.read), compare: Math.round(timings.compare), lint: Math.round(timings.lint) },
    };
  },
};
