import { emptyDesign } from '../../../../features/designer/shared/model';
import { dialectFor } from '../../engines/dialects';
import { planDesignMigration, sectionBody } from '../../../../features/designer/core/plan-migration';
import { writeNewMigration } from '../../../../features/migrations/core';
import { CoreError } from '../../errors';
import { IN_WORKER, type HandlerMap } from '../../router';

/** Designer commands answered in the main process: no connection needed (designs before a database, the app store). */
export const designerHandlers: HandlerMap<'designer.open' | 'designer.plan' | 'designer.save' | 'designer.types' | 'designer.plan-scratch' | 'designer.save-scratch' | 'designer.state' | 'designer.save-state' | 'designer.scratch-list'> = {
  'designer.open': IN_WORKER,
  'designer.plan': IN_WORKER,
  'designer.save': IN_WORKER,

  async 'designer.types'({ engine }) {
    return dialectFor(engine).designDialect(engine).builtinTypes();
  },

  async 'designer.plan-scratch'({ design, name, version }) {
    if (design.tables.length === 0) throw new CoreError('invalid-input', 'The design has no tables yet: add a table first.');
    return planDesignMigration(dialectFor(design.engine).designDialect(design.engine, version), emptyDesign(design.engine, design.schema), design, { name });
  },

  async 'designer.save-scratch'({ design, name, dir, version }) {
    if (design.tables.length === 0) throw new CoreError('invalid-input', 'The design has no tables yet: add a table first.');
    const plan = planDesignMigration(dialectFor(design.engine).designDialect(design.engine, version), emptyDesign(design.engine, design.schema), design, { name });
    const written = await writeNewMigration(dir, { name, up: sectionBody(plan.up), down: sectionBody(plan.down), transaction: plan.up.transactional });
    return { version: written.version, files: written.files, format: written.format, dir };
  },

  async 'designer.state'({ scope, schema }, { core }) {
    return core.store.designer.get(scope, schema);
  },

  async 'designer.save-state'({ scope, schema, positions, draft }, { core }) {
    const patch: Parameters<typeof core.store.designer.save>[2] = {};
    if (positions !== undefined) patch.positions = positions;
    if (draft !== undefined) patch.draft = draft;
    return { savedAt: core.store.designer.save(scope, schema, patch) };
  },

  async 'designer.scratch-list'(_input, { core }) {
    return core.store.designer.scratchDrafts().map((d) => ({
      scope: d.scope,
      schema: d.schema,
      title: d.draft.title ?? d.schema,
      engine: d.draft.design.engine,
      tables: d.draft.design.tables.length,
      savedAt: d.draft.savedAt,
    }));
  },
};
