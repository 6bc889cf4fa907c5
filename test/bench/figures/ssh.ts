import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../../../electron/core/engines';
import type { EngineConfig } from '../../../electron/core/engines/config';
import { ConnectionFields } from '../../../shared/model/connection';
import { makeKey, startPrivateSshd } from '../../support/private-sshd';
import { medianMs, round, timeRatio, type Figure, type FigureModule } from '../figure';
import { streamFigure } from './sql-editor';

/**
 * A usable PostgreSQL connection through a loopback SSH tunnel (OpenSSH's sshd, key login, host key
 * on file) against the same connection made directly, in the same run: engine open (tunnel, pool's
 * first connection, SELECT 1) then close. The figure is the overhead in ms; the goal is ≤ 60 ms.
 * And the SQL editor's million-row stream through the tunnel against the same stream direct.
 */
const RUNS = 9;

export default {
  ids: ['ssh.connect.postgres', 'query.stream.postgres.1m.ssh'],
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'dbdesk-bench-ssh-'));
    const key = makeKey(dir, 'id_ed25519', 'ed25519');
    const sshd = await startPrivateSshd({ authorizedKeys: [key.publicLine] });
    try {
      const knownHosts = join(dir, 'known_hosts');
      writeFileSync(knownHosts, sshd.knownHostsLine() + '\n');
      const direct: EngineConfig = { ...ConnectionFields.parse({ name: 'bench', engine: 'postgresql', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres', tls: { mode: 'disable' } }), poolSize: 1 };
      const tunnelled: EngineConfig = {
        ...direct,
        ssh: ConnectionFields.shape.ssh.parse({ enabled: true, host: '127.0.0.1', port: sshd.port, user: 'root', auth: 'key', keyFile: key.file, knownHostsFile: knownHosts, useSshConfig: false }),
      };
      const usable = (config: EngineConfig) => async () => {
        const engine = await openEngine(config);
        await engine.serverInfo();
        await engine.close();
      };
      await usable(direct)();
      await usable(tunnelled)();
      const base = await medianMs(RUNS, usable(direct));
      const ours = await medianMs(RUNS, usable(tunnelled));
      const overhead = ours - base;
      const figure: Figure = {
        id: 'ssh.connect.postgres',
        value: round(overhead),
        unit: 'ms',
        baseline: round(base),
        ratio: null,
        goal: '≤ 60 ms overhead',
        note: `overhead of a usable connection (open, SELECT 1 + serverInfo, close) through a loopback SSH tunnel (ssh2 → OpenSSH sshd, Ed25519 key, curve25519 + AES-GCM) over the same connection direct; through SSH ${round(ours)} ms, direct ${round(base)} ms; median of ${RUNS}`,
      };
      // The SQL editor's 1M-row stream through the tunnel against the same stream direct, same run.
      const sshSection = { ssh: { enabled: true, host: '127.0.0.1', port: sshd.port, user: 'root', auth: 'key', keyFile: key.file, knownHostsFile: knownHosts, useSshConfig: false } };
      const directStream = await streamFigure('postgres');
      const sshStream = await streamFigure('postgres', sshSection);
      const stream: Figure = {
        id: 'query.stream.postgres.1m.ssh',
        value: sshStream.value,
        unit: 'ms',
        baseline: directStream.value,
        ratio: timeRatio(sshStream.value, directStream.value),
        goal: 'ratio ≥ 0.5',
        note: `1M rows × 5 columns streamed to the window through the SQL editor, through a loopback SSH tunnel (ssh2 ↔ OpenSSH sshd) against the same stream direct (${directStream.value} ms) in the same run; median of 3 each`,
      };
      return [figure, stream];
    } finally {
      await sshd.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
} satisfies FigureModule;
