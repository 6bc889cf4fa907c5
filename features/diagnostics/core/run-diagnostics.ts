import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SecretScrubber } from '../../../shared/security/secrets';
import type { DiagnosticProgress, DiagnosticRun, DiagnosticStep, DiagnosticTarget, DiagnosticVerdict } from '../../../shared/model/diagnostics';
import { diagnosticStepTitles } from '../../../shared/model/diagnostics';
import { defaultPorts, engineLabels, isFileEngine } from '../../../shared/model/engine';
import type { EngineConfig } from '../../../electron/core/engines/config';
import { dialectFor, type Dialect } from '../../../electron/core/engines';
import type { EngineDiagnostics } from './engine-diagnostics';
import { appVersion } from '../../../electron/core/paths';
import { classifyRun } from './classify';
import { assessCluster, hostPort, nodeNameOf } from './cluster-verdict';
import { networkPlan, runNetworkDiagnosis } from './network-run';
import type { RemedyContext } from './remedies';
import { sqlitePlan, runSqliteDiagnosis } from './sqlite-run';
import { runSshDiagnosis, sshPlan } from './ssh-run';
import { StepRecorder } from './step-recorder';
import { stepTimeouts, type StepTimeouts } from './timeouts';

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

/** One target's steps, verdict and what was learnt about its server. */
interface TargetOutcome {
  steps: DiagnosticStep[];
  verdict: DiagnosticVerdict;
  server?: { product: string; version: string };
}

/**
 * Diagnoses one connection profile: runs its steps, classifies the first failure, and returns the
 * whole run with every secret already removed. A Galera cluster profile has every listed node
 * diagnosed at the same time, each with the full set of steps, and the nodes' findings combined
 * (which node holds the primary component, whether bootstrapping is called for). Runs in the
 * window's worker (live progress events) and directly in the CLI.
 */
export async function runDiagnostics(config: EngineConfig, options: DiagnoseOptions = {}): Promise<DiagnosticRun> {
  const runId = options.runId ?? randomUUID();
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const dialect = dialectFor(config.engine);
  const family = await dialect.diagnostics();
  const timeouts = stepTimeouts(config, options.stepTimeoutMs);
  const plan = family.kind === 'file' ? sqlitePlan : networkPlan;
  const nodes = dialect.clusterNodes(config);
  const target = targetOf(config, options.name, nodes);
  // The password, and its URL-encoded form, are removed from every text the run produces.
  const secrets = [config.password, config.sshPassword, config.sshPassphrase].filter((x): x is string => x !== undefined && x !== '');
  const scrubber = new SecretScrubber(secrets.flatMap((x) => [x, encodeURIComponent(x)]));
  const ssh = config.ssh?.enabled === true && family.kind === 'network';
  options.onProgress?.({
    runId,
    kind: 'plan',
    target,
    steps: [...(ssh ? sshPlan(config, timeouts) : []), ...plan.map((id) => ({ id, title: diagnosticStepTitles[id], timeoutMs: timeouts[id] }))],
    ...(nodes ? { nodes: nodes.map((n) => hostPort(n.host, n.port)) } : {}),
  });
  const signal = options.signal ?? new AbortController().signal;
  const one = (c: EngineConfig, node?: string) => diagnoseTarget(c, dialect, family, { runId, signal, timeouts, scrubber, transportOnly: options.transportOnly ?? false, onProgress: options.onProgress, node });

  const base = {
    schema: 'dbdesk-diagnostics/1' as const,
    runId,
    startedAt,
    target,
    environment: { app: `DB Desk ${appVersion()}`, node: process.version, platform: `${process.platform}-${process.arch}`, driver: `${family.driver.name} ${family.driver.version}` },
  };
  if (!nodes) {
    const r = await one(config);
    return { ...base, ms: Math.round(performance.now() - t0), verdict: r.verdict, steps: r.steps, ...(r.server ? { server: r.server } : {}), secretsRemoved: scrubber.removed };
  }
  const outcomes = await Promise.all(
    nodes.map(async (n) => {
      const endpoint = hostPort(n.host, n.port);
      const r = await one({ ...config, host: n.host, port: n.port, nodes: [] }, endpoint);
      return { endpoint, nodeName: nodeNameOf(r.steps), ...r };
    }),
  );
  const cluster = assessCluster(outcomes, engineLabels[config.engine]);
  const server = outcomes.find((o) => o.server)?.server;
  return { ...base, ms: Math.round(performance.now() - t0), verdict: cluster.verdict, steps: [], cluster: cluster.diagnosis, ...(server ? { server } : {}), secretsRemoved: scrubber.removed };
}

