/** Flyway's default prefixes and separator (ResourceNameParser, FlywayModel). */
export const FLYWAY_VERSIONED = /^V(\d[\d._]*?)__(.+)\.sql$/i;
export const FLYWAY_UNDO = /^U(\d[\d._]*?)__(.+)\.sql$/i;
export const FLYWAY_REPEATABLE = /^R__(.+)\.sql$/i;
export const FLYWAY_BASELINE = /^B(\d[\d._]*?)__(.+)\.sql$/i;

export function isFlywayFile(name: string): boolean {
  return FLYWAY_VERSIONED.test(name) || FLYWAY_UNDO.test(name) || FLYWAY_REPEATABLE.test(name) || FLYWAY_BASELINE.test(name);
}

/** Flyway shows `_` in a description as a space. */
export function flywayDescription(raw: string): string {
  return raw.replace(/_/g, ' ');
}

/**
 * A per-script `<script>.sql.conf` (SqlScriptMetadata): only executeInTransaction changes how
 * DB Desk runs the script. Returns null when no setting is given.
 */
export function parseFlywayScriptConf(text: string): { executeInTransaction: boolean | null } {
  let executeInTransaction: boolean | null = null;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*executeInTransaction\s*=\s*(true|false)\s*$/i.exec(line);
    if (m) executeInTransaction = m[1]!.toLowerCase() === 'true';
  }
  return { executeInTransaction };
}
