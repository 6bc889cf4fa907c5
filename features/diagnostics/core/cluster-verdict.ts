import type { ClusterDiagnosis, DiagnosticStep, DiagnosticVerdict, EvidenceValue, NodeDiagnosis, Remedy } from '../../../shared/model/diagnostics';

/** One node's finished diagnosis, before the cluster's view of it. */
export interface NodeOutcome {
  endpoint: string;
  nodeName: string | null;
  steps: DiagnosticStep[];
  verdict: DiagnosticVerdict;
  server?: { product: string; version: string };
}

/** What a node's health step read of its wsrep state (null where it did not get that far). */
export interface GaleraFacts {
  clusterStatus: string | null;
  clusterSize: number | null;
  ready: string | null;
  localState: string | null;
  rejectQueries: string | null;
  lastCommitted: number | null;
  stateUuid: string | null;
  nodeName: string | null;
}

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The wsrep values a node's health step recorded as evidence, or null when it has none (not reached, not Galera). */
export function galeraFactsOf(steps: DiagnosticStep[]): GaleraFacts | null {
  const ev = steps.find((s) => s.id === 'health')?.evidence;
  if (!ev || ev.wsrep_on === undefined) return null;
  const text = (v: EvidenceValue | undefined) => (typeof v === 'string' && v !== '' ? v : null);
  const num = (v: EvidenceValue | undefined) => (text(v) !== null && Number.isFinite(Number(v)) ? Number(v) : null);
  return {
    clusterStatus: text(ev.wsrep_cluster_status),
    clusterSize: num(ev.wsrep_cluster_size),
    ready: text(ev.wsrep_ready),
    localState: text(ev.wsrep_local_state_comment),
    rejectQueries: text(ev.wsrep_reject_queries)?.toUpperCase() ?? null,
    lastCommitted: num(ev.wsrep_last_committed),
    stateUuid: text(ev.wsrep_cluster_state_uuid),
    nodeName: text(ev.wsrep_node_name),
  };
}

export function nodeNameOf(steps: DiagnosticStep[]): string | null {
  return galeraFactsOf(steps)?.nodeName ?? null;
}

const BOOTSTRAP_WARNING =
  'Warning: bootstrapping a node while another primary component is still running splits the cluster in two that accept different writes, and those writes cannot be merged afterwards.';

