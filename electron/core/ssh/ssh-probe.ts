import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { wireProtocols } from '../engines/dialects';
import { fingerprint } from '../../../features/diagnostics/core/probes/fingerprint';
import type { WireProtocol } from '../../../features/diagnostics/core/probes/wire-protocol';
import { HopHandshake } from './hop-handshake';
import type { HostKeyPolicy } from './host-key-policy';
import { keyTypeLabel } from './known-hosts';
import { connectHopTcp, openDatabaseChannel, openJumpChannel, resolveHopAddresses, type TcpAttemptRecord } from './hop-transport';
import type { SshCredentials } from './ssh-auth';
import { hopName, SshError, sshRemedy, type HopRef, type SshEvidence, type SshFailureClass, type SshPhase, type SshRemedy } from './ssh-failure';
import { hopLabel, resolveRoute, type SshRoute, type SshRouteContext, type SshRouteRequest } from './ssh-route';
import { SshTunnel } from './ssh-tunnel';

/** One step of the SSH part of a diagnosis: a phase of one hop. */
export interface SshStepSpec {
  phase: SshPhase;
  hop: HopRef | null;
  timeoutMs: number;
  run: (ctx: { signal: AbortSignal; deadline: number }) => Promise<{ detail: string; evidence?: SshEvidence; status?: 'ok' | 'warn' }>;
  /** What running out of time means in this step. */
  timeout: (ms: number) => SshError;
}

export interface SshStepResult {
  phase: SshPhase;
  hop: HopRef | null;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  ms: number;
  timeoutMs: number;
  timedOut: boolean;
  evidence: SshEvidence;
  /** Failed steps: the class (null when none fits) and the remedy. */
  classId?: SshFailureClass | null;
  remedy?: SshRemedy;
  error?: SshError;
}

/** Runs one step under its limit and reports it; resolves to false when the step failed (the probe stops). */
export type SshStepRunner = (spec: SshStepSpec) => Promise<boolean>;

export type SshStepTimeouts = Record<SshPhase, number>;
export const defaultSshStepTimeouts: SshStepTimeouts = { config: 2000, dns: 3000, tcp: 5000, jump: 5000, banner: 3000, kex: 5000, 'host-key': 5000, auth: 10_000, forward: 5000 };

export interface SshProbeInput {
  request: SshRouteRequest;
  context?: SshRouteContext;
  /** How the route is made instead of resolveRoute(request, context) (a profile's, with its known_hosts file on every hop). */
  route?: () => SshRoute;
  credentials: SshCredentials;
  hostKeys: HostKeyPolicy;
  /** The database as the bastion must reach it. */
  target: { host: string; port: number };
  timeouts?: Partial<SshStepTimeouts>;
  keepaliveIntervalMs?: number;
}

export interface SshProbeOutcome {
  ok: boolean;
  route: SshRoute | null;
  /** When ok: the route, open, ready for the database steps to run through (close it when done). */
  tunnel: SshTunnel | null;
}

/**
 * Diagnoses an SSH route hop by hop, each phase its own step — configuration, DNS and TCP (or the
 * jump channel), banner, key exchange, host key, login — then the forward to the database. The
 * connections it opens are the real ones: when every step passes they become a tunnel the
 * database steps use.
 */
