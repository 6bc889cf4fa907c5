import type { WorkerCommandHandlers, WorkerInternalHandlers } from '../worker-context';
import { connectionInternalHandlers } from './connection-handlers';
import { designerWorkerHandlers } from './designer-handlers';
import { migrationWorkerHandlers } from './migration-handlers';
import { schemaHandlers } from './schema-handlers';

/** Every contract command the worker answers. Features add their handler files here. */
export const workerCommandHandlers: WorkerCommandHandlers = {
  ...schemaHandlers,
  ...designerWorkerHandlers,
  ...migrationWorkerHandlers,
};

export const workerInternalHandlers: WorkerInternalHandlers = {
  ...connectionInternalHandlers,
};
