import { defaultPorts } from '../../../shared/model/engine';
import type { EngineConfig } from './config';
import type { Endpoint } from './dialect';

/** host:port candidates of a network profile: the main host, then any further hosts. Empty for a file. */
export function endpointsOf(config: EngineConfig): Endpoint[] {
  const port = config.port ?? defaultPorts[config.engine];
  if (port === undefined) return [];
  return [{ host: config.host || 'localhost', port }, ...config.nodes];
}