export async function probeSshRoute(input: SshProbeInput, runStep: SshStepRunner): Promise<SshProbeOutcome> {
  const t = { ...defaultSshStepTimeouts, ...input.timeouts };
  let route: SshRoute | null = null;
  const configOk = await runStep({
    phase: 'config',
    hop: null,
    timeoutMs: t.config,
    run: async () => {
      route = input.route ? input.route() : resolveRoute(input.request, input.context);
      const hops = route.hops.map((h, i) => `${i + 1}. ${h.user}@${hopLabel(h)}${h.given !== h.host ? ` (${h.given})` : ''}`);
      return {
        detail: `${route.hops.length === 1 ? 'One SSH server' : `${route.hops.length} SSH servers`}: ${route.hops.map((h) => hopLabel(h)).join(' → ')}${route.configFilesRead.length > 0 ? `; ssh_config read from ${route.configFilesRead.join(', ')}` : ''}.`,
        evidence: {
          hops,
          configFiles: route.configFilesRead,
          applied: route.hops.flatMap((h) => h.applied.map((a) => `${h.given}: ${a}`)),
          identityFiles: route.hops.flatMap((h) => (h.identityFilesExplicit ? h.identityFiles.map((f) => `${h.given}: ${f}`) : [])),
          ...(input.credentials.keyFile ? { keyFile: input.credentials.keyFile } : {}),
          authMethod: input.credentials.method,
          ignored: route.hops.flatMap((h) => h.ignored.map((x) => `${h.given}: ${x}`)),
        },
        status: route.hops.some((h) => h.ignored.length > 0) ? 'warn' : 'ok',
      };
    },
    timeout: (ms) => new SshError(null, 'config', null, `Reading the SSH configuration took more than ${ms} ms.`),
  });
  if (!configOk || !route) return { ok: false, route, tunnel: null };
  const resolved: SshRoute = route;

  const tunnel = new SshTunnel({ route: resolved, credentials: input.credentials, hostKeys: input.hostKeys, connectTimeoutMs: t.tcp + t.kex + t.auth, keepaliveIntervalMs: input.keepaliveIntervalMs ?? 10_000 });
  const refs = tunnel.refs;
  const clients: Client[] = [];
  const handshakes: HopHandshake[] = [];
  const giveUp = () => {
    for (const h of handshakes) h.client.end();
    for (const c of [...clients].reverse()) c.end();
    return { ok: false, route: resolved, tunnel: null };
  };

  let connectedAddress: string | null = null;
  for (const [i, hop] of resolved.hops.entries()) {
    const ref = refs[i]!;
    let transport: Duplex | null = null;
    if (i === 0) {
      let addresses: Awaited<ReturnType<typeof resolveHopAddresses>> = [];
      const dnsOk = await runStep({
        phase: 'dns',
        hop: ref,
        timeoutMs: t.dns,
        run: async ({ signal }) => {
          addresses = await resolveHopAddresses(hop.host, ref, t.dns, signal);
          return { detail: `${hop.host} → ${addresses.map((a) => a.address).join(', ')}`, evidence: { host: hop.host, addresses: addresses.map((a) => a.address) } };
        },
        timeout: (ms) => new SshError('ssh-dns-not-found', 'dns', ref, `No DNS answer for ${hop.host} within ${ms} ms.`, { host: hop.host }),
      });
      if (!dnsOk) return giveUp();
      const attempts: TcpAttemptRecord[] = [];
      const tcpOk = await runStep({
        phase: 'tcp',
        hop: ref,
        timeoutMs: t.tcp,
        run: async ({ signal, deadline }) => {
          transport = await connectHopTcp(addresses, hop.port, ref, deadline, signal, attempts);
          const used = attempts.find((a) => a.ok)!;
          connectedAddress = used.address;
          return { detail: `Connected to ${used.address}:${hop.port} in ${used.ms} ms.`, evidence: { port: hop.port, attempts: attempts.map((a) => `${a.address}: ${a.ok ? `connected in ${a.ms} ms` : a.error}`) } };
        },
        timeout: (ms) => new SshError('ssh-tcp-timeout', 'tcp', ref, `${hopName(ref)} did not answer the TCP connect on port ${hop.port} within ${ms} ms: the packets are dropped (a firewall or a wrong route).`, { port: hop.port }),
      });
      if (!tcpOk) return giveUp();
    } else {
      const via = refs[i - 1]!;
      const jumpOk = await runStep({
        phase: 'jump',
        hop: ref,
        timeoutMs: t.jump,
        run: async ({ signal }) => {
          transport = await openJumpChannel(clients[i - 1]!, via, hop, ref, t.jump, signal);
          return { detail: `${hopName(via)} opened a connection to ${hop.host}:${hop.port}.`, evidence: { via: via.label, target: `${hop.host}:${hop.port}` } };
        },
        timeout: (ms) => new SshError('ssh-jump-failed', 'jump', ref, `${hopName(via)} did not open a connection to ${hopName(ref)} within ${ms} ms.`, { via: via.label }),
      });
      if (!jumpOk) return giveUp();
    }

    const handshake = new HopHandshake({ hop, ref, transport: transport!, hostKeys: input.hostKeys, credentials: input.credentials, keepaliveIntervalMs: input.keepaliveIntervalMs ?? 10_000, keepaliveCountMax: 3, recordAlgorithms: true, keyCache: tunnel.keyCache });
    handshakes.push(handshake);
    const phaseStep = <T>(phase: SshPhase, timeoutMs: number, promise: Promise<T>, report: (v: T) => { detail: string; evidence?: SshEvidence }) =>
      runStep({
        phase,
        hop: ref,
        timeoutMs,
        run: async ({ signal }) => {
          const onAbort = () => handshake.abort(handshake.timeoutError(timeoutMs));
          signal.addEventListener('abort', onAbort, { once: true });
          try {
            return report(await promise);
          } finally {
            signal.removeEventListener('abort', onAbort);
          }
        },
        timeout: (ms) => handshake.timeoutError(ms),
      });

    const bannerOk = await runStep({
      phase: 'banner',
      hop: ref,
      timeoutMs: t.banner,
      run: async ({ signal }) => {
        // An SSH server speaks at once: past half the limit, silence means something else is there — ask it what.
        const silence = new Promise<null>((resolve) => setTimeout(resolve, t.banner / 2, null).unref());
        try {
          const banner = await Promise.race([handshake.banner, silence]);
          if (banner) return { detail: banner.ident, evidence: { banner: banner.ident, ...(banner.preamble.length > 0 ? { preamble: banner.preamble } : {}) } };
          handshake.abort(handshake.timeoutError(Math.round(t.banner / 2)));
          await handshake.banner;
          throw new Error('unreachable');
        } catch (err) {
          if (!(err instanceof SshError) || err.classId !== 'ssh-not-ssh' || !connectedAddress) throw err;
          const found = await identifyService(connectedAddress, hop.port, Math.max(100, t.banner / 2 - 50), signal);
          if (!found) throw err;
          throw new SshError('ssh-not-ssh', 'banner', ref, `${err.message} ${found} answers on that port.`, { ...err.evidence, found });
        }
      },
      timeout: (ms) => handshake.timeoutError(ms),
    });
    if (!bannerOk) return giveUp();
    if (!(await phaseStep('kex', t.kex, handshake.kex, (k) => ({ detail: Object.values(k.algorithms).slice(0, 2).join(', ') || 'Key exchange agreed.', evidence: k.algorithms })))) return giveUp();
    const hostKeyOk = await phaseStep('host-key', t['host-key'], handshake.hostKey, (v) => ({
      detail: v.state === 'known' ? `${keyTypeLabel(v.keyType)} ${v.fingerprint}, known (${v.entry}).` : v.state === 'added' ? `${keyTypeLabel(v.keyType)} ${v.fingerprint}, new: added to ${v.knownHostsFile}.` : `${keyTypeLabel(v.keyType)} ${v.fingerprint}, trusted for this session only.`,
      evidence: { state: v.state, keyType: keyTypeLabel(v.keyType), fingerprint: v.fingerprint, knownHostsFile: v.knownHostsFile, ...(v.entry ? { entry: v.entry } : {}) },
    }));
    if (!hostKeyOk) return giveUp();
    const authOk = await phaseStep('auth', t.auth, handshake.ready, () => {
      const accepted = handshake.auth.attempts.find((a) => a.result === 'accepted');
      return { detail: `Logged in as ${hop.user}${accepted ? ` with ${accepted.credential}` : ''}.`, evidence: handshake.auth.evidence() };
    });
    if (!authOk) return giveUp();
    clients.push(await handshake.ready);
  }

  const bastion = refs[refs.length - 1]!;
  const forwardOk = await runStep({
    phase: 'forward',
    hop: bastion,
    timeoutMs: t.forward,
    run: async ({ signal }) => {
      const channel = await openDatabaseChannel(clients[clients.length - 1]!, bastion, input.target.host, input.target.port, t.forward, signal);
      channel.close();
      return { detail: `${hopName(bastion)} forwards to ${input.target.host}:${input.target.port}.`, evidence: { target: `${input.target.host}:${input.target.port}` } };
    },
    timeout: (ms) => new SshError('ssh-target-unreachable', 'forward', bastion, `${hopName(bastion)} did not reach ${input.target.host}:${input.target.port} within ${ms} ms.`, { target: `${input.target.host}:${input.target.port}` }),
  });
  if (!forwardOk) return giveUp();
  tunnel.adopt(clients, handshakes);
  return { ok: true, route: resolved, tunnel };
}

