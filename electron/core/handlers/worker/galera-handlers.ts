import type { ClusterSnapshot } from '../../../../shared/model/galera';
import type { ClusterStatusSource, Engine } from '../../engines';
import { CoreError } from '../../errors';
import type { WorkerCommandHandlers, WorkerContext } from '../../worker/worker-context';

const DEFAULT_INTERVAL_MS = 1000;

interface Watch {
  engine: Engine;
  timer: NodeJS.Timeout | undefined;
  stopped: boolean;
}

/** Cluster views being refreshed in this worker (this window), by connection. */
const watches = new Map<string, Watch>();

function sourceOf(connectionId: string, ctx: WorkerContext): { engine: Engine; source: ClusterStatusSource } {
  const { engine } = ctx.registry.get(connectionId);
  const source = engine.clusterStatus?.();
  if (!source) throw new CoreError('unsupported', 'This connection is not to a MariaDB/MySQL server, so it has no Galera cluster to show.');
  return { engine, source };
}

async function snapshot(connectionId: string, source: ClusterStatusSource): Promise<ClusterSnapshot> {
  return { connectionId, ...(await source.read()) };
}

function stop(connectionId: string): boolean {
  const w = watches.get(connectionId);
  if (!w) return false;
  w.stopped = true;
  clearTimeout(w.timer);
  watches.delete(connectionId);
  return true;
}

export const galeraHandlers: WorkerCommandHandlers = {
  async 'galera.snapshot'({ connectionId }, ctx) {
    return snapshot(connectionId, sourceOf(connectionId, ctx).source);
  },

  async 'galera.watch'({ connectionId, intervalMs }, ctx) {
    const { engine, source } = sourceOf(connectionId, ctx);
    stop(connectionId);
    const first = await snapshot(connectionId, source);
    const watch: Watch = { engine, timer: undefined, stopped: false };
    watches.set(connectionId, watch);
    const interval = intervalMs ?? DEFAULT_INTERVAL_MS;
    // One reading at a time: the next is scheduled when the last has arrived, never overlapping.
    const next = () => {
      watch.timer = setTimeout(async () => {
        // The connection was closed or reopened (a new engine): this watch is over.
        if (watch.stopped || !ctx.registry.has(connectionId) || ctx.registry.get(connectionId).engine !== engine) return void stop(connectionId);
        try {
          const snap = await snapshot(connectionId, source);
          if (!watch.stopped) ctx.emit('galera.snapshot', snap);
        } catch {
          // Per-node failures are part of the snapshot; anything else is retried on the next tick.
        }
        if (!watch.stopped) next();
      }, interval);
    };
    next();
    return first;
  },

  async 'galera.unwatch'({ connectionId }) {
    return { stopped: stop(connectionId) };
  },
};
