import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunner, series, type Runner } from './harness';

/**
 * The SQLite runner hands result batches to the worker through a spool file in shared memory
 * (sqlite-spool.ts). Here the spool is a directory of the test's own, so what is left in it can be
 * seen: nothing, after a result, an error or a cancel that kills the runner mid-stream. The same
 * results come through the IPC channel when spooling is off.
 */
const SCRIPT = `${series('sqlite', 30_000)};
SELECT 'é ' || 1 AS t, NULL AS n, x'00ff' AS b, 9007199254740993 AS big;`;

/** Files in `dir` this process (the test core's worker runs in it) holds open, named as /proc shows them. */
function openSpools(dir: string): string[] {
  const names: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) names.push(target);
    } catch {
      // Closed while listing.
    }
  }
  return names;
}

describe('SQLite results through the spool', () => {
  let dir: string;
  let spooled: Runner;
  let channel: Runner;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbdesk-spool-dir-'));
    spooled = await openRunner('sqlite', {}, { workerEnv: { DBDESK_SPOOL_DIR: dir } });
    channel = await openRunner('sqlite', {}, { workerEnv: { DBDESK_SPOOL_DIR: 'off' } });
  });
  afterAll(async () => {
    await spooled?.close();
    await channel?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same rows as the IPC channel, and leaves no file behind', async () => {
    const a = await spooled.run(SCRIPT, { batchRows: 4000 });
    const b = await channel.run(SCRIPT, { batchRows: 4000 });
    expect(a.output.results.map((x) => x.status)).toEqual(['ok', 'ok']);
    expect(a.rows.get(0)![0]!.length).toBe(30_000);
    expect([...a.rows.entries()]).toEqual([...b.rows.entries()]);
    expect(a.rows.get(1)).toEqual([['é 1'], [null], [{ bytes: '00ff', size: 2, truncated: false }], ['9007199254740993']]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves no file behind after an error or a statement without rows', async () => {
    const { output } = await spooled.run('SELECT * FROM no_such_table;\nCREATE TABLE t (x);\nINSERT INTO t VALUES (1)', { continueOnError: true });
    expect(output.results.map((x) => x.status)).toEqual(['error', 'ok', 'ok']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves no file behind when a cancel kills the runner mid-stream, and the next result comes through it', async () => {
    await spooled.session('paused');
    const runId = 'spool-paused';
    let batches = 0;
    const off = spooled.w.client.on('query.batch', (p) => {
      if (p.runId === runId) batches++;
    });
    try {
      const controller = new AbortController();
      const running = spooled.w.client.call('query.run', { sessionId: 'paused', runId, statements: [{ sql: series('sqlite', 200_000), offset: 0 }], initialCredit: 1, batchRows: 1000 }, { signal: controller.signal });
      await expect.poll(() => batches, { timeout: 10_000 }).toBe(1);
      // The batch came through the spool: open here, and already without a name.
      expect(openSpools(dir)).toEqual([expect.stringMatching(/dbdesk-spool-.* \(deleted\)$/)]);
      controller.abort();
      expect((await running).results[0]!.status).toBe('cancelled');
      expect(readdirSync(dir)).toEqual([]);
      expect(openSpools(dir)).toEqual([]);
      const again = await spooled.run(series('sqlite', 5000), { sessionId: 'paused', batchRows: 1000 });
      expect(again.rows.get(0)![0]).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      off();
    }
  });
});
