import { planDesignMigration } from '../../designer/plan-migration';
import { CoreError } from '../../errors';
import type { WorkerCommandHandlers } from '../worker-context';

/** Designer commands that need the open connection: reading the schema, planning against the live database. */
export const designerWorkerHandlers: WorkerCommandHandlers = {
  async 'designer.open'({ connectionId, schema }, { registry }) {
    const { engine } = registry.get(connectionId);
    const [design, types, info] = await Promise.all([engine.readDesign(schema), engine.listTypes(), engine.serverInfo()]);
    return { design, types, serverVersion: info.version };
  },

  async 'designer.plan'({ connectionId, base, design, name }, { registry }) {
    const { engine } = registry.get(connectionId);
    const dialect = await engine.designDialect();
    if (design.engine !== base.engine) throw new CoreError('invalid-input', 'The design and its base are for different engines.');
    const live = await engine.readDesign(base.schema);
    return planDesignMigration(dialect, base, design, { name, live });
  },
};
