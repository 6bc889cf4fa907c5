import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flywayChecksum } from '../../../features/migrations/core/checksum';
import { cli, dbmateFile, enginesUnderTest, migrationFolder, scratchDatabases, type EngineUnderTest } from '../../support/migrations';

type Db = Awaited<ReturnType<EngineUnderTest['create']>>;

/** Column types each tool's DDL uses per engine (from the tools' own create scripts). */
const types = {
  postgresql: { ts: 'timestamp', bool: 'boolean', big: 'bigint', json: 'json', tsDefault: 'DEFAULT now()' },
  mariadb: { ts: 'datetime', bool: 'boolean', big: 'bigint', json: 'longtext', tsDefault: 'DEFAULT CURRENT_TIMESTAMP' },
  sqlite: { ts: 'text', bool: 'boolean', big: 'bigint', json: 'text', tsDefault: "DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now'))" },
} as const;

function flywayTable(engine: EngineUnderTest['name']): string {
  const t = types[engine];
  return `CREATE TABLE flyway_schema_history (
    installed_rank INT NOT NULL, version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL,
    script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL,
    installed_on ${t.ts} NOT NULL ${t.tsDefault}, execution_time INT NOT NULL, success ${t.bool} NOT NULL,
    CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank))`;
}

const golangTable = (engine: EngineUnderTest['name']) =>
  engine === 'sqlite' ? 'CREATE TABLE schema_migrations (version uint64, dirty bool)' : 'CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null)';

const run = (db: Db, dir: string, ...args: string[]) => cli(['migrate', ...args, '--url', db.url, '--dir', dir]);
const statusOf = async (db: Db, dir: string) =>
  JSON.parse((await run(db, dir, 'status', '--json')).stdout) as {
    format: string;
    migrations: { version: string; state: string; error?: string }[];
    foreign: { tool: string; table: string; applied: number | null; latest: string | null }[];
  };

