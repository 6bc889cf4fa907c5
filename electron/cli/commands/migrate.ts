import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { RepairAction, RunResult } from '../../../shared/model/migrations';
import { CoreError, toIpcError } from '../../core/errors';
import type { MigrationRunner, PlanRequest } from '../../../features/migrations/core';
import { databaseFileState } from '../../core/engines/database-file';
import { checkVersionArgument } from '../migrate/version-args';
import { planText, progressLine, schemaCheckText, statusJson, statusText } from '../migrate/print';
import { sshFlagsUsage } from '../ssh-flags';
import { targetOptions } from '../target-options';
import { UsageError, type CliCommand } from '../usage';

const SUBCOMMANDS = ['status', 'plan', 'up', 'down', 'baseline', 'repair', 'drift'] as const;
type Sub = (typeof SUBCOMMANDS)[number];
const REPAIRS: { flag: string; action: RepairAction }[] = [
  { flag: 'resume', action: 'resume' },
  { flag: 'mark-applied', action: 'mark-applied' },
  { flag: 'forget', action: 'forget' },
  { flag: 'accept-checksum', action: 'accept-checksum' },
];

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > 86_400) throw new UsageError(`${flag} takes a number of seconds (0 to 86400), not "${value}".`);
  return n;
}

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Plan and apply SQL migrations (dbmate, golang-migrate or Flyway folders) under a lock.',
  usage: [
    'dbdesk migrate status|plan|up|down|baseline|repair (--url URL | --connection NAME) --dir DIR',
    `               ${sshFlagsUsage}`,
    '                [--to VERSION] [--steps N] [--json] [--yes] [--lock-timeout S] [--wait S]',
    '       plan --down [--steps N | --to VERSION] shows what down would run, running nothing',
    '       repair takes one of --resume V, --mark-applied V, --forget V, --accept-checksum V',
    '       exit 0: done; 1: failed or refused (lock held, edited or failed migration, production without --yes); 2: bad arguments',
    'dbdesk migrate drift (--url URL | --connection NAME) --dir DIR [--shadow-url URL] [--json]',
    '       replays the applied migrations in a shadow database and compares it with the live schema',
    '       exit 0: no drift; 1: drift; 2: bad arguments, or the check could not run (no shadow)',
    'dbdesk migrate up --rehearse (--url URL | --connection NAME) --dir DIR [--to V] [--with-rows [--small-rows N]] [--shadow-url URL] [--json]',
    '       applies the pending migrations to a shadow copy of the live schema (plus the rows of tables',
    '       with at most N rows, default 10000, with --with-rows); production is not touched',
    '       exit 0: would succeed (or nothing pending); 1: would fail, refused, or could not run; 2: bad arguments',
  ].join('\n'),
  async run(argv, globals) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...targetOptions,
        dir: { type: 'string' },
        to: { type: 'string' },
        steps: { type: 'string' },
        down: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        resume: { type: 'string' },
        'mark-applied': { type: 'string' },
        forget: { type: 'string' },
        'accept-checksum': { type: 'string' },
        'lock-timeout': { type: 'string' },
        wait: { type: 'string' },
        'shadow-url': { type: 'string' },
        rehearse: { type: 'boolean', default: false },
        'with-rows': { type: 'boolean', default: false },
        'small-rows': { type: 'string' },
      },
    });
    const sub = positionals[0] as Sub | undefined;
    if (!sub || !SUBCOMMANDS.includes(sub)) throw new UsageError(`dbdesk migrate needs one of ${SUBCOMMANDS.join(', ')}${sub ? `, not "${sub}"` : ''}.`);
    if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}".`);
    if (!values.url === !values.connection) throw new UsageError('Name the database with exactly one of --url URL or --connection NAME.');
    if (values.steps !== undefined && (!/^\d+$/.test(values.steps) || Number(values.steps) < 1)) throw new UsageError(`--steps takes a whole number of at least 1, not "${values.steps}".`);
    // `plan --down` is the dry run of `down`: the same targets, nothing run.
    const goingDown = sub === 'down' || (sub === 'plan' && values.down);
    if (values.down && sub !== 'plan') throw new UsageError(`--down only goes with plan (to see what down would run); use "dbdesk migrate down" to run it.`);
    if (values.steps !== undefined && !goingDown) throw new UsageError('--steps only goes with down (or plan --down).');
    if (values.steps !== undefined && values.to !== undefined) throw new UsageError('Use --steps or --to, not both.');
    if (values.to !== undefined && !['plan', 'up', 'down', 'baseline'].includes(sub)) throw new UsageError(`--to does not go with ${sub}.`);
    const shadowRun = sub === 'drift' || values.rehearse;
    if (values.rehearse && sub !== 'up') throw new UsageError('--rehearse only goes with up.');
    if (values['shadow-url'] !== undefined && !shadowRun) throw new UsageError('--shadow-url only goes with drift or up --rehearse.');
    if ((values['with-rows'] || values['small-rows'] !== undefined) && !values.rehearse) throw new UsageError('--with-rows and --small-rows only go with up --rehearse.');
    if (values['small-rows'] !== undefined && (!/^\d+$/.test(values['small-rows']) || Number(values['small-rows']) > 10_000_000)) throw new UsageError(`--small-rows takes a number of rows (0 to 10000000), not "${values['small-rows']}".`);
    if (shadowRun && values.yes) throw new UsageError(`--yes does not go with ${sub === 'drift' ? 'drift' : '--rehearse'}: it changes nothing on the live database.`);
    if (sub === 'baseline' && values.to === undefined) throw new UsageError('baseline needs --to VERSION: the version the database already matches.');
    const repairs = REPAIRS.filter((r) => values[r.flag as 'resume'] !== undefined);
    if (sub === 'repair' && repairs.length !== 1) throw new UsageError('repair takes exactly one of --resume V, --mark-applied V, --forget V, --accept-checksum V.');
    if (sub !== 'repair' && repairs.length > 0) throw new UsageError(`--${repairs[0]!.flag} only goes with repair.`);
    if (values.yes && (sub === 'status' || sub === 'plan')) throw new UsageError(`--yes does not go with ${sub}: it changes nothing.`);
    // A --dir that names no folder is a bad argument (exit 2), found before connecting to anything.
    if (values.dir !== undefined && !isFolder(values.dir)) throw new UsageError(`--dir names no folder: "${values.dir}" does not exist or is not a directory.`);
    const lockTimeout = seconds(values['lock-timeout'], '--lock-timeout');
    const wait = seconds(values.wait, '--wait');

    const out = (line: string) => process.stdout.write(`${line}\n`);
    const note = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);
    // Everything an argument can be wrong about is checked here, before any connection or lock:
    // the target (URL or saved connection), the folder, and every version the command names.
    const { resolveMigrateTarget, openMigrateTarget } = await import('../migrate/migrate-target');
    const resolved = await resolveMigrateTarget({ url: values.url, connection: values.connection, dataDir: values['data-dir'] ?? globals.dataDir, ssh: values });
    const dir = values.dir ?? resolved.settings.dir;
    if (!dir) throw new UsageError(`--dir is required${values.connection ? `: ${resolved.label} has no migrations folder saved` : ''}.`);
    if (!isFolder(dir)) throw new UsageError(`The migrations folder "${dir}" saved for ${resolved.label} does not exist or is not a directory.`);
    const { readMigrationFolder } = await import('../../../features/migrations/core/folder/read-folder');
    const folder = await readMigrationFolder(dir).catch((err: unknown) => {
      throw err instanceof CoreError ? new UsageError(err.message) : err;
    });
    if (values.to !== undefined && !(goingDown && values.to.trim() === '0')) checkVersionArgument(folder, '--to', values.to, true);
    for (const r of repairs) checkVersionArgument(folder, `--${r.flag}`, values[r.flag as 'resume']!, r.action === 'resume' || r.action === 'accept-checksum');
    const file = databaseFileState(resolved.config);
    if (file && !file.exists) {
      if (sub !== 'up' || values.rehearse) throw new UsageError(`The SQLite file "${file.path}" does not exist. "dbdesk migrate up" creates it; ${sub} never does.`);
      if (!file.folderExists) throw new UsageError(`Cannot create the SQLite file "${file.path}": its folder does not exist.`);
    }

    if (shadowRun) {
      const { shadowConfigFromUrl } = await import('../../../features/migrations/core/shadow/shadow-url');
      let shadowConfig = null;
      if (values['shadow-url'] !== undefined) {
        try {
          shadowConfig = shadowConfigFromUrl(values['shadow-url'], resolved.config);
        } catch (err) {
          throw err instanceof CoreError ? new UsageError(err.message) : err;
        }
      }
      const { runShadowCommand } = await import('../migrate/shadow-run');
      const small = values['small-rows'] !== undefined ? Number(values['small-rows']) : values['with-rows'] ? 10_000 : null;
      return runShadowCommand(sub === 'drift' ? 'drift' : 'rehearse', resolved, {
        dir,
        settings: { ...resolved.settings, dir, ...(lockTimeout !== undefined ? { lockTimeoutSeconds: lockTimeout } : {}) },
        shadowConfig,
        json: values.json,
        copyRowsUpTo: small,
        to: values.to,
      });
    }

    let target: Awaited<ReturnType<typeof openMigrateTarget>>;
    try {
      target = await openMigrateTarget(resolved, { allowCreate: file !== null && !file.exists });
    } catch (err) {
      // With --json a script reads stdout: a connection that fails is a JSON error there too (exit 1).
      if (!values.json) throw err;
      out(JSON.stringify({ error: toIpcError(err, 'connection-failed') }, null, 2));
      return 1;
    }
    if (file && !file.exists) note(`Created the SQLite database ${file.path} (it did not exist).`);
    try {
      const settings = { ...target.settings, dir, ...(lockTimeout !== undefined ? { lockTimeoutSeconds: lockTimeout } : {}), ...(wait !== undefined ? { lockWaitSeconds: wait } : {}) };
      const { MigrationRunner, forcedLockStrategy } = await import('../../../features/migrations/core');
      const runner = new MigrationRunner({ adapter: target.migrations, settings, production: target.production, readOnly: target.readOnly, lockStrategy: forcedLockStrategy() });

      if (sub === 'status') {
        const status = await runner.status(dir);
        out(values.json ? JSON.stringify(statusJson(status), null, 2) : statusText(status, target.label));
        // Something needs a decision (a half-applied or another tool's failed migration, an edited
        // file): say so in the exit code too, so CI can gate on it.
        const decision = status.migrations.some((m) => m.state === 'edited' || (m.state === 'failed' && (m.resumable === true || m.statementsTotal === undefined)));
        return decision ? 1 : 0;
      }

      const request: PlanRequest =
        goingDown
          ? { action: 'down', to: values.to, steps: values.steps !== undefined ? Number(values.steps) : undefined }
          : sub === 'baseline'
            ? { action: 'baseline', to: values.to! }
            : sub === 'repair' && repairs[0]!.action === 'resume'
              ? { action: 'resume', version: values.resume! }
              : { action: 'up', to: values.to };

      if (sub === 'plan' || (target.production && !values.yes && sub !== 'repair')) {
        const plan = await runner.plan(dir, request);
        out(values.json ? JSON.stringify(plan, null, 2) : planText(plan));
        if (sub === 'plan') return plan.blockers.length > 0 ? 1 : 0;
        if (plan.steps.length > 0) {
          note(`\nRefused: ${target.label} is a production connection. Nothing was run; add --yes to apply this plan.`);
          return 1;
        }
        return plan.blockers.length > 0 ? 1 : 0;
      }
      if (target.production && !values.yes) {
        note(`Refused: ${target.label} is a production connection. Nothing was changed; add --yes to confirm the repair.`);
        return 1;
      }

      let lastWait = 0;
      let lastMessage = '';
      const controller = new AbortController();
      const onSignal = () => {
        note('Stopping after the current statement…');
        controller.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const options = {
        runId: randomUUID(),
        confirm: 'yes' as const,
        signal: controller.signal,
        onProgress: (p: Parameters<NonNullable<Parameters<MigrationRunner['apply']>[2]['onProgress']>>[0]) => {
          if (p.kind === 'waiting-for-lock') {
            // The holder at once, again when more is known about it (or it changes), and every 5 s.
            if (Date.now() - lastWait >= 5000 || p.message !== lastMessage) {
              note(`  ${p.message}`);
              lastWait = Date.now();
              lastMessage = p.message;
            }
            return;
          }
          const line = progressLine(p);
          if (line) note(line);
        },
      };
      let result: RunResult;
      try {
        result = sub === 'repair' ? await runner.repair(dir, repairs[0]!.action, values[repairs[0]!.flag as 'resume']!, options) : await runner.apply(dir, request, options);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (values.json) out(JSON.stringify(result, null, 2));
      else {
        out(result.message);
        if (result.schemaCheck) out(schemaCheckText(result.schemaCheck));
      }
      // Nodes whose schemas differ fail the run for CI, although the migration itself went through;
      // a node that could not be checked (down, behind) is reported but does not.
      const differs = (result.schemaCheck?.differences.length ?? 0) > 0;
      return (result.outcome === 'success' || result.outcome === 'nothing-to-do') && !differs ? 0 : 1;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const e = toIpcError(err, 'query-failed');
      if (values.json) out(JSON.stringify({ error: e }, null, 2));
      else process.stderr.write(`dbdesk migrate: ${e.message}\n`);
      return 1;
    } finally {
      await target.close();
    }
  },
};
