/** How long a statement may go on after its cancel reached the server before the cancel is sent again. */
const RETRY_MS = 250;
/** Cancels sent for one statement before its connection is given up (dropped instead of reused). */
const MAX_CANCELS = 8;

/**
 * Cancels a statement until it stops. A cancel that reaches the server before the statement does
 * (the caller aborted right after sending it) is forgotten by the server — PostgreSQL ignores a
 * cancel request while the backend waits for a command, MySQL/MariaDB forgets a KILL QUERY on an
 * idle connection — and the statement then runs to its end. So while `settled` has not come, the
 * cancel is sent again every RETRY_MS.
 *
 * Resolves true once the statement has settled and every cancel sent has been taken by the server
 * (the connection is clean: nothing of ours is still on its way to it); false when a cancel could not
 * be delivered or the statement would not stop — the connection must then not be reused.
 */
export async function keepCancelling(settled: Promise<unknown>, cancelOnce: () => Promise<boolean>): Promise<boolean> {
  let done = false;
  const finished = settled.then(
    () => (done = true),
    () => (done = true),
  );
  for (let sent = 1; ; sent++) {
    if (!(await cancelOnce())) return false;
    if (done) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([finished, new Promise((r) => (timer = setTimeout(r, RETRY_MS)))]);
    clearTimeout(timer);
    if (done) return true;
    if (sent >= MAX_CANCELS) return false;
  }
}
