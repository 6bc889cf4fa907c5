/**
 * The migration runner's public API. Other features use only this:
 * - write a migration: writeNewMigration(dir, { name, up, down }) → the file(s) written, in the folder's format;
 * - apply migrations: new MigrationRunner({ adapter: engine.migrations(), … }).apply(dir, { action: 'up', to }, run);
 * - or through IPC from a renderer: 'migrations.create', then 'migrations.plan' / 'migrations.apply'.
 */
export { MigrationRunner, forcedLockStrategy, type Confirmation, type RunOptions, type RunnerOptions } from './runner';
export { writeNewMigration, type NewMigration, type WrittenMigration } from './folder/new-migration';
export { readMigrationFolder } from './folder/read-folder';
export type { PlanRequest } from './planner/plan';
export { splitStatements, type SqlStatement } from './sql/split-statements';
