import { appStore, type Tab } from './app-state';

/** Opens a tab, or focuses it when one with the same id is open. */
export function openTab(tab: Tab): void {
  appStore.set((s) => {
    const exists = s.tabs.some((t) => t.id === tab.id);
    return { ...s, tabs: exists ? s.tabs.map((t) => (t.id === tab.id ? { ...t, params: tab.params } : t)) : [...s.tabs, tab], activeTabId: tab.id };
  });
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

export function activateTab(id: string): void {
  appStore.set({ activeTabId: id });
}

/** Moves to the next (or previous) tab, wrapping around. */
export function cycleTab(step: 1 | -1): void {
  const { tabs, activeTabId } = appStore.get();
  if (tabs.length === 0) return;
  const i = tabs.findIndex((t) => t.id === activeTabId);
  const next = tabs[(i + step + tabs.length) % tabs.length]!;
  activateTab(next.id);
}
