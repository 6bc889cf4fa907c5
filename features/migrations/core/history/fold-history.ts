import type { Direction } from '../../../../shared/model/migrations';
import type { HistoryRecord } from './history-store';

/** A failed (or interrupted) attempt that nothing has resolved yet. */
export interface OpenFailure {
  record: HistoryRecord;
  direction: Direction;
  /** Statements that committed before the failure. */
  statementsApplied: number;
  statementsTotal: number;
  /** The process died while running (status still `running`), rather than recording a failure. */
  interrupted: boolean;
  /**
   * Something of the attempt stayed applied (MySQL/MariaDB DDL, statements run outside a
   * transaction, or an interrupted statement whose fate is unknown). Such a failure blocks every
   * run until an admin resumes, marks or forgets it; a clean rollback does not.
   */
  partial: boolean;
}

/** What DB Desk's own history says about one version, after every row is taken into account. */
export interface OwnVersionState {
  version: string;
  name: string;
  applied: boolean;
  checksum: string | null;
  statementHashes: string[] | null;
  appliedAt: string | null;
  appliedBy: string | null;
  failure: OpenFailure | null;
  /** The last attempt failed and rolled back cleanly: nothing of it is applied. */
  lastRolledBack: HistoryRecord | null;
  /**
   * Some row says whether the version is applied (a run, a baseline, a decision). A version with
   * only accept-checksum rows (a Flyway-applied file whose edit was accepted) leaves that to the
   * tool's history.
   */
  decidesState: boolean;
  last: HistoryRecord;
}

function who(r: HistoryRecord): string {
  const user = r.osUser && r.clientHost ? `${r.osUser} on ${r.clientHost}` : (r.osUser ?? r.dbUser ?? 'unknown');
  return `DB Desk (${user})`;
}

function failureOf(r: HistoryRecord): OpenFailure {
  const interrupted = r.status === 'running';
  const partial = interrupted ? !(r.transactional && r.statementsApplied === 0) : r.statementsApplied > 0;
  return {
    record: r,
    direction: r.action === 'down' ? 'down' : 'up',
    statementsApplied: r.statementsApplied,
    statementsTotal: r.statementsTotal,
    interrupted,
    partial,
  };
}

/** Folds the rows (in id order) into the current state of each version, keyed by `keyOf(version)`. */
export function foldHistory(rows: readonly HistoryRecord[], keyOf: (version: string) => string): Map<string, OwnVersionState> {
  const states = new Map<string, OwnVersionState>();
  for (const r of rows) {
    const key = keyOf(r.version);
    const s: OwnVersionState = states.get(key) ?? {
      version: r.version,
      name: r.name,
      applied: false,
      checksum: null,
      statementHashes: null,
      appliedAt: null,
      appliedBy: null,
      failure: null,
      lastRolledBack: null,
      decidesState: false,
      last: r,
    };
    s.last = r;
    if (r.action !== 'accept-checksum') s.decidesState = true;
    s.name = r.name;
    const finished = () => {
      s.failure = null;
      s.lastRolledBack = null;
    };
    switch (r.action) {
      case 'up':
      case 'down': {
        if (r.status === 'applied') {
          s.applied = r.action === 'up';
          s.checksum = r.action === 'up' ? r.checksum : null;
          s.statementHashes = r.action === 'up' ? r.statementHashes : null;
          s.appliedAt = r.action === 'up' ? (r.finishedAt ?? r.startedAt) : null;
          s.appliedBy = r.action === 'up' ? who(r) : null;
          finished();
          break;
        }
        const f = failureOf(r);
        if (f.partial) {
          s.failure = f;
          s.lastRolledBack = null;
        } else {
          // Rolled back as a whole: the version stays as it was before the attempt.
          s.failure = null;
          s.lastRolledBack = r;
        }
        break;
      }
      case 'baseline':
      case 'mark-applied':
        s.applied = true;
        s.checksum = r.checksum;
        s.statementHashes = r.statementHashes;
        s.appliedAt = r.finishedAt ?? r.startedAt;
        s.appliedBy = `${who(r)}, ${r.action === 'baseline' ? 'baseline' : 'marked applied'}`;
        finished();
        break;
      case 'mark-reverted':
        s.applied = false;
        s.checksum = null;
        finished();
        break;
      case 'forget':
        // The failed attempt is discarded (its effects were undone by hand): a failed attempt never
        // changed `applied`, so the version is what it was before it.
        finished();
        break;
      case 'accept-checksum':
        s.checksum = r.checksum;
        s.statementHashes = r.statementHashes;
        break;
    }
    states.set(key, s);
  }
  return states;
}