describe.each(enginesUnderTest)('folders of other tools on $name, some migrations already applied by that tool', (engine) => {
  const { fresh, cleanup } = scratchDatabases(engine);
  afterAll(cleanup);

  it('dbmate: what schema_migrations lists is never re-applied; new versions are added to it', async () => {
    const { db, folder } = await fresh({
      '20230101000000_one.sql': dbmateFile('CREATE TABLE one (id int);', 'DROP TABLE one;'),
      '20230102000000_two.sql': dbmateFile('CREATE TABLE two (id int);', 'DROP TABLE two;'),
      '20230103000000_three.sql': dbmateFile('CREATE TABLE three (id int);', 'DROP TABLE three;'),
    });
    // What dbmate left behind: its table, and the tables its two migrations created.
    await db.exec("CREATE TABLE schema_migrations (version varchar(128) primary key); INSERT INTO schema_migrations VALUES ('20230101000000'), ('20230102000000'); CREATE TABLE one (id int); CREATE TABLE two (id int);");
    const before = await statusOf(db, folder.dir);
    expect(before.format).toBe('dbmate');
    expect(before.migrations.map((m) => m.state)).toEqual(['applied', 'applied', 'pending']);
    expect(before.foreign).toEqual([{ tool: 'dbmate', table: 'schema_migrations', applied: 2, latest: '20230102000000' }]);
    const plan = await run(db, folder.dir, 'plan');
    expect(plan.stdout).toMatch(/Starts from: dbmate's history \(schema_migrations\)/);
    const up = await run(db, folder.dir, 'up');
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain('1 migration applied');
    expect((await db.query('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version)).toEqual(['20230101000000', '20230102000000', '20230103000000']);
    expect((await db.query('SELECT version FROM dbdesk_migrations')).map((r) => r.version)).toEqual(['20230103000000']);
    // Reverting a version dbmate applied also removes it from dbmate's table.
    const down = await run(db, folder.dir, 'down', '--to', '20230101000000');
    expect(down.code, down.stdout).toBe(0);
    expect((await db.query('SELECT version FROM schema_migrations')).map((r) => r.version)).toEqual(['20230101000000']);
  });

  it('golang-migrate: everything up to its version counts as applied, and its row follows ours', async () => {
    const { db, folder } = await fresh({
      '000001_one.up.sql': 'CREATE TABLE one (id int);',
      '000001_one.down.sql': 'DROP TABLE one;',
      '000002_two.up.sql': 'CREATE TABLE two (id int);',
      '000002_two.down.sql': 'DROP TABLE two;',
      '000003_three.up.sql': 'CREATE TABLE three (id int);',
    });
    await db.exec(`${golangTable(engine.name)}; INSERT INTO schema_migrations VALUES (2, false); CREATE TABLE one (id int); CREATE TABLE two (id int);`);
    const before = await statusOf(db, folder.dir);
    expect(before.format).toBe('golang-migrate');
    expect(before.migrations.map((m) => [m.version, m.state])).toEqual([
      ['000001', 'applied'],
      ['000002', 'applied'],
      ['000003', 'pending'],
    ]);
    expect(before.foreign).toEqual([{ tool: 'golang-migrate', table: 'schema_migrations', applied: 2, latest: '2' }]);
    const up = await run(db, folder.dir, 'up');
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain('1 migration applied');
    const row = (await db.query('SELECT version, dirty FROM schema_migrations'))[0]!;
    expect([Number(row.version), Boolean(Number(row.dirty))]).toEqual([3, false]);
  });

  it('golang-migrate: a dirty version blocks until marked applied (or forgotten)', async () => {
    const { db, folder } = await fresh({
      '1_one.up.sql': 'CREATE TABLE one (id int);',
      '2_two.up.sql': 'CREATE TABLE two (id int);',
      '3_three.up.sql': 'CREATE TABLE three (id int);',
    });
    await db.exec(`${golangTable(engine.name)}; INSERT INTO schema_migrations VALUES (2, true); CREATE TABLE one (id int); CREATE TABLE two (id int);`);
    const s = await statusOf(db, folder.dir);
    expect(s.migrations.map((m) => m.state)).toEqual(['applied', 'failed', 'pending']);
    expect(s.migrations[1]!.error).toMatch(/dirty at version 2/);
    // A decision is pending: status says so in its exit code too.
    expect((await run(db, folder.dir, 'status')).code).toBe(1);
    const blocked = await run(db, folder.dir, 'up');
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/dirty at version 2/);
    const resume = await run(db, folder.dir, 'repair', '--resume', '2');
    expect(resume.code).toBe(1);
    expect(resume.stdout).toMatch(/records no per-statement progress/);
    expect((await run(db, folder.dir, 'repair', '--mark-applied', '2')).code).toBe(0);
    const row = (await db.query('SELECT version, dirty FROM schema_migrations'))[0]!;
    expect([Number(row.version), Boolean(Number(row.dirty))]).toEqual([2, false]);
    expect((await run(db, folder.dir, 'up')).code).toBe(0);
    expect(await db.query('SELECT * FROM three')).toHaveLength(0);
  });

  it('Flyway: applied versions and unchanged repeatables are skipped, edits are caught by Flyway’s own checksum', async () => {
    const v1 = 'CREATE TABLE one (id int);\n';
    const v2 = 'CREATE TABLE two (id int);\r\nINSERT INTO two VALUES (1);\r\n';
    const view = 'CREATE VIEW two_view AS SELECT id FROM two;\n';
    const { db, folder } = await fresh({
      'V1__create_one.sql': v1,
      'sub/V1_1__create_two.sql': v2,
      'V2__create_three.sql': 'CREATE TABLE three (id int);\n',
      'U2__create_three.sql': 'DROP TABLE three;\n',
      'R__two_view.sql': view,
    });
    await db.exec(`${flywayTable(engine.name)};
      INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES
        (1, '1', 'create one', 'SQL', 'V1__create_one.sql', ${flywayChecksum(v1)}, 'flyway', 5, true),
        (2, '1.1', 'create two', 'SQL', 'sub/V1_1__create_two.sql', ${flywayChecksum(v2)}, 'flyway', 5, true),
        (3, NULL, 'two view', 'SQL', 'R__two_view.sql', ${flywayChecksum(view)}, 'flyway', 5, true);
      CREATE TABLE one (id int); CREATE TABLE two (id int); INSERT INTO two VALUES (1); CREATE VIEW two_view AS SELECT id FROM two;`);
    const before = await statusOf(db, folder.dir);
    expect(before.format).toBe('flyway');
    expect(before.migrations.map((m) => [m.version, m.state])).toEqual([
      ['1', 'applied'],
      ['1.1', 'applied'],
      ['2', 'pending'],
      ['R', 'applied'],
    ]);
    const up = await run(db, folder.dir, 'up');
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain('1 migration applied');
    expect((await db.query('SELECT id FROM two')).map((r) => Number(r.id))).toEqual([1]);
    const rows = await db.query('SELECT installed_rank, version, type, checksum, success FROM flyway_schema_history ORDER BY installed_rank');
    expect(rows.at(-1)).toMatchObject({ version: '2', type: 'SQL' });
    expect(Number(rows.at(-1)!.checksum)).toBe(flywayChecksum('CREATE TABLE three (id int);\n'));
    // An edit of a Flyway-applied file shows as edited (CRC32 differs) and blocks up.
    folder.write('V1__create_one.sql', 'CREATE TABLE one (id bigint);\n');
    expect((await statusOf(db, folder.dir)).migrations[0]!.state).toBe('edited');
    expect((await run(db, folder.dir, 'up')).code).toBe(1);
    // Accepting the edit keeps it applied (never re-run) and realigns Flyway's checksum, as `flyway repair` would.
    const accept = await run(db, folder.dir, 'repair', '--accept-checksum', '1');
    expect(accept.code, accept.stdout + accept.stderr).toBe(0);
    expect((await statusOf(db, folder.dir)).migrations.map((m) => m.state)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const row1 = (await db.query("SELECT checksum FROM flyway_schema_history WHERE version = '1'"))[0]!;
    expect(Number(row1.checksum)).toBe(flywayChecksum('CREATE TABLE one (id bigint);\n'));
    const nothing = await run(db, folder.dir, 'up');
    expect(nothing.stdout).toContain('Nothing to do');
  });
});

describe.each(enginesUnderTest)('history tables of other tools on $name', (engine) => {
  let db: Db;
  const folder = migrationFolder({ '20240101000000_x.sql': dbmateFile('SELECT 1;') });
  beforeAll(async () => {
    db = await engine.create();
    const t = types[engine.name];
    await db.exec(`${flywayTable(engine.name)};
      INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES
        (1, '1', 'one', 'SQL', 'V1__one.sql', 1, 'flyway', 5, true), (2, '2', 'two', 'SQL', 'V2__two.sql', 2, 'flyway', 5, false);
      CREATE TABLE DATABASECHANGELOG (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED ${t.ts} NOT NULL,
        ORDEREXECUTED INT NOT NULL, EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG VARCHAR(255),
        LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10));
      INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE) VALUES ('1', 'ann', 'c.sql', '2024-01-01 00:00:00', 1, 'EXECUTED'), ('2', 'ann', 'c.sql', '2024-01-01 00:00:00', 2, 'MARK_RAN');
      CREATE TABLE DATABASECHANGELOGLOCK (ID INT NOT NULL PRIMARY KEY, LOCKED ${t.bool} NOT NULL, LOCKGRANTED ${t.ts}, LOCKEDBY VARCHAR(255));
      INSERT INTO DATABASECHANGELOGLOCK VALUES (1, true, '2024-01-02 03:04:05', 'ci-runner-7 (10.0.0.7)');
      CREATE TABLE atlas_schema_revisions (version varchar(255) NOT NULL PRIMARY KEY, description varchar(255) NOT NULL, type ${t.big} NOT NULL DEFAULT 2,
        applied ${t.big} NOT NULL DEFAULT 0, total ${t.big} NOT NULL DEFAULT 0, executed_at ${t.ts} NOT NULL, execution_time ${t.big} NOT NULL,
        error text, error_stmt text, hash varchar(255) NOT NULL, partial_hashes ${t.json}, operator_version varchar(255) NOT NULL);
      INSERT INTO atlas_schema_revisions (version, description, applied, total, executed_at, execution_time, error, hash, operator_version) VALUES
        ('20240101', 'init', 3, 3, '2024-01-01 00:00:00', 10, NULL, 'h', 'v0.30'), ('20240102', 'more', 1, 4, '2024-01-02 00:00:00', 10, 'Error 1062: duplicate', 'h', 'v0.30');
      CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at ${t.ts}, migration_name varchar(255) NOT NULL,
        logs text, rolled_back_at ${t.ts}, started_at ${t.ts} NOT NULL ${t.tsDefault}, applied_steps_count integer NOT NULL DEFAULT 0);
      INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES ('a', 'c', '2024-01-01 00:00:00', '20240101000000_init'), ('b', 'c', NULL, '20240102000000_broken');
      CREATE TABLE kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL);
      INSERT INTO kysely_migration VALUES ('2024_01_init', '2024-01-01T00:00:00Z');
      CREATE TABLE kysely_migration_lock (id varchar(255) NOT NULL PRIMARY KEY, is_locked integer NOT NULL DEFAULT 0);
      INSERT INTO kysely_migration_lock VALUES ('migration_lock', 1);
      CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
      INSERT INTO alembic_version VALUES ('ae1027a6acf'), ('1975ea83b712');
      ${golangTable(engine.name)}; INSERT INTO schema_migrations VALUES (7, true);`);
  });
  afterAll(async () => {
    await db?.drop();
    folder.remove();
  });

  it('recognises each and shows its state with dirty, failed and lock markers', async () => {
    const r = await run(db, folder.dir, 'status');
    const s = await statusOf(db, folder.dir);
    const byTool = Object.fromEntries(s.foreign.map((f) => [f.tool, f]));
    expect(Object.keys(byTool).sort()).toEqual(['alembic', 'atlas', 'flyway', 'golang-migrate', 'kysely', 'liquibase', 'prisma']);
    expect(byTool.flyway!.applied).toBe(1);
    expect(byTool.liquibase!.applied).toBe(2);
    expect(byTool.atlas!.applied).toBe(1);
    expect(byTool.prisma!.applied).toBe(1);
    expect(byTool.kysely!.applied).toBe(1);
    // Alembic's table holds its heads, not a count: it is reported in its own terms.
    expect(byTool.alembic!.applied).toBeNull();
    expect(byTool.alembic!.latest).toBe('1975ea83b712, ae1027a6acf');
    expect(r.stdout).toMatch(/Alembic: alembic_version, at revisions 1975ea83b712, ae1027a6acf/);
    expect(r.stdout).toMatch(/Liquibase: DATABASECHANGELOG, 2 changesets ran, the last 2 by ann \(c\.sql\)/i);
    expect(r.stdout).toMatch(/Flyway: flyway_schema_history, 1 migration applied, latest version 1[\s\S]*! V2 failed \(success = false/);
    expect(r.stdout).toMatch(/! locked by ci-runner-7 \(10\.0\.0\.7\) since 2024-01-02/);
    expect(r.stdout).toMatch(/! version 20240102: 1 of 4 statements applied — Error 1062/);
    expect(r.stdout).toMatch(/! 20240102000000_broken failed or is still running/);
    expect(r.stdout).toMatch(/! kysely_migration_lock says locked/);
    expect(r.stdout).toMatch(/! 2 heads/);
    expect(r.stdout).toMatch(/! dirty at version 7/);
    // None of them wrote this dbmate folder: they are shown, and they decide nothing.
    expect(r.stdout).toMatch(/schema_migrations here belongs to golang-migrate/);
    expect(s.migrations.map((m) => m.state)).toEqual(['pending']);
  });
});
