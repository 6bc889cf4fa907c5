import { useEffect, useRef } from 'react';
import { appStore, type Tab } from './app-state';
import { useStore } from './store';

let focusSeq = 0;

/** Asks the tab to take the keyboard focus into its content when it is drawn (useTabFocus). */
export function requestTabFocus(id: string): void {
  appStore.set({ tabFocus: { tabId: id, seq: ++focusSeq } });
}

/**
 * Opens a tab, or shows it when one with the same id is open. What the user opened gets the
 * keyboard focus (typing after Alt+Q goes into the SQL editor); `focus: false` leaves it where it is.
 */
export function openTab(tab: Tab, options: { focus?: boolean } = {}): void {
  appStore.set((s) => {
    const exists = s.tabs.some((t) => t.id === tab.id);
    return { ...s, tabs: exists ? s.tabs.map((t) => (t.id === tab.id ? { ...t, params: tab.params } : t)) : [...s.tabs, tab], activeTabId: tab.id };
  });
  if (options.focus !== false) requestTabFocus(tab.id);
}

export function closeTab(id: string): void {
  appStore.set((s) => {
    const index = s.tabs.findIndex((t) => t.id === id);
    if (index < 0) return s;
    const tabs = s.tabs.filter((t) => t.id !== id);
    const activeTabId = s.activeTabId === id ? (tabs[Math.min(index, tabs.length - 1)]?.id ?? null) : s.activeTabId;
    return { ...s, tabs, activeTabId };
  });
}

export function closeTabsOf(profileId: string): void {
  for (const t of appStore.get().tabs.filter((t) => t.profileId === profileId)) closeTab(t.id);
}

/** Shows a tab; `focus: true` (a shortcut, the palette) also moves the keyboard focus into it. */
export function activateTab(id: string, options: { focus?: boolean } = {}): void {
  appStore.set({ activeTabId: id });
  if (options.focus) requestTabFocus(id);
}

/** Moves to the next (or previous) tab, wrapping around, with the focus in it. */
export function cycleTab(step: 1 | -1): void {
  const { tabs, activeTabId } = appStore.get();
  if (tabs.length === 0) return;
  const i = tabs.findIndex((t) => t.id === activeTabId);
  const next = tabs[(i + step + tabs.length) % tabs.length]!;
  activateTab(next.id, { focus: true });
}

/**
 * Takes a focus request for this tab once it is active and `focus` can act (the grid or the
 * editor is drawn): a tab whose content loads later takes it then.
 */
export function useTabFocus(tabId: string, active: boolean, focus: () => boolean | void, ready = true): void {
  const request = useStore(appStore, (s) => (s.tabFocus?.tabId === tabId ? s.tabFocus.seq : null));
  const focusRef = useRef(focus);
  focusRef.current = focus;
  useEffect(() => {
    if (!active || !ready || request === null) return;
    if (focusRef.current() === false) return;
    if (appStore.get().tabFocus?.seq === request) appStore.set({ tabFocus: null });
  }, [active, ready, request, tabId]);
}

const FOCUSABLE = 'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/** The first control of a tab panel that can take the focus (for tabs that do not place it themselves). */
export function firstFocusable(panel: HTMLElement | null): HTMLElement | null {
  for (const el of panel?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []) if (el.getClientRects().length > 0) return el;
  return null;
}

/** A DOM id for a tab's button (its panel adds `-panel`): tab ids hold table names, spaces and quotes included. */
export function tabDomId(id: string): string {
  return `tab-${id.replace(/[^\w-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}`)}`;
}
