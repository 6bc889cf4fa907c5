import type { PoolCap } from './common/connection-cap';

/** What an engine tells the worker about on its own, outside any command. */
export interface EngineHooks {
  /** A pooled connection broke while idle (server restarted, network dropped). */
  onConnectionLost?(error: unknown): void;
  /** A cluster connection left its node for another (or found none usable, or found one again). */
  onNodeChange?(change: NodeChange): void;
  /** The server granted fewer connections than the pool size: the pool works within them (said once). */
  onPoolCapped?(cap: PoolCap): void;
}

export interface NodeChange {
  /** The node left; null when the connection had no usable node before. */
  from: string | null;
  /** The node now in use; null when no node is usable. */
  to: string | null;
  /** Why, in words. */
  reason: string;
}
