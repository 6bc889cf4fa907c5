/**
 * The migration runner's public API. Other features use only this:
 * - write a migration: writeNewMigration(dir, { name, up, down }) → the file(s) written, in the folder's format;
 * - apply migrations: new MigrationRunner({ adapter: engine.migrations(), … }).apply(dir, { action: 'up', to }, run);
 * - or through IPC from a renderer: 'migrations.create', then 'migrations.plan' / 'migrations.apply'.
 */
export { MigrationRunner, forcedLockStrategy, type Confirmation, type RunOptions, type RunnerOptions } from './runner';
export { migrationSlug, timestampVersion, writeNewMigration, type NewMigration, type WrittenMigration } from './folder/new-migration';
export { readMigrationFolder } from './folder/read-folder';
export type { PlanRequest } from './planner/plan';
export { splitStatements, type SqlStatement } from '../../../shared/sql/split-statements';
// The schema designer lints its generated SQL before anything is written (the same rules as a plan).
export { PlanLinter } from './lint/lint';
// Names of the runner's own and other tools' bookkeeping tables (the designer leaves them out of diagrams).
export { HISTORY_TABLE, LOCK_TABLE } from './history/history-store';
export { FOREIGN_TABLE_NAMES } from './foreign/foreign-history';
