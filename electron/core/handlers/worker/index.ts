import type { WorkerCommandHandlers, WorkerInternalHandlers } from '../../worker/worker-context';
import { backupWorkerHandlers } from './backup-handlers';
import { connectionInternalHandlers } from './connection-handlers';
import { designerWorkerHandlers } from './designer-handlers';
import { diagnosticsInternalHandlers } from './diagnostics-handlers';
import { galeraHandlers } from './galera-handlers';
import { importWorkerHandlers } from './import-handlers';
import { migrationWorkerHandlers } from './migration-handlers';
import { queryHandlers } from './query-handlers';
import { schemaHandlers } from './schema-handlers';
import { schemaCompareWorkerHandlers } from './schema-compare-handlers';
import { sshWorkerHandlers } from './ssh-handlers';
import { tableHandlers } from './table-handlers';

/** Every contract command the worker answers. Features add their handler files here. */
export const workerCommandHandlers: WorkerCommandHandlers = {
  ...schemaHandlers,
  ...schemaCompareWorkerHandlers,
  ...designerWorkerHandlers,
  ...galeraHandlers,
  ...importWorkerHandlers,
  ...backupWorkerHandlers,
  ...migrationWorkerHandlers,
  ...queryHandlers,
  ...tableHandlers,
  ...sshWorkerHandlers,
};

export const workerInternalHandlers: WorkerInternalHandlers = {
  ...connectionInternalHandlers,
  ...diagnosticsInternalHandlers,
};
