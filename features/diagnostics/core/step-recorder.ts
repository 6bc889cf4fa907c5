import { performance } from 'node:perf_hooks';
import type { DiagnosticHop, DiagnosticProgress, DiagnosticStep, DiagnosticStepId, DriverErrorEvidence, EvidenceValue } from '../../../shared/model/diagnostics';
import { diagnosticStepTitles } from '../../../shared/model/diagnostics';
import type { SecretScrubber } from '../../../shared/security/secrets';
import { withClassification } from './classify';
import { errorEvidence } from './driver-error';
import { ProbeTimeout } from './probes/socket-io';
import type { RemedyContext } from './remedies';

export interface StepContext {
  /** When the step should have its answer (a little before the hard limit, so it can say what it saw). */
  deadline: number;
  timeoutMs: number;
  /** Aborts at the hard limit or when the run is cancelled (never after the step ended): close sockets and drivers on it. */
  signal: AbortSignal;
}

export interface StepOutcome {
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  evidence?: Record<string, EvidenceValue | undefined>;
  /** A raw error: turned into redacted evidence here. */
  error?: unknown;
  errorSource?: string;
  timedOut?: boolean;
}

/** Marks which driver raised an error, so the classifier reads it with the right table. */
export class SourcedError extends Error {
  constructor(
    readonly original: unknown,
    readonly source: string,
  ) {
    super(original instanceof Error ? original.message : String(original));
  }
}

/**
 * Runs the steps of one diagnosis: each under its own hard time limit, each reported as it
 * starts and finishes, every error redacted before it is stored. A step never outlives its
 * limit, so a run never outlives the sum of its steps' limits.
 */
export class StepRecorder {
  readonly steps: DiagnosticStep[] = [];
  private readonly t0 = performance.now();

  constructor(
    private readonly options: {
      runId: string;
      signal: AbortSignal;
      scrubber: SecretScrubber;
      classifyContext: () => RemedyContext;
      onProgress?: (p: DiagnosticProgress) => void;
      /** A cluster run: the node (host:port) every progress event of this recorder belongs to. */
      node?: string;
    },
  ) {}

  elapsed(): number {
    return Math.round(performance.now() - this.t0);
  }

  get cancelled(): boolean {
    return this.options.signal.aborted;
  }

