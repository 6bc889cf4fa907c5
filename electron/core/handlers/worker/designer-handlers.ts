import type { DesignSchema } from '../../../../features/designer/shared/model';
import { withoutBookkeeping } from '../../../../features/designer/core/bookkeeping';
import { lintDesignMigration } from '../../../../features/designer/core/lint-design';
import { planDesignMigration, sectionBody } from '../../../../features/designer/core/plan-migration';
import { CoreError } from '../../errors';
import { writeNewMigration } from '../../../../features/migrations/core';
import type { OpenConnectionEntry } from '../../worker/connection-registry';
import type { WorkerCommandHandlers } from '../../worker/worker-context';

/** Plans against the live database: re-reads it for drift, lints the up section with the runner's rules. */
async function planLive(entry: OpenConnectionEntry, base: DesignSchema, design: DesignSchema, name: string) {
  const { engine } = entry;
  if (design.engine !== base.engine) throw new CoreError('invalid-input', 'The design and its base are for different engines.');
  const [dialect, read] = await Promise.all([engine.designDialect(), engine.readDesign(base.schema)]);
  const plan = planDesignMigration(dialect, base, design, { name, live: withoutBookkeeping(read).design });
  plan.lint = plan.up.statements.length ? await lintDesignMigration(engine.migrations(), plan.up, base) : [];
  return plan;
}

/** Designer commands that need the open connection: reading the schema, planning against it, saving the migration. */
export const designerWorkerHandlers: WorkerCommandHandlers = {
  async 'designer.open'({ connectionId, schema }, { registry }) {
    const { engine } = registry.get(connectionId);
    const [read, types, info] = await Promise.all([engine.readDesign(schema), engine.listTypes(), engine.serverInfo()]);
    const { design, hidden } = withoutBookkeeping(read);
    return { design, hidden, types, serverVersion: info.version };
  },

  async 'designer.plan'({ connectionId, base, design, name }, { registry }) {
    return planLive(registry.get(connectionId), base, design, name);
  },

  async 'designer.save'({ connectionId, base, design, name, dir }, { registry }) {
    const entry = registry.get(connectionId);
    const plan = await planLive(entry, base, design, name);
    if (plan.changes.length === 0) throw new CoreError('invalid-input', 'The design has no changes: there is nothing to write.');
    if (plan.drift.length > 0) {
      throw new CoreError('conflict', `The database changed since the design was read (${plan.drift.slice(0, 3).map((d) => `${d.table}: ${d.text}`).join('; ')}${plan.drift.length > 3 ? '…' : ''}). Reload the design from the database before saving.`, { drift: plan.drift });
    }
    if (plan.up.transactional !== plan.down.transactional) throw new CoreError('internal', 'The up and down sections disagree about transactions.');
    const written = await writeNewMigration(dir, { name, up: sectionBody(plan.up), down: sectionBody(plan.down), transaction: plan.up.transactional });
    return { version: written.version, files: written.files, format: written.format, dir, plan };
  },
};
