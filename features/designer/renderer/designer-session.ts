import { addTable, DesignError } from '../shared/edits';
import { canRedo, canUndo, record, redo, startHistory, undo, type DesignHistory } from '../shared/history';
import { layoutDesign, mergePositions, type Point } from '../shared/layout';
import { emptyDesign, type DesignSchema, type EngineType } from '../shared/model';
import type { EngineKind } from '../../../shared/model/engine';
import { createStore, type Store } from '../../../renderer/src/app/store';
import { client } from '../../../renderer/src/ipc/client';
import { errorOf } from '../../connections/renderer/connection-actions';

/** Where a design comes from: a schema of an open connection, or nothing yet (designing from scratch). */
export type DesignSource = { kind: 'connection'; profileId: string; schema: string } | { kind: 'scratch'; scope: string; engine: EngineKind; schema: string; title: string };

export interface DesignerState {
  status: 'loading' | 'ready' | 'failed';
  error: string | null;
  source: DesignSource;
  /** What the database had when the design was read (empty for a scratch design). */
  base: DesignSchema;
  history: DesignHistory;
  positions: Record<string, Point>;
  types: EngineType[];
  /** Migration tools' tables left out of the diagram. */
  hidden: string[];
  serverVersion: string | null;
  selectedTableId: string | null;
  /** Show one table and its neighbours to this depth. */
  focus: { tableId: string; depth: number } | null;
  sidePanel: 'table' | 'differences';
  reviewOpen: boolean;
  /** The last edit that could not be made, in words. */
  editError: string | null;
  /** A draft from an earlier session was restored (its time). */
  restoredDraftAt: string | null;
  /** Bumped to ask the canvas to fit the view (after a layout or load). */
  fitRequest: number;
  /** Bumped with a table id to centre the canvas on it (search). */
  centerRequest: { tableId: string; n: number } | null;
}

const DRAFT_DELAY_MS = 700;
const POSITIONS_DELAY_MS = 400;

/**
 * One designer tab: the design with its undo history, diagram positions, selection and the
 * calls to the core. Lives outside React so the canvas, the panels and the dialogs share it.
 */
