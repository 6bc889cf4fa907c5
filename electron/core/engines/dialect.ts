import type { EngineFamily, EngineKind } from '../../../shared/model/engine';
import type { ServerInfo } from '../../../shared/model/schema';
import type { SqlLexRules } from '../../../shared/sql/dialect-rules';
import type { IdentifierRules } from '../../../shared/sql/identifier-rules';
import type { DesignDialect } from '../../../features/designer/core/design-dialect';
import type { CompareDialect } from '../../../features/schema-compare/core/compare-dialect';
import type { DialectErrors } from '../../../features/diagnostics/core/classification';
import type { EngineDiagnostics } from '../../../features/diagnostics/core/engine-diagnostics';
import type { WireProtocol } from '../../../features/diagnostics/core/probes/wire-protocol';
import type { MigrationAdapter } from '../../../features/migrations/core/migration-adapter';
import type { BackupPort } from '../../../features/backup/core/backup-port';
import type { ShadowPort } from '../../../features/migrations/core/shadow/shadow-port';
import type { EngineConfig } from './config';
import type { Engine } from './engine';
import type { EngineHooks } from './hooks';
import type { ErrorExplainer } from './explained-errors';

/** A host:port a profile names: its main host, then any further hosts (fallbacks or cluster nodes). */
export interface Endpoint {
  host: string;
  port: number;
}

/**
 * Everything that differs by engine family, in one object per family (Kysely's `Dialect`: one object
 * owning driver, adapter, introspector and compiler). Core code holds a dialect and asks it; it never
 * asks which engine it has. Implemented in engines/<family>/<family>-dialect.ts and chosen in one place,
 * engines/dialects.ts.
 *
 * A dialect is cheap to load: everything that needs the driver (pg, mysql2, better-sqlite3) is loaded
 * on first use, so the main process can plan designer migrations without loading any driver.
 */
export interface Dialect {
  readonly family: EngineFamily;
  /** How SQL text of this family is split into statements (SQL editor, migrations). */
  readonly lexRules: SqlLexRules;
  /** How a name written in SQL becomes a table's name: case folding of unquoted names, and whether case tells tables apart. */
  readonly identifiers: IdentifierRules;
  /** Opens the engine (pools, introspector, table data…) for a profile of this family. */
  open(config: EngineConfig, hooks?: EngineHooks): Promise<Engine>;
  /**
   * Only what a migration run needs (`dbdesk migrate`): the adapter, which opens its own connection
   * per run — no pool, no introspection. `close` ends whatever finding the server needed (a cluster's
   * node watch).
   */
  openMigrations(config: EngineConfig): Promise<{ adapter: MigrationAdapter; close(): Promise<void> }>;
  /**
   * The nodes of a cluster profile (each is connected to, and diagnosed, on its own), or null when the
   * profile is one server — further hosts of a PostgreSQL profile are fallbacks tried in order, not a cluster.
   */
  clusterNodes(config: EngineConfig): Endpoint[] | null;
  /** The database's name as a person types it to confirm a production change (a file's name for SQLite). */
  databaseName(info: ServerInfo, endpoint: string, config: EngineConfig): string;
  /** The schema designer's DDL for this product and server version, without a connection (null: the current release). */
  designDialect(kind: EngineKind, version?: string | null): DesignDialect;
  /** Schema compare's DDL for every object kind (types, routines, views, triggers) besides the designer's tables. */
  compareDialect(kind: EngineKind, version?: string | null): CompareDialect;
  /** Shadow databases for the drift check and the rehearsal: create a temporary one, use a configured one, drop it. */
  shadow(): Promise<ShadowPort>;
  /** How its driver's errors are read: diagnostic classes, remedies' wording. */
  readonly errors: DialectErrors;
  /** How a refused statement's error is read into the user's terms (unique, foreign key, too long…). */
  readonly explainer: ErrorExplainer;
  /** Its network protocol as the diagnostics probes see it (fingerprint, TLS negotiation); null for files. */
  readonly wire: WireProtocol | null;
  /** The diagnostics adapter: the driver's own login and a few read-only checks. */
  diagnostics(): Promise<EngineDiagnostics>;
  /** Backup and restore through the engine's own tools (pg_dump, mariadb-dump) or SQLite's backup API. */
  backup(): Promise<BackupPort>;
}
