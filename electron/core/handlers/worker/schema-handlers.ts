import type { WorkerCommandHandlers } from '../../worker/worker-context';

export const schemaHandlers: WorkerCommandHandlers = {
  async 'schema.schemas'({ connectionId }, { registry }) {
    return registry.get(connectionId).engine.listSchemas();
  },
  async 'schema.tables'({ connectionId, schema }, { registry }) {
    return registry.get(connectionId).engine.listTables(schema);
  },
  async 'schema.table'({ connectionId, table }, { registry }) {
    return registry.get(connectionId).engine.describeTable(table);
  },
};
