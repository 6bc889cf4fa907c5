import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../../electron/core/app-core';
import { distPath } from '../../../electron/core/paths';
import { FileKeyCipher } from '../../../electron/core/store/secret-cipher';
import { ConnectionFields } from '../../../shared/model/connection';
import { httpServer, silentServer, type FakeServer } from '../../support/fake-servers';
import { freePort } from '../../support/free-port';

/** `dbdesk diagnose`: the same steps as the panel, exit 0 usable / 1 not / 2 bad arguments, and the fixed --json shape. */
function dbdesk(...args: string[]): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/dbdesk.cjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DBDESK_DATA_DIR: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err, ms: Date.now() - started }));
  });
}

interface Json {
  usable: boolean;
  class: string | null;
  found?: string;
  steps: { id: string; status: string; ms: number; detail: string; remedy: string | null }[];
}

let dataDir: string;
let http: FakeServer;
let silent: FakeServer;
const SAVED_PASSWORD = 'Saved-Cli-Password-3';

beforeAll(async () => {
  http = await httpServer();
  silent = await silentServer();
  dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-cli-diag-'));
  const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {}, workerPath: distPath('worker.cjs') });
  core.store.profiles.save(ConnectionFields.parse({ name: 'Shop DB', engine: 'mariadb', host: '127.0.0.1', port: 3306, user: 'root', database: 'test', tls: { mode: 'disable' } }), SAVED_PASSWORD);
  await core.close();
});
afterAll(async () => {
  await http?.close();
  await silent?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dbdesk diagnose', () => {
  it('--json on a healthy server: exit 0 and exactly { usable, class, steps[{ id, status, ms, detail, remedy }] }', async () => {
    const r = await dbdesk('diagnose', 'postgres://postgres@127.0.0.1:5432/test', '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as Json;
    expect(Object.keys(json).sort()).toEqual(['class', 'steps', 'usable']);
    expect(json).toMatchObject({ usable: true, class: null });
    expect(json.steps.map((s) => s.id)).toEqual(['config', 'dns', 'tcp', 'fingerprint', 'tls', 'auth', 'database', 'session', 'privileges', 'health', 'table-read']);
    for (const s of json.steps) {
      expect(Object.keys(s).sort()).toEqual(['detail', 'id', 'ms', 'remedy', 'status']);
      expect(['ok', 'warn', 'fail', 'skip']).toContain(s.status);
      expect(typeof s.ms).toBe('number');
    }
  });

  it('--json when the connection is not usable: exit 1, the class, and the failing step’s remedy', async () => {
    const r = await dbdesk('diagnose', `mariadb://root@127.0.0.1:${await freePort()}/test`, '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as Json;
    expect(json).toMatchObject({ usable: false, class: 'tcp-refused' });
    expect(json.steps.find((s) => s.status === 'fail')).toMatchObject({ id: 'tcp', remedy: expect.stringMatching(/^The DBA: /) });
  });

  it('--json names what was found for wrong-service', async () => {
    const r = await dbdesk('diagnose', `postgres://app@127.0.0.1:${http.port}/x`, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ usable: false, class: 'wrong-service', found: 'http' });
  });

  it('--connection NAME diagnoses a saved profile with its stored password, which it never prints', async () => {
    const r = await dbdesk('--data-dir', dataDir, 'diagnose', '--connection', 'Shop DB');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Diagnosing "Shop DB" \(mariadb:\/\/root@127\.0\.0\.1:3306\/test\?sslmode=disable\)/);
    expect(r.out).toMatch(/FAIL {2}auth/);
    expect(r.out).toMatch(/NOT USABLE: Login refused/);
    expect(r.out + r.err).not.toContain(SAVED_PASSWORD);
  });

  it('prints each step as it finishes, and a password in the URL never appears', async () => {
    const r = await dbdesk('diagnose', 'mariadb://root:Url-Pw-77@127.0.0.1:3306/test?sslmode=disable');
    expect(r.code).toBe(1);
    expect(r.out.split('\n').filter((l) => /^(ok |WARN|FAIL|skip)/.test(l)).length).toBe(11);
    expect(r.out + r.err).not.toContain('Url-Pw-77');
  });

  it('--timeout-ms bounds every step: a silent port is reported within the limit', async () => {
    const r = await dbdesk('diagnose', `postgres://app@127.0.0.1:${silent.port}/x?sslmode=disable`, '--json', '--timeout-ms', '700');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as Json;
    expect(json.class).toBe('no-response');
    expect(json.steps.find((s) => s.id === 'fingerprint')!.ms).toBeLessThanOrEqual(750);
  });

  it('exits 2 on bad arguments, saying what is wrong', async () => {
    expect(await dbdesk('diagnose')).toMatchObject({ code: 2, err: expect.stringContaining('either a connection URL or --connection') });
    expect(await dbdesk('diagnose', 'postgres://h/db', '--connection', 'x')).toMatchObject({ code: 2 });
    expect(await dbdesk('diagnose', 'ftp://h/db')).toMatchObject({ code: 2, err: expect.stringContaining('Unsupported scheme') });
    expect(await dbdesk('diagnose', 'postgres://h/db', '--timeout-ms', 'soon')).toMatchObject({ code: 2, err: expect.stringContaining('--timeout-ms') });
    expect(await dbdesk('diagnose', 'postgres://h/db', '--bogus')).toMatchObject({ code: 2 });
    expect(await dbdesk('--data-dir', dataDir, 'diagnose', '--connection', 'No such')).toMatchObject({ code: 2, err: expect.stringContaining('Saved: ') });
  });

  it('is listed in dbdesk --help', async () => {
    expect((await dbdesk('--help')).out).toMatch(/diagnose\s+Diagnose a connection step by step/);
  });
});
