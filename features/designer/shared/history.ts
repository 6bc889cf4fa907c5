import type { DesignSchema } from './model';

/** One step of the undo history: the design before an edit and what the edit was, in words. */
export interface HistoryEntry {
  design: DesignSchema;
  label: string;
}

/** Undo and redo over immutable designs: an edit pushes the old design, undo pops it back. */
export interface DesignHistory {
  past: HistoryEntry[];
  present: DesignSchema;
  /** The label of the edit that produced `present` (for "Undo <label>"). */
  presentLabel: string | null;
  future: HistoryEntry[];
}

export const HISTORY_LIMIT = 300;

export function startHistory(design: DesignSchema): DesignHistory {
  return { past: [], present: design, presentLabel: null, future: [] };
}

/** Records an edit. An edit that changed nothing is not a step. */
export function record(history: DesignHistory, next: DesignSchema, label: string): DesignHistory {
  if (next === history.present) return history;
  const past = [...history.past, { design: history.present, label: history.presentLabel ?? '' }].slice(-HISTORY_LIMIT);
  return { past, present: next, presentLabel: label, future: [] };
}

export function canUndo(h: DesignHistory): boolean {
  return h.past.length > 0;
}

export function canRedo(h: DesignHistory): boolean {
  return h.future.length > 0;
}

export function undo(h: DesignHistory): DesignHistory {
  const prev = h.past[h.past.length - 1];
  if (!prev) return h;
  return { past: h.past.slice(0, -1), present: prev.design, presentLabel: prev.label || null, future: [{ design: h.present, label: h.presentLabel ?? '' }, ...h.future] };
}

export function redo(h: DesignHistory): DesignHistory {
  const next = h.future[0];
  if (!next) return h;
  return { past: [...h.past, { design: h.present, label: h.presentLabel ?? '' }], present: next.design, presentLabel: next.label || null, future: h.future.slice(1) };
}
