/**
 * The app's commands: one registry. Those with keys are handled in one place and listed in the
 * help dialog; every command that is an action (not a way of moving) is in the command palette.
 */
export interface Shortcut {
  id: string;
  /** `Mod` is Ctrl, or ⌘ on macOS: `Mod+Shift+K`, `F1`, `Mod+Enter`. None: reached from the palette only. */
  keys?: string;
  description: string;
  group: string;
  run(): void;
  /** Also fire while typing in an input (for Escape-like keys); default false. */
  inInputs?: boolean;
  /** The key is handled by a component where it has focus (a grid's Delete); `run` still does it for the palette. */
  helpOnly?: boolean;
  /** Whether it can act now (a table in front, an editor open); the palette leaves it out when not. */
  available?(): boolean;
  /** false: not in the palette — a way of moving (arrow keys), or a second key for a command listed already. */
  inPalette?: boolean;
}

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
const shortcuts = new Map<string, Shortcut>();

export function registerShortcut(s: Shortcut): void {
  // Two live shortcuts on one chord would make the second silently dead: fail loudly at load instead.
  const clash = s.helpOnly || !s.keys ? undefined : [...shortcuts.values()].find((o) => o.id !== s.id && !o.helpOnly && o.keys === s.keys);
  if (clash) throw new Error(`Shortcut ${s.keys} of "${s.id}" is already taken by "${clash.id}"`);
  shortcuts.set(s.id, s);
}

export function listShortcuts(): Shortcut[] {
  return [...shortcuts.values()];
}

const keyNames: Record<string, string> = { ArrowRight: '→', ArrowLeft: '←', ArrowUp: '↑', ArrowDown: '↓', Enter: '↵ Enter', Escape: 'Esc' };

export function displayKeys(keys: string | undefined): string {
  if (!keys) return '';
  return keys
    .split('+')
    .map((k) => keyNames[k] ?? (k === 'Mod' ? (isMac ? '⌘' : 'Ctrl') : k === 'Shift' && isMac ? '⇧' : k === 'Alt' && isMac ? '⌥' : k))
    .join(isMac ? '' : '+');
}

export function matches(keys: string, e: KeyboardEvent): boolean {
  const parts = keys.split('+');
  const key = parts[parts.length - 1]!;
  const mods = new Set(parts.slice(0, -1));
  const mod = isMac ? e.metaKey : e.ctrlKey;
  if (mods.has('Mod') !== mod) return false;
  if (mods.has('Shift') !== e.shiftKey) return false;
  if (mods.has('Alt') !== e.altKey) return false;
  if (!isMac && !mods.has('Mod') && e.ctrlKey) return false;
  const pressed = e.key.length === 1 ? e.key.toUpperCase() : e.key;
  // e.code as well: Alt+letter on macOS types a symbol instead of the letter.
  return pressed === key.toUpperCase() || pressed === key || e.code === `Key${key.toUpperCase()}` || (key === '/' && e.code === 'Slash');
}

export function installShortcutListener(): () => void {
  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement | null;
    const typing = !!target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
    for (const s of shortcuts.values()) {
      if (s.helpOnly || !s.keys) continue;
      // While typing, plain keys belong to the input; chords with Mod/Alt and function keys still work.
      const chord = s.keys.startsWith('Mod') || s.keys.startsWith('Alt') || /^F\d+$/.test(s.keys);
      if ((typing && !s.inInputs && !chord) || !matches(s.keys, e)) continue;
      e.preventDefault();
      s.run();
      return;
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
