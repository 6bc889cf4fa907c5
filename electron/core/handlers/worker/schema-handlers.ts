import type { WorkerCommandHandlers } from '../../worker/worker-context';

export const schemaHandlers: WorkerCommandHandlers = {
  async 'schema.schemas'({ connectionId }, { registry }) {
    return registry.get(connectionId).engine.introspector.listSchemas();
  },
  async 'schema.tables'({ connectionId, schema }, { registry }) {
    return registry.get(connectionId).engine.introspector.listTables(schema);
  },
  async 'schema.table'({ connectionId, table }, { registry }) {
    return registry.get(connectionId).engine.tableData.describeTable(table);
  },
};
