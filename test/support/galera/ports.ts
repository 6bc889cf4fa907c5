import { createServer } from 'node:net';

/** Ports of node n (1-based) for a block starting at `base`: client base+n; Galera base+10n, IST +1, SST +2. */
export function nodePorts(base: number, n: number): { client: number; galera: number; ist: number; sst: number } {
  return { client: base + n, galera: base + 10 * n, ist: base + 10 * n + 1, sst: base + 10 * n + 2 };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A block of ports for three nodes, clear of 3306, of Galera's defaults (4567/4568/4444) and of
 * anything listening now. Random, below Linux's ephemeral range (32768+), so two clusters started by
 * two test runs at once do not pick the same block, and outgoing connections do not take our ports.
 */
export async function findPortBlock(nodes: number): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const base = 20_000 + 50 * Math.floor(Math.random() * 250);
    const ports = Array.from({ length: nodes }, (_, i) => Object.values(nodePorts(base, i + 1))).flat();
    let free = true;
    for (const p of ports) {
      if (!(await portFree(p))) {
        free = false;
        break;
      }
    }
    if (free) return base;
  }
  throw new Error('Could not find 4 free ports per Galera node between 20000 and 32500 on 127.0.0.1.');
}
