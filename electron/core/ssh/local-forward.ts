import { createServer, type Server, type Socket } from 'node:net';
import type { SshTunnel } from './ssh-tunnel';

export interface LocalForward {
  host: '127.0.0.1';
  port: number;
  close(): Promise<void>;
}

/**
 * `ssh -L 127.0.0.1:0:host:port` over a connection's tunnel, for a client tool (pg_dump, mariadb)
 * that cannot be handed a stream: each connection to the local port becomes a channel from the
 * bastion to host:port. It listens on the loopback address only, on a port the system picks, for
 * as long as one tool runs; close() ends it and every channel it opened.
 */
export async function openLocalForward(tunnel: SshTunnel, host: string, port: number): Promise<LocalForward> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pause();
    tunnel.channel(host, port).then(
      (channel) => {
        if (socket.destroyed) return void channel.close();
        channel.on('error', () => socket.destroy());
        channel.once('close', () => socket.destroy());
        socket.once('close', () => channel.close());
        socket.pipe(channel).pipe(socket);
        socket.resume();
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The local SSH forward has no port.');
  return {
    host: '127.0.0.1',
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