/** The steps of one server (or one node of a cluster) and their verdict. */
async function diagnoseTarget(
  config: EngineConfig,
  dialect: Dialect,
  family: EngineDiagnostics,
  o: { runId: string; signal: AbortSignal; timeouts: StepTimeouts; scrubber: SecretScrubber; transportOnly: boolean; onProgress: DiagnoseOptions['onProgress']; node: string | undefined },
): Promise<TargetOutcome> {
  const plan = family.kind === 'file' ? sqlitePlan : networkPlan;
  const ctx: RemedyContext & { serverVersion?: string } = {
    engineLabel: engineLabels[config.engine],
    product: config.engine,
    ...(dialect.errors.listenSettings ? { listenSettings: dialect.errors.listenSettings } : {}),
  };
  const rec = new StepRecorder({ runId: o.runId, signal: o.signal, scrubber: o.scrubber, classifyContext: () => ctx, onProgress: o.onProgress, ...(o.node !== undefined ? { node: o.node } : {}) });
  if (family.kind === 'file') await runSqliteDiagnosis(config, family, rec, o.timeouts, ctx);
  else {
    if (!dialect.wire) throw new Error(`${ctx.engineLabel} has a network diagnostics adapter but no wire protocol.`);
    // Through SSH: every hop first; the database's steps then run through the tunnel, or not at all.
    const tunnel = config.ssh?.enabled ? await runSshDiagnosis(config, rec, o.timeouts, { host: config.host || 'localhost', port: config.port ?? defaultPorts[config.engine] ?? 0 }) : null;
    try {
      if (config.ssh?.enabled && !tunnel) for (const id of plan) rec.skip(id, 'Not run: the SSH tunnel to the database could not be opened (see the SSH steps).', o.timeouts[id]);
      else await runNetworkDiagnosis(tunnel ? { ...config, tunnel } : config, family, dialect.wire, rec, o.timeouts, ctx, { transportOnly: o.transportOnly });
    } finally {
      tunnel?.close();
    }
  }
  const steps = [...rec.steps.filter((s) => s.hop !== undefined || s.id === 'ssh-config'), ...plan.map((id) => rec.steps.find((s) => s.id === id)).filter((s) => s !== undefined)];
  return {
    steps,
    verdict: classifyRun(steps, ctx),
    ...(ctx.serverVersion ? { server: { product: ctx.product ?? config.engine, version: ctx.serverVersion } } : {}),
  };
}

function targetOf(config: EngineConfig, name: string | undefined, nodes: { host: string; port: number }[] | null): DiagnosticTarget {
  const t: DiagnosticTarget = { engine: config.engine, readOnly: config.readOnly };
  if (name ?? config.name) t.name = name ?? config.name;
  if (isFileEngine(config.engine)) {
    if (config.file) t.file = config.file;
    return t;
  }
  t.host = config.host || 'localhost';
  t.port = config.port ?? defaultPorts[config.engine];
  if (config.database) t.database = config.database;
  if (config.user) t.user = config.user;
  t.tlsMode = config.tls.mode;
  if (nodes) t.nodes = nodes.slice(1).map((n) => hostPort(n.host, n.port));
  return t;
}
