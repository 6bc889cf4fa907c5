import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';

/**
 * Why a tunnel stalled for 40 ms at a time, and the fix.
 *
 * sshd turns Nagle's algorithm off (TCP_NODELAY) only when a session starts (a shell or a
 * command); a connection that only forwards ports keeps it on. So whenever sshd has sent a small
 * packet that we have not acknowledged yet, its next small packet waits for our ACK — and Linux
 * delays that ACK (up to 40 ms) hoping to piggyback it on data we send, which in a request/response
 * exchange we do not have. Measured on loopback: the first channel's CHANNEL_OPEN_CONFIRMATION
 * waited ~43 ms behind the DEBUG messages sshd sends after a key login, and PostgreSQL's
 * multi-part replies through the channel waited the same again.
 *
 * Node cannot set TCP_QUICKACK, so when inbound traffic goes quiet and nothing was sent since it
 * arrived, we send the smallest SSH message that asks for no answer: a `no-more-sessions@openssh.com`
 * global request (want_reply false), which carries the ACK. It is also true: DB Desk opens only
 * direct-tcpip channels, never a session (OpenSSH's ssh sends it for the same reason). ssh2 sends
 * it to OpenSSH servers only (strictVendor); elsewhere nothing is sent and nothing changes.
 * At most one per pause in the inbound traffic; none while the tunnel is idle.
 */
const QUIET_MS = 1;

export function nudgeAcks(client: Client, transport: Duplex): () => void {
  const socket = transport as Duplex & { bytesWritten?: number };
  let writtenAtData = -1;
  let timer: NodeJS.Timeout | null = null;
  const fire = () => {
    timer = null;
    // Something we sent after the data arrived already carried the ACK.
    if (typeof socket.bytesWritten === 'number' && socket.bytesWritten !== writtenAtData) return;
    if (socket.destroyed || !socket.writable) return;
    try {
      // ssh2's typings want a callback; without one it asks for no reply.
      (client.openssh_noMoreSessions as (this: Client) => Client).call(client);
    } catch {
      /* not connected any more */
    }
  };
  const onData = () => {
    writtenAtData = typeof socket.bytesWritten === 'number' ? socket.bytesWritten : -1;
    if (timer) timer.refresh();
    else {
      timer = setTimeout(fire, QUIET_MS);
      timer.unref();
    }
  };
  transport.on('data', onData);
  const stop = () => {
    transport.off('data', onData);
    if (timer) clearTimeout(timer);
    timer = null;
  };
  client.once('close', stop);
  return stop;
}
