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

/**
 * What one call's handler gets: the worker's context and the call's own `signal`, aborted when the
 * caller cancels (the router's HandlerContext.signal, carried over as a `cancel` message). A handler
 * passes it down to the engine; what stops because of it answers `cancelled`.
 */
export interface WorkerCallContext extends WorkerContext {
  signal: AbortSignal;
}

/** Contract commands a worker answers (the router forwards them untouched, already validated). */
export type WorkerCommandHandlers = {
  [N in CommandName]?: (input: CommandParsedInput<N>, ctx: WorkerCallContext) => Promise<CommandOutput<N>>;
};

/** Calls only the core makes (they carry secrets or internal state, so they are not in the contract). */
export type WorkerInternalHandlers = {
  [N in InternalName]?: (input: InternalInput<N>, ctx: WorkerCallContext) => Promise<InternalOutput<N>>;
};
