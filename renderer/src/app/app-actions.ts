/**
 * Actions a feature offers from the top bar, with or without a connection (a new schema design
 * before any database exists). Features register theirs from their index.ts.
 */
export interface AppAction {
  id: string;
  label: string;
  hint?: string;
  order: number;
  /** The registered command with keys that does the same (the palette lists the action once, with its keys). */
  shortcutId?: string;
  run(): void;
}

const actions = new Map<string, AppAction>();

export function registerAppAction(action: AppAction): void {
  actions.set(action.id, action);
}

export function appActions(): AppAction[] {
  return [...actions.values()].sort((a, b) => a.order - b.order);
}
