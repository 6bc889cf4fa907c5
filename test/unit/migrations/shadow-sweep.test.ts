import { describe, expect, it } from 'vitest';
import { shadowCreatedAt, shadowName, sweepShadows } from '../../../features/migrations/core/shadow/sweep';
import type { LeftShadow, ShadowPort } from '../../../features/migrations/core/shadow/shadow-port';
import type { EngineConfig } from '../../../electron/core/engines/config';

describe('shadow names', () => {
  it('carry the time they were made, to the second, in a name every engine takes', () => {
    const at = new Date('2026-12-07T23:18:38.512Z');
    const name = shadowName(at);
    expect(name).toMatch(/^dbdesk_shadow_20261207t231838_[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(shadowCreatedAt(name)?.toISOString()).toBe('2026-12-07T23:18:38.000Z');
  });

  it('anything else is not ours: old names without a time, look-alikes, impossible times', () => {
    for (const other of [
      'dbdesk_shadow_1a2b3c4d',
      'dbdesk_shadow_20261207t231838_1a2b3c4d_keep',
      'xdbdesk_shadow_20261207t231838_1a2b3c4d',
      'dbdesk_shadow_20261207t231838_1A2B3C4D',
      'dbdesk_shadow_20261399t231838_1a2b3c4d',
      'dbdesk_shadow_20261207t256038_1a2b3c4d',
      'dbdesk_shadowx20261207t231838_1a2b3c4d',
    ]) {
      expect(shadowCreatedAt(other), other).toBeNull();
    }
  });
});

describe('the sweep', () => {
  const now = Date.parse('2026-12-08T12:00:00Z');
  const day = 24 * 3600 * 1000;
  function portWith(left: (Omit<LeftShadow, 'drop'> & { fails?: boolean })[], dropped: string[]): ShadowPort {
    return {
      leftShadows: async () =>
        left.map((l) => ({
          ...l,
          drop: async () => {
            if (l.fails) throw new Error('permission denied');
            dropped.push(l.name);
          },
        })),
    } as unknown as ShadowPort;
  }
  const live = {} as EngineConfig;
  const open = () => Promise.reject(new Error('not used'));

  it('drops only old, unheld shadows of ours that this process is not using, and says which', async () => {
    const old = shadowName(new Date(now - day - 1000));
    const oldHeld = shadowName(new Date(now - 2 * day));
    const oldInUse = shadowName(new Date(now - 2 * day));
    const young = shadowName(new Date(now - day + 60_000));
    const dropped: string[] = [];
    const port = portWith(
      [
        { name: old, description: `temporary database ${old}`, held: false },
        { name: oldHeld, description: 'held', held: true },
        { name: oldInUse, description: 'in use', held: false },
        { name: young, description: 'young', held: false },
        { name: 'dbdesk_shadow_1a2b3c4d', description: 'no time in its name', held: false },
        { name: 'dbdesk_shadow_20200101t000000_1a2b3c4d_keep', description: 'look-alike', held: false },
      ],
      dropped,
    );
    const r = await sweepShadows(port, live, open, { olderThanMs: day, inUse: new Set([oldInUse]), now });
    expect(dropped).toEqual([old]);
    expect(r.swept).toEqual([{ name: old, description: `temporary database ${old}`, createdAt: shadowCreatedAt(old)!.toISOString() }]);
    expect(r.problem).toBeNull();
  });

  it('a shadow it cannot drop, or a catalog it cannot read, is said and does not stop the run', async () => {
    const old = shadowName(new Date(now - 2 * day));
    const r = await sweepShadows(portWith([{ name: old, description: `temporary database ${old}`, held: false, fails: true }], []), live, open, { olderThanMs: day, inUse: new Set(), now });
    expect(r.swept).toEqual([]);
    expect(r.problem).toMatch(/Could not drop .*permission denied/);
    const broken = { leftShadows: () => Promise.reject(new Error('no access to pg_database')) } as unknown as ShadowPort;
    expect((await sweepShadows(broken, live, open, { olderThanMs: day, inUse: new Set(), now })).problem).toMatch(/Could not look .*no access/);
  });
});
