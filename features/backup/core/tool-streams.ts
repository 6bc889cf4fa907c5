import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { CoreError } from '../../../electron/core/errors';

/** Counts what passes through, reporting every ~256 KB at most (a progress event per chunk would flood the window). */
export function byteCounter(report: (bytes: number) => void, onChunk?: (chunk: Buffer) => void): Transform {
  let bytes = 0;
  let reported = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      onChunk?.(chunk);
      if (bytes - reported >= 256 * 1024) {
        reported = bytes;
        report(bytes);
      }
      done(null, chunk);
    },
    flush(done) {
      report(bytes);
      done();
    },
  });
}

/**
 * The file a tool's standard output goes to: created new (never an existing file), readable by this
 * user only — a backup holds every row — with bytes counted on the way; `onChunk` sees the bytes
 * (to count the tables a SQL dump holds).
 */
export async function dumpTarget(path: string, report: (bytes: number) => void, onChunk?: (chunk: Buffer) => void): Promise<{ sink: Transform; finished: () => Promise<void> }> {
  const file: WriteStream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  await new Promise<void>((resolve, reject) => {
    file.once('open', () => resolve());
    file.once('error', (err) => reject(new CoreError('invalid-input', `Cannot write "${path}": ${(err as NodeJS.ErrnoException).code ?? err.message}.`)));
  });
  const counter = byteCounter(report, onChunk);
  counter.pipe(file);
  return {
    sink: counter,
    finished: () =>
      new Promise<void>((resolve, reject) => {
        file.once('error', reject);
        file.once('close', () => resolve());
        counter.end();
      }),
  };
}

/** The backup file fed to a tool's standard input, bytes counted; `onChunk` sees the bytes (to read progress from a SQL dump). */
export function restoreSource(path: string, report: (bytes: number) => void, onChunk?: (chunk: Buffer) => void): Readable {
  return createReadStream(path).pipe(byteCounter(report, onChunk));
}

/**
 * Watches a SQL text stream for lines matching `pattern` (first group: the name), even when a line
 * is split across chunks.
 */
export function lineWatcher(pattern: RegExp, onMatch: (name: string) => void): (chunk: Buffer) => void {
  let tail = '';
  return (chunk) => {
    const text = tail + chunk.toString('latin1');
    const lines = text.split('\n');
    tail = (lines.pop() ?? '').slice(-4096);
    for (const line of lines) {
      const m = pattern.exec(line);
      if (m) onMatch(m[1]!);
    }
  };
}

/**
 * Rewrites whole lines of a text stream byte for byte (latin1 in and out keeps every byte as it
 * was); `rewrite` returns the line unchanged when it has nothing to do.
 */
export function lineRewriter(rewrite: (line: string) => string): Transform {
  let pending: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      const last = data.lastIndexOf(0x0a);
      if (last < 0) {
        pending = data;
        return done();
      }
      pending = data.subarray(last + 1);
      const lines = data.subarray(0, last + 1).toString('latin1');
      done(null, Buffer.from(lines.split('\n').map(rewrite).join('\n'), 'latin1'));
    },
    flush(done) {
      done(null, pending.length > 0 ? Buffer.from(rewrite(pending.toString('latin1')), 'latin1') : undefined);
    },
  });
}
