import { describe, expect, it } from 'vitest';
import { foldHistory } from '../../../features/migrations/core/history/fold-history';
import type { HistoryRecord } from '../../../features/migrations/core/history/history-store';

let nextId = 1;
function row(p: Partial<HistoryRecord> & Pick<HistoryRecord, 'action' | 'status'>): HistoryRecord {
  return {
    id: nextId++,
    version: '1',
    name: 'one',
    checksum: 'c1',
    statementHashes: null,
    statementsApplied: 0,
    statementsTotal: 3,
    startedAt: '2024-01-01T00:00:00Z',
    finishedAt: '2024-01-01T00:00:01Z',
    durationMs: 1000,
    error: null,
    errorStatement: null,
    errorSql: null,
    dbUser: 'app',
    osUser: 'ann',
    clientHost: 'box',
    appVersion: '0.1.0',
    folderFormat: 'dbmate',
    transactional: false,
    note: null,
    ...p,
  };
}
const fold = (rows: HistoryRecord[]) => foldHistory(rows, (v) => v).get('1')!;

describe('folding the history into the state of a version', () => {
  it('applied, then reverted', () => {
    expect(fold([row({ action: 'up', status: 'applied', statementsApplied: 3 })])).toMatchObject({ applied: true, checksum: 'c1', failure: null, appliedBy: 'DB Desk (ann on box)' });
    expect(fold([row({ action: 'up', status: 'applied' }), row({ action: 'down', status: 'applied', checksum: null })])).toMatchObject({ applied: false, failure: null });
  });

  it('a partial failure blocks; a clean rollback does not', () => {
    const partial = fold([row({ action: 'up', status: 'failed', statementsApplied: 2, error: 'boom' })]);
    expect(partial.failure).toMatchObject({ partial: true, statementsApplied: 2, direction: 'up', interrupted: false });
    const clean = fold([row({ action: 'up', status: 'failed', statementsApplied: 0, transactional: true })]);
    expect(clean.failure).toBeNull();
    expect(clean.lastRolledBack?.status).toBe('failed');
    expect(clean.applied).toBe(false);
  });

  it('an interrupted run: harmless if it was one transaction, blocking otherwise', () => {
    expect(fold([row({ action: 'up', status: 'running', statementsApplied: 0, transactional: true })]).failure).toBeNull();
    expect(fold([row({ action: 'up', status: 'running', statementsApplied: 0, transactional: false })]).failure).toMatchObject({ interrupted: true, partial: true });
  });

  it('decisions: resume succeeds, mark applied, forget, accept checksum', () => {
    const failed = row({ action: 'up', status: 'failed', statementsApplied: 1 });
    expect(fold([failed, row({ action: 'up', status: 'applied', statementsApplied: 3 })])).toMatchObject({ applied: true, failure: null });
    expect(fold([failed, row({ action: 'mark-applied', status: 'done', checksum: 'c2' })])).toMatchObject({ applied: true, checksum: 'c2', failure: null });
    expect(fold([failed, row({ action: 'forget', status: 'done' })])).toMatchObject({ applied: false, failure: null });
    const downFailed = [row({ action: 'up', status: 'applied' }), row({ action: 'down', status: 'failed', statementsApplied: 1 })];
    expect(fold(downFailed)).toMatchObject({ applied: true, failure: { direction: 'down' } });
    expect(fold([...downFailed, row({ action: 'forget', status: 'done' })])).toMatchObject({ applied: true, failure: null });
    expect(fold([...downFailed, row({ action: 'mark-reverted', status: 'done' })])).toMatchObject({ applied: false, failure: null });
    expect(fold([row({ action: 'up', status: 'applied' }), row({ action: 'accept-checksum', status: 'done', checksum: 'c9' })])).toMatchObject({ applied: true, checksum: 'c9', decidesState: true });
    // Only an accepted checksum (the file was applied by another tool): applied-ness is the tool's to say.
    expect(fold([row({ action: 'accept-checksum', status: 'done', checksum: 'c9' })])).toMatchObject({ decidesState: false, checksum: 'c9' });
  });
});
