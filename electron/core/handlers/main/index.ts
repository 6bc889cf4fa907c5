import { IN_WORKER, type HandlerMap } from '../../router';
import { appHandlers } from './app-handlers';
import { backupHandlers } from './backup-handlers';
import { connectionHandlers } from './connection-handlers';
import { designerHandlers } from './designer-handlers';
import { diagnosticsHandlers } from './diagnostics-handlers';
import { hostHandlers } from './host-handlers';
import { migrationHandlers } from './migration-handlers';
import { queryHandlers } from './query-handlers';
import { tableHandlers } from './table-handlers';

/** Every command of the contract, answered here or in the session's worker. Missing one fails to compile. */
export const handlers: HandlerMap = {
  ...appHandlers,
  ...backupHandlers,
  ...connectionHandlers,
  ...designerHandlers,
  ...diagnosticsHandlers,
  ...hostHandlers,
  ...queryHandlers,
  ...tableHandlers,
  'backup.info': IN_WORKER,
  'backup.restore': IN_WORKER,
  'connections.trustHostKey': IN_WORKER,
  'connections.answerSsh': IN_WORKER,
  'schema.schemas': IN_WORKER,
  'schema.tables': IN_WORKER,
  'schema.table': IN_WORKER,
  'galera.snapshot': IN_WORKER,
  'galera.watch': IN_WORKER,
  'galera.unwatch': IN_WORKER,
  'import.preview': IN_WORKER,
  'import.run': IN_WORKER,
  ...migrationHandlers,
  'migrations.status': IN_WORKER,
  'migrations.plan': IN_WORKER,
  'migrations.apply': IN_WORKER,
  'migrations.drift': IN_WORKER,
  'migrations.rehearse': IN_WORKER,
  'migrations.repair': IN_WORKER,
  'migrations.history': IN_WORKER,
  'migrations.releaseLock': IN_WORKER,
  'migrations.compareTable': IN_WORKER,
  'compare.run': IN_WORKER,
};
