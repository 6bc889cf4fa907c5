import type { EngineFamily } from '../../../shared/model/engine';
import type { SchemaSummary, ServerInfo, TableDetail, TableRef, TableSummary } from '../../../shared/model/schema';
import type { QueryCapable } from './query-session';

/**
 * What every database adapter does. Engine-specific SQL lives only behind this interface,
 * in engines/<family>/. Later features (table pages, streaming, edits, explain) add methods here.
 */
export interface Engine extends QueryCapable {
  readonly family: EngineFamily;
  /** `host:port` (or the file) this engine is connected to. */
  readonly endpoint: string;
  serverInfo(): Promise<ServerInfo>;
  listSchemas(): Promise<SchemaSummary[]>;
  listTables(schema: string): Promise<TableSummary[]>;
  describeTable(table: TableRef): Promise<TableDetail>;
  /** Closes every connection of the engine. Safe to call twice. */
  close(): Promise<void>;
}

/** Below this many (estimated) rows a count(*) is cheap enough to show the exact number. */
export const EXACT_COUNT_THRESHOLD = 100_000;
