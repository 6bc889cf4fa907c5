import type { SslMode } from '../../../shared/model/connection';
import type { EngineConfig } from '../../../electron/core/engines/config';

/**
 * What the diagnostics runner needs from an engine family: the driver's own login and a few
 * read-only queries. The SQL lives behind this interface, in engines/<family>/.
 */
export type EngineDiagnostics = NetworkEngineDiagnostics | FileEngineDiagnostics;

export interface DriverIdentity {
  /** npm package name: `pg`, `mysql2`, `better-sqlite3`. Also the `source` of its errors. */
  name: string;
  version: string;
}

export interface NetworkEngineDiagnostics {
  readonly kind: 'network';
  readonly driver: DriverIdentity;
  /** The Unix socket a host that is a path stands for, when the driver supports that (pg: dir/.s.PGSQL.port). */
  socketPath?(host: string, port: number): string | undefined;
  /**
   * Logs in with the driver, exactly as the app would (same options), under the given sslmode.
   * Rejects with the driver's own error. Aborting the signal tears the attempt down.
   */
  connect(config: EngineConfig, host: string, port: number, options: { timeoutMs: number; tlsMode: SslMode; signal: AbortSignal }): Promise<DiagnosticSession>;
}

export interface SessionFacts {
  currentUser: string | null;
  database: string | null;
  product: 'postgresql' | 'mysql' | 'mariadb';
  serverVersion: string;
  versionText: string;
  /** Rows of a catalog table read: proves the session can run real queries. */
  catalogObjects: number;
}

export interface PrivilegeFacts {
  /** Where the check looked (current schema / database). */
  scope: string;
  /** Tables there (null when the engine only shows tables the user has privileges on). */
  tablesTotal: number | null;
  tablesReadable: number;
  tablesWritable: number;
  /** SELECT (INSERT/UPDATE/DELETE) on everything in the scope: schema-wide or global grants. */
  readScope: boolean;
  writeScope: boolean;
  canCreate: boolean;
  /** The privilege statements the server reports for this user, secrets removed later. */
  grants: string[];
}

export interface HealthFacts {
  serverVersion: string;
  connectionsUsed: number | null;
  connectionsMax: number | null;
  /** A standby / replica / read_only server. */
  readOnly: boolean;
  inRecovery: boolean | null;
  /** Galera status and system variables by name, when the server is a Galera node (wsrep_on). */
  galera: Record<string, string> | null;
}

export interface TableReadFacts {
  /** The table read (schema-qualified), or null when the user can see none. */
  table: string | null;
  rows: number;
  columns: number;
}

export interface DiagnosticSession {
  /** Whether the login actually went over TLS. */
  readonly tlsInUse: boolean;
  identify(): Promise<SessionFacts>;
  privileges(): Promise<PrivilegeFacts>;
  health(): Promise<HealthFacts>;
  readTable(): Promise<TableReadFacts>;
  /** Closes politely; destroy() tears it down at once (a step timed out). */
  close(): Promise<void>;
  destroy(): void;
}

export interface FileEngineDiagnostics {
  readonly kind: 'file';
  readonly driver: DriverIdentity;
  /** Opens the file (never creating it) and reads its catalog. Throws the driver's error. */
  open(file: string, options: { readOnly: boolean; busyTimeoutMs: number }): FileDiagnosticHandle;
}

export interface FileDiagnosticHandle {
  readonly serverVersion: string;
  readonly catalogObjects: number;
  readonly journalMode: string;
  readTable(): TableReadFacts;
  /** `PRAGMA quick_check` — in a child process that is killed at the deadline when the file is big. */
  quickCheck(options: { fileSize: number; timeoutMs: number; signal: AbortSignal }): Promise<{ problems: string[]; where: 'this thread' | 'child process' }>;
  /** Tries to take the write lock (BEGIN IMMEDIATE) without waiting, and releases it. */
  tryWriteLock(): void;
  close(): void;
}
