import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppStore, STORE_FILE } from '../../../electron/core/store/app-store';
import { FileKeyCipher } from '../../../electron/core/store/secret-cipher';

const modeOf = (path: string) => statSync(path).mode & 0o7777;

/** The store and the WAL files SQLite keeps next to it while open. */
function storeFiles(dir: string): string[] {
  return ['', '-wal', '-shm'].map((s) => join(dir, STORE_FILE + s)).filter((f) => existsSync(f));
}

describe('the app store is for its owner only', () => {
  const roots: string[] = [];
  const root = () => {
    const r = mkdtempSync(join(tmpdir(), 'dbdesk-perm-'));
    roots.push(r);
    return r;
  };
  afterEach(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });

  const open = (dir: string) => new AppStore(dir, new FileKeyCipher(join(dir, 'keys', 'secret.key')));

  it('a first start makes the folder 0700 and the store, WAL and shared memory 0600', () => {
    const dir = join(root(), 'data');
    const store = open(dir);
    store.queries.saveQuery({ profileId: 'demo', name: 'q', sql: 'select 1' });
    expect(modeOf(dir)).toBe(0o700);
    const files = storeFiles(dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([STORE_FILE, `${STORE_FILE}-wal`, `${STORE_FILE}-shm`]);
    for (const f of files) expect(modeOf(f), f).toBe(0o600);
    store.close();
  });

  it('an install made before (0644 files in a 0755 folder) is made private on its next start', () => {
    const dir = join(root(), 'data');
    mkdirSync(dir);
    const old = new Database(join(dir, STORE_FILE));
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE leftover (x)');
    old.close();
    // As the older version left them, WAL companions included (a process that did not close cleanly).
    writeFileSync(join(dir, `${STORE_FILE}-wal`), '');
    writeFileSync(join(dir, `${STORE_FILE}-shm`), '');
    for (const f of storeFiles(dir)) chmodSync(f, 0o644);
    chmodSync(dir, 0o755);

    const store = open(dir);
    expect(modeOf(dir)).toBe(0o700);
    for (const f of storeFiles(dir)) expect(modeOf(f), f).toBe(0o600);
    store.close();
  });

  it('a folder shared by nature that --data-dir points at keeps its mode; the store in it is still 0600', () => {
    const dir = root();
    chmodSync(dir, 0o1777); // like /tmp
    const store = open(dir);
    expect(modeOf(dir)).toBe(0o1777);
    for (const f of storeFiles(dir)) expect(modeOf(f), f).toBe(0o600);
    store.close();
  });
});
