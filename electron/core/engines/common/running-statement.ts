import { CoreError } from '../../errors';

/** How long a cancel may take to reach the server, then how long the server may take to let go. */
const CANCEL_REQUEST_MS = 300;
const CANCEL_GRACE_MS = 550;

const noop = () => undefined;
const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A statement in flight on a query session's connection: its outcome, and a way to give up on it. */
export class RunningStatement<T> {
  readonly result: Promise<T>;
  /** Resolves (never rejects) when the statement ended one way or another. */
  readonly settled: Promise<void>;
  private rejectAbort!: (err: Error) => void;

  constructor(work: Promise<T>) {
    const aborted = new Promise<never>((_resolve, reject) => (this.rejectAbort = reject));
    aborted.catch(noop);
    this.result = Promise.race([work, aborted]);
    this.settled = this.result.then(noop, noop);
    work.catch(noop);
  }

  abort(err: Error): void {
    this.rejectAbort(err);
  }
}

/**
 * Cancel within a second whatever happens: ask the server (cancel request, KILL QUERY…); if the
 * statement has not let go shortly after, drop the connection and end the statement here. The
 * session then reconnects for its next statement (its transaction is gone, and it says so).
 */
export async function cancelWithinASecond(
  running: RunningStatement<unknown>,
  requestCancel: () => Promise<unknown>,
  dropConnection: () => void,
): Promise<{ reset: boolean }> {
  await Promise.race([requestCancel().catch(noop), delay(CANCEL_REQUEST_MS)]);
  const settled = await Promise.race([running.settled.then(() => true), delay(CANCEL_GRACE_MS).then(() => false)]);
  if (settled) return { reset: false };
  dropConnection();
  running.abort(new CoreError('cancelled', 'The statement was cancelled. The server did not stop it in time, so its connection was closed (an open transaction was rolled back).'));
  return { reset: true };
}
