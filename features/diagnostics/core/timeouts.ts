import type { DiagnosticStepId } from '../../../shared/model/diagnostics';
import type { EngineConfig } from '../../../electron/core/engines/config';

export type StepTimeouts = Record<DiagnosticStepId, number>;

/**
 * Each step's own limit. Probes that should answer in a round trip get a few seconds; the login gets
 * the profile's connect timeout. `override` (the CLI's --timeout-ms, the panel's setting) replaces them
 * all. A run never lasts longer than the sum of its steps' limits.
 */
export function stepTimeouts(config: Pick<EngineConfig, 'connectTimeoutMs'>, override?: number): StepTimeouts {
  const defaults: StepTimeouts = {
    'ssh-config': 2000,
    'ssh-dns': 3000,
    'ssh-tcp': 5000,
    'ssh-jump': 5000,
    'ssh-banner': 3000,
    'ssh-kex': 5000,
    'ssh-host-key': 5000,
    'ssh-auth': 10_000,
    'ssh-forward': 5000,
    config: 2000,
    dns: 3000,
    tcp: 5000,
    fingerprint: 2000,
    tls: 5000,
    auth: Math.min(Math.max(config.connectTimeoutMs, 1000), 60_000),
    database: 0,
    session: 5000,
    privileges: 5000,
    health: 5000,
    'table-read': 5000,
    path: 2000,
    permissions: 2000,
    header: 2000,
    open: 5000,
    integrity: 10_000,
    lock: 2000,
  };
  if (override === undefined) return defaults;
  const all = { ...defaults };
  for (const k of Object.keys(all) as DiagnosticStepId[]) if (k !== 'database') all[k] = override;
  return all;
}
