/**
 * A strip of closable tabs. ARIA allows only tabs inside a tablist, and a close button is not a
 * tab: so the tab buttons and their close buttons sit in the visual strip, and an empty tablist
 * next to it owns the tab buttons (aria-owns). Screen readers hear one tablist; mouse users get
 * real close buttons; the arrow keys move between tabs (tabs.ts / the strip's onKeyDown).
 */
export function OwnedTablist({ label, ids }: { label: string; ids: string[] }) {
  return <div role="tablist" aria-label={label} aria-owns={ids.join(' ')} className="owned-tablist" />;
}

/**
 * Arrow keys on a tab of the strip (ARIA's tabs pattern, activation follows focus): Left/Right
 * move, Home/End go to the ends, Delete closes. Returns whether the key was handled.
 */
export function tabStripKey(e: React.KeyboardEvent, ids: string[], current: string, go: (id: string) => void, close?: (id: string) => void): boolean {
  const i = ids.indexOf(current);
  if (i < 0) return false;
  const target = e.key === 'ArrowRight' ? ids[(i + 1) % ids.length] : e.key === 'ArrowLeft' ? ids[(i - 1 + ids.length) % ids.length] : e.key === 'Home' ? ids[0] : e.key === 'End' ? ids[ids.length - 1] : undefined;
  if (target) {
    go(target);
    return true;
  }
  if (e.key === 'Delete' && close) {
    close(current);
    return true;
  }
  return false;
}
