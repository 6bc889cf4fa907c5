import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbdesk } from './helpers';

/**
 * Bad arguments exit 2 before any connection: a listener stands where the servers would be and
 * counts every connection made to it; none may come.
 */
describe('dbdesk diff: bad arguments exit 2 and connect to nothing', () => {
  let dir: string;
  let server: Server;
  let port = 0;
  let connections = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbdesk-diff-args-'));
    server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const pg = () => `postgres://u@127.0.0.1:${port}/a`;
  const cases: [string, () => string[], RegExp][] = [
    ['one side only', () => ['diff', pg()], /needs SOURCE and TARGET/],
    ['three sides', () => ['diff', pg(), pg(), pg()], /not also/],
    ['--json with --sql', () => ['diff', pg(), pg(), '--json', '--sql'], /--json or --sql/],
    ['two engine families', () => ['diff', pg(), `mariadb://u@127.0.0.1:${port}/b`], /one engine family/],
    ['a saved connection that does not exist', () => ['diff', pg(), 'Production Shop', '--data-dir', dir], /No saved connection is called "Production Shop"/],
    ['a SQLite file that does not exist', () => ['diff', join(dir, 'nope.sqlite'), join(dir, 'nope2.sqlite')], /does not exist/],
    ['a --migration folder that does not exist', () => ['diff', pg(), pg(), '--migration', join(dir, 'missing')], /--migration names no folder/],
    ['--name without --migration', () => ['diff', pg(), pg(), '--name', 'x'], /--name goes with --migration/],
    ['an unknown option', () => ['diff', pg(), pg(), '--frobnicate'], /frobnicate/],
    ['a URL that is not one', () => ['diff', 'postgres://u@127.0.0.1:notaport/a', pg()], /port/],
    ['--ssh-key without --ssh', () => ['diff', pg(), pg(), '--target-ssh-key', '/k'], /need --ssh/],
  ];
  it.concurrent.each(cases)('%s', async (_what, args, message) => {
    const r = await dbdesk(args());
    expect(r.code, r.out + r.err).toBe(2);
    expect(r.err).toMatch(message);
    expect(connections).toBe(0);
  });

  it('a server that cannot be reached is trouble (exit 2), said in one line, with --json on stdout too', async () => {
    const closed = `postgres://u@127.0.0.1:1/a?sslmode=disable&connect_timeout=2`;
    const r = await dbdesk(['diff', closed, closed, '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(r.err).toMatch(/^dbdesk diff: /);
  });
});
