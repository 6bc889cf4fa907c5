import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { abortPromise, ProbeTimeout } from './socket-io';

export interface ResolvedAddress {
  address: string;
  /** 0: a Unix socket path. */
  family: 0 | 4 | 6;
}

/**
 * getaddrinfo, as the drivers use it (honours /etc/hosts), every address in the resolver's order.
 * An IP literal is returned as is. getaddrinfo cannot be cancelled: on timeout we stop waiting.
 */
export async function resolveAll(host: string, timeoutMs: number, signal: AbortSignal): Promise<ResolvedAddress[]> {
  const literal = isIP(host);
  if (literal) return [{ address: host, family: literal as 4 | 6 }];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`DNS lookup of ${host}`, timeoutMs)), timeoutMs);
  });
  try {
    const found = await Promise.race([dns.lookup(host, { all: true, verbatim: true }), timeout, abortPromise(signal)]);
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } finally {
    clearTimeout(timer);
  }
}
