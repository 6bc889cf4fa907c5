import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { CoreError } from '../../../../electron/core/errors';

/**
 * A file the core writes for the user: checked before anything is written (absolute path, an
 * existing folder, no silent overwrite, only ever a regular file), written under a temporary name next to it and renamed
 * only when complete, so a cancelled or failed write never leaves half a file behind — nor
 * destroys the file it would have replaced.
 */
export class OutputFile {
  private stream: WriteStream | null = null;
  private readonly temp: string;
  bytes = 0;

  private constructor(readonly path: string) {
    this.temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
  }

  static async create(path: string, overwrite: boolean): Promise<OutputFile> {
    if (!isAbsolute(path)) throw new CoreError('invalid-input', `"${path}" is not an absolute path on the machine that runs DB Desk.`);
    const folder = await stat(dirname(path)).catch(() => null);
    if (!folder?.isDirectory()) throw new CoreError('invalid-input', `The folder "${dirname(path)}" does not exist.`);
    const existing = await stat(path).catch(() => null);
    if (existing?.isDirectory()) throw new CoreError('invalid-input', `"${path}" is a folder; add a file name.`);
    // Only a regular file is ever replaced: a FIFO, a device or a socket in its place is someone's, not an old export.
    if (existing && !existing.isFile()) throw new CoreError('invalid-input', `"${path}" is not a regular file (a pipe, device or socket); DB Desk only writes regular files.`);
    if (existing && !overwrite) throw new CoreError('conflict', `"${path}" already exists. Choose another name or allow replacing it.`, { exists: true });
    const file = new OutputFile(path);
    file.stream = createWriteStream(file.temp, { flags: 'wx' });
    await new Promise<void>((resolve, reject) => {
      file.stream!.once('open', () => resolve());
      file.stream!.once('error', (err) => reject(new CoreError('invalid-input', `Cannot write "${path}": ${(err as NodeJS.ErrnoException).code ?? err.message}.`)));
    });
    return file;
  }

  /** Writes text or bytes, waiting when the disk is behind (backpressure reaches the database cursor). */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.bytes += buf.length;
    const s = this.stream!;
    if (!s.write(buf)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        s.once('error', onError);
        s.once('drain', () => {
          s.off('error', onError);
          resolve();
        });
      });
    }
  }

  private async closeStream(): Promise<void> {
    const s = this.stream;
    if (!s) return;
    this.stream = null;
    await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }

  /** Puts the finished file in place. */
  async commit(): Promise<void> {
    await this.closeStream();
    await rename(this.temp, this.path);
  }

  /** Removes what was written; the target path is left as it was. */
  async discard(): Promise<void> {
    await this.closeStream().catch(() => undefined);
    await unlink(this.temp).catch(() => undefined);
  }
}
