import { redactSecrets } from './errors';

export interface UnhandledErrorPolicy {
  /** Names the process in each line: "dbdesk serve", "DB Desk (Electron main)". */
  processName: string;
  /** Where lines go; stderr by default. */
  log?: (line: string) => void;
}

/** Enough of a stack to find the bug; the rest of a huge message is not worth a log line. */
const MAX_LOGGED_CHARS = 4000;
/** Text looked at for secrets at most: redacting a 50 MB message would be its own outage. */
const MAX_SCANNED_CHARS = 64 * 1024;
/** Lines per minute at most: a fault repeating in a loop must not fill the disk or block on a full pipe. */
const LINES_PER_WINDOW = 20;
const WINDOW_MS = 60_000;

let installed = false;

/**
 * The process-wide policy of the long-running DB Desk processes (`dbdesk serve`, Electron's main
 * process): an exception or a rejection nobody handled is a bug in one call of one window, not a
 * reason to end every window's session, staged edits and running queries. It is logged (secrets
 * removed, length bounded, rate limited) and the process keeps serving. Installed once; one-shot
 * commands (`dbdesk migrate`) keep Node's default and fail loudly.
 */
export function keepServingThroughUnhandledErrors(policy: UnhandledErrorPolicy): void {
  if (installed) return;
  installed = true;
  const log = policy.log ?? logToStderr();
  let windowStart = 0;
  let linesInWindow = 0;
  let suppressed = 0;
  let reporting = false;

  const report = (kind: string, error: unknown) => {
    // A fault while logging (a closed stderr) must not come back here forever.
    if (reporting) return;
    reporting = true;
    try {
      const now = Date.now();
      if (now - windowStart > WINDOW_MS) {
        if (suppressed > 0) log(`${policy.processName}: ${suppressed} more unhandled errors were not logged.`);
        windowStart = now;
        linesInWindow = 0;
        suppressed = 0;
      }
      if (linesInWindow >= LINES_PER_WINDOW) {
        suppressed += 1;
        return;
      }
      linesInWindow += 1;
      log(`${policy.processName}: ${kind} (logged; the other windows keep working): ${describeError(error)}`);
    } catch {
      /* nowhere left to say it */
    } finally {
      reporting = false;
    }
  };

  process.on('unhandledRejection', (reason) => report('unhandled rejection', reason));
  process.on('uncaughtException', (error) => report('uncaught exception', error));
}

/**
 * The error's stack (or what it is), bounded and with passwords, keys and URL secrets removed. A
 * thrown object that is not an Error is named by its keys only: its values could be anything (a
 * config with a password field) and no pattern would know.
 */
export function describeError(error: unknown): string {
  let text: string;
  try {
    if (error instanceof Error) text = error.stack ?? `${error.name}: ${error.message}`;
    else if (typeof error === 'string') text = error;
    else if (typeof error === 'object' && error !== null) {
      const keys = Object.keys(error);
      text = `an object that is not an Error (keys: ${keys.slice(0, 10).join(', ') || 'none'}${keys.length > 10 ? ', …' : ''})`;
    } else text = String(error);
  } catch {
    text = `a ${typeof error} that cannot be printed`;
  }
  const scanned = redactSecrets(text.length > MAX_SCANNED_CHARS ? text.slice(0, MAX_SCANNED_CHARS) : text);
  return scanned.length > MAX_LOGGED_CHARS ? `${scanned.slice(0, MAX_LOGGED_CHARS)}… (cut)` : scanned;
}

function logToStderr(): (line: string) => void {
  // A closed stderr reports its error as an event; unheard, that would be one more uncaught exception.
  process.stderr.on('error', () => undefined);
  return (line) => {
    if (process.stderr.writable) process.stderr.write(`${line}\n`);
  };
}
