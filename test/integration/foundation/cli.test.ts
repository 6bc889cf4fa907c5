import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function dbdesk(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/dbdesk.cjs', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the dbdesk command', () => {
  it('--help lists the commands and exits 0', () => {
    const r = dbdesk('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: dbdesk/);
    expect(r.out).toMatch(/serve\s+Serve the DB Desk UI/);
  });

  it('exits 2 with a message on bad arguments', () => {
    expect(dbdesk('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('Unknown command "frobnicate"') });
    expect(dbdesk('serve', '--port', 'x')).toMatchObject({ code: 2, err: expect.stringContaining('--port') });
    expect(dbdesk('serve', '--bogus')).toMatchObject({ code: 2 });
    expect(dbdesk()).toMatchObject({ code: 2 });
  });
});
