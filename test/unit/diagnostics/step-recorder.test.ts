import { describe, expect, it } from 'vitest';
import { SourcedError, StepRecorder } from '../../../features/diagnostics/core/step-recorder';
import { SecretScrubber } from '../../../shared/security/secrets';
import type { DiagnosticProgress } from '../../../shared/model/diagnostics';

function recorder(signal = new AbortController().signal, secrets: string[] = []) {
  const progress: DiagnosticProgress[] = [];
  const scrubber = new SecretScrubber(secrets);
  const rec = new StepRecorder({ runId: 'r1', signal, scrubber, classifyContext: () => ({ engineLabel: 'PostgreSQL', protocol: 'postgresql' }), onProgress: (p) => progress.push(p) });
  return { rec, progress, scrubber };
}

describe('StepRecorder', () => {
  it('a step that never answers fails at its own limit, and its signal tells it to clean up', async () => {
    const { rec } = recorder();
    let aborted = false;
    const t0 = performance.now();
    const step = await rec.run('fingerprint', 120, (s) => {
      s.signal.addEventListener('abort', () => (aborted = true));
      return new Promise(() => undefined);
    });
    const took = performance.now() - t0;
    expect(step).toMatchObject({ status: 'fail', timedOut: true, timeoutMs: 120 });
    expect(took).toBeGreaterThanOrEqual(115);
    expect(took).toBeLessThan(400);
    expect(aborted).toBe(true);
  });

  it('a step sees a deadline a little before its hard limit, so it can report what it saw', async () => {
    const { rec } = recorder();
    let deadline = 0;
    const started = Date.now();
    await rec.run('tcp', 1000, async (s) => {
      deadline = s.deadline;
      return { status: 'ok', detail: 'fine' };
    });
    expect(deadline - started).toBeGreaterThan(900);
    expect(deadline - started).toBeLessThanOrEqual(1000);
  });

  it('cancelling the run fails the running step as cancelled and skips the next ones', async () => {
    const controller = new AbortController();
    const { rec } = recorder(controller.signal);
    setTimeout(() => controller.abort(), 30);
    const running = await rec.run('tls', 10_000, () => new Promise(() => undefined));
    expect(running).toMatchObject({ status: 'fail', detail: 'Cancelled while this step was running.' });
    const next = await rec.run('auth', 10_000, async () => ({ status: 'ok', detail: 'never' }));
    expect(next).toMatchObject({ status: 'skip' });
  });

  it('records the driver that raised an error, and removes secrets from details, evidence and errors', async () => {
    const { rec, scrubber } = recorder(undefined, ['pw-123456']);
    const err = Object.assign(new Error('password authentication failed (tried pw-123456)'), { code: '28P01', severity: 'FATAL' });
    const step = await rec.run('auth', 1000, async () => {
      throw new SourcedError(err, 'pg');
    });
    expect(step.error).toMatchObject({ source: 'pg', code: '28P01', sqlState: '28P01', message: 'password authentication failed (tried [secret removed])' });
    expect(step.classId).toBe('auth-failed');
    expect(step.remedy?.audience).toBe('user');
    const ev = await rec.run('config', 1000, async () => ({ status: 'ok', detail: 'url postgres://u:pw-123456@h/db', evidence: { url: 'postgres://u:pw-123456@h/db' } }));
    expect(JSON.stringify(ev)).not.toContain('pw-123456');
    expect(scrubber.removed).toBeGreaterThanOrEqual(3);
  });

  it('announces each step before it runs and reports it when done', async () => {
    const { rec, progress } = recorder();
    await rec.run('dns', 1000, async () => ({ status: 'ok', detail: 'resolved' }));
    rec.skip('tcp', 'not needed');
    expect(progress.map((p) => (p.kind === 'finished' ? `finished:${p.step.id}` : p.kind === 'started' ? `started:${p.stepId}` : p.kind))).toEqual(['started:dns', 'finished:dns', 'finished:tcp']);
  });
});
