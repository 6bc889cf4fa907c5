import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { generateDemoDatabase } from '../../demo/demo-database';
import { openEngine } from '../../engines';
import { CoreError, redactSecrets, toIpcError } from '../../errors';
import { classifyAttempt } from '../../../../features/diagnostics/core/attempt-class';
import { classFields, connectWithRetry } from '../../../../features/connections/core/connect-with-retry';
import { SshTyped, windowSshQuestions, type SshAsk } from '../../ssh/ssh-questions';
import { SshTunnelDropped } from '../../ssh/ssh-tunnel';
import type { WorkerContext, WorkerInternalHandlers } from '../../worker/worker-context';

/** Questions an SSH login puts to this window's person go out as events; the answers come back as connections.answerSsh. */
function askThisWindow(ctx: WorkerContext, profileId?: string): SshAsk {
  return windowSshQuestions.asker({
    question: (questionId, question) => ctx.emit('ssh.question', { questionId, ...(profileId ? { profileId } : {}), question }),
    closed: (questionId) => ctx.emit('ssh.questionClosed', { questionId }),
  });
}

export const connectionInternalHandlers: WorkerInternalHandlers = {
  async 'worker.open'({ profileId, config, demoFile }, ctx) {
    const { registry } = ctx;
    if (registry.has(profileId)) await registry.close(profileId);
    registry.pending.get(profileId)?.abort();
    // The first start writes the demo database (~1.5 s): the window shows what is happening, with progress.
    if (demoFile && !existsSync(demoFile)) generateDemoDatabase(demoFile, undefined, (done, total) => ctx.emit('connection.preparing', { profileId, step: 'demo-database', done, total }));
    const controller = new AbortController();
    registry.pending.set(profileId, controller);
    // The caller cancels its connections.open through the call's own signal; a close or a newer open of the profile through `pending`.
    const onCallAborted = () => controller.abort();
    if (ctx.signal.aborted) controller.abort();
    else ctx.signal.addEventListener('abort', onCallAborted, { once: true });
    // A passphrase, password or one-time code the profile does not hold is asked for in the window.
    const sshTyped = new SshTyped();
    try {
      const engine = await connectWithRetry({ ...config, sshAsk: askThisWindow(ctx, profileId), sshTyped }, {
        profileId,
        signal: controller.signal,
        onAttempt: (e) => ctx.emit('connection.attempt', e),
        hooks: {
          onConnectionLost: (err) => {
            if (registry.has(profileId)) {
              // A dropped tunnel is opened again by the engine on the next use: the window keeps the connection open.
              const reconnects = err instanceof SshTunnelDropped;
              ctx.emit('connection.lost', { connectionId: profileId, error: toIpcError(err, 'connection-failed', registry.allSecrets()), ...(reconnects ? { reconnects } : {}) });
            }
          },
          onPoolCapped: (cap) => {
            const secrets = [...registry.allSecrets(), config.password];
            const whose = cap.scope === 'account' ? 'This account’s connection limit' : cap.scope === 'database' ? 'The database’s connection limit' : 'The server’s connection limit';
            ctx.emit('connection.capped', {
              connectionId: profileId,
              granted: cap.granted,
              poolSize: cap.poolSize,
              scope: cap.scope,
              message: `${whose} caps this connection at ${cap.granted} of its ${cap.poolSize} pooled connection${cap.poolSize === 1 ? '' : 's'}: requests wait their turn, and the SQL editor shares ${cap.granted === 1 ? 'it' : 'them'}.`,
              remedy: redactSecrets(cap.remedy, secrets),
              serverMessage: redactSecrets(cap.serverMessage, secrets),
            });
          },
          onNodeChange: (change) => {
            if (registry.has(profileId)) {
              const secrets = [...registry.allSecrets(), config.password];
              ctx.emit('connection.failover', { connectionId: profileId, ...change, reason: redactSecrets(change.reason, secrets), at: Date.now() });
            }
          },
        },
      });
      const serverInfo = await engine.serverInfo().catch(async (err: unknown) => {
        await engine.close();
        throw err;
      });
      registry.add({
        connectionId: profileId,
        profileId,
        engine,
        readOnly: config.readOnly,
        production: config.production,
        databaseName: engine.dialect.databaseName(serverInfo, engine.endpoint, config),
        secrets: [config.password, config.sshPassword, config.sshPassphrase, ...sshTyped.secrets].filter((s): s is string => s !== undefined && s !== ''),
        config,
      });
      const remember = sshTyped.remember;
      return { connectionId: profileId, profileId, serverInfo, endpoint: engine.endpoint, ...(remember.password !== undefined || remember.passphrase !== undefined ? { sshRemember: { ...remember } } : {}) };
    } finally {
      ctx.signal.removeEventListener('abort', onCallAborted);
      if (registry.pending.get(profileId) === controller) registry.pending.delete(profileId);
    }
  },

  async 'worker.test'({ config }, ctx) {
    const started = performance.now();
    let engine;
    try {
      // The editor's Test asks what is missing too; nothing typed there is remembered (no SshTyped).
      engine = await openEngine({ ...config, sshAsk: askThisWindow(ctx) });
    } catch (err) {
      // The editor shows the class next to the error and offers the full diagnosis.
      const cls = await classifyAttempt(err, config, new AbortController().signal).catch(() => undefined);
      const e = toIpcError(err, 'connection-failed', [config.password, config.sshPassword, config.sshPassphrase]);
      throw new CoreError(e.code, e.message, { ...e.detail, ...classFields(cls) });
    }
    try {
      const serverInfo = await engine.serverInfo();
      return { serverInfo, endpoint: engine.endpoint, ms: Math.round(performance.now() - started) };
    } finally {
      await engine.close();
    }
  },

  async 'worker.close'({ connectionId }, { registry }) {
    registry.pending.get(connectionId)?.abort();
    return { closed: await registry.close(connectionId) };
  },

  async 'worker.closeAll'(_input, { registry }) {
    for (const c of registry.pending.values()) c.abort();
    await registry.closeAll();
    return { closed: 0 };
  },

  async 'worker.crashForTest'() {
    if (process.env.DBDESK_TEST_HOOKS !== '1') throw new CoreError('forbidden', 'Test hooks are off.');
    // An uncaught error on a later tick: the way a real bug would take the worker down.
    setImmediate(() => {
      throw new Error('Crash requested by a test');
    });
    return new Promise<never>(() => undefined);
  },
};
