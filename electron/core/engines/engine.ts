import type { EngineFamily } from '../../../shared/model/engine';
import type { ClusterSnapshot } from '../../../shared/model/galera';
import type { SchemaSummary, ServerInfo, TableDetail, TableRef, TableSummary } from '../../../shared/model/schema';
import type { MigrationAdapter } from './migration-adapter';

/**
 * What every database adapter does. Engine-specific SQL lives only behind this interface,
 * in engines/<family>/. Later features (table pages, streaming, edits, explain) add methods here.
 */
export interface Engine {
  readonly family: EngineFamily;
  /** `host:port` (or the file) this engine is connected to. */
  readonly endpoint: string;
  serverInfo(): Promise<ServerInfo>;
  listSchemas(): Promise<SchemaSummary[]>;
  listTables(schema: string): Promise<TableSummary[]>;
  describeTable(table: TableRef): Promise<TableDetail>;
  /**
   * Galera (mysql family only): reads every node of the cluster this connection belongs to.
   * Absent on engines that have no clusters.
   */
  clusterStatus?(): ClusterStatusSource;
  /** The engine's side of the migration runner: its connections, locks, DDL and dialect rules. */
  migrations(): MigrationAdapter;
  /** Closes every connection of the engine. Safe to call twice. */
  close(): Promise<void>;
}

/** Live health of a cluster's nodes, for the cluster view. Keeps one small connection per node. */
export interface ClusterStatusSource {
  /** One reading of every known node (the connection id is filled in by the caller). */
  read(): Promise<Omit<ClusterSnapshot, 'connectionId'>>;
  close(): Promise<void>;
}

/** Below this many (estimated) rows a count(*) is cheap enough to show the exact number. */
export const EXACT_COUNT_THRESHOLD = 100_000;
