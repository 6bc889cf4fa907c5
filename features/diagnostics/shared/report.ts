import type { DiagnosticRun, DiagnosticStep, DriverErrorEvidence, EvidenceValue } from '../../../shared/model/diagnostics';
import { diagnosticClassLabels, remedyAudienceFor } from '../../../shared/model/diagnostics';
import { engineLabels, isFileEngine } from '../../../shared/model/engine';
import { Masker, type MaskSummary } from './mask';
import { SecretScrubber } from '../../../shared/security/secrets';

export interface ReportOptions {
  /** Replace host names, IP addresses, user, database and file names with pseudonyms. */
  mask: boolean;
}

export interface DiagnosticReport {
  markdown: string;
  json: string;
  /** What was taken out: secrets always, names when masking. */
  summary: { secretsRemoved: number; masked: MaskSummary | null };
  /** Pseudonym → original, for the local preview only: never part of the copied text. */
  legend: { pseudonym: string; original: string }[];
}

/**
 * A support report from a finished run: passwords, keys and connection-string secrets are always
 * removed (the core already scrubbed the profile's password; this pass catches anything shaped like a
 * secret), and on request every host, IP, user, database and file name is masked — inside server
 * messages and certificate names too.
 */
export function buildDiagnosticReport(run: DiagnosticRun, options: ReportOptions): DiagnosticReport {
  const scrubber = new SecretScrubber();
  let clean = scrubber.scrubDeep(run);
  let masker: Masker | null = null;
  if (options.mask) {
    masker = new Masker(knownValues(run));
    // Raw bytes may carry names no pattern can see inside (a banner in hex): they go when masking.
    const bare = (steps: DiagnosticStep[]) => steps.map((s) => ({ ...s, evidence: withoutRawBytes(s.evidence) }));
    clean = { ...clean, steps: bare(clean.steps), ...(clean.cluster ? { cluster: { ...clean.cluster, nodes: clean.cluster.nodes.map((n) => ({ ...n, steps: bare(n.steps) })) } } : {}) };
    clean = masker.maskDeep(clean);
  }
  return {
    markdown: toMarkdown(clean),
    json: JSON.stringify(clean, null, 2),
    summary: { secretsRemoved: run.secretsRemoved + scrubber.removed, masked: masker?.summary() ?? null },
    legend: masker?.legend() ?? [],
  };
}

const RAW_BYTE_KEYS = ['firstBytes', 'headerHex', 'headerText'];

function withoutRawBytes(evidence: Record<string, EvidenceValue>): Record<string, EvidenceValue> {
  const out: Record<string, EvidenceValue> = {};
  for (const [k, v] of Object.entries(evidence)) out[k] = RAW_BYTE_KEYS.includes(k) && v !== null ? '(hidden: masked report)' : v;
  return out;
}

/** Every name the run knows to be a host, user, database or path — masked wherever it appears (on every node of a cluster). */
function knownValues(run: DiagnosticRun) {
  const str = (v: EvidenceValue | undefined) => (typeof v === 'string' ? v : undefined);
  const list = (v: EvidenceValue | undefined) => (Array.isArray(v) ? v : []);
  const hostOf = (endpoint: string) => endpoint.replace(/^\[(.*)\]:\d+$/, '$1').replace(/:\d+$/, '');
  const hosts: (string | undefined)[] = [run.target.host, ...(run.target.nodes ?? []).map(hostOf)];
  const users: (string | undefined)[] = [run.target.user];
  const databases: (string | undefined)[] = [run.target.database];
  for (const steps of [run.steps, ...(run.cluster?.nodes.map((n) => n.steps) ?? [])]) {
    const ev = (id: string, key: string) => steps.find((s) => s.id === id)?.evidence[key];
    const [userPart, hostPart] = str(ev('session', 'currentUser'))?.split('@') ?? [];
    hosts.push(...list(ev('dns', 'addresses')), hostPart, str(ev('health', 'wsrep_node_name')));
    users.push(userPart);
    databases.push(str(ev('session', 'database')), str(ev('privileges', 'scope')));
  }
  for (const n of run.cluster?.nodes ?? []) hosts.push(hostOf(n.endpoint), n.nodeName ?? undefined);
  const file = run.target.file;
  return { hosts, users, databases, paths: file ? [file, file.replace(/[\\/][^\\/]*$/, '')] : [] };
}

const statusMarks: Record<DiagnosticStep['status'], string> = { ok: '✓ ok', warn: '⚠ warn', fail: '✗ FAIL', skip: '– skip' };

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  const t = text.replace(/`/g, 'ˋ');
  return `\`${t}\``;
}

