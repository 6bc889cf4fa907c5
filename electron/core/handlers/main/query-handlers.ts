import type { CommandName, CommandOutput } from '../../../../shared/ipc/contract';
import { CoreError } from '../../errors';
import { IN_WORKER, type HandlerMap } from '../../router';

type QueryCommand = Extract<CommandName, `query.${string}` | `history.${string}` | `savedQueries.${string}` | `editorTabs.${string}`>;

export const queryHandlers: HandlerMap<QueryCommand> = {
  'query.openSession': IN_WORKER,
  'query.closeSession': IN_WORKER,
  /** Runs in the worker; what ran is written to the connection's history here, in the app store. */
  async 'query.run'(input, { core, session, signal }) {
    // The caller's signal goes on to the worker: its abort cancels the running statement there.
    const result = await session.send('query.run', input, signal);
    if (!result.ok) throw new CoreError(result.error.code, result.error.message, result.error.detail);
    const value = result.value as CommandOutput<'query.run'>;
    core.store.queries.recordHistory(value.session.connectionId, value.results);
    return value;
  },
  'query.credit': IN_WORKER,
  'query.setAutoCommit': IN_WORKER,
  'query.commit': IN_WORKER,
  'query.rollback': IN_WORKER,
  'query.explain': IN_WORKER,
  'query.columns': IN_WORKER,
  'query.processes': IN_WORKER,
  'query.killProcess': IN_WORKER,

  async 'history.list'({ profileId, search, limit, beforeId }, { core }) {
    return core.store.queries.listHistory(profileId, { search, limit, beforeId });
  },
  async 'history.delete'({ ids }, { core }) {
    return { deleted: core.store.queries.deleteHistory(ids) };
  },
  async 'history.clear'({ profileId }, { core }) {
    return { deleted: core.store.queries.clearHistory(profileId) };
  },
  async 'savedQueries.list'({ profileId, search }, { core }) {
    return core.store.queries.listSaved(profileId, search);
  },
  async 'savedQueries.save'(input, { core }) {
    return core.store.queries.saveQuery(input);
  },
  async 'savedQueries.delete'({ id }, { core }) {
    return { deleted: core.store.queries.deleteSaved(id) };
  },
  async 'editorTabs.list'({ profileId }, { core }) {
    return core.store.queries.listTabs(profileId);
  },
  async 'editorTabs.save'({ tab }, { core }) {
    return core.store.queries.saveTab(tab);
  },
  async 'editorTabs.delete'({ id }, { core }) {
    return { deleted: core.store.queries.deleteTab(id) };
  },
};
