import type { CommandName, CommandOutput, CommandParsedInput, EventName, EventPayload } from '../../../shared/ipc/contract';
import type { ConnectionRegistry } from './connection-registry';
import type { QuerySessions } from '../../../features/sql-editor/core/query-sessions';
import type { InternalName, InternalInput, InternalOutput } from './internal-api';

export interface WorkerContext {
  registry: ConnectionRegistry;
  /** The SQL editor's query sessions (dedicated connections) of this window. */
  queries: QuerySessions;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

/** Contract commands a worker answers (the router forwards them untouched, already validated). */
export type WorkerCommandHandlers = {
  [N in CommandName]?: (input: CommandParsedInput<N>, ctx: WorkerContext) => Promise<CommandOutput<N>>;
};

/** Calls only the core makes (they carry secrets or internal state, so they are not in the contract). */
export type WorkerInternalHandlers = {
  [N in InternalName]?: (input: InternalInput<N>, ctx: WorkerContext) => Promise<InternalOutput<N>>;
};
