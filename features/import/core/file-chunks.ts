import { open, type FileHandle } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { ImportRecordError } from './import-error';

/** What the server's own CSV reader is sent at a time (PostgreSQL COPY): few, large writes. */
const CHUNK_BYTES = 1 << 20;

/**
 * Reads a file in chunks (1 MB unless asked otherwise; in memory: the chunk handed out and the one being
 * read ahead), skipping a UTF-8 byte order mark and, for UTF-8, refusing bytes that are not UTF-8 with the
 * line they are on — read as text they would silently become U+FFFD.
 */
export class FileChunks {
  bytesRead = 0;
  private carry: Buffer = Buffer.alloc(0);
  private first = true;
  private ahead: Promise<{ buffer: Buffer; bytesRead: number }> | null = null;

  private constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    readonly size: number,
    private readonly validateUtf8: boolean,
    private readonly chunkBytes: number,
  ) {}

  static async open(path: string, validateUtf8: boolean, chunkBytes = CHUNK_BYTES): Promise<FileChunks> {
    const handle = await open(path, 'r');
    const size = (await handle.stat()).size;
    return new FileChunks(handle, path, size, validateUtf8, chunkBytes);
  }

  /** The next chunk, or null at the end. */
  async next(): Promise<Buffer | null> {
    const { buffer, bytesRead } = await (this.ahead ?? this.read());
    // The next read runs on libuv's pool while this chunk is parsed and loaded (one at a time: the file position moves in order).
    this.ahead = bytesRead === 0 ? null : this.read();
    if (bytesRead === 0) {
      if (this.carry.length > 0) await this.refuse(this.bytesRead - this.carry.length);
      return null;
    }
    let start = this.bytesRead;
    this.bytesRead += bytesRead;
    let chunk = buffer.subarray(0, bytesRead);
    if (this.first) {
      this.first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        start += 3;
      }
    }
    if (!this.validateUtf8) return chunk;
    const joined = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = joined.length - incompleteTail(joined);
    this.carry = Buffer.from(joined.subarray(cut));
    const whole = joined.subarray(0, cut);
    if (!isUtf8(whole)) await this.refuse(start - (joined.length - chunk.length) + firstInvalid(whole));
    return whole;
  }

  private read(): Promise<{ buffer: Buffer; bytesRead: number }> {
    const reading = this.handle.read(Buffer.allocUnsafe(this.chunkBytes), 0, this.chunkBytes, null);
    reading.catch(() => undefined); // awaited by the next call to next(); an import that stops early never asks
    return reading;
  }

  private async refuse(offset: number): Promise<never> {
    const line = await lineAt(this.path, offset);
    throw new ImportRecordError(`the file is not UTF-8 (byte ${offset + 1}); choose the Latin-1 encoding if it was written that way.`, line, null);
  }

  async close(): Promise<void> {
    await this.ahead?.catch(() => undefined);
    this.ahead = null;
    await this.handle.close();
  }
}

/** Bytes at the end that begin a UTF-8 sequence the next chunk completes. */
function incompleteTail(b: Buffer): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const byte = b[b.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** The offset of the first byte that breaks UTF-8 (only called when the buffer is known to be invalid). */
function firstInvalid(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const need = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (need === 0 || i + need > b.length || !isUtf8(b.subarray(i, i + need))) return i;
    i += need;
  }
  return i;
}

/** The 1-based line of a byte offset (read again from the start: only on an error). */
async function lineAt(path: string, offset: number): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let line = 1;
    let at = 0;
    while (at < offset) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, offset - at), at);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) if (buffer[i] === 10) line++;
      at += bytesRead;
    }
    return line;
  } finally {
    await handle.close();
  }
}
