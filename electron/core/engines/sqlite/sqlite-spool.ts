import { closeSync, constants, existsSync, accessSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The SQLite runner hands its result batches to the worker through a file in shared memory
 * (tmpfs, /dev/shm) when the machine has one, instead of through the IPC channel: one write and
 * one read of the batch, where the channel serializes it, pushes it through a socket a socket
 * buffer at a time (the runner's event loop turning for each) and reassembles it on the other
 * side. Measured on a million-row result, the channel cost the runner ~0.1–0.2 s of CPU, and the
 * runner is what a SQLite stream waits for.
 *
 * The file has one slot per batch the runner may have in flight (its credit): the runner writes
 * batch k only when the worker has granted credit for batch k − credit, which it does after it has
 * read that batch, so slot k mod credit is free. A batch larger than a slot goes through the
 * channel as before. The worker creates the file (mode 0600), and unlinks it as soon as the runner
 * has it open, so nothing is left behind, whatever becomes of either process.
 */
export const SPOOL_SLOT_BYTES = 8 * 1024 * 1024;

/**
 * Where batches are spooled: shared memory, or null (then they go through the IPC channel).
 * DBDESK_SPOOL_DIR names another directory, or turns spooling off with "off" (tests use both).
 */
export function spoolDirectory(): string | null {
  const setting = process.env.DBDESK_SPOOL_DIR;
  if (setting === 'off') return null;
  const dir = setting || '/dev/shm';
  try {
    if (!existsSync(dir)) return null;
    accessSync(dir, constants.W_OK);
    return dir;
  } catch {
    return null;
  }
}

/** Where a spooled batch is: its slot's offset and its length. */
export interface SpooledBatch {
  rowCount: number;
  at: number;
  length: number;
}

/** The worker's side: creates the file, reads batches out of it. */
export class SpoolReader {
  private fd: number | null;
  private linked = true;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  static create(dir: string): SpoolReader | null {
    const path = join(dir, `dbdesk-spool-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      return new SpoolReader(path, openSync(path, 'wx+', 0o600));
    } catch {
      return null;
    }
  }

  /** The runner has the file open: its name is no longer needed. */
  unlink(): void {
    if (!this.linked) return;
    this.linked = false;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }

  /** A batch the runner wrote, in an ArrayBuffer of its own (it is transferred on). */
  read(batch: SpooledBatch): Uint8Array {
    if (this.fd === null) throw new Error('The result spool is closed.');
    const out = new Uint8Array(batch.length);
    let done = 0;
    while (done < batch.length) {
      const n = readSync(this.fd, out, done, batch.length - done, batch.at + done);
      if (n === 0) throw new Error('A batch of result rows is missing from the spool; run the statement again.');
      done += n;
    }
    return out;
  }

  close(): void {
    this.unlink();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** The runner's side: writes batches into slots. */
export class SpoolWriter {
  private written = 0;

  private constructor(
    private fd: number | null,
    private readonly slots: number,
  ) {}

  /** Null when the file cannot be opened: batches then go through the channel. */
  static open(path: string, slots: number): SpoolWriter | null {
    try {
      return new SpoolWriter(openSync(path, 'r+'), Math.max(1, slots));
    } catch {
      return null;
    }
  }

  /** Writes the next batch into its slot; null when it is too large for one. */
  write(rowCount: number, bytes: Uint8Array): SpooledBatch | null {
    if (this.fd === null || bytes.length > SPOOL_SLOT_BYTES) return null;
    const at = (this.written++ % this.slots) * SPOOL_SLOT_BYTES;
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, at + done);
    return { rowCount, at, length: bytes.length };
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