function who(o: { endpoint: string; nodeName: string | null }): string {
  return o.nodeName ? `${o.endpoint} (${o.nodeName})` : o.endpoint;
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

interface Seen extends NodeOutcome {
  facts: GaleraFacts | null;
}

/** Advice for a node outside the primary component, from what every other listed node said. */
function nonPrimaryAdvice(node: Seen, all: Seen[]): string {
  const others = all.filter((o) => o !== node);
  const primary = others.filter((o) => o.facts?.clusterStatus === 'Primary');
  const size = node.facts?.clusterSize;
  const head = `${who(node)} is outside the primary component${size !== null && size !== undefined ? ` (it sees a cluster of ${size})` : ''}: it refuses reads and writes although SELECT 1 still works.`;
  if (primary.length > 0) {
    const usable = primary.filter((o) => o.verdict.usable);
    const holders = listOf(primary.map(who));
    const primarySize = primary[0]!.facts?.clusterSize;
    return [
      head,
      `The primary component is held by ${holders}${primarySize ? ` (cluster size ${primarySize})` : ''}${usable.length ? `: connect through ${usable.length === 1 ? 'it' : 'them'} — a DB Desk cluster connection already does` : ''}.`,
      `${who(node)} rejoins by itself once it reaches them again: check the network between the nodes (Galera's port, 4567 unless gmcast.listen_addr says otherwise) and the node's error log.`,
      `Do not bootstrap ${who(node)}: a primary component exists, and bootstrapping would start a second cluster.`,
    ].join(' ');
  }
  const silent = others.filter((o) => o.facts === null);
  const withState = all.filter((o) => o.facts?.lastCommitted !== null && o.facts?.lastCommitted !== undefined);
  const best = withState.sort((a, b) => b.facts!.lastCommitted! - a.facts!.lastCommitted!)[0];
  const bootstrap = best
    ? `bootstrap the node with the most recent state — ${who(best)}, wsrep_last_committed ${best.facts!.lastCommitted} — with SET GLOBAL wsrep_provider_options='pc.bootstrap=YES' on it; the other nodes then rejoin by themselves.`
    : `bootstrap the node with the highest wsrep_last_committed with SET GLOBAL wsrep_provider_options='pc.bootstrap=YES' on it; the other nodes then rejoin by themselves.`;
  if (silent.length > 0) {
    return [
      head,
      `No listed node that answered holds the primary component, and ${listOf(silent.map(who))} did not answer: ${silent.length === 1 ? 'check that node first — it may still be in the primary component' : 'check those nodes first — they may still form the primary component'}.`,
      `Only when you are sure no primary component is left anywhere, as a last resort, ${bootstrap}`,
      BOOTSTRAP_WARNING,
    ].join(' ');
  }
  return [
    head,
    `Quorum is lost: none of the ${all.length} listed nodes holds the primary component.`,
    'It usually comes back by itself when the network between the nodes heals: check it and wait a minute.',
    `If it does not, and no other member of the cluster (one not listed here) still runs a primary component, as a last resort ${bootstrap}`,
    BOOTSTRAP_WARNING,
  ].join(' ');
}

/** Advice for a node that is in the primary component but not serving queries. */
function notReadyAdvice(node: Seen, all: Seen[]): string {
  const usable = all.filter((o) => o !== node && o.verdict.usable);
  const meanwhile = usable.length ? ` Use ${listOf(usable.map(who))} meanwhile — a DB Desk cluster connection already does.` : ' No other listed node is usable right now.';
  const f = node.facts;
  if (f?.rejectQueries && f.rejectQueries !== 'NONE') {
    return `${who(node)} is set to refuse client queries (wsrep_reject_queries=${f.rejectQueries}), usually for maintenance, although it reports ${f.clusterStatus ?? '?'}/${f.localState ?? '?'}.${meanwhile} The DBA ends it with SET GLOBAL wsrep_reject_queries=NONE when the maintenance is over.`;
  }
  if (f?.localState && f.localState !== 'Synced') {
    return `${who(node)} is ${f.localState}, not Synced: it is still catching up with the cluster (a state transfer) and serves no queries until it is Synced.${meanwhile} If it stays there, the node's error log says why the transfer does not finish.`;
  }
  return `${who(node)} is not ready for queries (wsrep_ready=${f?.ready ?? '?'}).${meanwhile} The DBA checks wsrep_local_state_comment and the node's error log.`;
}

function withRemedy(o: Seen, remedy: Remedy): Seen {
  const failed = o.verdict.failedStep;
  return {
    ...o,
    verdict: { ...o.verdict, remedy },
    steps: o.steps.map((s) => (s.id === failed && s.status === 'fail' ? { ...s, remedy } : s)),
  };
}

/** Cluster-wide findings: two primary components at once, a primary component smaller than the list. */
function findingsOf(all: Seen[]): string[] {
  const out: string[] = [];
  const primary = all.filter((o) => o.facts?.clusterStatus === 'Primary');
  const states = new Map<string, Seen[]>();
  for (const o of primary) if (o.facts?.stateUuid) states.set(o.facts.stateUuid, [...(states.get(o.facts.stateUuid) ?? []), o]);
  if (states.size > 1) {
    const groups = [...states.values()].map((g) => listOf(g.map(who)));
    out.push(
      `Two primary components: ${groups.join(' and ')} are each Primary, with a different cluster state — two separate clusters (a node was bootstrapped while the others still ran). Writes to one are not seen by the other; stop writing to one side before the DBA rejoins it.`,
    );
  }
  const sizes = primary.map((o) => o.facts?.clusterSize).filter((n): n is number => typeof n === 'number');
  if (states.size <= 1 && sizes.length > 0 && Math.max(...sizes) < all.length) {
    out.push(`The primary component has ${Math.max(...sizes)} member${Math.max(...sizes) === 1 ? '' : 's'}, but the connection lists ${all.length} nodes: ${listOf(all.filter((o) => o.facts?.clusterStatus !== 'Primary').map(who))} ${all.length - primary.length === 1 ? 'is' : 'are'} not part of it.`);
  }
  return out;
}

const GALERA_FIRST = ['galera-non-primary', 'galera-not-ready'];

/**
 * Combines the per-node runs of a cluster profile: rewrites each Galera failure's remedy with what the
 * other nodes said (which node still holds the primary component, which nodes to use meanwhile,
 * bootstrap only as a last resort and with its warning), and gives the run one verdict — usable
 * when any node is, degraded when some node is not.
 */
export function assessCluster(outcomes: NodeOutcome[], engineLabel: string): { diagnosis: ClusterDiagnosis; verdict: DiagnosticVerdict } {
  let all: Seen[] = outcomes.map((o) => ({ ...o, facts: galeraFactsOf(o.steps) }));
  all = all.map((o) => {
    if (o.verdict.classId === 'galera-non-primary') return withRemedy(o, { audience: 'dba', text: nonPrimaryAdvice(o, all) });
    if (o.verdict.classId === 'galera-not-ready') return withRemedy(o, { audience: 'dba', text: notReadyAdvice(o, all) });
    return o;
  });
  const findings = findingsOf(all);
  const diagnosis: ClusterDiagnosis = {
    nodes: all.map(({ facts: _f, ...o }): NodeDiagnosis => ({ endpoint: o.endpoint, nodeName: o.nodeName, verdict: o.verdict, steps: o.steps, ...(o.server ? { server: o.server } : {}) })),
    primary: all.filter((o) => o.facts?.clusterStatus === 'Primary').map((o) => o.endpoint),
    findings,
  };
  const n = all.length;
  const usable = all.filter((o) => o.verdict.usable);
  const failing = all.filter((o) => !o.verdict.usable);
  const focus = [...failing].sort((a, b) => rank(a) - rank(b))[0];
  if (!focus) {
    const warned = all.find((o) => o.verdict.status === 'degraded');
    if (findings.length > 0) return { diagnosis, verdict: { usable: true, status: 'degraded', classId: null, headline: `All ${n} nodes answer, but: ${findings[0]}` } };
    if (warned) {
      return { diagnosis, verdict: { usable: true, status: 'degraded', classId: null, node: warned.endpoint, headline: `${n} of ${n} nodes usable, with warnings — ${who(warned)}: ${warned.verdict.headline}`, ...(warned.verdict.remedy ? { remedy: warned.verdict.remedy } : {}) } };
    }
    const version = all.find((o) => o.server)?.server?.version;
    return { diagnosis, verdict: { usable: true, status: 'ok', classId: null, headline: `Every node works: ${n} of ${n} nodes passed every check (${engineLabel}${version ? ` ${version}` : ''}${diagnosis.primary.length === n ? ', all in the primary component' : ''}).` } };
  }
  const verdict: DiagnosticVerdict = {
    usable: usable.length > 0,
    status: usable.length > 0 ? 'degraded' : 'failed',
    classId: focus.verdict.classId,
    node: focus.endpoint,
    headline:
      usable.length > 0
        ? `${usable.length} of ${n} nodes usable — ${who(focus)}: ${focus.verdict.headline}`
        : `No node of the cluster is usable — ${failing.map((o) => `${who(o)}: ${o.verdict.classId ?? 'failed'}`).join('; ')}. ${who(focus)}: ${focus.verdict.headline}`,
  };
  if (focus.verdict.failedStep) verdict.failedStep = focus.verdict.failedStep;
  if (focus.verdict.found) verdict.found = focus.verdict.found;
  if (focus.verdict.alternatives?.length) verdict.alternatives = focus.verdict.alternatives;
  if (focus.verdict.remedy) verdict.remedy = focus.verdict.remedy;
  return { diagnosis, verdict };
}

/** Galera's own classes explain a cluster best; otherwise the profile's order decides. */
function rank(o: Seen): number {
  const i = GALERA_FIRST.indexOf(o.verdict.classId ?? '');
  return i < 0 ? GALERA_FIRST.length : i;
}
