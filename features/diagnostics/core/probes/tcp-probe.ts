import { performance } from 'node:perf_hooks';
import type { ResolvedAddress } from './dns-probe';
import { connectTcp, ProbeTimeout } from './socket-io';

export interface TcpAttempt {
  address: string;
  family: 0 | 4 | 6;
  ok: boolean;
  ms: number;
  timedOut: boolean;
  error?: Error;
}

/** Connects to every address at once (each on its own, no happy-eyeballs) and reports each. */
export async function connectEach(addresses: ResolvedAddress[], port: number, deadline: number, signal: AbortSignal): Promise<TcpAttempt[]> {
  return Promise.all(
    addresses.map(async ({ address, family }) => {
      const started = performance.now();
      try {
        const socket = await connectTcp(address, port, Math.max(1, deadline - Date.now()), signal);
        socket.destroy();
        return { address, family, ok: true, ms: Math.round(performance.now() - started), timedOut: false };
      } catch (err) {
        const timedOut = err instanceof ProbeTimeout || signal.aborted;
        return { address, family, ok: false, ms: Math.round(performance.now() - started), timedOut, error: err as Error };
      }
    }),
  );
}
