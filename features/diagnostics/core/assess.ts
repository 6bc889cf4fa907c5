import type { EvidenceValue } from '../../../shared/model/diagnostics';
import type { HealthFacts, PrivilegeFacts } from './engine-diagnostics';

export interface Assessment {
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  evidence: Record<string, EvidenceValue | undefined>;
}

/**
 * Server health from what the server reports. Galera (../shared/notes/galera.md): usable only when
 * wsrep_ready=ON, the node is in the Primary component, Synced (state 4) and not rejecting queries —
 * `SELECT 1` succeeding proves none of that. Donor/Desynced, flow control and read_only degrade.
 */
export function assessHealth(f: HealthFacts, profile: { readOnly: boolean }): Assessment {
  const evidence: Record<string, EvidenceValue | undefined> = {
    serverVersion: f.serverVersion,
    connections: f.connectionsUsed !== null && f.connectionsMax !== null ? `${f.connectionsUsed} of ${f.connectionsMax}` : undefined,
    readOnly: f.readOnly,
    inRecovery: f.inRecovery ?? undefined,
  };
  const warnings: string[] = [];
  let advice: string | undefined;
  if (f.galera) {
    const g = f.galera;
    for (const [k, v] of Object.entries(g)) evidence[k] = v;
    const status = g.wsrep_cluster_status ?? '';
    const state = g.wsrep_local_state ?? '';
    const comment = g.wsrep_local_state_comment ?? '';
    const reject = (g.wsrep_reject_queries ?? 'NONE').toUpperCase();
    const size = g.wsrep_cluster_size ?? '?';
    if (status !== 'Primary') {
      return { status: 'fail', detail: `Galera node is ${status || 'not in a cluster'} (lost quorum): cluster size ${size}, state ${comment || state}, wsrep_ready=${g.wsrep_ready ?? '?'}.`, evidence: { ...evidence, galera: 'non-primary' } };
    }
    if (reject !== 'NONE') {
      return { status: 'fail', detail: `Galera node rejects client queries (wsrep_reject_queries=${reject}) although it reports ${status}/${comment}.`, evidence: { ...evidence, galera: 'not-ready' } };
    }
    if (!/^ON$/i.test(g.wsrep_ready ?? '')) {
      return { status: 'fail', detail: `Galera node is not ready (wsrep_ready=${g.wsrep_ready ?? '?'}, state ${comment || state}).`, evidence: { ...evidence, galera: 'not-ready' } };
    }
    if (state === '2') {
      warnings.push(`Galera node is ${comment || 'Donor/Desynced'}: it may lag, and load balancers usually take it out of rotation`);
    } else if (state !== '4') {
      return { status: 'fail', detail: `Galera node is not synced (state ${state} ${comment}).`, evidence: { ...evidence, galera: 'not-ready' } };
    }
    const paused = Number(g.wsrep_flow_control_paused ?? '0');
    if (paused > 0.1) warnings.push(`replication was paused by flow control ${Math.round(paused * 100)} % of the time (a slow node throttles the cluster)`);
    evidence.galera = warnings.length ? 'degraded' : 'usable';
    advice = 'A degraded Galera node still answers; prefer another node or the load balancer for heavy work.';
  }
  if (f.inRecovery && !profile.readOnly) warnings.push('the server is a standby in recovery: it refuses writes');
  else if (f.readOnly && !profile.readOnly) warnings.push('the server is read-only: it refuses writes');
  if (f.connectionsUsed !== null && f.connectionsMax && f.connectionsUsed >= 0.9 * f.connectionsMax) {
    warnings.push(`${f.connectionsUsed} of ${f.connectionsMax} connections are in use`);
    advice ??= 'The server is close to its connection limit: close idle sessions or raise max_connections.';
  }
  if (warnings.length > 0) {
    advice ??= 'The server refuses writes here: connect to the primary, or mark the connection read-only.';
    return { status: 'warn', detail: capitalize(warnings.join('; ')) + '.', evidence: { ...evidence, advice } };
  }
  const conns = evidence.connections ? `, ${evidence.connections} connections in use` : '';
  return { status: 'ok', detail: `${f.galera ? 'Galera node Primary and Synced' : f.inRecovery === false ? 'Primary server' : 'Server'} ${f.serverVersion}${conns}.`, evidence };
}

/** Can this user read (and, unless the profile is read-only, write) where the connection lands? */
export function assessPrivileges(f: PrivilegeFacts, profile: { readOnly: boolean }): Assessment {
  const evidence: Record<string, EvidenceValue | undefined> = {
    scope: f.scope,
    tablesTotal: f.tablesTotal ?? undefined,
    tablesReadable: f.tablesReadable,
    tablesWritable: f.tablesWritable,
    canCreate: f.canCreate,
    readsEverything: f.readScope,
    writesEverything: f.writeScope,
    grants: f.grants.slice(0, 30),
  };
  const total = f.tablesTotal;
  if (!f.readScope && f.tablesReadable === 0 && (total === null || total > 0)) {
    return { status: 'fail', detail: total ? `This user can read none of the ${total} tables in ${f.scope}.` : `This user has no read privilege in ${f.scope}.`, evidence };
  }
  const readText = f.readScope ? `reads every table in ${f.scope}` : `reads ${f.tablesReadable}${total !== null ? ` of ${total}` : ''} tables in ${f.scope}`;
  if (!profile.readOnly && !f.writeScope && f.tablesWritable === 0 && !f.canCreate) {
    return { status: 'warn', detail: `This user ${readText} but can write nothing there, and the connection is not read-only.`, evidence };
  }
  const writeText = profile.readOnly ? ' (read-only connection: writes not needed)' : f.writeScope ? ', writes all' : `, writes ${f.tablesWritable}`;
  return { status: 'ok', detail: `This user ${readText}${writeText}.`, evidence };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
