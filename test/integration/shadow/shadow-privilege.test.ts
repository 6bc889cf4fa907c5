import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftReport } from '../../../features/migrations/shared/shadow-model';
import { cli, dbmateFile, migrationFolder } from '../../support/migrations';
import { MARIADB, mariadbAdmin, mariadbExec, POSTGRES, postgresAdmin, postgresExec, randomName } from '../../support/servers';

const FILES = {
  '20240101000000_users.sql': dbmateFile('CREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL);', 'DROP TABLE users;'),
};

describe('PostgreSQL: a role without CREATEDB', () => {
  const role = randomName('dbdesk_role');
  const live = randomName();
  const shadowDb = randomName();
  const folder = migrationFolder(FILES);
  const url = (db: string) => `postgres://${role}@${POSTGRES.host}:${POSTGRES.port}/${db}?sslmode=disable`;

  beforeAll(async () => {
    const admin = await postgresAdmin();
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
      await admin.query(`CREATE DATABASE ${live} OWNER ${role}`);
      await admin.query(`CREATE DATABASE ${shadowDb} OWNER ${role}`);
    } finally {
      await admin.end();
    }
    // PostgreSQL 15: public belongs to pg_database_owner, so the owner may create tables there.
  });
  afterAll(async () => {
    const admin = await postgresAdmin();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${live} WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${shadowDb} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    } finally {
      await admin.end();
    }
    folder.remove();
  });

  it('says which privilege is missing and the remedies (exit 2); then --shadow-url works and its schema is dropped', async () => {
    expect((await cli(['migrate', 'up', '--url', url(live), '--dir', folder.dir])).code).toBe(0);
    const refused = await cli(['migrate', 'drift', '--url', url(live), '--dir', folder.dir]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`${role} may not create databases`));
    expect(refused.stderr).toMatch(/CREATEDB/);
    expect(refused.stderr).toMatch(/--shadow-url/);
    const json = await cli(['migrate', 'drift', '--url', url(live), '--dir', folder.dir, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'forbidden', detail: { shadow: 'no-privilege' } } });

    await postgresExec(live, 'ALTER TABLE users ADD COLUMN phone text');
    const r = await cli(['migrate', 'drift', '--url', url(live), '--dir', folder.dir, '--shadow-url', url(shadowDb), '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as DriftReport;
    expect(report.items.map((i) => i.name)).toEqual(['users']);
    expect(report.shadow).toMatchObject({ configured: true, dropped: true });
    expect(report.shadow.description).toMatch(new RegExp(`schema dbdesk_shadow_\\w+ in the shadow database ${shadowDb}`));
    const left = await postgresExec(shadowDb, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'dbdesk_shadow%'");
    expect(left.rowCount).toBe(0);
    // The rehearsal takes the same shadow URL.
    folder.write('20240102000000_more.sql', dbmateFile('CREATE TABLE more (id int);', 'DROP TABLE more;'));
    const rehearsed = await cli(['migrate', 'up', '--rehearse', '--url', url(live), '--dir', folder.dir, '--shadow-url', url(shadowDb)]);
    expect(rehearsed.code, rehearsed.stdout + rehearsed.stderr).toBe(0);
    expect((await postgresExec(shadowDb, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'dbdesk_shadow%'")).rowCount).toBe(0);
    folder.remove();
  });
});

describe('MariaDB: a user who may not create databases', () => {
  const user = randomName('dbdesk_u');
  const password = randomName('pw');
  const live = randomName();
  const shadowDb = randomName();
  const folder = migrationFolder(FILES);
  const url = (db: string) => `mariadb://${user}:${password}@${MARIADB.host}:${MARIADB.port}/${db}?sslmode=disable`;

  beforeAll(async () => {
    const admin = await mariadbAdmin();
    try {
      await admin.query(`CREATE DATABASE ${live} CHARACTER SET utf8mb4`);
      await admin.query(`CREATE DATABASE ${shadowDb} CHARACTER SET utf8mb4`);
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await admin.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY '${password}'`);
      for (const host of ['%', 'localhost']) {
        await admin.query(`GRANT ALL ON ${live}.* TO '${user}'@'${host}'`);
        await admin.query(`GRANT ALL ON ${shadowDb}.* TO '${user}'@'${host}'`);
      }
    } finally {
      await admin.end();
    }
  });
  afterAll(async () => {
    const admin = await mariadbAdmin();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${live}`);
      await admin.query(`DROP DATABASE IF EXISTS ${shadowDb}`);
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await admin.query(`DROP USER IF EXISTS '${user}'@'localhost'`);
    } finally {
      await admin.end();
    }
    folder.remove();
  });

  it('says which grant is missing (exit 2); --shadow-url on an empty database works and leaves it empty; a database with tables is refused', async () => {
    expect((await cli(['migrate', 'up', '--url', url(live), '--dir', folder.dir])).code).toBe(0);
    const refused = await cli(['migrate', 'drift', '--url', url(live), '--dir', folder.dir]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`${user} may not create databases`));
    expect(refused.stderr).toMatch(/GRANT ALL ON `dbdesk\\_shadow\\_%`/);

    const r = await cli(['migrate', 'drift', '--url', url(live), '--dir', folder.dir, '--shadow-url', url(shadowDb), '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as DriftReport).shadow).toMatchObject({ configured: true, dropped: true });
    expect(await mariadbExec(shadowDb, 'SHOW TABLES')).toHaveLength(0);

    // Never a database with something in it: the live one, say.
    const notEmpty = await cli(['migrate', 'drift', '--url', url(live), '--dir', folder.dir, '--shadow-url', url(live)]);
    expect(notEmpty.code).toBe(2);
    expect(notEmpty.stderr).toMatch(/is not empty/);
    expect(await mariadbExec(live, 'SHOW TABLES')).not.toHaveLength(0);
  });
});

describe('dbdesk migrate drift / up --rehearse: bad arguments exit 2', () => {
  const folder = migrationFolder(FILES);
  afterAll(() => folder.remove());
  const pg = 'postgres://nobody@127.0.0.1:1/none';
  const cases: [string, string[], RegExp][] = [
    ['--rehearse with down', ['migrate', 'down', '--rehearse', '--url', pg, '--dir', folder.dir], /--rehearse only goes with up/],
    ['--shadow-url with status', ['migrate', 'status', '--url', pg, '--dir', folder.dir, '--shadow-url', pg], /--shadow-url only goes with/],
    ['--with-rows without --rehearse', ['migrate', 'up', '--with-rows', '--url', pg, '--dir', folder.dir], /only go with up --rehearse/],
    ['--small-rows not a number', ['migrate', 'up', '--rehearse', '--small-rows', 'many', '--url', pg, '--dir', folder.dir], /--small-rows takes a number/],
    ['a shadow of another engine family', ['migrate', 'drift', '--url', pg, '--dir', folder.dir, '--shadow-url', 'mariadb://x@127.0.0.1:1/y'], /must be PostgreSQL like the live one/],
    ['drift with --yes', ['migrate', 'drift', '--url', pg, '--dir', folder.dir, '--yes'], /--yes does not go with drift/],
    ['drift without a folder', ['migrate', 'drift', '--url', pg, '--dir', '/nonexistent/folder'], /--dir names no folder/],
  ];
  it.each(cases)('%s', async (_what, args, message) => {
    const r = await cli(args);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
