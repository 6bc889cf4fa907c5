import type { EngineConfig } from './config';
import { dialectFor } from './dialects';
import type { Engine } from './engine';
import type { EngineHooks } from './hooks';

export type { ClusterStatusSource, Engine } from './engine';
export type { EngineConfig } from './config';
export { dialectFor, type Dialect, type Endpoint } from './dialects';

/** Opens the engine for a profile: its dialect decides how (host list, cluster, file). */
export function openEngine(config: EngineConfig, hooks: EngineHooks = {}): Promise<Engine> {
  return dialectFor(config.engine).open(config, hooks);
}
