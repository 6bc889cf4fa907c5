import { lookup } from 'node:dns/promises';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../electron/core/engines';
import type { EngineConfig } from '../../../electron/core/engines/config';
import type { MysqlEngine } from '../../../electron/core/engines/mysql/mysql-engine';
import type { StatementSink } from '../../../electron/core/engines/query-session';
import type { LaunchRunner } from '../../../electron/core/runner/runner-channel';
import type { EventPayload } from '../../../shared/ipc/contract';
import { AppStore } from '../../../electron/core/store/app-store';
import { FileKeyCipher } from '../../../electron/core/store/secret-cipher';
import { ConnectionFields } from '../../../shared/model/connection';
import { defaultMigrationSettings } from '../../../shared/model/migrations';
import { createCertificates, type TestCertificates } from '../../support/certificates';
import { dbmateFile, migrationFolder } from '../../support/migrations';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/private-mariadb';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/private-postgres';
import { makeKey, startPrivateSshd, type PrivateSshd, type TestKey } from '../../support/private-sshd';
import { createMariadbDatabase, createPostgresDatabase, mariadbExec, postgresExec, type TestDatabase } from '../../support/servers';
import { dbdesk } from '../schema-compare/helpers';
import { configFromUrl } from '../diagnostics/diagnose-helpers';
import { openRunner, RUNAWAY, type EngineName, type Runner } from '../sql-editor/harness';

/**
 * Everything that reaches a database goes through the tunnel — proved with database host names
 * only the bastion can resolve (its own /etc/hosts, in sshd's mount namespace): the test process
 * gets ENOTFOUND for them, so any connection that works went through SSH. The SQL editor, export,
 * migrations (GUI and `dbdesk migrate --ssh`), `dbdesk diff --ssh`, cancel on both engines (at
 * the engine's session, so it holds whatever carries the cancel from the window), a dropped tunnel
 * (a clear error within a second, reconnected on the next use), and TLS checked against the
 * database's name on both engines.
 */
const PG_HOST = 'pg.behind-bastion.test';
const MARIA_HOST = 'maria.behind-bastion.test';
/** The name the test certificates' wrongName pair carries. */
const TLS_HOST = 'db.example.com';
const LOCKED_PASSPHRASE = 'bastion-passphrase-4711';

let dir: string;
let key: TestKey;
let locked: TestKey;
let bastion: PrivateSshd;
let knownHosts: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-ssh-behind-'));
  key = makeKey(dir, 'id_ed25519', 'ed25519');
  locked = makeKey(dir, 'id_locked', 'ed25519', { passphrase: LOCKED_PASSPHRASE });
  bastion = await startPrivateSshd({ authorizedKeys: [key.publicLine, locked.publicLine], hosts: { [PG_HOST]: '127.0.0.1', [MARIA_HOST]: '127.0.0.1', [TLS_HOST]: '127.0.0.1' } });
  knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, bastion.knownHostsLine() + '\n');
});

