import type Database from 'better-sqlite3';
import { DesignDraft } from '../../../shared/ipc/commands/designer';

export interface DesignerState {
  positions: Record<string, { x: number; y: number }>;
  draft: DesignDraft | null;
}

/**
 * The schema designer's own data in the app store: where each table sits in the diagram, per
 * connection (or scratch design) and schema, and the unsaved design, so nothing is lost on a restart.
 */
export class DesignerStateRepository {
  constructor(private readonly db: Database.Database) {}

  get(scope: string, schema: string): DesignerState {
    const row = this.db.prepare('SELECT positions, draft FROM designer_state WHERE scope = ? AND schema_name = ?').get(scope, schema) as { positions: string; draft: string | null } | undefined;
    if (!row) return { positions: {}, draft: null };
    let positions: DesignerState['positions'] = {};
    try {
      positions = JSON.parse(row.positions) as DesignerState['positions'];
    } catch {
      /* damaged positions: the layout places the tables again */
    }
    let draft: DesignDraft | null = null;
    if (row.draft) {
      const parsed = DesignDraft.safeParse(safeJson(row.draft));
      if (parsed.success) draft = parsed.data;
    }
    return { positions, draft };
  }

  /** Saves what is given; `draft: null` deletes the draft, undefined leaves it. */
  save(scope: string, schema: string, patch: { positions?: DesignerState['positions']; draft?: DesignDraft | null }, now = new Date()): string {
    const at = now.toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO designer_state (scope, schema_name, profile_id, positions, draft, updated_at)
           VALUES (?, ?, (SELECT id FROM profiles WHERE id = ?), '{}', NULL, ?)
           ON CONFLICT (scope, schema_name) DO NOTHING`,
        )
        .run(scope, schema, scope, at);
      if (patch.positions !== undefined) this.db.prepare('UPDATE designer_state SET positions = ?, updated_at = ? WHERE scope = ? AND schema_name = ?').run(JSON.stringify(patch.positions), at, scope, schema);
      if (patch.draft !== undefined) this.db.prepare('UPDATE designer_state SET draft = ?, updated_at = ? WHERE scope = ? AND schema_name = ?').run(patch.draft === null ? null : JSON.stringify(patch.draft), at, scope, schema);
    })();
    return at;
  }

  /** Designs without a database (scope `scratch:…`) that still have a draft. */
  scratchDrafts(): { scope: string; schema: string; draft: DesignDraft }[] {
    const rows = this.db.prepare(`SELECT scope, schema_name, draft FROM designer_state WHERE scope LIKE 'scratch:%' AND draft IS NOT NULL ORDER BY updated_at DESC`).all() as { scope: string; schema_name: string; draft: string }[];
    const out: { scope: string; schema: string; draft: DesignDraft }[] = [];
    for (const r of rows) {
      const parsed = DesignDraft.safeParse(safeJson(r.draft));
      if (parsed.success) out.push({ scope: r.scope, schema: r.schema_name, draft: parsed.data });
    }
    return out;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
