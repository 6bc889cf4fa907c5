import { parseArgs } from 'node:util';
import { ConnectionFields } from '../../../shared/model/connection';
import { ConnectionUrlError, formatConnectionUrl, parseConnectionUrl } from '../../../shared/model/connection-url';
import { defaultPoolSize } from '../../../shared/model/connection';
import type { DiagnosticRun, DiagnosticStep } from '../../../shared/model/diagnostics';
import { diagnosticClassLabels, remedyAudienceLabels } from '../../../shared/model/diagnostics';
import type { EngineConfig } from '../../core/engines/config';
import { openProfileBook } from '../node-core';
import { UsageError, type CliCommand } from '../usage';
import { applySshFlags, sshFlagOptions, sshFlagsUsage } from '../ssh-flags';
import { formatSshDestination } from '../../../shared/model/ssh';

type StepJson = { id: string; hop?: string; status: string; ms: number; detail: string; remedy: string | null };

/**
 * The one object `--json` prints (its shape is fixed by the diagnostics issue). A cluster profile adds
 * `node` (the node the class is about) and `nodes`, each in the same shape; its own `steps` is empty.
 */
export interface DiagnoseJson {
  usable: boolean;
  class: string | null;
  found?: string;
  node?: string;
  steps: StepJson[];
  nodes?: { node: string; name: string | null; usable: boolean; class: string | null; remedy: string | null; steps: StepJson[] }[];
}

const remedyText = (r: DiagnosticStep['remedy']) => (r ? `${remedyAudienceLabels[r.audience]}: ${r.text}` : null);
const stepsJson = (steps: DiagnosticStep[]): StepJson[] => steps.map((s) => ({ id: s.id, ...(s.hop ? { hop: s.hop.label } : {}), status: s.status, ms: s.ms, detail: s.detail, remedy: remedyText(s.remedy) }));

export function diagnoseJson(run: DiagnosticRun): DiagnoseJson {
  return {
    usable: run.verdict.usable,
    class: run.verdict.classId,
    ...(run.verdict.found ? { found: run.verdict.found } : {}),
    ...(run.verdict.node ? { node: run.verdict.node } : {}),
    steps: stepsJson(run.steps),
    ...(run.cluster
      ? { nodes: run.cluster.nodes.map((n) => ({ node: n.endpoint, name: n.nodeName, usable: n.verdict.usable, class: n.verdict.classId, remedy: remedyText(n.verdict.remedy), steps: stepsJson(n.steps) })) }
      : {}),
  };
}

