import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SPOOL_SLOT_BYTES, SpoolReader, SpoolWriter, spoolDirectory } from '../../../electron/core/engines/sqlite/sqlite-spool';

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'dbdesk-spool-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  delete process.env.DBDESK_SPOOL_DIR;
});

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('the SQLite result spool', () => {
  it('hands batches from the runner to the worker through slots, reusing them in turn', () => {
    const reader = SpoolReader.create(freshDir())!;
    expect(statSync(reader.path).mode & 0o777).toBe(0o600);
    const writer = SpoolWriter.open(reader.path, 2)!;
    reader.unlink();
    expect(existsSync(reader.path)).toBe(false);
    // The name is gone; both ends keep using the open file.
    const sent = [bytes(1000, 1), bytes(70_000, 2), bytes(5, 3), bytes(0, 4)];
    const spooled = sent.map((b, i) => writer.write(i + 1, b)!);
    expect(spooled.map((s) => s.at)).toEqual([0, SPOOL_SLOT_BYTES, 0, SPOOL_SLOT_BYTES]);
    // Once unlinked, nothing else can open it by name.
    expect(SpoolWriter.open(reader.path, 2)).toBeNull();
    writer.close();
    reader.close();
  });

  it('returns each batch exactly when read before its slot comes round again', () => {
    const reader = SpoolReader.create(freshDir())!;
    const writer = SpoolWriter.open(reader.path, 2)!;
    for (let k = 0; k < 6; k++) {
      const b = bytes(10_000 + k * 977, k);
      const where = writer.write(k, b)!;
      expect(where.rowCount).toBe(k);
      expect(reader.read(where)).toEqual(b);
    }
    writer.close();
    reader.close();
  });

  it('leaves a batch larger than a slot to the IPC channel', () => {
    const reader = SpoolReader.create(freshDir())!;
    const writer = SpoolWriter.open(reader.path, 2)!;
    expect(writer.write(1, new Uint8Array(SPOOL_SLOT_BYTES + 1))).toBeNull();
    expect(writer.write(2, new Uint8Array(SPOOL_SLOT_BYTES))).not.toBeNull();
    writer.close();
    reader.close();
  });

  it('says clearly when a batch is missing, and uses shared memory unless told otherwise', () => {
    const reader = SpoolReader.create(freshDir())!;
    expect(() => reader.read({ rowCount: 1, at: 0, length: 10 })).toThrow(/missing from the spool; run the statement again/);
    reader.close();
    expect(() => reader.read({ rowCount: 1, at: 0, length: 10 })).toThrow(/closed/);
    process.env.DBDESK_SPOOL_DIR = 'off';
    expect(spoolDirectory()).toBeNull();
    process.env.DBDESK_SPOOL_DIR = join(freshDir(), 'does-not-exist');
    expect(spoolDirectory()).toBeNull();
    delete process.env.DBDESK_SPOOL_DIR;
    expect(spoolDirectory()).toBe(existsSync('/dev/shm') ? '/dev/shm' : null);
  });
});
