import type { Change, DesignRules } from '../shared/diff';
import type { DesignSchema, EngineType } from '../shared/model';
import type { EngineKind } from '../../../shared/model/engine';

/** The statements of one direction of a migration, and what a reviewer should know about them. */
export interface DdlScript {
  statements: string[];
  /** Remarks for the review ("users is rebuilt: SQLite cannot change a column's type in place"). */
  notes: string[];
  /**
   * False when the statements manage their own transaction and must run outside the runner's
   * (SQLite rebuilds: PRAGMA foreign_keys only takes effect outside a transaction). Written as
   * dbmate's `transaction:false`.
   */
  transactional: boolean;
  /**
   * The first n statements must each commit before the rest runs (PostgreSQL: a new enum value is
   * usable only once committed). A client script runs them first and the rest in one transaction.
   */
  committedFirst?: number;
}

/**
 * What the schema designer needs from one engine: when two designs are the same, the engine's
 * own type names, and the DDL that turns one design into another. Implemented in
 * engines/<family>/<family>-ddl.ts; pure (no connection), so a design made before any database
 * exists gets the same DDL as one read from a server.
 */
export interface DesignDialect {
  readonly engine: EngineKind;
  readonly rules: DesignRules;
  /** The engine's built-in types (a connected engine adds the database's own: domains, enums). */
  builtinTypes(): EngineType[];
  /** Statements that turn `from` into `to`, given the changes `diffDesigns(from, to, rules)` found. */
  migrate(from: DesignSchema, to: DesignSchema, changes: readonly Change[]): DdlScript;
}

/** Server facts that change which statements a dialect may use. */
export interface DialectTarget {
  /** `10.11.6`, `8.0.36`, `15.4`, `3.45.1`; null when designing for no particular server. */
  version: string | null;
}

/** `10.11.6-MariaDB` → [10, 11, 6]; unknown → null. */
export function parseVersion(version: string | null): number[] | null {
  const m = version ? /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version) : null;
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : null;
}

/** version >= min; an unknown version counts as new enough (designs for "the current release"). */
export function atLeast(version: string | null, min: readonly number[]): boolean {
  const v = parseVersion(version);
  if (!v) return true;
  for (let i = 0; i < min.length; i++) {
    if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i]!;
  }
  return true;
}
