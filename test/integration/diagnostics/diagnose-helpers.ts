import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';
import { runDiagnostics, type DiagnoseOptions } from '../../../features/diagnostics/core/run-diagnostics';
import type { EngineConfig } from '../../../electron/core/engines/config';
import { ConnectionFields, type ConnectionFieldsInput } from '../../../shared/model/connection';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import type { DiagnosticClass, DiagnosticRun, DiagnosticStepId, ServiceFound } from '../../../shared/model/diagnostics';

/** A profile as the worker gets it, from a URL (password included) plus field overrides. */
export function configFromUrl(url: string, extra: Partial<ConnectionFieldsInput> = {}, password?: string): EngineConfig {
  const parsed = parseConnectionUrl(url);
  const fields = ConnectionFields.parse({ ...parsed.fields, name: parsed.fields.name || 'test', ...extra });
  const pw = password ?? parsed.password;
  return { ...fields, poolSize: 1, ...(pw !== undefined ? { password: pw } : {}) };
}

export function diagnoseUrl(url: string, extra: Partial<ConnectionFieldsInput> = {}, options: DiagnoseOptions = {}): Promise<DiagnosticRun> {
  return runDiagnostics(configFromUrl(url, extra), { stepTimeoutMs: 5000, ...options });
}

/** Asserts the run failed with this class at this step (and, for wrong-service, what was found). */
export function expectFailure(run: DiagnosticRun, classId: DiagnosticClass, step: DiagnosticStepId, found?: ServiceFound): void {
  const summary = run.steps.map((s) => `${s.id}:${s.status}${s.classId ? `(${s.classId})` : ''} ${s.detail}`).join('\n');
  expect(run.verdict, summary).toMatchObject({ usable: false, status: 'failed', classId, failedStep: step });
  const failed = run.steps.find((s) => s.id === step)!;
  expect(failed.status, summary).toBe('fail');
  expect(failed.classId).toBe(classId);
  expect(failed.remedy?.text.length ?? 0).toBeGreaterThan(10);
  if (found) expect(run.verdict.found).toBe(found);
  // Every step before the failing one passed, warned or was skipped; none after it ran.
  const index = run.steps.findIndex((s) => s.id === step);
  expect(run.steps.slice(0, index).some((s) => s.status === 'fail'), summary).toBe(false);
  // DBDESK_CAPTURE_ERRORS=file records each asserted failure (test/fixtures/diagnostics/captured-errors.jsonl is made this way).
  if (process.env.DBDESK_CAPTURE_ERRORS) {
    appendFileSync(process.env.DBDESK_CAPTURE_ERRORS, JSON.stringify({ classId, step, target: run.target, error: failed.error ?? null, detail: failed.detail, evidence: failed.evidence }) + '\n');
  }
}

export function expectUsable(run: DiagnosticRun): void {
  const summary = run.steps.map((s) => `${s.id}:${s.status}${s.classId ? `(${s.classId})` : ''} ${s.detail}`).join('\n');
  expect(run.verdict.usable, summary).toBe(true);
  expect(run.steps.filter((s) => s.status === 'fail'), summary).toEqual([]);
}

/**
 * No step may outlive its limit, so a run never outlives the sum of its steps' limits — counting only
 * the steps that ran (a skipped step takes no time). The slack is timer latency on a loaded test
 * machine, not work: a step that ran on would take seconds longer.
 */
export function expectWithinLimits(run: DiagnosticRun, slackMs = 400): void {
  for (const s of run.steps) if (s.status !== 'skip' && s.timeoutMs > 0) expect(s.ms, `${s.id} took ${s.ms} ms of ${s.timeoutMs}`).toBeLessThanOrEqual(s.timeoutMs + 250);
  const sum = run.steps.filter((s) => s.status !== 'skip').reduce((n, s) => n + s.timeoutMs, 0);
  expect(run.ms, `the run took ${run.ms} ms; the steps that ran had ${sum} ms between them`).toBeLessThanOrEqual(sum + slackMs);
}
