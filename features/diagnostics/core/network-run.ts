import type { SslMode } from '../../../shared/model/connection';
import { defaultPorts } from '../../../shared/model/engine';
import type { DiagnosticStepId } from '../../../shared/model/diagnostics';
import { readTlsMaterial, type EngineConfig, type TlsMaterial } from '../../../electron/core/engines/config';
import type { DiagnosticSession, NetworkEngineDiagnostics } from './engine-diagnostics';
import { SecretScrubber } from '../../../shared/security/secrets';
import { assessHealth, assessPrivileges } from './assess';
import { classifyDriverError, isAmbiguousTransportError, type ErrorContext } from './classify-driver-error';
import { errorEvidence } from './driver-error';
import { resolveAll, type ResolvedAddress } from './probes/dns-probe';
import { fingerprint, type FingerprintResult } from './probes/fingerprint';
import { connectEach } from './probes/tcp-probe';
import { probeTls } from './probes/tls-probe';
import type { WireProtocol } from './probes/wire-protocol';
import { describeFound, tlsOutcome } from './network-judgements';
import { tunnelDial } from './ssh-run';
import { describeError, SourcedError, type StepOutcome, type StepRecorder } from './step-recorder';
import type { StepTimeouts } from './timeouts';

export const networkPlan: DiagnosticStepId[] = ['config', 'dns', 'tcp', 'fingerprint', 'tls', 'auth', 'database', 'session', 'privileges', 'health', 'table-read'];

/** Errors that mean "the database was refused", decided during the login but belonging to the database step. */
const DATABASE_STEP_CLASSES = new Set(['unknown-database', 'insufficient-privilege', 'server-unavailable']);

/**
 * One diagnosis of a PostgreSQL or MySQL/MariaDB target, step by step. Each step runs under its own
 * limit; when a step fails the ones that depend on it are skipped (after a successful login the
 * checks are independent queries and all run, for more evidence).
 */
