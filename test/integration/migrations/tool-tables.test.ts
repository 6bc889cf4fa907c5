import { afterAll, describe, expect, it } from 'vitest';
import { flywayChecksum } from '../../../features/migrations/core/checksum';
import { cli, enginesUnderTest, scratchDatabases, type EngineUnderTest } from '../../support/migrations';

type Db = Awaited<ReturnType<EngineUnderTest['create']>>;

/**
 * golang-migrate and Flyway cannot be installed here, so the tables DB Desk creates for their folders
 * on a fresh database are checked against what their own source creates and writes:
 * - golang-migrate (database/postgres, mysql, sqlite3 at 18966c7): `schema_migrations (version bigint
 *   not null primary key, dirty boolean not null)`; on SQLite `(version uint64, dirty bool)` with the
 *   unique index version_unique; one row, emptied and rewritten at each step (SetVersion), no row at
 *   version -1 (nothing applied);
 * - Flyway (PostgreSQLDatabase, MySQLDatabase, SQLiteDatabase.getRawCreateScript at 13.0.0): the ten
 *   columns with their types and nullability, the primary key <table>_pk on installed_rank (a column
 *   primary key on SQLite), the index <table>_s_idx on success; one SQL row per migration with its
 *   CRC32 checksum (ChecksumCalculator).
 */
const golangColumns: Record<EngineUnderTest['name'], string[]> = {
  postgresql: ['version bigint NOT NULL', 'dirty boolean NOT NULL'],
  mariadb: ['version bigint(20) NOT NULL', 'dirty tinyint(1) NOT NULL'],
  sqlite: ['version uint64', 'dirty bool'],
};

const flywayColumns: Record<EngineUnderTest['name'], string[]> = {
  postgresql: [
    'installed_rank integer NOT NULL',
    'version character varying(50)',
    'description character varying(200) NOT NULL',
    'type character varying(20) NOT NULL',
    'script character varying(1000) NOT NULL',
    'checksum integer',
    'installed_by character varying(100) NOT NULL',
    'installed_on timestamp without time zone NOT NULL',
    'execution_time integer NOT NULL',
    'success boolean NOT NULL',
  ],
  mariadb: [
    'installed_rank int(11) NOT NULL',
    'version varchar(50)',
    'description varchar(200) NOT NULL',
    'type varchar(20) NOT NULL',
    'script varchar(1000) NOT NULL',
    'checksum int(11)',
    'installed_by varchar(100) NOT NULL',
    'installed_on timestamp NOT NULL',
    'execution_time int(11) NOT NULL',
    'success tinyint(1) NOT NULL',
  ],
  sqlite: [
    'installed_rank INT NOT NULL',
    'version VARCHAR(50)',
    'description VARCHAR(200) NOT NULL',
    'type VARCHAR(20) NOT NULL',
    'script VARCHAR(1000) NOT NULL',
    'checksum INT',
    'installed_by VARCHAR(100) NOT NULL',
    'installed_on TEXT NOT NULL',
    'execution_time INT NOT NULL',
    'success BOOLEAN NOT NULL',
  ],
};

/** `name type [NOT NULL]` of each column, in order, as the engine's catalog reports it. */
async function columns(engine: EngineUnderTest['name'], db: Db, table: string): Promise<string[]> {
  if (engine === 'postgresql') {
    const rows = await db.query(
      `SELECT column_name, data_type, character_maximum_length AS len, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${table}' ORDER BY ordinal_position`,
    );
    return rows.map((r) => `${String(r.column_name)} ${String(r.data_type)}${r.len ? `(${String(r.len)})` : ''}${r.is_nullable === 'NO' ? ' NOT NULL' : ''}`);
  }
  if (engine === 'mariadb') {
    const rows = await db.query(`SELECT COLUMN_NAME AS n, COLUMN_TYPE AS t, IS_NULLABLE AS nul FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' ORDER BY ORDINAL_POSITION`);
    return rows.map((r) => `${String(r.n)} ${String(r.t)}${r.nul === 'NO' ? ' NOT NULL' : ''}`);
  }
  const rows = await db.query(`PRAGMA table_info("${table}")`);
  return rows.map((r) => `${String(r.name)} ${String(r.type)}${Number(r.notnull) ? ' NOT NULL' : ''}`);
}

/** Primary-key and index names with their columns (`pk:<name>(cols)`, `index:<name>(cols)`, `unique:<name>(cols)`). */
async function keys(engine: EngineUnderTest['name'], db: Db, table: string): Promise<string[]> {
  if (engine === 'postgresql') {
    const rows = await db.query(
      `SELECT i.relname AS name, ix.indisprimary AS pk, ix.indisunique AS uq, array_to_string(array_agg(a.attname ORDER BY a.attnum), ',') AS cols
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey)
        WHERE t.relname = '${table}' AND t.relnamespace = current_schema()::regnamespace GROUP BY i.relname, ix.indisprimary, ix.indisunique`,
    );
    return rows.map((r) => `${r.pk ? 'pk' : r.uq ? 'unique' : 'index'}:${String(r.name)}(${String(r.cols)})`).sort();
  }
  if (engine === 'mariadb') {
    const rows = await db.query(
      `SELECT INDEX_NAME AS name, NON_UNIQUE AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' GROUP BY INDEX_NAME, NON_UNIQUE`,
    );
    return rows.map((r) => `${r.name === 'PRIMARY' ? 'pk' : Number(r.nu) ? 'index' : 'unique'}:${String(r.name)}(${String(r.cols)})`).sort();
  }
  const list = await db.query(`PRAGMA index_list("${table}")`);
  const out: string[] = [];
  for (const ix of list) {
    const cols = (await db.query(`PRAGMA index_info("${String(ix.name)}")`)).map((c) => String(c.name)).join(',');
    out.push(`${ix.origin === 'pk' ? 'pk' : Number(ix.unique) ? 'unique' : 'index'}:${ix.origin === 'pk' ? '' : String(ix.name)}(${cols})`);
  }
  return out.sort();
}

