import { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';

/**
 * A database connection's byte stream through the tunnel, shaped like the net.Socket the drivers
 * expect: pg calls connect(port, host), setNoDelay and setKeepAlive and waits for 'connect';
 * mysql2 takes a stream and starts reading. Writes made before the channel is open wait for it.
 * The tunnel ends it with a clear error when the SSH connection drops (ssh2's own channels
 * cannot carry an error).
 */
export class ForwardedSocket extends Duplex {
  connecting = false;
  private channel: ClientChannel | null = null;
  private pending: { chunk: Buffer; callback: (err?: Error | null) => void }[] = [];
  private finalCallback: ((err?: Error | null) => void) | null = null;

  constructor(private readonly open: (host: string, port: number) => Promise<ClientChannel>) {
    super({ allowHalfOpen: false });
  }

  /** Opens the channel to host:port (pg calls this; tunnel.stream() calls it for mysql2). */
  connect(port: number, host: string): this {
    this.connecting = true;
    this.open(host, port).then(
      (channel) => this.attach(channel),
      (err: Error) => this.destroy(err),
    );
    return this;
  }

  private attach(channel: ClientChannel): void {
    if (this.destroyed) {
      channel.close();
      return;
    }
    this.channel = channel;
    this.connecting = false;
    channel.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) channel.pause();
    });
    channel.on('end', () => this.push(null));
    channel.on('error', (err: Error) => this.destroy(err));
    channel.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
    for (const { chunk, callback } of this.pending) channel.write(chunk, callback);
    this.pending = [];
    if (this.finalCallback) this.endChannel(this.finalCallback);
    this.emit('connect');
    this.emit('ready');
  }

  override _read(): void {
    this.channel?.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.channel) this.channel.write(chunk, callback);
    else this.pending.push({ chunk, callback });
  }

  override _final(callback: (err?: Error | null) => void): void {
    if (this.channel) this.endChannel(callback);
    else this.finalCallback = callback;
  }

  private endChannel(callback: (err?: Error | null) => void): void {
    this.channel!.end();
    callback();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    for (const { callback: cb } of this.pending) cb(err ?? new Error('The tunnelled connection was closed.'));
    this.pending = [];
    this.channel?.close();
    // As a net.Socket's handle does, close a turn later: a TLS socket on top reports its own error
    // (a certificate for another name…) first, instead of the driver seeing a bare "terminated".
    setImmediate(() => callback(err));
  }

  // The socket API the drivers call; a channel has no Nagle, keepalive or timeout of its own.
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  setTimeout(_ms: number, callback?: () => void): this {
    if (callback) this.once('timeout', callback);
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}
