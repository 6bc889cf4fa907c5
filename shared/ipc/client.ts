import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload } from './contract';
import { IpcCallError } from './errors';
import type { DbDeskTransport } from './transport';

/** The typed face of a transport, shared by the renderer, the CLI and the tests. */
export interface DbDeskClient {
  call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>>;
  on<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void;
}

export function createClient(transport: DbDeskTransport): DbDeskClient {
  const handlers = new Map<string, Set<(payload: never) => void>>();
  transport.subscribe((name, payload) => {
    for (const h of handlers.get(name) ?? []) h(payload as never);
  });
  return {
    async call(name, input) {
      const result = await transport.invoke(name, input);
      if (!result.ok) throw new IpcCallError(name, result.error);
      return result.value as never;
    },
    on(name, handler) {
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      set.add(handler as (payload: never) => void);
      return () => set.delete(handler as (payload: never) => void);
    },
  };
}
