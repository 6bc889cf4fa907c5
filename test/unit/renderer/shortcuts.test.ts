import { beforeAll, describe, expect, it } from 'vitest';

// shortcuts.ts reads navigator.platform when it loads (⌘ vs Ctrl); Node 20 has no navigator.
let shortcuts: typeof import('../../../renderer/src/app/shortcuts');
beforeAll(async () => {
  if (!('navigator' in globalThis)) Object.defineProperty(globalThis, 'navigator', { value: { platform: 'Linux x86_64' }, configurable: true });
  shortcuts = await import('../../../renderer/src/app/shortcuts');
});

const noop = () => undefined;

describe('shortcut registry', () => {
  it('refuses a second live shortcut on a chord that is taken, naming both', () => {
    shortcuts.registerShortcut({ id: 'test-a', keys: 'Alt+Shift+F9', group: 'Test', description: 'a', run: noop });
    expect(() => shortcuts.registerShortcut({ id: 'test-b', keys: 'Alt+Shift+F9', group: 'Test', description: 'b', run: noop })).toThrow(
      /Alt\+Shift\+F9 of "test-b" is already taken by "test-a"/,
    );
    expect(shortcuts.listShortcuts().filter((s) => s.keys === 'Alt+Shift+F9').map((s) => s.id)).toEqual(['test-a']);
  });

  it('lets a help-only entry share a chord (a focused component handles it) and re-registering the same id', () => {
    shortcuts.registerShortcut({ id: 'test-c', keys: 'Alt+Shift+F8', group: 'Test', description: 'c', run: noop });
    expect(() => shortcuts.registerShortcut({ id: 'test-d', keys: 'Alt+Shift+F8', group: 'Test', description: 'd', helpOnly: true, run: noop })).not.toThrow();
    expect(() => shortcuts.registerShortcut({ id: 'test-c', keys: 'Alt+Shift+F8', group: 'Test', description: 'c again', run: noop })).not.toThrow();
  });
});