/** SSH as the fingerprint sees it: the server speaks first, with `SSH-2.0-…` and a new line. */
const sshWire: WireProtocol = {
  service: 'ssh',
  serverSpeaksFirst: true,
  enough: (b) => (b.subarray(0, 4).toString('latin1') === 'SSH-' ? b.includes(0x0a) : null),
  recognise: () => null,
  productName: () => 'SSH',
  startTls: async () => false,
};

/** For a port that does not speak SSH: what does? (MariaDB, PostgreSQL, HTTP, TLS…), named in the failure. */
export async function identifyService(address: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<string | null> {
  try {
    const found = await fingerprint(address, port, sshWire, Date.now() + timeoutMs, signal);
    if (!found.found) return null;
    const database = wireProtocols().find((p) => p.service === found.found);
    if (database) return database.productName(found);
    const names: Record<string, string> = { http: 'an HTTP server', ssh: 'SSH', tls: 'a TLS endpoint', unknown: 'an unknown service' };
    return names[found.found] ?? found.found;
  } catch {
    return null;
  }
}

/** The default runner: each step under its own limit, results collected in order. */
export function collectSshSteps(): { runStep: SshStepRunner; steps: SshStepResult[] } {
  const steps: SshStepResult[] = [];
  const runStep: SshStepRunner = async (spec) => {
    const started = Date.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<{ error: SshError; timedOut: true }>((resolve) => {
      timer = setTimeout(() => {
        const error = spec.timeout(spec.timeoutMs);
        controller.abort(error);
        resolve({ error, timedOut: true });
      }, spec.timeoutMs);
    });
    const work = spec.run({ signal: controller.signal, deadline: started + spec.timeoutMs }).then(
      (r) => ({ result: r }),
      (err: unknown) => ({ error: toSshError(err, spec), timedOut: false }),
    );
    const outcome = await Promise.race([work, timedOut]);
    clearTimeout(timer);
    const base = { phase: spec.phase, hop: spec.hop, ms: Date.now() - started, timeoutMs: spec.timeoutMs };
    if ('result' in outcome) {
      steps.push({ ...base, status: outcome.result.status ?? 'ok', detail: outcome.result.detail, timedOut: false, evidence: outcome.result.evidence ?? {} });
      return true;
    }
    const e = outcome.error;
    steps.push({ ...base, status: 'fail', detail: e.message, timedOut: outcome.timedOut, evidence: e.evidence, classId: e.classId, error: e, ...(e.classId ? { remedy: sshRemedy(e.classId, e.hop ?? spec.hop, remedyFacts(e)) } : {}) });
    return false;
  };
  return { runStep, steps };
}

export function toSshError(err: unknown, spec: Pick<SshStepSpec, 'phase' | 'hop'>): SshError {
  if (err instanceof SshError) return err;
  return new SshError(null, spec.phase, spec.hop, (err as Error)?.message ?? String(err), {}, { cause: err });
}

export function remedyFacts(e: SshError): { target?: string; knownHostsFile?: string; found?: string } {
  const s = (k: string) => (typeof e.evidence[k] === 'string' ? (e.evidence[k] as string) : undefined);
  const facts: { target?: string; knownHostsFile?: string; found?: string } = {};
  if (s('target')) facts.target = s('target')!;
  if (s('knownHostsFile')) facts.knownHostsFile = s('knownHostsFile')!;
  if (s('found')) facts.found = s('found')!;
  return facts;
}
