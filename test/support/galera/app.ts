import { ConnectionFields } from '../../../shared/model/connection';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import type { EngineConfig } from '../../../electron/core/engines/config';
import type { TestWindow } from '../test-core';

/** The EngineConfig the core would build for a profile saved from this URL (for engine-level tests). */
export function engineConfigFromUrl(url: string, extra: Partial<EngineConfig> = {}): EngineConfig {
  const parsed = parseConnectionUrl(url);
  const fields = ConnectionFields.parse(parsed.fields);
  return { ...fields, ...(parsed.password !== undefined ? { password: parsed.password } : {}), poolSize: 5, ...extra };
}

/** Waits for an event a window received (already or later) that matches; fails after `timeoutMs` listing what came. */
export async function waitForEvent<T>(w: TestWindow, name: string, match: (payload: T) => boolean, timeoutMs = 20_000, after = 0): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = w.events.slice(after).find((e) => e.name === name && match(e.payload as T));
    if (hit) return hit.payload as T;
    if (Date.now() > deadline) {
      const seen = w.events.slice(after).map((e) => `${e.name} ${JSON.stringify(e.payload).slice(0, 300)}`);
      throw new Error(`No matching ${name} event within ${timeoutMs} ms. Events seen:\n${seen.join('\n') || '(none)'}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
