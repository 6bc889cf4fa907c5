import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';

/**
 * Small servers in Node that misbehave the ways real networks do: a port that accepts and stays
 * silent, one that hangs up at once, an HTTP or SSH server on a database port, a TLS-only endpoint,
 * a firewall that drops SYNs, a relay that connects from another loopback address. Each listens on
 * 127.0.0.1 on a port the OS picks; close() ends it and every connection it holds.
 */
export interface FakeServer {
  port: number;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: net.Socket) => sockets.add(s));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Accepts and never sends a byte (a proxy whose backend is gone). */
export function silentServer(): Promise<FakeServer> {
  return listen(net.createServer(() => undefined));
}

/** Accepts and closes at once (a TCP wrapper, a proxy refusing). */
export function closingServer(): Promise<FakeServer> {
  return listen(net.createServer((s) => s.destroy()));
}

/** A web server: answers garbage with 400 Bad Request. */
export function httpServer(): Promise<FakeServer> {
  return listen(http.createServer((_, res) => res.end('hello')) as unknown as net.Server);
}

/** An SSH server's banner, then silence. */
export function sshServer(): Promise<FakeServer> {
  return listen(net.createServer((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n')));
}

/** Speaks first with bytes no known protocol starts with. */
export function garbageServer(): Promise<FakeServer> {
  return listen(net.createServer((s) => s.write(Buffer.from('\x00\x01\x02\x03hello, not a database\n', 'latin1'))));
}

/** TLS from the first byte (a TLS proxy such as stunnel, or PostgreSQL 17 direct TLS). */
export function directTlsServer(pair: { cert: string; key: string }): Promise<FakeServer> {
  return listen(tls.createServer({ cert: readFileSync(pair.cert), key: readFileSync(pair.key) }, (s) => s.end()) as unknown as net.Server);
}

/**
 * A PostgreSQL look-alike: reads the client's length-prefixed startup packets, refuses TLS ('N'
 * to the SSLRequest) and hands the StartupMessage to `onStartup`.
 */
function postgresLookAlike(onStartup: (s: net.Socket) => void): Promise<FakeServer> {
  return listen(
    net.createServer((s) => {
      let buf = Buffer.alloc(0);
      s.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        while (buf.length >= 8) {
          const len = buf.readUInt32BE(0);
          if (buf.length < len) return;
          const code = buf.readUInt32BE(4);
          buf = buf.subarray(len);
          if (code === 80877103) s.write('N');
          else if (code === 196608) onStartup(s);
        }
      });
    }),
  );
}

/**
 * Offers only the given SASL mechanisms: what a server configured for an authentication method the
 * driver lacks looks like.
 */
export function saslOnlyPostgresServer(mechanisms: string[]): Promise<FakeServer> {
  return postgresLookAlike((s) => {
    // AuthenticationSASL (R, code 10) with the mechanism list.
    const body = Buffer.concat([Buffer.from([0, 0, 0, 10]), ...mechanisms.map((m) => Buffer.from(`${m}\0`)), Buffer.from([0])]);
    const head = Buffer.alloc(5);
    head.write('R', 0);
    head.writeUInt32BE(body.length + 4, 1);
    s.write(Buffer.concat([head, body]));
  });
}

/**
 * A port where SYNs go unanswered, as behind a firewall that drops packets: a child process listens
 * with the smallest backlog and is stopped (SIGSTOP) so it never accepts; the queue is filled, and
 * the kernel drops further SYNs. No root, no firewall rule.
 */
export async function blackholeServer(): Promise<FakeServer> {
  const child = spawn(process.execPath, ['-e', "const s=require('net').createServer();s.listen({host:'127.0.0.1',port:0,backlog:1},()=>process.stdout.write(String(s.address().port)+'\\n'))"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`blackhole helper exited (${code})`)));
  });
  child.kill('SIGSTOP');
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    fillers.push(s);
  }
  // Let the handshakes that can complete complete, so the queue is full before a test connects.
  await new Promise((r) => setTimeout(r, 200));
  return {
    port,
    async close() {
      for (const s of fillers) s.destroy();
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    },
  };
}

/**
 * Forwards every connection to `targetPort`, connecting from another loopback address (127.0.0.5
 * by default): the server sees a client host its accounts do not allow.
 */
export function relayServer(targetPort: number, localAddress = '127.0.0.5'): Promise<FakeServer> {
  return listen(
    net.createServer((client) => {
      const upstream = net.connect({ host: '127.0.0.1', port: targetPort, localAddress });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    }),
  );
}

/**
 * Never answers the login (a pooler or proxy whose backend hangs): the fingerprint passes, the
 * login waits forever.
 */
export function stallingPostgresServer(): Promise<FakeServer> {
  return postgresLookAlike(() => undefined);
}

/** The greeting MariaDB 10.11.19 (Debian 12, without TLS) sent on 127.0.0.1:3306, byte for byte. */
const MARIADB_GREETING = Buffer.from(
  '640000000a352e352e352d31302e31312e31392d4d6172696144422d302b6465623132753100e1010000593a5476766e465200fef72d0200ff81150000000000001d000000474d30444671297226603731006d7973716c5f6e61746976655f70617373776f726400',
  'hex',
);

/** A MariaDB look-alike that greets like the real server and then never answers the login. */
export function stallingMysqlServer(): Promise<FakeServer> {
  return listen(net.createServer((s) => s.write(MARIADB_GREETING)));
}