const marks: Record<DiagnosticStep['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

function stepLine(s: DiagnosticStep): string {
  const lines = [`${marks[s.status]}  ${s.id.padEnd(12)}${`${s.ms} ms`.padStart(8)}  ${s.hop && s.hop.count > 1 ? `[hop ${s.hop.index + 1}] ` : ''}${s.detail}`];
  if (s.classId) lines.push(`${' '.repeat(26)}class: ${s.classId}${s.found ? ` (found: ${s.found})` : ''}`);
  if (s.remedy) lines.push(`${' '.repeat(26)}${remedyAudienceLabels[s.remedy.audience]}: ${s.remedy.text}`);
  return lines.join('\n');
}

export const diagnoseCommand: CliCommand = {
  name: 'diagnose',
  summary: 'Diagnose a connection step by step (DNS, TCP, protocol, TLS, login, database, privileges, health). Exit 0 if usable, 1 if not.',
  usage: `dbdesk diagnose <url> | --connection NAME [--json] [--timeout-ms N] [--data-dir DIR] ${sshFlagsUsage}`,
  async run(argv, globals) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { connection: { type: 'string' }, json: { type: 'boolean', default: false }, 'timeout-ms': { type: 'string' }, 'data-dir': { type: 'string' }, ...sshFlagOptions },
      strict: true,
    });
    if (positionals.length > 1) throw new UsageError(`Give one connection URL, not ${positionals.length}.`);
    const url = positionals[0];
    if ((url === undefined) === (values.connection === undefined)) throw new UsageError('Give either a connection URL or --connection NAME.');
    let stepTimeoutMs: number | undefined;
    if (values['timeout-ms'] !== undefined) {
      stepTimeoutMs = Number(values['timeout-ms']);
      if (!/^\d+$/.test(values['timeout-ms']) || stepTimeoutMs < 100 || stepTimeoutMs > 120_000) {
        throw new UsageError(`--timeout-ms must be a whole number of milliseconds between 100 and 120000, not "${values['timeout-ms']}".`);
      }
    }
    const target = url !== undefined ? configFromUrl(url) : configFromProfile(values.connection!, values['data-dir'] ?? globals.dataDir);
    const config = applySshFlags(target.config, values);
    const label = config.ssh.enabled ? `${target.label} through SSH ${formatSshDestination(config.ssh)}${config.ssh.jumps.length ? ` via ${config.ssh.jumps.map(formatSshDestination).join(', ')}` : ''}` : target.label;
    if (!values.json) console.log(`Diagnosing ${label}${stepTimeoutMs ? ` (each step at most ${stepTimeoutMs} ms)` : ''}\n`);
    // A single server prints its steps as they finish; a cluster's nodes run at once, so each node is printed whole at the end.
    let cluster = false;
    // Loaded here, not at start-up: every dbdesk command (serve too) would pay for the drivers otherwise.
    const { runDiagnostics } = await import('../../../features/diagnostics/core/run-diagnostics');
    const run = await runDiagnostics(config, {
      ...(stepTimeoutMs !== undefined ? { stepTimeoutMs } : {}),
      onProgress: values.json
        ? undefined
        : (p) => {
            if (p.kind === 'plan' && p.nodes) {
              cluster = true;
              console.log(`Every node at once: ${p.nodes.join(', ')}\n`);
            }
            if (p.kind === 'finished' && !cluster) console.log(stepLine(p.step));
          },
    });
    if (values.json) console.log(JSON.stringify(diagnoseJson(run), null, 2));
    else {
      for (const n of run.cluster?.nodes ?? []) {
        const v = n.verdict;
        console.log(`== node ${n.endpoint}${n.nodeName ? ` (${n.nodeName})` : ''}: ${v.usable ? (v.status === 'ok' ? 'usable' : 'usable, with warnings') : 'NOT USABLE'}${v.classId ? ` — class ${v.classId}` : ''}`);
        for (const s of n.steps) console.log(stepLine(s));
        console.log('');
      }
      for (const f of run.cluster?.findings ?? []) console.log(`CLUSTER: ${f}\n`);
      const v = run.verdict;
      console.log(`\n${v.usable ? (v.status === 'ok' ? 'USABLE' : 'USABLE, WITH WARNINGS') : 'NOT USABLE'}: ${v.headline}`);
      if (v.classId) console.log(`class: ${v.classId} — ${diagnosticClassLabels[v.classId]}${v.found ? ` (found: ${v.found})` : ''}${v.node ? ` · node ${v.node}` : ''}`);
      if (run.cluster && v.remedy) console.log(`${remedyAudienceLabels[v.remedy.audience]}: ${v.remedy.text}`);
      console.log(`(${run.ms} ms)`);
    }
    return run.verdict.usable ? 0 : 1;
  },
};

function configFromUrl(url: string): { config: EngineConfig; label: string } {
  try {
    const parsed = parseConnectionUrl(url);
    const fields = ConnectionFields.parse({ ...parsed.fields, name: parsed.fields.name || 'command line' });
    const config: EngineConfig = { ...fields, poolSize: 1 };
    if (parsed.password !== undefined) config.password = parsed.password;
    return { config, label: formatConnectionUrl(fields) };
  } catch (err) {
    if (err instanceof ConnectionUrlError) throw new UsageError(err.message);
    if ((err as { name?: string }).name === 'ZodError') throw new UsageError(`The URL does not make a valid connection: ${(err as Error).message}`);
    throw err;
  }
}

function configFromProfile(name: string, dataDir: string | undefined): { config: EngineConfig; label: string } {
  const book = openProfileBook(dataDir);
  try {
    const profiles = book.list();
    const profile =
      profiles.find((p) => p.name === name) ?? profiles.find((p) => p.id === name) ?? unique(profiles.filter((p) => p.name.toLowerCase() === name.toLowerCase()));
    if (!profile) {
      const names = profiles.map((p) => `"${p.name}"`).join(', ');
      throw new UsageError(`No saved connection named "${name}". ${names ? `Saved: ${names}.` : 'There are no saved connections.'}`);
    }
    const { id, hasPassword: _h, hasSshPassword: _hs, hasSshPassphrase: _hp, source: _s, ...fields } = profile;
    const config = book.engineConfig(fields, book.passwordOf(id), book.sshSecretsOf(id));
    return { config: { ...config, poolSize: defaultPoolSize(1) }, label: `"${profile.name}" (${formatConnectionUrl(fields)})` };
  } finally {
    book.close();
  }
}

function unique<T>(list: T[]): T | undefined {
  return list.length === 1 ? list[0] : undefined;
}
