import { CoreError } from '../../errors';
import type { WorkerCommandHandlers } from '../../worker/worker-context';

export const queryHandlers: WorkerCommandHandlers = {
  async 'query.openSession'({ connectionId, sessionId }, { queries }) {
    return queries.open(connectionId, sessionId);
  },
  async 'query.closeSession'({ sessionId }, { queries }) {
    return { closed: await queries.close(sessionId) };
  },
  async 'query.run'(input, { queries, signal }) {
    return queries.run(input, signal);
  },
  async 'query.credit'({ runId, batches }, { queries }) {
    return { accepted: queries.credit(runId, batches) };
  },
  async 'query.setAutoCommit'({ sessionId, autoCommit }, { queries }) {
    return queries.setAutoCommit(sessionId, autoCommit);
  },
  async 'query.commit'({ sessionId }, { queries }) {
    return queries.endTransaction(sessionId, 'commit');
  },
  async 'query.rollback'({ sessionId }, { queries }) {
    return queries.endTransaction(sessionId, 'rollback');
  },
  async 'query.explain'(input, { queries, signal }) {
    return queries.explain(input, signal);
  },
  async 'query.columns'({ connectionId, schema }, { registry }) {
    return registry.get(connectionId).engine.queryTools.listColumns(schema);
  },
  async 'query.processes'({ connectionId }, { registry, queries }) {
    const list = await registry.get(connectionId).engine.queryTools.processList(queries.backendIds(connectionId));
    if (list === null) throw new CoreError('unsupported', 'SQLite has no server and no process list: every connection is a file handle of this app.');
    return list;
  },
  async 'query.killProcess'({ connectionId, processId, mode }, { registry }) {
    return { done: await registry.get(connectionId).engine.queryTools.killProcess(processId, mode) };
  },
};
