import { sshFlagOptions, type SshFlagValues } from './ssh-flags';

/** `--data-dir` (where saved connections are read) and the SSH flags: how a command reaches the databases it names. */
const reachOptions = {
  'data-dir': { type: 'string' },
  ...sshFlagOptions,
} as const;

/**
 * The options that name the one database a command works on — `--url URL` or `--connection NAME`
 * (a saved profile, read from `--data-dir`), and the SSH flags for a URL — for parseArgs.
 */
export const targetOptions = {
  url: { type: 'string' },
  connection: { type: 'string' },
  ...reachOptions,
} as const;

type Side = 'source' | 'target';

/** The SSH flags again for one side only: `--source-ssh …`, `--target-ssh-key …`. */
function sideSshOptions<S extends Side>(side: S) {
  return Object.fromEntries(Object.entries(sshFlagOptions).map(([k, v]) => [`${side}-${k}`, v])) as { [K in keyof typeof sshFlagOptions as `${S}-${K}`]: (typeof sshFlagOptions)[K] };
}

/**
 * The options of a command that compares two databases named by its arguments (`dbdesk diff SOURCE
 * TARGET`): `--data-dir`, the SSH flags both sides share, and each side's own (`--source-ssh…`,
 * `--target-ssh…`), for parseArgs.
 */
export const sourceTargetOptions = {
  ...reachOptions,
  ...sideSshOptions('source'),
  ...sideSshOptions('target'),
} as const;

/** A side's SSH flags: its own (`--target-ssh…`) over the ones both sides share (`--ssh…`). */
export function sideSshFlags(values: Record<string, unknown>, side: Side): SshFlagValues {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(sshFlagOptions)) {
    const own = values[`${side}-${k}`];
    const shared = values[k];
    const set = (v: unknown) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0);
    if (set(own)) out[k] = own;
    else if (set(shared)) out[k] = shared;
  }
  return out as SshFlagValues;
}
