import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SecretScrubber } from '../../../shared/diagnostics/secrets';
import type { DiagnosticProgress, DiagnosticRun, DiagnosticTarget } from '../../../shared/model/diagnostics';
import { diagnosticStepTitles } from '../../../shared/model/diagnostics';
import { defaultPorts, engineLabels } from '../../../shared/model/engine';
import type { EngineConfig } from '../engines/config';
import { diagnosticsFor } from '../engines';
import { appVersion } from '../paths';
import { classifyRun } from './classify';
import { networkPlan, runNetworkDiagnosis } from './network-run';
import type { RemedyContext } from './remedies';
import { sqlitePlan, runSqliteDiagnosis } from './sqlite-run';
import { StepRecorder } from './step-recorder';
import { stepTimeouts } from './timeouts';

export interface DiagnoseOptions {
  runId?: string;
  /** Cancels the run: the step in progress fails as cancelled, the rest are skipped. */
  signal?: AbortSignal;
  /** Replaces every step's own limit (ms). */
  stepTimeoutMs?: number;
  onProgress?(progress: DiagnosticProgress): void;
  /** The profile's name, for the report. */
  name?: string;
  /** Network engines: stop after TLS (no login) — the retry loop's quick look at an ambiguous failure. */
  transportOnly?: boolean;
}

/**
 * Diagnoses one connection profile: runs its steps, classifies the first failure, and returns the
 * whole run with every secret already removed. Runs in the window's worker (live progress events)
 * and directly in the CLI.
 */
export async function runDiagnostics(config: EngineConfig, options: DiagnoseOptions = {}): Promise<DiagnosticRun> {
  const runId = options.runId ?? randomUUID();
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const family = diagnosticsFor(config.engine);
  const timeouts = stepTimeouts(config, options.stepTimeoutMs);
  const plan = family.kind === 'file' ? sqlitePlan : networkPlan;
  const target = targetOf(config, options.name);
  // The password, and its URL-encoded form, are removed from every text the run produces.
  const scrubber = new SecretScrubber(config.password ? [config.password, encodeURIComponent(config.password)] : []);
  const ctx: RemedyContext & { serverVersion?: string; product?: string } = {
    engineLabel: engineLabels[config.engine],
    protocol: family.kind === 'file' ? 'sqlite' : family.protocol,
    ...(config.engine === 'mariadb' || config.engine === 'mysql' ? { flavour: config.engine } : {}),
  };
  options.onProgress?.({ runId, kind: 'plan', target, steps: plan.map((id) => ({ id, title: diagnosticStepTitles[id], timeoutMs: timeouts[id] })) });
  const rec = new StepRecorder({ runId, signal: options.signal ?? new AbortController().signal, scrubber, classifyContext: () => ctx, onProgress: options.onProgress });

  if (family.kind === 'file') await runSqliteDiagnosis(config, family, rec, timeouts, ctx);
  else await runNetworkDiagnosis(config, family, rec, timeouts, ctx, { transportOnly: options.transportOnly ?? false });

  const steps = plan.map((id) => rec.steps.find((s) => s.id === id)).filter((s) => s !== undefined);
  return {
    schema: 'dbdesk-diagnostics/1',
    runId,
    startedAt,
    ms: Math.round(performance.now() - t0),
    target,
    verdict: classifyRun(steps, ctx),
    steps,
    ...(ctx.serverVersion ? { server: { product: ctx.product ?? ctx.flavour ?? config.engine, version: ctx.serverVersion } } : {}),
    environment: { app: `DB Desk ${appVersion()}`, node: process.version, platform: `${process.platform}-${process.arch}`, driver: `${family.driver.name} ${family.driver.version}` },
    secretsRemoved: scrubber.removed,
  };
}

function targetOf(config: EngineConfig, name: string | undefined): DiagnosticTarget {
  const t: DiagnosticTarget = { engine: config.engine, readOnly: config.readOnly };
  if (name ?? config.name) t.name = name ?? config.name;
  if (config.engine === 'sqlite') {
    if (config.file) t.file = config.file;
    return t;
  }
  t.host = config.host || 'localhost';
  t.port = config.port ?? defaultPorts[config.engine];
  if (config.database) t.database = config.database;
  if (config.user) t.user = config.user;
  t.tlsMode = config.tls.mode;
  return t;
}
