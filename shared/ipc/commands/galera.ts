import { z } from 'zod';
import { command, event } from '../define';
import { ClusterSnapshot } from '../../model/galera';
import { ConnectionId } from './schema';

export const galeraCommands = {
  'galera.snapshot': command('One reading of every node of the Galera cluster this connection belongs to.', z.object({ connectionId: ConnectionId }).strict(), ClusterSnapshot),
  'galera.watch': command(
    'Starts pushing galera.snapshot events for this connection every intervalMs (default 1000); answers the first reading.',
    z.object({ connectionId: ConnectionId, intervalMs: z.number().int().min(250).max(60_000).optional() }).strict(),
    ClusterSnapshot,
  ),
  'galera.unwatch': command('Stops the galera.snapshot events of this connection.', z.object({ connectionId: ConnectionId }).strict(), z.object({ stopped: z.boolean() })),
};

export const galeraEvents = {
  'galera.snapshot': event('A fresh reading of every node of a watched Galera cluster.', ClusterSnapshot),
};