afterAll(async () => {
  await bastion?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sshOf = (server: () => PrivateSshd) => ({ enabled: true, host: '127.0.0.1', port: server().port, user: 'root', auth: 'key' as const, keyFile: key.file, knownHostsFile: knownHosts, useSshConfig: false });
const hostOf: Record<'postgres' | 'mariadb', string> = { postgres: PG_HOST, mariadb: MARIA_HOST };
const launchRunner: LaunchRunner = () => {
  throw new Error('PostgreSQL and MariaDB run no runner process.');
};
const sink: StatementSink = { columns: () => undefined, rows: async () => undefined };

/** The engine of a profile whose database host only the bastion knows. */
function tunnelledConfig(engine: 'postgres' | 'mariadb', db: TestDatabase, server: () => PrivateSshd = () => bastion): EngineConfig {
  const config = configFromUrl(db.url, { host: hostOf[engine], connectTimeoutMs: 5000 });
  return { ...config, ssh: ConnectionFields.shape.ssh.parse(sshOf(server)) };
}

it('the database names resolve at the bastion only', async () => {
  for (const name of [PG_HOST, MARIA_HOST, TLS_HOST]) await expect(lookup(name)).rejects.toMatchObject({ code: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
});

describe.each(['postgres', 'mariadb'] as const)('%s behind the bastion, through the app', (engine) => {
  let r: Runner;
  let folder: ReturnType<typeof migrationFolder>;
  const exec = (sql: string) => (engine === 'postgres' ? postgresExec(r.db.name, sql) : mariadbExec(r.db.name, sql));

  beforeAll(async () => {
    r = await openRunner(engine as EngineName, { host: hostOf[engine], ssh: sshOf(() => bastion) });
    folder = migrationFolder();
  });
  afterAll(async () => {
    await r?.close();
    folder?.remove();
  });

  it('the SQL editor runs its statements through the tunnel', async () => {
    const out = await r.run('SELECT 6 * 7 AS answer');
    expect(out.rows.get(0)![0]).toEqual([42]);
  });

  it('export streams a table through the tunnel into a file', async () => {
    await exec('CREATE TABLE exported (id int PRIMARY KEY, name varchar(20))');
    await exec("INSERT INTO exported VALUES (1, 'Ada'), (2, 'Grace'), (3, NULL)");
    const path = join(dir, `exported-${engine}.csv`);
    const schema = engine === 'postgres' ? 'public' : r.db.name;
    const done = await r.w.client.call('table.export', { connectionId: r.profileId, exportId: `ssh-export-${engine}-0001`, query: { table: { schema, name: 'exported' }, sort: [{ column: 'id', direction: 'asc' }] }, format: 'csv', path });
    expect(done.rows).toBe(3);
    expect(readFileSync(path, 'utf8').trim().split(/\r?\n/)).toEqual(['id,name', '1,Ada', '2,Grace', '3,']);
  });

  it('migrations from the Migrations tab apply through the tunnel', async () => {
    folder.write('20260101000000_create_migrated.sql', dbmateFile('CREATE TABLE migrated (id int);', 'DROP TABLE migrated;'));
    const settings = { ...defaultMigrationSettings, dir: folder.dir };
    const result = await r.w.client.call('migrations.apply', { connectionId: r.profileId, dir: folder.dir, settings, request: { action: 'up' }, runId: `ssh-migrate-${engine}` });
    expect(result.outcome).toBe('success');
    await exec('INSERT INTO migrated VALUES (1)');
    const status = await r.w.client.call('migrations.status', { connectionId: r.profileId, dir: folder.dir, settings });
    expect(status.migrations.map((m) => [m.version, m.state])).toEqual([['20260101000000', 'applied']]);
  });
});

describe.each(['postgres', 'mariadb'] as const)('%s: cancel through the tunnel, at the engine’s query session', (engine) => {
  let db: TestDatabase;
  let opened: Engine;
  beforeAll(async () => {
    db = engine === 'postgres' ? await createPostgresDatabase() : await createMariadbDatabase();
    opened = await openEngine(tunnelledConfig(engine, db));
  });
  afterAll(async () => {
    await opened?.close();
    await db?.drop();
  });

  it(`${engine === 'postgres' ? 'the CancelRequest over a new forwarded channel' : 'KILL QUERY over the tunnel'} stops a runaway statement within a second; the session stays usable`, async () => {
    const session = await opened.queryTools.openQuerySession({ readOnly: false, launchRunner });
    try {
      const running = session.run(RUNAWAY[engine], sink, { batchRows: 100, maxRows: 1000 }).then(
        () => null,
        (err: unknown) => err as { code?: string; message: string },
      );
      await new Promise((res) => setTimeout(res, 400));
      const t0 = performance.now();
      // reset false: the server stopped the statement; the fallback (dropping the connection) was not needed.
      expect(await session.cancel()).toEqual({ reset: false });
      const err = await running;
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(err, 'the runaway statement ended on its own').not.toBeNull();
      // 57014 query_canceled; MariaDB's ER_QUERY_INTERRUPTED (1317).
      expect(String(err!.code)).toMatch(engine === 'postgres' ? /^57014$/ : /ER_QUERY_INTERRUPTED|1317/);
      const outcome = await session.run('SELECT 1 AS one', sink, { batchRows: 100, maxRows: 1000 });
      expect(outcome.rowCount).toBe(1);
    } finally {
      await session.close();
    }
  });
});

describe('a tunnel that drops', () => {
  let server: PrivateSshd;
  let db: TestDatabase;
  beforeAll(async () => {
    server = await startPrivateSshd({ authorizedKeys: [key.publicLine], hosts: { [PG_HOST]: '127.0.0.1', [MARIA_HOST]: '127.0.0.1' } });
    writeFileSync(join(dir, 'known_hosts'), `${bastion.knownHostsLine()}\n${server.knownHostsLine()}\n`);
    db = await createPostgresDatabase();
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });
  const logins = () => (server.log().match(/Accepted publickey/g) ?? []).length;

  it('engine: reported within a second with what happened; the next use of the pool opens the tunnel again', async () => {
    const lost: { at: number; message: string }[] = [];
    // The next use comes in the very turn the news does: the pool must have let go of its dead connection by then.
    let nextUse: Promise<{ product: string }> | null = null;
    const opened: Engine = await openEngine(tunnelledConfig('postgres', db, () => server), {
      onConnectionLost: (err) => {
        lost.push({ at: performance.now(), message: (err as Error).message });
        nextUse ??= opened.serverInfo();
      },
    });
    try {
      await opened.serverInfo();
      const before = logins();
      const t0 = performance.now();
      server.dropConnections();
      const deadline = Date.now() + 2000;
      while (lost.length === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
      expect(lost[0]?.message).toMatch(/^The SSH tunnel through the SSH server 127\.0\.0\.1:\d+ dropped \(.+\)\. It reconnects on the next use\.$/);
      expect(lost[0]!.at - t0).toBeLessThan(1000);
      expect((await nextUse!).product).toBe('postgresql');
      expect(logins()).toBe(before + 1);
    } finally {
      await opened.close();
    }
  });

  it.each(['postgres', 'mariadb'] as const)('window (%s): one connection.lost within a second; the next statement reconnects', async (engine) => {
    const r = await openRunner(engine, { host: hostOf[engine], ssh: sshOf(() => server) });
    try {
      await r.run('SELECT 1');
      const seen = r.w.events.length;
      const t0 = performance.now();
      server.dropConnections();
      const deadline = Date.now() + 2000;
      let lost: EventPayload<'connection.lost'> | undefined;
      while (!lost && Date.now() < deadline) {
        lost = r.w.events.slice(seen).find((e) => e.name === 'connection.lost')?.payload as EventPayload<'connection.lost'> | undefined;
        if (!lost) await new Promise((res) => setTimeout(res, 10));
      }
      expect(performance.now() - t0).toBeLessThan(1000);
      // Said as a loss that heals itself: the window keeps the connection open (features/connections/renderer).
      expect(lost).toMatchObject({ connectionId: r.profileId, error: { message: expect.stringMatching(/SSH tunnel .* dropped/) }, reconnects: true });
      // One drop, one message (not one more per pooled connection that went down with it).
      await new Promise((res) => setTimeout(res, 500));
      expect(r.w.events.slice(seen).filter((e) => e.name === 'connection.lost')).toHaveLength(1);
      const again = await r.run('SELECT 2 AS two', { sessionId: 'after-drop' });
      expect(again.rows.get(0)![0]).toEqual([2]);
    } finally {
      await r.close();
    }
  });
});

describe('a loss that is not a tunnel drop', () => {
  it('window (postgres, no SSH): connection.lost without `reconnects` when the server ends its connections', async () => {
    const r = await openRunner('postgres');
    try {
      await r.run('SELECT 1');
      const seen = r.w.events.length;
      await postgresExec(r.db.name, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [r.db.name]);
      const deadline = Date.now() + 5000;
      let lost: EventPayload<'connection.lost'> | undefined;
      while (!lost && Date.now() < deadline) {
        lost = r.w.events.slice(seen).find((e) => e.name === 'connection.lost')?.payload as EventPayload<'connection.lost'> | undefined;
        if (!lost) await new Promise((res) => setTimeout(res, 10));
      }
      expect(lost).toMatchObject({ connectionId: r.profileId });
      // The window marks it failed and offers Reconnect, as before.
      expect(lost!.reconnects).toBeUndefined();
    } finally {
      await r.close();
    }
  });
});

describe('TLS to the database through the tunnel checks the database’s name', () => {
  let certs: TestCertificates;
  let pgServer: PrivatePostgres;
  let mariaServer: PrivateMariadb;
  beforeAll(async () => {
    certs = await createCertificates();
    // Certificates for db.example.com, the name the profiles use (only the bastion resolves it).
    [pgServer, mariaServer] = await Promise.all([
      startPrivatePostgres({ tls: certs.wrongName, hba: ['hostssl all all 127.0.0.1/32 trust'] }),
      startPrivateMariadb({ tls: { ...certs.wrongName, ca: certs.ca.cert } }),
    ]);
    await mariaServer.exec("CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY 'tls-pw'");
  }, 180_000);
  afterAll(async () => {
    await Promise.all([pgServer?.stop(), mariaServer?.stop()]);
    certs?.remove();
  });

  const config = (engine: 'postgresql' | 'mariadb'): EngineConfig => {
    const port = engine === 'postgresql' ? pgServer.port : mariaServer.port;
    const user = engine === 'postgresql' ? 'postgres' : 'app';
    const fields = ConnectionFields.parse({ name: 't', engine, host: TLS_HOST, port, user, database: engine === 'postgresql' ? 'postgres' : '', tls: { mode: 'verify-full', caFile: certs.ca.cert }, connectTimeoutMs: 5000, ssh: sshOf(() => bastion) });
    return { ...fields, poolSize: 1, ...(engine === 'mariadb' ? { password: 'tls-pw' } : {}) };
  };

  it('PostgreSQL: verify-full passes for a certificate of db.example.com and refuses one of localhost/127.0.0.1', async () => {
    const ok = await openEngine(config('postgresql'));
    await ok.close();
    await pgServer.setCertificate(certs.server);
    try {
      await expect(openEngine(config('postgresql'))).rejects.toThrow(/db\.example\.com/);
    } finally {
      await pgServer.setCertificate(certs.wrongName);
    }
  });

  it('MariaDB: the same, and the session is encrypted', async () => {
    const ok = (await openEngine(config('mariadb'))) as MysqlEngine;
    try {
      const [rows] = await ok.promisePool.query<RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
      expect(String(rows[0]!.Value)).not.toBe('');
    } finally {
      await ok.close();
    }
    await mariaServer.setCertificate(certs.server);
    try {
      await expect(openEngine(config('mariadb'))).rejects.toThrow(/db\.example\.com/);
    } finally {
      await mariaServer.setCertificate(certs.wrongName);
    }
  });
});

describe('the CLI through the tunnel', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const sshFlags = () => ['--ssh', `root@127.0.0.1:${bastion.port}`, '--ssh-key', key.file, '--ssh-known-hosts', knownHosts];
  const behind = (db: TestDatabase) => db.url.replace('@127.0.0.1:', `@${PG_HOST}:`);
  beforeAll(async () => {
    [source, target] = await Promise.all([createPostgresDatabase(), createPostgresDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('dbdesk migrate --ssh applies and reports status', async () => {
    const folder = migrationFolder({ '20260101000000_create.sql': dbmateFile('CREATE TABLE through_cli (id int);', 'DROP TABLE through_cli;') });
    try {
      const up = await dbdesk(['migrate', 'up', '--url', behind(source), '--dir', folder.dir, '--json', ...sshFlags()], { env: { SSH_AUTH_SOCK: '', DBDESK_DATA_DIR: '' } });
      expect(up.code, up.out + up.err).toBe(0);
      await postgresExec(source.name, 'INSERT INTO through_cli VALUES (1)');
      const status = await dbdesk(['migrate', 'status', '--url', behind(source), '--dir', folder.dir, '--json', ...sshFlags()], { env: { SSH_AUTH_SOCK: '', DBDESK_DATA_DIR: '' } });
      expect(status.code, status.err).toBe(0);
      expect(status.out).toContain('20260101000000');
    } finally {
      folder.remove();
    }
  });

  it('--connection NAME uses the saved profile’s SSH settings and its remembered passphrase (migrate and diagnose)', async () => {
    const dataDir = join(dir, 'cli-data');
    const store = new AppStore(dataDir, new FileKeyCipher(join(dataDir, 'keys', 'secret.key')));
    try {
      const fields = ConnectionFields.parse({
        name: 'Orders behind the bastion',
        engine: 'postgresql',
        host: PG_HOST,
        port: 5432,
        user: 'postgres',
        database: target.name,
        tls: { mode: 'disable' },
        ssh: { ...sshOf(() => bastion), keyFile: locked.file, rememberPassphrase: true },
      });
      store.profiles.save(fields, undefined, undefined, { passphrase: LOCKED_PASSPHRASE });
    } finally {
      store.close();
    }
    const folder = migrationFolder({ '20260201000000_saved.sql': dbmateFile('CREATE TABLE through_saved_profile (id int);', 'DROP TABLE through_saved_profile;') });
    const env = { SSH_AUTH_SOCK: '', DBDESK_DATA_DIR: '' };
    try {
      const up = await dbdesk(['--data-dir', dataDir, 'migrate', 'up', '--connection', 'Orders behind the bastion', '--dir', folder.dir], { env });
      expect(up.code, up.out + up.err).toBe(0);
      await postgresExec(target.name, 'INSERT INTO through_saved_profile VALUES (1)');
      const diagnosed = await dbdesk(['--data-dir', dataDir, 'diagnose', '--connection', 'Orders behind the bastion', '--json'], { env });
      expect(diagnosed.code, diagnosed.out + diagnosed.err).toBe(0);
      const run = JSON.parse(diagnosed.out) as { steps: { id: string; hop?: string; status: string }[] };
      expect(run.steps.find((s) => s.id === 'ssh-auth')).toMatchObject({ hop: `127.0.0.1:${bastion.port}`, status: 'ok' });
      expect(run.steps.find((s) => s.id === 'table-read')?.status ?? 'ok').not.toBe('fail');
      expect(diagnosed.out + diagnosed.err + up.out + up.err).not.toContain(LOCKED_PASSPHRASE);
    } finally {
      folder.remove();
    }
  });

  it('dbdesk diff --ssh compares two databases behind the bastion', async () => {
    await postgresExec(target.name, 'CREATE TABLE only_in_target (id int PRIMARY KEY)');
    const diff = await dbdesk(['diff', behind(source), behind(target), '--json', ...sshFlags()], { env: { SSH_AUTH_SOCK: '', DBDESK_DATA_DIR: '' } });
    expect(diff.code, diff.err).toBe(1);
    expect(diff.out).toContain('only_in_target');
    expect(diff.out).toContain('through_cli');
  });
});
