import { CallId } from '../../shared/ipc/call-frames';

/**
 * The calls one window has in flight that it may cancel, by the id the window gave each: a shell
 * starts one per invocation that carries an id, aborts it on the window's cancel frame, and ends it
 * when the call answers. Ids belong to the window (each window has its own CallSignals), so a
 * window can only ever cancel its own calls.
 */
export class CallSignals {
  private readonly inFlight = new Map<number, AbortController>();

  /** The signal of a new call. A second call under an id still in flight takes the id over. */
  start(id: CallId): AbortSignal {
    const controller = new AbortController();
    this.inFlight.set(id, controller);
    return controller.signal;
  }

  /** Aborts the call; true when it was still in flight. An unknown or finished id is no error. */
  cancel(id: CallId): boolean {
    const controller = this.inFlight.get(id);
    if (!controller) return false;
    this.inFlight.delete(id);
    controller.abort();
    return true;
  }

  /** The call answered: forgets it (unless its id has been taken over by a newer call). */
  finish(id: CallId, signal: AbortSignal): void {
    if (this.inFlight.get(id)?.signal === signal) this.inFlight.delete(id);
  }

  /** The window went away: every call it had in flight is cancelled. */
  cancelAll(): void {
    for (const c of this.inFlight.values()) c.abort();
    this.inFlight.clear();
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Parses an id from outside (a frame, an IPC argument); null when it is not a call id. */
  static parseId(value: unknown): CallId | null {
    const parsed = CallId.safeParse(value);
    return parsed.success ? parsed.data : null;
  }
}