  /** `hop`: an SSH step, about that server of the route (the same id repeats for each hop). */
  async run(id: DiagnosticStepId, timeoutMs: number, fn: (ctx: StepContext) => Promise<StepOutcome>, hop?: DiagnosticHop): Promise<DiagnosticStep> {
    const hopTag = hop ? { hop } : {};
    if (this.cancelled) return this.skip(id, 'Not run: the diagnosis was cancelled.', timeoutMs, {}, hop);
    this.options.onProgress?.({ runId: this.options.runId, kind: 'started', stepId: id, ...hopTag, ...this.nodeTag() });
    const startedMs = this.elapsed();
    const started = performance.now();
    const controller = new AbortController();
    const onRunAbort = () => controller.abort(new Error('The diagnosis was cancelled.'));
    this.options.signal.addEventListener('abort', onRunAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const hardLimit = new Promise<StepOutcome>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new ProbeTimeout(diagnosticStepTitles[id], timeoutMs));
        resolve({ status: 'fail', detail: `No result within the step’s limit of ${timeoutMs} ms.`, timedOut: true, error: new ProbeTimeout(diagnosticStepTitles[id], timeoutMs), errorSource: 'dbdesk' });
      }, timeoutMs);
    });
    const cancelled = new Promise<StepOutcome>((resolve) => {
      controller.signal.addEventListener('abort', () => {
        if (this.options.signal.aborted) resolve({ status: 'fail', detail: 'Cancelled while this step was running.', error: new Error('cancelled'), errorSource: 'dbdesk' });
      });
    });
    const margin = Math.min(25, timeoutMs * 0.05);
    const work = fn({ deadline: Date.now() + timeoutMs - margin, timeoutMs, signal: controller.signal }).catch(
      (err: unknown): StepOutcome => ({
        status: 'fail',
        detail: describeError(err),
        error: err instanceof SourcedError ? err.original : err,
        errorSource: err instanceof SourcedError ? err.source : (err as { code?: string })?.code === 'DBDESK_TIMEOUT' ? 'dbdesk' : 'node',
        timedOut: err instanceof ProbeTimeout || (err as { code?: string })?.code === 'DBDESK_TIMEOUT',
      }),
    );
    let outcome: StepOutcome;
    try {
      outcome = await Promise.race([work, hardLimit, cancelled]);
    } finally {
      clearTimeout(timer);
      this.options.signal.removeEventListener('abort', onRunAbort);
    }
    return this.record({
      id,
      ...hopTag,
      status: outcome.status,
      detail: this.options.scrubber.scrub(outcome.detail),
      startedMs,
      ms: Math.round(performance.now() - started),
      timeoutMs,
      timedOut: outcome.timedOut ?? false,
      evidence: this.cleanEvidence(outcome.evidence ?? {}),
      ...(outcome.error !== undefined ? { error: errorEvidence(outcome.error, this.options.scrubber, outcome.errorSource) } : {}),
    });
  }

  /** A step that does not run (an earlier one failed, or it does not apply). */
  skip(id: DiagnosticStepId, detail: string, timeoutMs = 0, evidence: Record<string, EvidenceValue | undefined> = {}, hop?: DiagnosticHop): DiagnosticStep {
    return this.record({ id, ...(hop ? { hop } : {}), status: 'skip', detail, startedMs: this.elapsed(), ms: 0, timeoutMs, timedOut: false, evidence: this.cleanEvidence(evidence) });
  }

  /** A step whose result was decided by another step (the database is chosen during the login). */
  derived(id: DiagnosticStepId, outcome: Omit<StepOutcome, 'timedOut'>): DiagnosticStep {
    return this.record({
      id,
      status: outcome.status,
      detail: this.options.scrubber.scrub(outcome.detail),
      startedMs: this.elapsed(),
      ms: 0,
      timeoutMs: 0,
      timedOut: false,
      evidence: this.cleanEvidence(outcome.evidence ?? {}),
      ...(outcome.error !== undefined ? { error: errorEvidence(outcome.error, this.options.scrubber, outcome.errorSource) } : {}),
    });
  }

  private record(raw: Omit<DiagnosticStep, 'title'>): DiagnosticStep {
    const step = withClassification({ ...raw, title: diagnosticStepTitles[raw.id] } as DiagnosticStep, this.options.classifyContext());
    this.steps.push(step);
    this.options.onProgress?.({ runId: this.options.runId, kind: 'finished', step, ...this.nodeTag() });
    return step;
  }

  private nodeTag(): { node?: string } {
    return this.options.node === undefined ? {} : { node: this.options.node };
  }

  private cleanEvidence(evidence: Record<string, EvidenceValue | undefined>): Record<string, EvidenceValue> {
    const out: Record<string, EvidenceValue> = {};
    for (const [k, v] of Object.entries(evidence)) if (v !== undefined) out[k] = this.options.scrubber.scrubDeep(v);
    return out;
  }
}

export function describeError(err: unknown): string {
  const e = (err instanceof SourcedError ? err.original : err) as { message?: string; code?: string; errno?: unknown } | null;
  if (!e || typeof e !== 'object') return String(err);
  const message = e.message && e.message !== '' ? e.message : (e.code ?? 'Unknown error');
  const code = e.code && !message.includes(e.code) ? ` (${e.code}${typeof e.errno === 'number' && e.errno > 0 ? ` ${e.errno}` : ''})` : typeof e.errno === 'number' && e.errno > 0 ? ` (${e.errno})` : '';
  return `${message}${code}`;
}

export type { DriverErrorEvidence };
