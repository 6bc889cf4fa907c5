import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ipcErrorCodes, type IpcResult } from '../../../shared/ipc/errors';
import { serveApp, type ServedApp } from '../../support/browser';
import { contractFuzzCases } from '../../support/contract-fuzz';

/**
 * The browser shell's protocol, fuzzed against a real `dbdesk serve` process with a valid token and
 * Origin: broken frames, every field of every command with wrong types and hostile values (generated
 * from the zod contract), floods. Whatever comes, the process stays up, each call gets a clear
 * answer, and another window's open connection keeps answering.
 */

type Reply = { type: 'result'; id: number; result: IpcResult } | { type: 'protocol-error'; message: string } | { type: 'event' };

/** One window of the app, speaking the wire protocol directly. */
class RawWindow {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: { result: IpcResult; size: number }) => void>();
  readonly protocolErrors: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return; // a batch's bytes
      const text = data.toString();
      const msg = JSON.parse(text) as Reply;
      if (msg.type === 'result') {
        this.waiting.get(msg.id)?.({ result: msg.result, size: text.length });
        this.waiting.delete(msg.id);
      } else if (msg.type === 'protocol-error') this.protocolErrors.push(msg.message);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('error', () => undefined);
  }

  static async open(app: ServedApp): Promise<RawWindow> {
    const origin = new URL(app.url).origin;
    const ws = new WebSocket(`${app.url.replace('http:', 'ws:')}ws`, { headers: { Origin: origin }, maxPayload: 256 * 1024 * 1024 });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new RawWindow(ws);
  }

  /** Sends a call and resolves with its answer and the answer's size in characters. */
  invoke(name: unknown, input: unknown): Promise<{ result: IpcResult; size: number }> {
    const id = this.nextId++;
    const answered = new Promise<{ result: IpcResult; size: number }>((resolve) => this.waiting.set(id, resolve));
    this.ws.send(JSON.stringify({ type: 'invoke', id, name, input }));
    return answered;
  }

  async call<T>(name: string, input: unknown): Promise<T> {
    const { result } = await this.invoke(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  }

  /** Resolves once the socket has answered everything sent before (a call behind them comes back). */
  async settled(): Promise<void> {
    await this.call('connections.list', {});
  }

  close(): void {
    this.ws.terminate();
  }
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))]);

