import type { ComponentType } from 'react';
import type { Tab } from './app-state';

export interface TabKind {
  /**
   * Renders the tab's content; stays mounted while the tab is open (state survives switching).
   * May be React.lazy: the tab panel wraps it in Suspense.
   */
  component: ComponentType<{ tab: Tab; active: boolean }>;
  /** A short glyph shown before the title. */
  icon: string;
  /**
   * The component moves the focus into itself when asked (useTabFocus: the grid, the editor).
   * Otherwise the app focuses the first control of the tab once it is drawn.
   */
  focusesItself?: boolean;
}

const kinds = new Map<string, TabKind>();

/** Features call this once at start to add their kind of tab. */
export function registerTabKind(kind: string, spec: TabKind): void {
  kinds.set(kind, spec);
}

export function tabKind(kind: string): TabKind | undefined {
  return kinds.get(kind);
}
