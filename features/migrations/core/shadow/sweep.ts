import { randomBytes } from 'node:crypto';
import type { EngineConfig } from '../../../../electron/core/engines/config';
import type { MigrationConnection } from '../migration-adapter';
import type { SweptShadow } from '../../shared/shadow-model';
import type { ShadowPort } from './shadow-port';

/** Shadows older than this, held by no run, are taken for leftovers of a run that died and are dropped. */
export const SWEEP_AGE_MS = 24 * 60 * 60 * 1000;

/** `dbdesk_shadow_<UTC yyyymmdd>t<hhmmss>_<8 hex>`: ours, with the time it was made. */
const NAME = /^dbdesk_shadow_(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})_[0-9a-f]{8}$/;

/**
 * A generated name no one else uses, carrying the time it was made (UTC, to the second) so a later run
 * can tell a shadow left behind by a run that died from one in use: lower-case letters, digits and `_`
 * (safe in every engine's names), 38 characters.
 */
export function shadowName(now = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').toLowerCase();
  return `dbdesk_shadow_${stamp}_${randomBytes(4).toString('hex')}`;
}

/** When a shadow of ours was made, from its name; null for any other name (never ours to drop). */
export function shadowCreatedAt(name: string): Date | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const t = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const date = new Date(t);
  // 20241399t… is not a time: not a name we made.
  return date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d! && date.getUTCHours() === h! && date.getUTCMinutes() === mi! && date.getUTCSeconds() === s! ? date : null;
}

export interface SweepResult {
  swept: SweptShadow[];
  /** Why the sweep could not look or drop (it never stops the run). */
  problem: string | null;
}

/**
 * Drops the shadows of ours that runs which died left behind (a process killed outright cannot drop its
 * own): only names this code makes, older than `olderThanMs`, that no live run holds (the port says which
 * are held: a session in it, its lock taken, its process alive) and that this process is not using.
 */
export async function sweepShadows(
  port: ShadowPort,
  live: EngineConfig,
  open: () => Promise<MigrationConnection>,
  options: { olderThanMs: number; inUse: ReadonlySet<string>; now?: number },
): Promise<SweepResult> {
  const now = options.now ?? Date.now();
  const swept: SweptShadow[] = [];
  const problems: string[] = [];
  let left;
  try {
    left = await port.leftShadows(live, open);
  } catch (err) {
    return { swept, problem: `Could not look for shadows left behind by earlier runs: ${(err as Error).message}` };
  }
  for (const s of left) {
    const created = shadowCreatedAt(s.name);
    if (!created || now - created.getTime() < options.olderThanMs || s.held || options.inUse.has(s.name)) continue;
    try {
      await s.drop();
      swept.push({ name: s.name, description: s.description, createdAt: created.toISOString() });
    } catch (err) {
      problems.push(`${s.description}: ${(err as Error).message}`);
    }
  }
  return { swept, problem: problems.length > 0 ? `Could not drop shadows left behind by earlier runs: ${problems.join('; ')}` : null };
}
