import { describe, expect, it } from 'vitest';
import { defaultMigrationSettings } from '../../../shared/model/migrations';
import type { MigrationTarget } from '../../../features/migrations/core/migration-adapter';
import { MysqlMigrationAdapter } from '../../../electron/core/engines/mysql/mysql-migrations';
import { PostgresMigrationAdapter } from '../../../electron/core/engines/postgres/postgres-migrations';
import { sqlChecksum } from '../../../features/migrations/core/checksum';
import type { MigrationFile } from '../../../features/migrations/core/folder/migration-file';
import { buildPlan } from '../../../features/migrations/core/planner/plan';
import type { World } from '../../../features/migrations/core/planner/world';

/** Plans built from a world assembled by hand: no database needed to check what a plan says. */
function file(version: string, up: string, down: string | null = null): MigrationFile {
  return { version, key: version, name: `m${version}`, repeatable: false, file: `${version}_m.sql`, downFile: null, up: [{ sql: up, transaction: true, firstLine: 2 }], down: down === null ? null : [{ sql: down, transaction: true, firstLine: 10 }], checksum: sqlChecksum(up), upText: up, notes: [] };
}

function world(target: MigrationTarget, files: MigrationFile[], strategy: World['lockStrategy']): World {
  return {
    folder: { dir: '/m', format: 'dbmate', migrations: files, problems: [], ignored: [] },
    target,
    tables: [],
    historyTable: false,
    history: [],
    foreign: [],
    matching: null,
    lockStrategy: strategy,
    lock: null,
    versions: files.map((f) => ({ key: f.key, file: f, own: null, state: 'pending', blockingFailure: null, foreignFailure: null, appliedBy: null, appliedAt: null, appliedByTool: false, note: null })),
    warnings: [],
  };
}

const options = { settings: defaultMigrationSettings, production: false, readOnly: false, mirrors: [] };

describe('plans', () => {
  it('on Galera: lease row, wsrep_OSU_method shown, and the TOI warning', () => {
    const adapter = new MysqlMigrationAdapter(() => ({ options: {}, flavour: 'mariadb', endpoint: 'db:3306', peers: [], optionsFor: () => ({}) }));
    const target: MigrationTarget = { database: 'shop', schema: null, serverVersion: '10.11.6-MariaDB', serverMajor: 10.11, dbUser: 'app@%', galera: { osuMethod: 'TOI' } };
    const { plan } = buildPlan(adapter, world(target, [file('1', 'ALTER TABLE t ADD COLUMN c int;')], adapter.lockStrategy(target)), { action: 'up' }, options);
    expect(plan.lock.strategy).toBe('lease-row');
    expect(plan.lock.description).toMatch(/GET_LOCK is not cluster-wide on Galera/);
    expect(plan.galera).toEqual({ osuMethod: 'TOI', warning: expect.stringMatching(/pausing|pauses writes on every node/) });
    expect(plan.settings.map((s) => [s.name, s.value])).toEqual([
      ['lock_wait_timeout', '5 s'],
      ['max_statement_time', 'off'],
      ['wsrep_OSU_method', 'TOI'],
    ]);
    expect(plan.steps[0]!.units.map((u) => u.kind)).toEqual(['autocommit']);
    // The table it changes is named (its size comes from the server when the runner plans).
    expect(plan.steps[0]!.tables).toEqual([{ name: 't', rows: null, bytes: null, exists: true }]);
  });

  it('on plain MariaDB: GET_LOCK; a changed lock timeout is what the plan shows', () => {
    const adapter = new MysqlMigrationAdapter(() => ({ options: {}, flavour: 'mariadb', endpoint: 'db:3306', peers: [], optionsFor: () => ({}) }));
    const target: MigrationTarget = { database: 'shop', schema: null, serverVersion: '10.11.6-MariaDB', serverMajor: 10.11, dbUser: null, galera: null };
    const { plan } = buildPlan(adapter, world(target, [file('1', 'SELECT 1;')], adapter.lockStrategy(target)), { action: 'up' }, { ...options, settings: { ...defaultMigrationSettings, lockTimeoutSeconds: 2, lockWaitSeconds: 12 } });
    expect(plan.lock).toMatchObject({ strategy: 'named-lock', waitSeconds: 12 });
    expect(plan.galera).toBeNull();
    expect(plan.settings[0]).toMatchObject({ name: 'lock_wait_timeout', value: '2 s' });
  });

  it('PostgreSQL before 12: ALTER TYPE … ADD VALUE runs alone; from 12 inside the transaction', () => {
    const adapter = new PostgresMigrationAdapter(null as never);
    const sql = "CREATE TYPE mood AS ENUM ('a');\nALTER TYPE mood ADD VALUE 'b';";
    const old: MigrationTarget = { database: 'd', schema: 'public', serverVersion: '11.22', serverMajor: 11, dbUser: 'u', galera: null };
    const plan11 = buildPlan(adapter, world(old, [file('1', sql)], 'advisory-lock'), { action: 'up' }, options).plan;
    expect(plan11.steps[0]!.units.map((u) => u.kind)).toEqual(['transaction', 'alone']);
    const plan15 = buildPlan(adapter, world({ ...old, serverVersion: '15.2', serverMajor: 15 }, [file('1', sql)], 'advisory-lock'), { action: 'up' }, options).plan;
    expect(plan15.steps[0]!.units.map((u) => u.kind)).toEqual(['transaction']);
  });

  it('says where a statement is in its file and refuses SQL that never closes', () => {
    const adapter = new PostgresMigrationAdapter(null as never);
    const target: MigrationTarget = { database: 'd', schema: 'public', serverVersion: '15', serverMajor: 15, dbUser: 'u', galera: null };
    const { plan } = buildPlan(adapter, world(target, [file('1', 'SELECT 1;\n\nSELECT 2;'), file('2', "SELECT 'oops;")], 'advisory-lock'), { action: 'up' }, options);
    expect(plan.steps[0]!.units[0]!.statements.map((s) => s.line)).toEqual([2, 4]);
    expect(plan.blockers).toEqual(['2_m.sql: A string opened with \' is never closed (line 2)']);
  });

  it('down needs a down section', () => {
    const adapter = new PostgresMigrationAdapter(null as never);
    const target: MigrationTarget = { database: 'd', schema: 'public', serverVersion: '15', serverMajor: 15, dbUser: 'u', galera: null };
    const w = world(target, [file('1', 'CREATE TABLE a (id int);')], 'advisory-lock');
    w.versions[0]!.state = 'applied';
    const { plan } = buildPlan(adapter, w, { action: 'down' }, options);
    expect(plan.blockers).toEqual(['1 (1_m.sql) has no down migration.']);
  });
});
