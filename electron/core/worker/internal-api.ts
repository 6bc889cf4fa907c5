import type { OpenConnection } from '../../../shared/ipc/commands/connections';
import type { DiagnosticRun } from '../../../shared/model/diagnostics';
import type { ServerInfo } from '../../../shared/model/schema';
import type { EngineConfig } from '../engines/config';

/**
 * Worker methods that only the core calls. Their inputs may carry a password, which is why they
 * are not IPC commands: the renderer can never name them (the router only knows the contract).
 */
export interface InternalApi {
  /** `sshRemember`: a passphrase or password the person typed, asked to keep, and that worked (the core stores it; never sent on). */
  'worker.open': { input: { profileId: string; config: EngineConfig; demoFile?: string }; output: OpenConnection & { sshRemember?: { password?: string; passphrase?: string } } };
  'worker.test': { input: { config: EngineConfig }; output: { serverInfo: ServerInfo; endpoint: string; ms: number } };
  /** Runs the connection diagnostics; progress goes out as diagnostics.step events; the call's signal cancels it. */
  'worker.diagnose': { input: { runId: string; config: EngineConfig; name?: string; stepTimeoutMs?: number }; output: DiagnosticRun };
  'worker.close': { input: { connectionId: string }; output: { closed: boolean } };
  'worker.closeAll': { input: Record<string, never>; output: { closed: number } };
  /** Test hook, present only when DBDESK_TEST_HOOKS=1: kills the worker the hard way. */
  'worker.crashForTest': { input: Record<string, never>; output: never };
}

export type InternalName = keyof InternalApi;
export type InternalInput<N extends InternalName> = InternalApi[N]['input'];
export type InternalOutput<N extends InternalName> = InternalApi[N]['output'];

export function isInternalName(name: string): name is InternalName {
  return name.startsWith('worker.');
}
