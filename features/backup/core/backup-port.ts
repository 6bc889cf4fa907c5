import type { TlsSettings } from '../../../shared/model/connection';
import type { ServerInfo } from '../../../shared/model/schema';
import type { BackupOptions, BackupProgress } from '../shared/backup-model';

/**
 * Where the engine's own tool connects: the server's host and port, or the local end of an SSH
 * forward made for this run. The password goes to the tool through the environment or a 0600
 * file, never its arguments.
 */
export interface ToolTarget {
  host: string;
  port: number;
  user: string | undefined;
  database: string | undefined;
  password: string | undefined;
  tls: TlsSettings;
  /** Through an SSH forward: the server's own name (host is then 127.0.0.1), for TLS host checks where the tool can use it. */
  serverName?: string;
  /** SQLite: the database file. */
  file: string | undefined;
}

export type ProgressReport = (p: Partial<BackupProgress>) => void;

interface ToolJob {
  target: ToolTarget;
  server: ServerInfo;
  signal: AbortSignal;
  progress: ProgressReport;
  /** Called with the tool's process id once it runs (tests read its command line). */
  onSpawn?: (pid: number) => void;
}

export interface BackupJob extends ToolJob {
  options: BackupOptions;
  /** Where to write; the runner renames it into place when the job succeeds and removes it otherwise. */
  outFile: string;
}

export interface RestoreJob extends ToolJob {
  inFile: string;
}

export interface ToolOutcome {
  /** The tool and its version, as the result names it. */
  tool: string;
  tables: number;
}

/**
 * What backup and restore need from an engine family (implemented in engines/<family>/<family>-backup.ts):
 * which tool, its arguments, how its verbose output reads as progress, and the version check that
 * refuses a tool older than the server before it runs.
 */
export interface BackupPort {
  /** A file name suffix for a new backup (`.dump`, `.sql`, `.sqlite`). */
  readonly fileExtension: string;
  /** Schema only, data only and chosen tables can be asked for (not for SQLite's whole-file copy). */
  readonly partial: boolean;
  /**
   * Where chosen tables may come from: any schema of the database (pg_dump), or only the one the
   * connection lands in (a MySQL dump is of one database).
   */
  readonly tablesFrom: 'every-schema' | 'default-schema';
  backup(job: BackupJob): Promise<ToolOutcome>;
  restore(job: RestoreJob): Promise<ToolOutcome>;
}