/** The server's peak resident memory so far, in MB (VmHWM). */
function peakMb(app: ServedApp): number {
  const status = readFileSync(`/proc/${app.process.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

describe('the browser shell under a protocol fuzz', () => {
  let app: ServedApp;
  const folder = mkdtempSync(join(tmpdir(), 'dbdesk-fuzz-'));
  /** The server's working directory: a relative path written anywhere would land here. */
  const cwd = mkdtempSync(join(tmpdir(), 'dbdesk-fuzz-cwd-'));
  /** The other window: its open SQLite connection must keep answering through everything. */
  let other: RawWindow;
  let otherConnection: string;

  const otherWindowWorks = async () => {
    expect(app.process.exitCode, app.output()).toBeNull();
    const rows = await within(
      other.call<{ batch: { rowCount: number } }>('table.window', { connectionId: otherConnection, query: { table: { schema: 'main', name: 'kept' } }, window: { offset: 0, limit: 10 } }),
      10_000,
      'answer from the other window',
    );
    expect(rows.batch.rowCount).toBe(3);
  };

  beforeAll(async () => {
    const file = join(folder, 'other.sqlite');
    const db = new Database(file);
    db.exec("CREATE TABLE kept (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO kept (v) VALUES ('a'), ('b'), ('c');");
    db.close();
    app = await serveApp({ cwd });
    other = await RawWindow.open(app);
    const profile = await other.call<{ id: string }>('connections.save', { fields: { name: 'other window', engine: 'sqlite', file } });
    otherConnection = (await other.call<{ connectionId: string }>('connections.open', { id: profile.id })).connectionId;
    await otherWindowWorks();
  });
  afterAll(async () => {
    other?.close();
    await app?.stop();
    rmSync(folder, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  });

  it('answers a command name that is not a string (it ended the process)', async () => {
    const w = await RawWindow.open(app);
    const { result } = await within(w.invoke({ toString: 1 }, {}), 5000, 'answer');
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-command', message: 'A command name must be a string, not an object.' } });
    w.close();
    await otherWindowWorks();
  });

  it('closes a socket that sends invalid UTF-8 as text, with the reason, and only that socket', async () => {
    const w = await RawWindow.open(app);
    w.ws.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    expect(await within(w.closed, 5000, 'close')).toEqual({ code: 1007, reason: 'A text message was not valid UTF-8.' });
    await otherWindowWorks();
  });

  it('closes a socket that sends a frame over 64 MB at once, with the reason, without holding the memory', async () => {
    for (const fragmented of [false, true]) {
      const w = await RawWindow.open(app);
      const big = Buffer.alloc(70 * 1024 * 1024, 0x20);
      if (fragmented) for (let i = 0; i < 7; i++) w.ws.send(big.subarray(i * 10 * 1024 * 1024, (i + 1) * 10 * 1024 * 1024), { fin: i === 6, binary: false });
      else w.ws.send(big, { binary: false });
      expect(await within(w.closed, 5000, 'close')).toEqual({ code: 1009, reason: 'Message too big: DB Desk takes messages of up to 64 MB.' });
      await otherWindowWorks();
    }
    expect(peakMb(app)).toBeLessThan(1024);
  });

  it('answers malformed JSON, wrong envelopes and binary garbage with a protocol error each, and keeps the socket', async () => {
    const w = await RawWindow.open(app);
    const texts = ['not json', '{', '', 'null', '1', '"invoke"', '[]', '\ufeff{}', '['.repeat(100_000), '{"type":"invoke"}', '{"type":"invoke","id":"1","name":"connections.list","input":{}}', '{"type":"result","id":1}', '{"type":"invoke","id":null}'];
    const binaries = [Buffer.alloc(0), randomBytes(1), randomBytes(4096), Buffer.from(JSON.stringify({ type: 'invoke', id: 1, name: 'connections.list', input: {} }))];
    for (const t of texts) w.ws.send(t);
    for (const b of binaries) w.ws.send(b, { binary: true });
    await w.settled();
    expect(w.protocolErrors).toHaveLength(texts.length + binaries.length);
    for (const message of w.protocolErrors) expect(message).toMatch(/^(Messages must be JSON text|Expected \{type:"invoke")/);
    w.close();
    await otherWindowWorks();
  });

  it('answers every field of every command, set to wrong types and hostile values, with a clear answer', async () => {
    const { cases } = contractFuzzCases(join(folder, 'written'));
    const w = await RawWindow.open(app);
    const started = Date.now();
    const answers = await within(Promise.all(cases.map((c) => w.invoke(c.command, c.input))), 90_000, 'answer to every fuzz call');
    const problems: string[] = [];
    answers.forEach(({ result, size }, i) => {
      const c = cases[i]!;
      const where = `${c.command} ${c.field} = ${JSON.stringify(c.input).slice(0, 160)}`;
      if (size > 20_000) problems.push(`${where}: an answer of ${size} characters`);
      if (result.ok) return;
      const { code, message } = result.error;
      if (!ipcErrorCodes.includes(code) || code === 'internal' || code === 'worker-crashed') problems.push(`${where}: ${code} ${message.slice(0, 200)}`);
      else if (typeof message !== 'string' || message.trim() === '') problems.push(`${where}: ${code} without a message`);
    });
    expect(problems.slice(0, 30), `${problems.length} of ${cases.length} calls`).toEqual([]);
    console.log(`protocol fuzz: ${cases.length} generated calls answered in ${Date.now() - started} ms`);
    w.close();
    await otherWindowWorks();
    // Nothing the fuzz sent was written where the server runs (relative paths are refused).
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('survives floods: 20,000 calls at once, garbage frames, and windows opening and closing', async () => {
    const w = await RawWindow.open(app);
    const calls: Promise<{ result: IpcResult }>[] = [];
    for (let i = 0; i < 20_000; i++) {
      if (i % 4 < 2) calls.push(w.invoke('designer.types', { engine: i % 4 ? 'sqlite' : 'postgresql' }));
      else if (i % 4 === 2) calls.push(w.invoke('no.such.command', { i }));
      else {
        w.ws.send('garbage');
        calls.push(w.invoke('history.list', { profileId: 'x', limit: 'many' }));
      }
    }
    const windows = await Promise.all(Array.from({ length: 8 }, () => RawWindow.open(app)));
    await Promise.all(windows.map((x) => x.call('connections.list', {})));
    for (const x of windows) x.close();
    const answers = await within(Promise.all(calls), 60_000, 'answer to every flooded call');
    expect(answers.filter((a) => a.result.ok)).toHaveLength(10_000);
    expect(new Set(answers.filter((a) => !a.result.ok).map((a) => (a.result as { error: { code: string } }).error.code))).toEqual(new Set(['unknown-command', 'invalid-input']));
    await w.settled();
    expect(w.protocolErrors).toHaveLength(5000);
    w.close();
    await otherWindowWorks();
  });
});