export async function runNetworkDiagnosis(
  config: EngineConfig,
  family: NetworkEngineDiagnostics,
  wire: WireProtocol,
  rec: StepRecorder,
  timeouts: StepTimeouts,
  ctx: ErrorContext & { serverVersion?: string },
  options: { transportOnly?: boolean } = {},
): Promise<void> {
  const host = config.host || 'localhost';
  const port = config.port ?? defaultPorts[config.engine] ?? 0;
  const mode: SslMode = config.tls.mode;
  const skipRest = (from: DiagnosticStepId, reason: string) => {
    for (const id of networkPlan.slice(networkPlan.indexOf(from))) rec.skip(id, reason, timeouts[id]);
  };

  // 0. Configuration
  let material: TlsMaterial = {};
  const config0 = await rec.run('config', timeouts.config, async () => {
    const evidence = {
      engine: config.engine,
      host,
      port,
      user: config.user ?? '(none)',
      database: config.database ?? '(server default)',
      sslmode: mode,
      caFile: config.tls.caFile ?? null,
      certFile: config.tls.certFile ?? null,
      keyFile: config.tls.keyFile ?? null,
      passwordGiven: config.password !== undefined,
      readOnly: config.readOnly,
      connectTimeoutMs: config.connectTimeoutMs,
    };
    if (!port) return { status: 'fail', detail: 'The connection has no port.', evidence };
    if (Boolean(config.tls.certFile) !== Boolean(config.tls.keyFile)) {
      return { status: 'fail', detail: 'A client certificate needs its key file, and a key its certificate.', evidence };
    }
    try {
      material = await readTlsMaterial(config.tls);
    } catch (err) {
      return { status: 'fail', detail: describeError(err), evidence, error: err, errorSource: 'dbdesk' };
    }
    if (mode === 'disable' && (config.tls.caFile || config.tls.certFile)) {
      return { status: 'warn', detail: 'TLS files are set but sslmode=disable ignores them.', evidence };
    }
    if ((mode === 'verify-ca' || mode === 'verify-full') && !config.tls.caFile) {
      return { status: 'ok', detail: `${mode} with the system’s trusted CAs (no CA file given).`, evidence };
    }
    return { status: 'ok', detail: `${config.engine} at ${host}:${port}, sslmode=${mode}.`, evidence };
  });
  if (config0.status === 'fail') return skipRest('dns', 'Not run: the settings are incomplete.');

  // Through SSH the bastion resolves and connects: the probes and the driver get channels of the tunnel.
  const tunnel = config.tunnel;
  const dial = tunnel ? tunnelDial(tunnel) : undefined;
  if (tunnel) {
    rec.skip('dns', `Resolved by the bastion, not here: ${host} is the name the bastion looks up.`, timeouts.dns, { host, via: 'ssh' });
    rec.skip('tcp', `Connected by the bastion (see the SSH forward step).`, timeouts.tcp, { port, via: 'ssh' });
  }
  // 1. DNS (nothing to resolve for a Unix socket)
  const socketPath = tunnel ? undefined : family.socketPath?.(host, port);
  let addresses: ResolvedAddress[] = [];
  let reachable: string | undefined = tunnel ? host : undefined;
  const dns = tunnel ? null : await rec.run('dns', timeouts.dns, async (s) => {
    if (socketPath) {
      addresses = [{ address: socketPath, family: 0 }];
      return { status: 'ok', detail: `${host} is a Unix socket directory: nothing to resolve (socket ${socketPath}).`, evidence: { host, socket: socketPath } };
    }
    addresses = await resolveAll(host, s.timeoutMs, s.signal);
    if (addresses.length === 0) return { status: 'fail', detail: `${host} resolves to no address.`, evidence: { host } };
    const literal = addresses.length === 1 && addresses[0]!.address === host;
    return {
      status: 'ok',
      detail: literal ? `${host} is an IP address: nothing to resolve.` : `${host} resolves to ${addresses.map((a) => a.address).join(', ')}.`,
      evidence: { host, addresses: addresses.map((a) => a.address), families: addresses.map((a) => (a.family === 0 ? 'unix' : `IPv${a.family}`)) },
    };
  });
  if (dns?.status === 'fail') return skipRest('tcp', 'Not run: the host name did not resolve.');

  // 2. TCP, every address on its own
  const tcp = tunnel ? null : await rec.run('tcp', timeouts.tcp, async (s) => {
    const attempts = await connectEach(addresses, port, s.deadline, s.signal);
    const ok = attempts.filter((a) => a.ok);
    reachable = ok[0]?.address;
    const evidence = {
      port,
      attempts: attempts.map((a) => `${a.address}: ${a.ok ? `connected in ${a.ms} ms` : a.timedOut ? `no answer within ${s.timeoutMs} ms` : describeError(a.error)}`),
      reachable: ok.length,
      refused: attempts.filter((a) => (a.error as { code?: string } | undefined)?.code === 'ECONNREFUSED').length,
      timedOut: attempts.filter((a) => a.timedOut).length,
    };
    const first = attempts[0]!;
    if (ok.length === 0) {
      return {
        status: 'fail',
        detail: first.timedOut
          ? `No answer from ${first.family === 0 ? first.address : `${first.address}:${port}`} within ${s.timeoutMs} ms (SYN unanswered).`
          : `${first.family === 0 ? first.address : `${first.address}:${port}`}: ${describeError(first.error)}.`,
        evidence,
        error: first.error,
        timedOut: attempts.every((a) => a.timedOut),
      };
    }
    if (ok.length < attempts.length) {
      const bad = attempts.filter((a) => !a.ok).map((a) => a.address);
      return { status: 'warn', detail: `${ok.map((a) => a.address).join(', ')} accepted; ${bad.join(', ')} did not.`, evidence };
    }
    return { status: 'ok', detail: `${ok.map((a) => (a.family === 0 ? a.address : `${a.address}:${port}`)).join(', ')} accepted the connection in ${Math.max(...ok.map((a) => a.ms))} ms.`, evidence };
  });
  if (tcp?.status === 'fail' || !reachable) return skipRest('fingerprint', 'Not run: no address accepted a TCP connection.');

  // 3. Protocol fingerprint
  let fp: FingerprintResult | undefined;
  const fingerprintStep = await rec.run('fingerprint', timeouts.fingerprint, async (s) => {
    fp = await fingerprint(reachable!, port, wire, s.deadline, s.signal, dial);
    if (fp.flavour) ctx.product = fp.flavour;
    const evidence = {
      expected: wire.service,
      found: fp.found,
      behaviour: fp.behaviour,
      firstBytes: fp.firstBytesHex || null,
      serverVersion: fp.serverVersion,
      flavour: fp.flavour,
      sslSupported: fp.sslSupported,
      authPlugin: fp.authPlugin,
      banner: fp.banner,
    };
    if (fp.preHandshakeError) {
      const e = fp.preHandshakeError;
      return {
        status: 'fail',
        detail: `The server refused before the handshake: ${e.errno} ${e.message}`,
        evidence,
        error: Object.assign(new Error(e.message), { errno: e.errno, ...(e.sqlState ? { sqlState: e.sqlState } : {}), code: e.code }),
        errorSource: e.source,
      };
    }
    if (fp.found === null) {
      const what = fp.behaviour === 'silent' ? `accepted the connection and sent nothing for ${s.timeoutMs} ms` : `accepted the connection and ${fp.behaviour === 'reset' ? 'reset' : 'closed'} it without a word`;
      return { status: 'fail', detail: `The server ${what}.`, evidence };
    }
    if (fp.found !== wire.service) {
      return { status: 'fail', detail: `Expected ${wire.service}, found ${describeFound(fp)}.`, evidence };
    }
    const version = fp.serverVersion ? ` ${fp.serverVersion.replace(/^5\.5\.5-/, '')}` : '';
    const tlsText = fp.sslSupported === undefined ? '' : fp.sslSupported ? ', offers TLS' : ', offers no TLS';
    return { status: 'ok', detail: `${wire.productName(fp)}${version} answers${tlsText}.`, evidence };
  });
  if (fp?.serverVersion) ctx.serverVersion = fp.serverVersion.replace(/^5\.5\.5-/, '');
  if (fingerprintStep.status === 'fail') return skipRest('tls', 'Not run: no database server answered as expected.');

  // 4. TLS
  let serverHasTls = fp?.sslSupported !== false;
  if (mode === 'disable') {
    rec.skip('tls', `sslmode=disable: no TLS${fp?.sslSupported ? ' (the server offers it)' : ''}.`, timeouts.tls, { sslmode: mode, serverSupportsTls: fp?.sslSupported });
  } else {
    const tls = await rec.run('tls', timeouts.tls, async (s) => {
      // The fingerprint already heard "no TLS" ('N', or a greeting without CLIENT_SSL): no need to ask again.
      const probed = fp?.sslSupported === false ? { serverSupportsTls: false } : await probeTls({ address: reachable!, port, host, wire, material, deadline: s.deadline, signal: s.signal, ...(dial ? { dial } : {}) });
      return tlsOutcome(probed, mode, material, host, reachable!);
    });
    serverHasTls = tls.evidence.serverSupportsTls !== false;
    if (tls.status === 'fail') return skipRest('auth', 'Not run: TLS did not meet the sslmode.');
  }

  if (options.transportOnly) return skipRest('auth', 'Not run: transport check only.');

  // 5. Authentication (and 6. the database, chosen during the same login)
  let session: DiagnosticSession | undefined;
  let loginError: unknown;
  const auth = await rec.run('auth', timeouts.auth, async (s) => {
    try {
      session = await family.connect(config, host, port, { timeoutMs: Math.max(100, s.deadline - Date.now()), tlsMode: mode, signal: s.signal });
    } catch (err) {
      loginError = err;
      const ev = errorEvidence(err, new SecretScrubber(), family.driver.name);
      // The driver's own timer (set to this step's deadline) fired: pg says `timeout expired`, mysql2 a
      // made-up `connect ETIMEDOUT` although TCP and the greeting worked. Say what really happened.
      if (isAmbiguousTransportError(ev) && Date.now() >= s.deadline - 100) {
        return {
          status: 'fail',
          detail: `The server answered the protocol probe but did not complete the login within ${s.timeoutMs} ms (the driver only says “${describeError(err)}”).`,
          error: err,
          errorSource: family.driver.name,
          timedOut: true,
          evidence: { user: config.user ?? null, tlsInUse: mode !== 'disable' && serverHasTls, serverOffersTls: serverHasTls, tlsRetry: 'not tried' },
        };
      }
      const cls = classifyDriverError(ev, { ...ctx, tlsInUse: mode !== 'disable' && serverHasTls });
      if (cls && DATABASE_STEP_CLASSES.has(cls.classId) && isDatabaseRefusal(ev)) {
        return { status: 'ok', detail: `The server accepted the login, then refused the database.`, evidence: { user: config.user ?? null, tlsInUse: mode !== 'disable' && serverHasTls } };
      }
      const outcome: StepOutcome = {
        status: 'fail',
        detail: describeError(err),
        error: err,
        errorSource: family.driver.name,
        evidence: { user: config.user ?? null, tlsInUse: mode !== 'disable' && serverHasTls, serverOffersTls: serverHasTls },
      };
      // Side probe: a plain login refused the way a TLS-only account is refused → the same login over TLS.
      if (mode === 'disable' && serverHasTls && cls && (cls.classId === 'auth-failed' || cls.classId === 'no-hba-entry') && s.deadline - Date.now() > 100) {
        outcome.evidence!.tlsRetry = await retryWithTls(family, config, host, port, s.deadline, s.signal, cls.classId, ctx);
      } else outcome.evidence!.tlsRetry = 'not tried';
      return outcome;
    }
    return {
      status: 'ok',
      detail: `Logged in as ${config.user ?? '(default user)'}${session.tlsInUse ? ' over TLS' : ' without TLS'}.`,
      evidence: { user: config.user ?? null, tlsInUse: session.tlsInUse },
    };
  });
  if (auth.status === 'fail') return skipRest('database', 'Not run: the login failed.');
  if (!session) {
    rec.derived('database', { status: 'fail', detail: describeError(loginError), error: loginError, errorSource: family.driver.name, evidence: { database: config.database ?? null } });
    for (const id of ['session', 'privileges', 'health', 'table-read'] as const) rec.skip(id, 'Not run: the database was refused.', timeouts[id]);
    return;
  }
  const live = session;
  try {
    rec.derived('database', { status: 'ok', detail: config.database ? `Database ${config.database} selected.` : 'The server’s default database.', evidence: { database: config.database ?? null } });

    // 7. Session: the first real statements (an expired password or a Galera node that is not ready shows here)
    await rec.run('session', timeouts.session, async (s) => {
      s.signal.addEventListener('abort', () => live.destroy(), { once: true });
      const f = await sourced(family, live.identify());
      ctx.serverVersion = f.serverVersion;
      ctx.product = f.product;
      return {
        status: 'ok',
        detail: `${f.currentUser ?? '?'} on ${f.database ?? '(no database)'}, ${f.versionText.split(' on ')[0]}; the catalog lists ${f.catalogObjects} entries.`,
        evidence: { currentUser: f.currentUser, database: f.database, serverVersion: f.serverVersion, versionText: f.versionText, catalogObjects: f.catalogObjects, product: f.product },
      };
    });

    // 8. Privileges
    await rec.run('privileges', timeouts.privileges, async (s) => {
      s.signal.addEventListener('abort', () => live.destroy(), { once: true });
      return assessPrivileges(await sourced(family, live.privileges()), config);
    });

    // 9. Server health (Galera: wsrep values)
    await rec.run('health', timeouts.health, async (s) => {
      s.signal.addEventListener('abort', () => live.destroy(), { once: true });
      return assessHealth(await sourced(family, live.health()), config);
    });

    // 10. A real table read: what a Galera node outside the primary component refuses although SELECT 1 works
    await rec.run('table-read', timeouts['table-read'], async (s) => {
      s.signal.addEventListener('abort', () => live.destroy(), { once: true });
      const t = await sourced(family, live.readTable());
      if (!t.table) return { status: 'skip', detail: 'No user table visible to read; the catalog read passed.', evidence: {} };
      return { status: 'ok', detail: `Read ${t.rows} row${t.rows === 1 ? '' : 's'} (${t.columns} columns) from ${t.table}.`, evidence: { table: t.table, rows: t.rows, columns: t.columns } };
    });
  } finally {
    // Closed politely in the background: the run's time belongs to its steps, not to a goodbye.
    void live.close().finally(() => live.destroy());
  }
}

async function sourced<T>(family: NetworkEngineDiagnostics, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw new SourcedError(err, family.driver.name);
  }
}

/** PostgreSQL: the database errors carry routine InitPostgres/CheckMyDatabase; MySQL: 1044/1049 after authentication. */
function isDatabaseRefusal(ev: { sqlState?: string; errno?: number | string; message: string }): boolean {
  return ['3D000', '42501', '55000'].includes(ev.sqlState ?? '') || ev.errno === 1049 || ev.errno === 1044;
}

async function retryWithTls(
  family: NetworkEngineDiagnostics,
  config: EngineConfig,
  host: string,
  port: number,
  deadline: number,
  signal: AbortSignal,
  firstClass: string,
  ctx: ErrorContext,
): Promise<string> {
  try {
    const s = await family.connect(config, host, port, { timeoutMs: Math.max(100, deadline - Date.now()), tlsMode: 'require', signal });
    void s.close().finally(() => s.destroy());
    return 'connected';
  } catch (err) {
    const cls = classifyDriverError(errorEvidence(err, new SecretScrubber(), family.driver.name), { ...ctx, tlsInUse: true });
    return cls?.classId === firstClass ? 'same-error' : 'different-error';
  }
}
