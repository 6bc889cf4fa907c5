import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload } from './contract';
import { CANCELLED_MESSAGE } from './call-frames';
import { IpcCallError } from './errors';
import type { DbDeskTransport } from './transport';

/** Per call: `signal` cancels the call (the server stops its work; the call answers `cancelled`, or what it finished). */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** The typed face of a transport, shared by the renderer, the CLI and the tests. */
export interface DbDeskClient {
  call<N extends CommandName>(name: N, input: CommandInput<N>, options?: CallOptions): Promise<CommandOutput<N>>;
  on<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void;
}

export function createClient(transport: DbDeskTransport): DbDeskClient {
  const handlers = new Map<string, Set<(payload: never) => void>>();
  transport.subscribe((name, payload) => {
    for (const h of handlers.get(name) ?? []) h(payload as never);
  });
  let nextCallId = 1;
  return {
    async call(name, input, options) {
      const signal = options?.signal;
      if (!signal) {
        const result = await transport.invoke(name, input);
        if (!result.ok) throw new IpcCallError(name, result.error);
        return result.value as never;
      }
      // Aborted already: nothing is sent, nothing runs.
      if (signal.aborted) throw new IpcCallError(name, { code: 'cancelled', message: CANCELLED_MESSAGE });
      const callId = nextCallId++;
      const onAbort = () => transport.cancel(callId);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        // The call's own answer is awaited even after an abort: it says what the server did (a
        // migration run that stopped between statements answers with what it applied).
        const result = await transport.invoke(name, input, callId);
        if (!result.ok) throw new IpcCallError(name, result.error);
        return result.value as never;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
    on(name, handler) {
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      set.add(handler as (payload: never) => void);
      return () => set.delete(handler as (payload: never) => void);
    },
  };
}
