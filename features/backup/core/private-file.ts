import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `use` with a file only this user can read (0600, in a fresh 0700 folder) holding `contents`
 * — a tool's password file (PGPASSFILE, --defaults-extra-file) — and removes both afterwards,
 * whatever happens.
 */
export async function withPrivateFile<T>(name: string, contents: string, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'dbdesk-tool-'));
  try {
    const path = join(dir, name);
    await writeFile(path, contents, { mode: 0o600, flag: 'wx' });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
