import type { EngineConfig } from '../../../../electron/core/engines/config';
import type { MigrationConnection } from '../migration-adapter';
import type { DesignColumn } from '../../../designer/shared/model';

/** Where a shadow lives and how to reach it; `drop` removes it (or empties the configured database). */
export interface ShadowHome {
  /** The live profile pointed at the shadow: its own database, schema or file. */
  config: EngineConfig;
  /** The schema the shadow's objects are in (PostgreSQL: `public` of a temporary database, or a schema of its own). */
  schema: string | null;
  /** In words, for progress and reports: "temporary database dbdesk_shadow_1a2b3c4d". */
  description: string;
  /** The shadow's own name (database, schema or file path), so tests and people can look for it. */
  name: string;
  /** Removes the shadow; a configured database is emptied of what the shadow put there. Safe to call twice. */
  drop(): Promise<void>;
}

/** A shadow of ours found beside the live database, for the sweep of those that runs which died left behind. */
export interface LeftShadow {
  /** The name it was made with (`shadowName()`: it carries its time); anything else is never dropped. */
  name: string;
  /** In words: "temporary database dbdesk_shadow_…", "temporary file /tmp/dbdesk_shadow_…". */
  description: string;
  /** A live run holds it (a session in it, its lock taken, its process alive): never dropped. */
  held: boolean;
  drop(): Promise<void>;
}

/** A configured shadow (--shadow-url) that cannot be used: not empty, or the live database itself. */
export class ShadowRefusedError extends Error {}

/**
 * What building a shadow database needs from one engine family: create a temporary one beside the
 * live database, or use a configured one, and drop it afterwards. Implemented in
 * engines/<family>/<family>-shadow.ts; the drift check and the rehearsal (features/migrations/core/shadow)
 * call only this.
 */
export interface ShadowPort {
  /**
   * Creates an empty temporary database beside the live one (same server, same login). `open` gives a
   * connection to the live database (server engines create the shadow through it). `name` is the
   * shadow's generated name (lower-case letters, digits, `_`).
   */
  createTemporary(live: EngineConfig, open: () => Promise<MigrationConnection>, name: string): Promise<ShadowHome>;
  /**
   * Uses the database a shadow URL names: PostgreSQL makes a schema of its own inside it (dropped after);
   * MySQL/MariaDB and SQLite use it as it is, refusing one that is not empty, and empty it afterwards.
   */
  useConfigured(config: EngineConfig, open: () => Promise<MigrationConnection>, name: string): Promise<ShadowHome>;
  /**
   * Marks a temporary shadow as held by a live run for as long as the returned release is not called
   * (PostgreSQL: a session connected to it; MySQL/MariaDB: that session also takes a named lock of the
   * shadow's name), so another process's sweep leaves it alone. `open` connects to the shadow. Null where
   * the shadow's name says who holds it (SQLite: the process id in the file name).
   */
  hold(open: () => Promise<MigrationConnection>, name: string): Promise<(() => Promise<void>) | null>;
  /**
   * The temporary shadows on the live database's server (PostgreSQL: databases this role owns) or disk
   * (SQLite: files of this user in the temporary folder) whose names look like ours, each with whether a
   * live run holds it. The sweep keeps only names `shadowName()` makes, and drops only old unheld ones.
   */
  leftShadows(live: EngineConfig, open: () => Promise<MigrationConnection>): Promise<LeftShadow[]>;
  /**
   * The refusal to create a temporary database in words — the privilege it takes, who lacks it, and the
   * remedies (grant it, or a shadow URL) — or null when `error` is not a missing privilege.
   */
  privilegeProblem(error: unknown, live: EngineConfig): string | null;
  /**
   * Where a migration's statement lands when it names the live schema by name (`public.orders`,
   * `shop.orders`) and the shadow's schema has another name: `live` — in the live database itself
   * (MySQL/MariaDB: the shadow is another database of the same server), so it must not run; `outside` —
   * beside the shadow, in a schema of that name where the shadow is (PostgreSQL), so it runs and is reported.
   */
  readonly namedLiveSchema: 'live' | 'outside';
  /** Statements on the shadow's connection before rows are copied in any table order (foreign key checks off). */
  readonly rowCopySession: string[];
  /**
   * After a table's rows were copied with their own key values: moves its generators past them, so a
   * pending migration's INSERT gets the next value as on the live database (PostgreSQL sequences; the other
   * engines move on by themselves). Null when nothing is needed.
   */
  afterRowCopy(table: string, columns: DesignColumn[]): { sql: string; parameters: unknown[] }[];
}
