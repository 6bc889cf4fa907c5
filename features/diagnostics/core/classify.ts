import type { DiagnosticClass, DiagnosticStep, DiagnosticVerdict, ServiceFound } from '../../../shared/model/diagnostics';
import { diagnosticClassLabels } from '../../../shared/model/diagnostics';
import { classifySystemError, type Classification, type ErrorContext } from './classification';
import { classifyDriverError } from './classify-driver-error';
import { remedyFor, type RemedyContext } from './remedies';

export type StepFacts = Pick<DiagnosticStep, 'id' | 'status' | 'evidence' | 'error' | 'timedOut'>;

export interface StepClassification extends Classification {
  found?: ServiceFound;
}

/**
 * The class of a failed step, from its evidence and its (already redacted) driver error only — a
 * pure function, unit-tested against recorded errors. `unknown` when nothing fits: the evidence
 * then speaks for itself rather than a wrong label.
 */
export function classifyStep(step: StepFacts, ctx: ErrorContext = {}): StepClassification | undefined {
  if (step.status !== 'fail') return undefined;
  const ev = step.evidence;
  const fromError = (extra: ErrorContext = {}) => (step.error ? classifyDriverError(step.error, { ...ctx, ...extra }) : null);
  const known = (x: Classification | null): StepClassification => x ?? { classId: 'unknown' };
  // The SSH machinery names its own classes (which hop, which phase): the step carries it.
  if (step.id.startsWith('ssh-')) return { classId: typeof ev.sshClass === 'string' ? (ev.sshClass as DiagnosticClass) : 'unknown' };
  switch (step.id) {
    case 'dns':
      if (step.timedOut) return { classId: 'dns-temporary' };
      return known(fromError());
    case 'tcp':
      if (step.error?.code === 'DBDESK_TIMEOUT' || (Number(ev.timedOut) > 0 && Number(ev.refused ?? 0) === 0)) return { classId: 'tcp-timeout' };
      // A Unix socket that is not there: nothing listens (server stopped, wrong directory or port suffix).
      if (step.error?.code === 'ENOENT') return { classId: 'tcp-refused' };
      return known(fromError());
    case 'fingerprint': {
      if (step.error) return known(fromError());
      const found = typeof ev.found === 'string' && ev.found !== '' ? (ev.found as ServiceFound) : null;
      if (found === null) return { classId: 'no-response' };
      if (found !== ev.expected) return { classId: 'wrong-service', found };
      return { classId: 'unknown' };
    }
    case 'tls':
      switch (ev.failure) {
        case 'unsupported':
          return { classId: 'tls-unsupported' };
        case 'hostname':
          return { classId: 'tls-hostname-mismatch' };
        case 'chain':
          return known(classifySystemError({ message: String(ev.chainError ?? ''), code: String(ev.chainError ?? '') }));
        default:
          return known(fromError());
      }
    case 'auth':
      // The side probe: the same login over TLS got past the point where the plain one was refused.
      if (ev.tlsRetry === 'connected' || ev.tlsRetry === 'different-error') return { classId: 'tls-required' };
      {
        const cls = known(fromError({ tlsInUse: ev.tlsInUse === true }));
        // "Maybe TLS is required" is ruled out when TLS was tried the same way, or the server has none.
        if (cls.alternatives && (ev.tlsRetry === 'same-error' || ev.serverOffersTls === false)) {
          const alternatives = cls.alternatives.filter((a) => a !== 'tls-required');
          return alternatives.length ? { ...cls, alternatives } : { classId: cls.classId };
        }
        return cls;
      }
    case 'health':
      if (ev.galera === 'non-primary') return { classId: 'galera-non-primary' };
      if (ev.galera === 'not-ready') return { classId: 'galera-not-ready' };
      return known(fromError());
    case 'privileges':
      if (!step.error) return { classId: 'insufficient-privilege' };
      return known(fromError());
    case 'path':
      if (ev.exists === false || ev.isFile === false) return { classId: 'sqlite-not-found' };
      return known(fromError());
    case 'permissions':
      if (ev.readable === false) return { classId: 'sqlite-permission-denied' };
      if (ev.writable === false || ev.folderWritable === false) return { classId: 'sqlite-read-only' };
      return known(fromError());
    case 'header':
      if (step.error) return known(fromError());
      return { classId: ev.empty === true ? 'unknown' : 'sqlite-not-a-database' };
    case 'integrity':
      if (!step.error) return { classId: 'sqlite-corrupt' };
      return known(fromError());
    default:
      return known(fromError());
  }
}

/** The run's verdict: the first failed step decides; warnings make it "degraded" but usable. */
export function classifyRun(steps: DiagnosticStep[], ctx: RemedyContext): DiagnosticVerdict {
  const failed = steps.find((s) => s.status === 'fail');
  if (failed) {
    const classId: DiagnosticClass = failed.classId ?? 'unknown';
    const verdict: DiagnosticVerdict = {
      usable: false,
      status: 'failed',
      classId,
      failedStep: failed.id,
      headline: `${diagnosticClassLabels[classId]}${failed.found ? ` (found: ${failed.found})` : ''} — ${failed.detail}`,
    };
    if (failed.found) verdict.found = failed.found;
    if (failed.remedy) verdict.remedy = failed.remedy;
    if (failed.alternatives?.length) verdict.alternatives = failed.alternatives;
    return verdict;
  }
  const warned = steps.filter((s) => s.status === 'warn');
  if (warned.length > 0) {
    const first = warned[0]!;
    const verdict: DiagnosticVerdict = {
      usable: true,
      status: 'degraded',
      classId: null,
      headline: `Usable, with ${warned.length === 1 ? 'a warning' : `${warned.length} warnings`} — ${first.detail}`,
    };
    if (first.remedy) verdict.remedy = first.remedy;
    return verdict;
  }
  const server = steps.find((s) => s.id === 'session' || s.id === 'open');
  const version = typeof server?.evidence.serverVersion === 'string' ? ` ${server.evidence.serverVersion.split(' ')[0]}` : '';
  return { usable: true, status: 'ok', classId: null, headline: `The connection works: every check passed (${ctx.engineLabel}${version}).` };
}

/** Fills in a finished step's class and remedy. */
export function withClassification(step: DiagnosticStep, ctx: RemedyContext): DiagnosticStep {
  const cls = classifyStep(step, ctx);
  const out: DiagnosticStep = { ...step };
  if (cls) {
    out.classId = cls.classId;
    if (cls.found) out.found = cls.found;
    if (cls.alternatives?.length) out.alternatives = cls.alternatives;
  }
  const remedy = remedyFor(out, ctx);
  if (remedy) out.remedy = remedy;
  return out;
}
