import { randomUUID } from 'node:crypto';
import type { MigrationSettings } from '../../../shared/model/migrations';
import type { EngineConfig } from '../../core/engines/config';
import { toIpcError } from '../../core/errors';
import type { ResolvedTarget } from './migrate-target';
import { progressLine } from './print';

export interface ShadowCommandOptions {
  dir: string;
  settings: MigrationSettings;
  shadowConfig: EngineConfig | null;
  json: boolean;
  copyRowsUpTo: number | null;
  to?: string | undefined;
}

/**
 * `dbdesk migrate drift` and `dbdesk migrate up --rehearse`: the live database opened for reading (its
 * design, its history), the shadow made, used and dropped — Ctrl-C stops after the current statement and
 * still drops it. Exit codes: drift 0 none, 1 drift, 2 could not check; rehearse 0 would succeed (or
 * nothing pending), 1 would fail, was refused or could not run.
 */
export async function runShadowCommand(kind: 'drift' | 'rehearse', target: ResolvedTarget, options: ShadowCommandOptions): Promise<number> {
  const out = (text: string) => process.stdout.write(text);
  const note = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  const trouble = kind === 'drift' ? 2 : 1;
  const controller = new AbortController();
  const onSignal = () => {
    note('Stopping after the current statement, then dropping the shadow…');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const { openEngine } = await import('../../core/engines');
  let engine;
  try {
    engine = await openEngine(target.config);
  } catch (err) {
    const e = toIpcError(err, 'connection-failed');
    if (options.json) out(`${JSON.stringify({ error: e }, null, 2)}\n`);
    process.stderr.write(`dbdesk migrate: ${e.message}\n`);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    return trouble;
  }
  try {
    const input = {
      live: { config: target.config, engine, adapter: engine.migrations(), label: target.label },
      shadowConfig: options.shadowConfig,
      dir: options.dir,
      settings: options.settings,
      runId: randomUUID(),
      signal: controller.signal,
      onProgress: (p: Parameters<typeof progressLine>[0]) => {
        // A drift check replays what is applied already: its statements are noise; the rehearsal's are the point.
        if (kind === 'drift' && p.kind !== 'shadow') return;
        const line = progressLine(p);
        if (line) note(line);
      },
    };
    if (kind === 'drift') {
      const { checkDrift } = await import('../../../features/migrations/core/shadow/drift');
      const report = await checkDrift(input);
      if (options.json) out(`${JSON.stringify(report, null, 2)}\n`);
      else out((await import('./shadow-print')).driftText(report));
      if (!report.shadow.dropped) return trouble;
      return report.drift ? 1 : 0;
    }
    const { rehearse } = await import('../../../features/migrations/core/shadow/rehearse');
    const report = await rehearse(input, { copyRowsUpTo: options.copyRowsUpTo, to: options.to });
    if (options.json) out(`${JSON.stringify(report, null, 2)}\n`);
    else out((await import('./shadow-print')).rehearsalText(report));
    return report.outcome === 'would-succeed' || report.outcome === 'nothing-pending' ? 0 : 1;
  } catch (err) {
    const e = toIpcError(err, 'query-failed');
    if (options.json) out(`${JSON.stringify({ error: e }, null, 2)}\n`);
    process.stderr.write(`dbdesk migrate ${kind === 'drift' ? 'drift' : 'up --rehearse'}: ${e.message}\n`);
    return trouble;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine.close().catch(() => undefined);
  }
}