export class DesignerSession {
  readonly store: Store<DesignerState>;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private positionsTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly source: DesignSource) {
    const engine = source.kind === 'scratch' ? source.engine : 'postgresql';
    const empty = emptyDesign(engine, source.schema);
    this.store = createStore<DesignerState>({
      status: 'loading',
      error: null,
      source,
      base: empty,
      history: startHistory(empty),
      positions: {},
      types: [],
      hidden: [],
      serverVersion: null,
      selectedTableId: null,
      focus: null,
      sidePanel: 'table',
      reviewOpen: false,
      editError: null,
      restoredDraftAt: null,
      fitRequest: 0,
      centerRequest: null,
    });
  }

  get state(): DesignerState {
    return this.store.get();
  }

  get design(): DesignSchema {
    return this.state.history.present;
  }

  /** Where positions and drafts are stored: the profile, or the scratch design's own scope. */
  get scope(): string {
    return this.source.kind === 'connection' ? this.source.profileId : this.source.scope;
  }

  async load(options: { keepDraft?: boolean } = {}): Promise<void> {
    this.store.set({ status: 'loading', error: null });
    performance.mark('designer:load-start');
    try {
      // The saved positions and the schema are read at the same time.
      const savedCall = client.call('designer.state', { scope: this.scope, schema: this.source.schema });
      let base: DesignSchema;
      let types: EngineType[];
      let hidden: string[] = [];
      let serverVersion: string | null = null;
      if (this.source.kind === 'connection') {
        const opened = await client.call('designer.open', { connectionId: this.source.profileId, schema: this.source.schema });
        performance.mark('designer:read');
        base = opened.design;
        types = opened.types;
        hidden = opened.hidden;
        serverVersion = opened.serverVersion;
      } else {
        base = emptyDesign(this.source.engine, this.source.schema);
        types = await client.call('designer.types', { engine: this.source.engine });
      }
      const saved = await savedCall;
      // A draft survives a restart; for a connection it keeps its own base, so drift stays detectable.
      const draft = options.keepDraft === false ? null : saved.draft;
      const present = draft ? draft.design : base;
      const draftBase = draft && this.source.kind === 'connection' ? draft.base : base;
      const positions = mergePositions(present, new Map(Object.entries(saved.positions)));
      this.store.set((s) => ({
        ...s,
        status: 'ready',
        base: draftBase,
        history: startHistory(present),
        positions: Object.fromEntries(positions),
        types,
        hidden,
        serverVersion,
        selectedTableId: s.selectedTableId && present.tables.some((t) => t.id === s.selectedTableId) ? s.selectedTableId : null,
        focus: null,
        restoredDraftAt: draft && draft.design !== base ? draft.savedAt : null,
        editError: null,
        fitRequest: s.fitRequest + 1,
      }));
      if (Object.keys(saved.positions).length === 0) this.persistPositions();
    } catch (err) {
      this.store.set({ status: 'failed', error: errorOf(err).message });
    }
  }

  /**
   * Applies an edit. A DesignError (a name taken, a key that is not a key…) leaves the design as it
   * was and shows the reason; anything else is a bug and is rethrown.
   */
  edit(label: string, fn: (design: DesignSchema) => DesignSchema): boolean {
    try {
      const next = fn(this.design);
      this.store.set((s) => {
        const positions = { ...s.positions };
        // New tables get a place: right of everything, at the top of the visible picture's column.
        const missing = next.tables.filter((t) => !positions[t.id]);
        if (missing.length) {
          const placed = mergePositions(next, new Map(Object.entries(positions)));
          for (const t of missing) positions[t.id] = placed.get(t.id)!;
        }
        return { ...s, history: record(s.history, next, label), positions, editError: null };
      });
      this.afterChange();
      return true;
    } catch (err) {
      if (err instanceof DesignError) {
        this.store.set({ editError: err.message });
        return false;
      }
      throw err;
    }
  }

  /** Adds a table, selects it and brings it into view. */
  addTable(): void {
    let id = '';
    const ok = this.edit('Add table', (d) => {
      const r = addTable(d);
      id = r.tableId;
      return r.design;
    });
    if (ok) this.centerOn(id);
  }

  undo(): void {
    if (!canUndo(this.state.history)) return;
    this.store.set((s) => ({ ...s, history: undo(s.history), editError: null }));
    this.afterChange();
  }

  redo(): void {
    if (!canRedo(this.state.history)) return;
    this.store.set((s) => ({ ...s, history: redo(s.history), editError: null }));
    this.afterChange();
  }

  private afterChange(): void {
    const { selectedTableId, focus } = this.state;
    const ids = new Set(this.design.tables.map((t) => t.id));
    if (selectedTableId && !ids.has(selectedTableId)) this.store.set({ selectedTableId: null });
    if (focus && !ids.has(focus.tableId)) this.store.set({ focus: null });
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => void this.persistDraft(), DRAFT_DELAY_MS);
  }

  /** Stores the unsaved design (or forgets it when it equals the base) so a restart loses nothing. */
  async persistDraft(): Promise<void> {
    clearTimeout(this.draftTimer);
    const { base } = this.state;
    const design = this.design;
    const unchanged = design === base || JSON.stringify(design) === JSON.stringify(base);
    const draft = unchanged ? null : { base, design, savedAt: new Date().toISOString(), ...(this.source.kind === 'scratch' ? { title: this.source.title } : {}) };
    // A scratch design keeps its draft even when empty-equal: it is the only copy of its title.
    if (this.source.kind === 'scratch' && unchanged && design.tables.length === 0) return;
    await client.call('designer.save-state', { scope: this.scope, schema: this.source.schema, draft }).catch(() => undefined);
  }

  moveTables(moves: Record<string, Point>): void {
    this.store.set((s) => ({ ...s, positions: { ...s.positions, ...moves } }));
    this.persistPositions();
  }

  private persistPositions(): void {
    clearTimeout(this.positionsTimer);
    this.positionsTimer = setTimeout(() => {
      void client.call('designer.save-state', { scope: this.scope, schema: this.source.schema, positions: this.state.positions }).catch(() => undefined);
    }, POSITIONS_DELAY_MS);
  }

  /** Places every table again with the automatic layout (undone by moving them back by hand). */
  autoLayout(): void {
    this.store.set((s) => ({ ...s, positions: Object.fromEntries(layoutDesign(this.design)), fitRequest: s.fitRequest + 1 }));
    this.persistPositions();
  }

  select(tableId: string | null): void {
    this.store.set((s) => ({ ...s, selectedTableId: tableId, sidePanel: tableId ? 'table' : s.sidePanel, editError: null }));
  }

  centerOn(tableId: string): void {
    this.store.set((s) => ({ ...s, selectedTableId: tableId, sidePanel: 'table', centerRequest: { tableId, n: (s.centerRequest?.n ?? 0) + 1 } }));
  }

  setFocus(focus: DesignerState['focus']): void {
    this.store.set((s) => ({ ...s, focus, fitRequest: s.fitRequest + 1 }));
  }

  /** After a migration was applied: the database is the new base, the draft is done. */
  async reloadAfterApply(): Promise<void> {
    await client.call('designer.save-state', { scope: this.scope, schema: this.source.schema, draft: null }).catch(() => undefined);
    await this.load({ keepDraft: false });
  }

  /** Throws the edits away and reads the database again. */
  async discardAndReload(): Promise<void> {
    await client.call('designer.save-state', { scope: this.scope, schema: this.source.schema, draft: null });
    await this.load({ keepDraft: false });
  }

  dispose(): void {
    clearTimeout(this.draftTimer);
    clearTimeout(this.positionsTimer);
  }
}

const sessions = new Map<string, DesignerSession>();

/** The session of a designer tab (created on first use, kept while the tab is open). */
export function sessionFor(tabId: string, source: DesignSource): DesignerSession {
  let s = sessions.get(tabId);
  if (!s) {
    s = new DesignerSession(source);
    sessions.set(tabId, s);
  }
  return s;
}

export function existingSession(tabId: string): DesignerSession | undefined {
  return sessions.get(tabId);
}

export function sessionIds(): string[] {
  return [...sessions.keys()];
}

export function forgetSession(tabId: string): void {
  const s = sessions.get(tabId);
  if (!s) return;
  void s.persistDraft();
  s.dispose();
  sessions.delete(tabId);
}
