import type { EngineConfig } from './config';
import { dialectFor } from './dialects';
import type { Engine } from './engine';
import type { EngineHooks } from './hooks';
import { openProfileTunnel } from '../ssh/profile-tunnel';
import { SshTunnelDropped } from '../ssh/ssh-tunnel';
import type { MigrationAdapter } from '../../../features/migrations/core/migration-adapter';

export type { ClusterStatusSource, Engine } from './engine';
export type { EngineConfig } from './config';
export { dialectFor, type Dialect, type Endpoint } from './dialects';

/** How long after a tunnel drop the pool's own connection errors are taken as its echo. */
const TUNNEL_DROP_ECHO_MS = 2000;

/**
 * Opens the engine for a profile: its dialect decides how (host list, cluster, file). A profile with
 * SSH gets one tunnel, shared by every connection of its pool (each a channel of it); it closes with
 * the engine, and a tunnel that drops is reported as the connection lost.
 */
export async function openEngine(config: EngineConfig, hooks: EngineHooks = {}): Promise<Engine> {
  const dialect = dialectFor(config.engine);
  if (!config.ssh?.enabled || config.tunnel || dialect.wire === null) return dialect.open(config, hooks);
  const tunnel = openProfileTunnel(config);
  // A drop is said once, by the tunnel: the pooled connections that went down with it would each
  // say it again (a toast per connection), with the driver's vaguer words.
  let droppedAt = -Infinity;
  tunnel.onDrop((err) => {
    droppedAt = Date.now();
    hooks.onConnectionLost?.(err);
  });
  const poolHooks: EngineHooks = {
    ...hooks,
    onConnectionLost: (err) => {
      if (err instanceof SshTunnelDropped || Date.now() - droppedAt < TUNNEL_DROP_ECHO_MS) return;
      hooks.onConnectionLost?.(err);
    },
  };
  try {
    await tunnel.connect();
    const engine = await dialect.open({ ...config, tunnel }, poolHooks);
    engine.sshTunnel = tunnel;
    const close = engine.close.bind(engine);
    engine.close = async () => {
      try {
        await close();
      } finally {
        tunnel.close();
      }
    };
    return engine;
  } catch (err) {
    tunnel.close();
    throw err;
  }
}

/**
 * Only what a migration run needs (`dbdesk migrate`): the dialect's migration adapter, through the
 * profile's SSH tunnel when it has one (closed by `close`).
 */
export async function openMigrations(config: EngineConfig): Promise<{ adapter: MigrationAdapter; close(): Promise<void> }> {
  const dialect = dialectFor(config.engine);
  if (!config.ssh?.enabled || config.tunnel || dialect.wire === null) return dialect.openMigrations(config);
  const tunnel = openProfileTunnel(config);
  try {
    await tunnel.connect();
    const opened = await dialect.openMigrations({ ...config, tunnel });
    return {
      adapter: opened.adapter,
      close: async () => {
        try {
          await opened.close();
        } finally {
          tunnel.close();
        }
      },
    };
  } catch (err) {
    tunnel.close();
    throw err;
  }
}