function toMarkdown(run: DiagnosticRun): string {
  const v = run.verdict;
  const t = run.target;
  const out: string[] = [];
  out.push('# DB Desk connection diagnosis', '');
  const verdictText = v.status === 'ok' ? '✓ Usable' : v.status === 'degraded' ? '⚠ Usable, with warnings' : '✗ Not usable';
  out.push(`**Verdict:** ${verdictText} — ${v.headline}`, '');
  if (v.classId) {
    const alt = v.alternatives?.length ? ` (could also be: ${v.alternatives.map(code).join(', ')})` : '';
    out.push(`**Class:** ${code(v.classId)} — ${diagnosticClassLabels[v.classId]}${v.found ? `, found: ${code(v.found)}` : ''}${alt} · failed step: ${code(v.failedStep ?? '?')}${v.node ? ` · node ${code(v.node)}` : ''}`, '');
  }
  if (v.remedy) out.push(`**What to do** (${remedyAudienceFor[v.remedy.audience]}): ${v.remedy.text}`, '');
  const where =
    isFileEngine(t.engine)
      ? `${engineLabels[t.engine]} file ${code(t.file ?? '?')}`
      : `${engineLabels[t.engine]} ${code(`${t.host ?? '?'}:${t.port ?? '?'}`)}, database ${code(t.database ?? '(default)')}, user ${code(t.user ?? '(none)')}, sslmode ${code(t.tlsMode ?? '?')}`;
  out.push('| | |', '|---|---|');
  out.push(`| Target | ${cell(where)}${t.readOnly ? ', read-only' : ''} |`);
  if (t.nodes?.length) out.push(`| Cluster nodes | ${cell([`${t.host ?? '?'}:${t.port ?? '?'}`, ...t.nodes].join(', '))} |`);
  if (run.server?.version) out.push(`| Server | ${cell(`${run.server.product ?? ''} ${run.server.version}`.trim())} |`);
  out.push(`| Run | ${cell(`${run.startedAt}, ${run.ms} ms`)} |`);
  out.push(`| Software | ${cell(`${run.environment.app}, Node ${run.environment.node}, ${run.environment.platform}, ${run.environment.driver}`)} |`, '');
  if (run.cluster) {
    for (const f of run.cluster.findings) out.push(`**Cluster:** ${f}`, '');
    for (const n of run.cluster.nodes) {
      const nv = n.verdict;
      out.push(`## Node ${n.endpoint}${n.nodeName ? ` (${n.nodeName})` : ''}`, '');
      out.push(`**${nv.status === 'ok' ? '✓ Usable' : nv.status === 'degraded' ? '⚠ Usable, with warnings' : '✗ Not usable'}** — ${nv.headline}${nv.classId ? ` ${code(nv.classId)}` : ''}`, '');
      if (nv.remedy && nv.status !== 'ok') out.push(`**What to do** (${remedyAudienceFor[nv.remedy.audience]}): ${nv.remedy.text}`, '');
      stepsMarkdown(out, n.steps, '###');
    }
  } else {
    out.push('## Steps', '');
    stepsMarkdown(out, run.steps, '##');
  }
  out.push('---', 'Passwords, keys and connection-string secrets are removed from this report.');
  return out.join('\n') + '\n';
}

/** The steps table, then the evidence of every step that has some. */
function stepsMarkdown(out: string[], steps: DiagnosticStep[], level: '##' | '###'): void {
  out.push('| # | Step | Status | Time | Result |', '|---|---|---|---|---|');
  steps.forEach((s, i) => {
    const time = s.status === 'skip' ? '' : `${s.ms} ms${s.timeoutMs ? ` / ${s.timeoutMs} ms` : ''}${s.timedOut ? ' (timed out)' : ''}`;
    out.push(`| ${i + 1} | ${s.id} | ${statusMarks[s.status]} | ${time} | ${cell(s.detail)}${s.classId ? ` ${code(s.classId)}` : ''} |`);
  });
  const detailed = steps.filter((s) => s.status !== 'skip' && (Object.keys(s.evidence).length > 0 || s.error));
  if (detailed.length) out.push('', `${level} Evidence`);
  for (const s of detailed) {
    out.push('', `${level}# ${statusMarks[s.status]} ${s.id} — ${s.title}`, '');
    if (s.classId) out.push(`- Class: ${code(s.classId)}${s.found ? ` (found ${code(s.found)})` : ''}`);
    if (s.remedy && s.status !== 'ok') out.push(`- What to do (${remedyAudienceFor[s.remedy.audience]}): ${s.remedy.text}`);
    for (const [k, val] of Object.entries(s.evidence)) out.push(`- ${k}: ${formatValue(val)}`);
    if (s.error) out.push(`- Driver error: ${formatError(s.error)}`);
  }
  out.push('');
}

function formatValue(v: EvidenceValue): string {
  if (Array.isArray(v)) return v.length === 0 ? '(none)' : v.map((x) => code(x)).join(', ');
  if (v === null) return '(none)';
  return code(String(v));
}

function formatError(e: DriverErrorEvidence): string {
  const facts = [
    e.source && `source ${e.source}`,
    e.name && e.name !== 'Error' && e.name,
    e.code && `code ${e.code}`,
    e.errno !== undefined && `errno ${e.errno}`,
    e.sqlState && `SQLSTATE ${e.sqlState}`,
    e.severity && `severity ${e.severity}`,
    e.routine && `routine ${e.routine}`,
    e.syscall && `syscall ${e.syscall}`,
  ].filter(Boolean);
  const extra = [e.detail && `detail: ${e.detail}`, e.hint && `hint: ${e.hint}`].filter(Boolean);
  const causes = e.causes?.length ? ` · causes: ${e.causes.map((c) => `${c.code ?? ''} ${c.message}`.trim()).join('; ')}` : '';
  return `${code(e.message)}${facts.length ? ` (${facts.join(', ')})` : ''}${extra.length ? ` — ${extra.join('; ')}` : ''}${causes}`;
}
