import { describe, expect, it } from 'vitest';
import { assessHealth, assessPrivileges } from '../../../features/diagnostics/core/assess';
import type { HealthFacts, PrivilegeFacts } from '../../../features/diagnostics/core/engine-diagnostics';

/** Galera status values as recorded on MariaDB 10.11.19 / galera-4 26.4.23 (../shared/notes/galera.md). */
const synced = {
  wsrep_on: 'ON',
  wsrep_ready: 'ON',
  wsrep_connected: 'ON',
  wsrep_cluster_status: 'Primary',
  wsrep_local_state: '4',
  wsrep_local_state_comment: 'Synced',
  wsrep_cluster_size: '3',
  wsrep_flow_control_paused: '0',
  wsrep_reject_queries: 'NONE',
  read_only: 'OFF',
};
const health = (galera: Record<string, string> | null, extra: Partial<HealthFacts> = {}): HealthFacts => ({
  serverVersion: '10.11.19-MariaDB',
  connectionsUsed: 3,
  connectionsMax: 151,
  readOnly: false,
  inRecovery: null,
  galera,
  ...extra,
});

describe('assessHealth', () => {
  it('a Primary, Synced, ready node is fine', () => {
    expect(assessHealth(health(synced), { readOnly: false })).toMatchObject({ status: 'ok', evidence: { galera: 'usable' } });
  });

  it('non-Primary after losing quorum (SELECT 1 still works there)', () => {
    const a = assessHealth(
      health({ ...synced, wsrep_ready: 'OFF', wsrep_cluster_status: 'non-Primary', wsrep_local_state: '0', wsrep_local_state_comment: 'Initialized', wsrep_cluster_size: '1' }),
      { readOnly: false },
    );
    expect(a).toMatchObject({ status: 'fail', evidence: { galera: 'non-primary' } });
    expect(a.detail).toMatch(/non-Primary.*cluster size 1/);
  });

  it('wsrep_reject_queries=ALL while the status still says Primary/Synced', () => {
    expect(assessHealth(health({ ...synced, wsrep_reject_queries: 'ALL' }), { readOnly: false })).toMatchObject({ status: 'fail', evidence: { galera: 'not-ready' } });
  });

  it('not ready, joining', () => {
    expect(assessHealth(health({ ...synced, wsrep_ready: 'OFF', wsrep_local_state: '1', wsrep_local_state_comment: 'Joining' }), { readOnly: false }).evidence.galera).toBe('not-ready');
    expect(assessHealth(health({ ...synced, wsrep_local_state: '3', wsrep_local_state_comment: 'Joined' }), { readOnly: false }).evidence.galera).toBe('not-ready');
  });

  it('Donor/Desynced and flow control degrade but do not fail', () => {
    expect(assessHealth(health({ ...synced, wsrep_local_state: '2', wsrep_local_state_comment: 'Donor/Desynced' }), { readOnly: false })).toMatchObject({ status: 'warn', evidence: { galera: 'degraded' } });
    expect(assessHealth(health({ ...synced, wsrep_flow_control_paused: '0.63' }), { readOnly: false }).detail).toMatch(/flow control 63 %/);
  });

  it('a standby or read_only server warns only when the profile wants to write', () => {
    const standby = health(null, { inRecovery: true, readOnly: true, serverVersion: '15.20' });
    expect(assessHealth(standby, { readOnly: false })).toMatchObject({ status: 'warn' });
    expect(assessHealth(standby, { readOnly: true })).toMatchObject({ status: 'ok' });
  });

  it('connections close to the limit warn', () => {
    expect(assessHealth(health(null, { connectionsUsed: 95, connectionsMax: 100 }), { readOnly: false }).detail).toMatch(/95 of 100 connections/);
  });
});

describe('assessPrivileges', () => {
  const facts = (p: Partial<PrivilegeFacts>): PrivilegeFacts => ({ scope: 'public', tablesTotal: 4, tablesReadable: 4, tablesWritable: 4, readScope: true, writeScope: true, canCreate: true, grants: [], ...p });
  it('reads nothing → fail; reads but cannot write on a read-write profile → warn; read-only profile needs no writes', () => {
    expect(assessPrivileges(facts({ tablesReadable: 0, readScope: false }), { readOnly: false }).status).toBe('fail');
    expect(assessPrivileges(facts({ tablesWritable: 0, writeScope: false, canCreate: false }), { readOnly: false }).status).toBe('warn');
    expect(assessPrivileges(facts({ tablesWritable: 0, writeScope: false, canCreate: false }), { readOnly: true }).status).toBe('ok');
  });
  it('an empty database is not a privilege problem', () => {
    expect(assessPrivileges(facts({ tablesTotal: 0, tablesReadable: 0, tablesWritable: 0 }), { readOnly: false }).status).toBe('ok');
  });
});
