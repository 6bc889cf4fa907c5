import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticProgress, DiagnosticRun } from '../../../shared/model/diagnostics';
import { silentServer, type FakeServer } from '../../support/fake-servers';
import { freePort } from '../../support/free-port';
import { createPostgresDatabase, type TestDatabase } from '../../support/servers';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';

/**
 * Diagnostics through the router and the window's worker, as the panel uses them: live step events,
 * saved profiles and unsaved drafts, cancel, bad input — and the wait-for-the-database loop naming
 * the class of each failed attempt.
 */
let t: TestCore;
let w: TestWindow;
let db: TestDatabase;
let silent: FakeServer;

beforeAll(async () => {
  db = await createPostgresDatabase();
  silent = await silentServer();
  t = createTestCore();
  w = t.openWindow();
});
afterAll(async () => {
  await t?.close();
  await silent?.close();
  await db?.drop();
});

function progressOf(runId: string): DiagnosticProgress[] {
  return w.events.filter((e) => e.name === 'diagnostics.step' && (e.payload as DiagnosticProgress).runId === runId).map((e) => e.payload as DiagnosticProgress);
}

describe('diagnostics.run', () => {
  it('diagnoses a saved profile in the worker, each step arriving live before the answer', async () => {
    const id = await saveProfileFromUrl(w.client, db.url);
    const runId = randomUUID();
    const seenBeforeAnswer: number[] = [];
    const off = w.client.on('diagnostics.step', (p) => {
      if (p.runId === runId) seenBeforeAnswer.push(Date.now());
    });
    const run = await w.client.call('diagnostics.run', { runId, subject: { kind: 'profile', profileId: id } });
    off();
    expect(run.verdict.usable).toBe(true);
    expect(run.target).toMatchObject({ engine: 'postgresql', database: db.name, host: '127.0.0.1' });
    const progress = progressOf(runId);
    expect(progress[0]).toMatchObject({ kind: 'plan' });
    const plan = (progress[0] as Extract<DiagnosticProgress, { kind: 'plan' }>).steps.map((s) => s.id);
    expect(plan).toEqual(run.steps.map((s) => s.id));
    const finished = progress.filter((p) => p.kind === 'finished').map((p) => (p as Extract<DiagnosticProgress, { kind: 'finished' }>).step);
    expect(finished.map((s) => s.id)).toEqual(plan);
    expect(finished).toEqual(run.steps);
    // Every step that ran was announced before it finished.
    for (const s of run.steps.filter((x) => x.ms > 0)) {
      const started = progress.findIndex((p) => p.kind === 'started' && p.stepId === s.id);
      const done = progress.findIndex((p) => p.kind === 'finished' && p.step.id === s.id);
      expect(started).toBeGreaterThan(0);
      expect(started).toBeLessThan(done);
    }
    expect(seenBeforeAnswer.length).toBe(progress.length);
  });

  it('diagnoses an unsaved draft; its password appears in no event and not in the answer', async () => {
    const runId = randomUUID();
    const password = 'Draft-Only-Password-77';
    const run = await w.client.call('diagnostics.run', {
      runId,
      subject: { kind: 'draft', fields: { name: 'draft', engine: 'mariadb', host: '127.0.0.1', port: 3306, user: 'root', database: 'test', tls: { mode: 'disable' } }, password },
    });
    expect(run.verdict).toMatchObject({ usable: false, classId: 'auth-failed', failedStep: 'auth' });
    expect(JSON.stringify(run)).not.toContain(password);
    expect(JSON.stringify(w.events)).not.toContain(password);
  });

  it('a draft of a saved profile uses the saved password unless a new one is typed', async () => {
    const profile = await w.client.call('connections.save', {
      fields: { name: 'with password', engine: 'mariadb', host: '127.0.0.1', port: 3306, user: 'root', database: 'test', tls: { mode: 'disable' } },
      password: 'Saved-Wrong-Password-1',
    });
    const fields = { name: 'with password', engine: 'mariadb' as const, host: '127.0.0.1', port: 3306, user: 'root', database: 'test', tls: { mode: 'disable' as const } };
    const saved = await w.client.call('diagnostics.run', { runId: randomUUID(), subject: { kind: 'draft', fields, id: profile.id } });
    expect(saved.verdict.classId).toBe('auth-failed');
    const none = await w.client.call('diagnostics.run', { runId: randomUUID(), subject: { kind: 'draft', fields, id: profile.id, password: null } });
    expect(none.verdict.usable).toBe(true);
  });

  it('cancel stops a run at once: the running step fails as cancelled, the rest are skipped', async () => {
    const runId = randomUUID();
    const started = new Promise<void>((resolve) => {
      const off = w.client.on('diagnostics.step', (p) => {
        if (p.runId === runId && p.kind === 'started' && p.stepId === 'fingerprint') {
          off();
          resolve();
        }
      });
    });
    const t0 = Date.now();
    const controller = new AbortController();
    const running = w.client.call(
      'diagnostics.run',
      {
        runId,
        stepTimeoutMs: 20_000,
        subject: { kind: 'draft', fields: { name: 'silent', engine: 'postgresql', host: '127.0.0.1', port: silent.port, tls: { mode: 'disable' } } },
      },
      { signal: controller.signal },
    );
    await started;
    controller.abort();
    const run: DiagnosticRun = await running;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(run.steps.find((s) => s.id === 'fingerprint')).toMatchObject({ status: 'fail', detail: 'Cancelled while this step was running.' });
    expect(run.steps.filter((s) => ['tls', 'auth', 'session'].includes(s.id)).every((s) => s.status === 'skip')).toBe(true);
  });

  it('refuses bad input and unknown profiles with clear errors', async () => {
    const bad = await w.invoke('diagnostics.run', { runId: 'x', subject: { kind: 'profile' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const missing = await w.invoke('diagnostics.run', { runId: randomUUID(), subject: { kind: 'profile', profileId: 'no-such-profile' } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('waiting for the database: each attempt’s class', () => {
  const attemptsOf = (profileId: string) =>
    w.events.filter((e) => e.name === 'connection.attempt' && (e.payload as { profileId: string }).profileId === profileId).map((e) => e.payload as { status: string; failureClass?: string; attempt: number });

  it('a port nobody listens on: every failed attempt says tcp-refused', async () => {
    const port = await freePort();
    const id = await saveProfileFromUrl(w.client, `postgres://app@127.0.0.1:${port}/x?sslmode=disable`, { retry: { maxAttempts: 3, delaySeconds: 0.1 } });
    const err = await w.client.call('connections.open', { id }).catch((e: unknown) => e as { detail?: Record<string, unknown> });
    expect((err as { detail?: Record<string, unknown> }).detail?.failureClass).toBe('tcp-refused');
    // The panel shows the one-line remedy with the class: the words Diagnose gives, with this port.
    expect((err as { detail?: Record<string, unknown> }).detail?.remedy).toEqual({ audience: 'dba', text: expect.stringMatching(new RegExp(`^Nothing accepts connections on ${port}: the server is stopped, the port is wrong, or it listens on another interface \\(\`listen_addresses\``)) });
    const failed = attemptsOf(id).filter((a) => a.status === 'failed');
    expect(failed.every((a) => (a as { remedy?: { text: string } }).remedy?.text.startsWith(`Nothing accepts connections on ${port}`))).toBe(true);
    expect(failed.map((a) => [a.attempt, a.failureClass])).toEqual([
      [1, 'tcp-refused'],
      [2, 'tcp-refused'],
      [3, 'tcp-refused'],
    ]);
  });

  it('a silent port: the driver only says "timeout expired"; the probe names it no-response', async () => {
    const id = await saveProfileFromUrl(w.client, `postgres://app@127.0.0.1:${silent.port}/x?sslmode=disable`, { retry: { maxAttempts: 2, delaySeconds: 0 }, connectTimeoutMs: 500 });
    await w.client.call('connections.open', { id }).catch(() => undefined);
    const failed = attemptsOf(id).filter((a) => a.status === 'failed');
    expect(failed.map((a) => a.failureClass)).toEqual(['no-response', 'no-response']);
  });

  it('a wrong password: auth-failed from the driver’s own error', async () => {
    const id = await saveProfileFromUrl(w.client, 'mariadb://root:Wrong-Pw-9@127.0.0.1:3306/test?sslmode=disable', { retry: { maxAttempts: 2, delaySeconds: 0 } });
    await w.client.call('connections.open', { id }).catch(() => undefined);
    expect(attemptsOf(id).filter((a) => a.status === 'failed').map((a) => a.failureClass)).toEqual(['auth-failed', 'auth-failed']);
    expect(attemptsOf(id).find((a) => a.status === 'failed')).toMatchObject({ remedy: { audience: 'user', text: expect.stringMatching(/^Check the user name and password/) } });
  });

  it('the editor’s Test reports the class of its failure', async () => {
    const err = await w.client
      .call('connections.test', { fields: { name: 'x', engine: 'postgresql', host: 'db.nonexistent.invalid', port: 5432, tls: { mode: 'disable' } } })
      .catch((e: unknown) => e as { detail?: Record<string, unknown> });
    expect((err as { detail?: Record<string, unknown> }).detail?.failureClass).toBe('dns-not-found');
  });
});