const golangKeys: Record<EngineUnderTest['name'], string[]> = {
  postgresql: ['pk:schema_migrations_pkey(version)'],
  mariadb: ['pk:PRIMARY(version)'],
  sqlite: ['unique:version_unique(version)'],
};
const flywayKeys: Record<EngineUnderTest['name'], string[]> = {
  postgresql: ['index:flyway_schema_history_s_idx(success)', 'pk:flyway_schema_history_pk(installed_rank)'],
  // MySQL names every primary key PRIMARY; Flyway's CONSTRAINT name is accepted and not kept.
  mariadb: ['index:flyway_schema_history_s_idx(success)', 'pk:PRIMARY(installed_rank)'],
  sqlite: ['index:flyway_schema_history_s_idx(success)', 'pk:(installed_rank)'],
};

/** A boolean as each driver returns it (PostgreSQL true/false, MariaDB and SQLite 1/0). */
const truthy = (v: unknown) => v === true || Number(v) === 1;

describe.concurrent.each(enginesUnderTest)('the folder tool’s own table on a fresh $name database', (engine) => {
  const scratch = scratchDatabases(engine);
  afterAll(scratch.cleanup);
  const fresh = async (files: Record<string, string>) => {
    const { db, folder } = await scratch.fresh(files);
    const run = async (...args: string[]) => {
      const r = await cli(['migrate', ...args, '--url', db.url, '--dir', folder.dir]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      return r;
    };
    return { db, folder, run };
  };

  it('golang-migrate: schema_migrations as golang-migrate creates it, one row rewritten at every step', async () => {
    const { db, folder, run } = await fresh({
      '000001_one.up.sql': 'CREATE TABLE one (id int);',
      '000001_one.down.sql': 'DROP TABLE one;',
      '000002_two.up.sql': 'CREATE TABLE two (id int);',
      '000002_two.down.sql': 'DROP TABLE two;',
    });
    const row = async () => (await db.query('SELECT version, dirty FROM schema_migrations')).map((r) => [Number(r.version), truthy(r.dirty)]);
    const plan = await run('plan');
    expect(plan.stdout).toMatch(/golang-migrate's schema_migrations does not exist yet: the run creates it as golang-migrate does/);
    await run('up', '--to', '1');
    expect(await columns(engine.name, db, 'schema_migrations')).toEqual(golangColumns[engine.name]);
    expect(await keys(engine.name, db, 'schema_migrations')).toEqual(golangKeys[engine.name]);
    expect(await row()).toEqual([[1, false]]);
    await run('up');
    expect(await row()).toEqual([[2, false]]);
    await run('down');
    expect(await row()).toEqual([[1, false]]);
    // Nothing applied: golang-migrate's NilVersion is no row at all.
    await run('down', '--to', '0');
    expect(await row()).toEqual([]);

    // A table dropped (or never made by an older DB Desk): the next run makes it again from DB Desk's history.
    await run('up');
    await db.exec('DROP TABLE schema_migrations');
    const status = JSON.parse((await cli(['migrate', 'status', '--json', '--url', db.url, '--dir', folder.dir])).stdout) as { migrations: { state: string }[] };
    expect(status.migrations.map((m) => m.state)).toEqual(['applied', 'applied']);
    expect((await run('up')).stdout).toMatch(/Nothing to do/);
    expect(await row()).toEqual([[2, false]]);
  });

  it('Flyway: flyway_schema_history as Flyway creates it, a row per migration with Flyway’s checksum', async () => {
    const v1 = 'CREATE TABLE one (id int);\n';
    const v11 = 'CREATE TABLE two (id int);\r\nINSERT INTO two VALUES (1);\r\n';
    const { db, run } = await fresh({ 'V1__create_one.sql': v1, 'V1_1__create_two.sql': v11, 'U1_1__create_two.sql': 'DROP TABLE two;\n' });
    await run('up');
    expect(await columns(engine.name, db, 'flyway_schema_history')).toEqual(flywayColumns[engine.name]);
    expect(await keys(engine.name, db, 'flyway_schema_history')).toEqual(flywayKeys[engine.name]);
    const rows = await db.query('SELECT installed_rank, version, description, type, script, checksum, execution_time, success, installed_on FROM flyway_schema_history ORDER BY installed_rank');
    expect(rows.map((r) => [Number(r.installed_rank), r.version, r.description, r.type, r.script, Number(r.checksum), truthy(r.success)])).toEqual([
      [1, '1', 'create one', 'SQL', 'V1__create_one.sql', flywayChecksum(v1), true],
      [2, '1.1', 'create two', 'SQL', 'V1_1__create_two.sql', flywayChecksum(v11), true],
    ]);
    expect(rows.every((r) => r.installed_on !== null && Number(r.execution_time) >= 0)).toBe(true);
    // Reverted with its U file: the version leaves Flyway's history, so `flyway migrate` would apply it again.
    await run('down');
    expect((await db.query('SELECT version FROM flyway_schema_history ORDER BY installed_rank')).map((r) => r.version)).toEqual(['1']);
  });
});
