import type { SqlLexRules } from '../../../../shared/sql/dialect-rules';
import { splitStatements } from '../../../../shared/sql/split-statements';
import type { MigrationAdapter, MigrationConnection } from '../migration-adapter';

/** A statement of a migration that names the live schema (or database) although the shadow's has another name. */
export interface OutsideStatement {
  schema: string;
  /** The statement's first line, shortened, as written. */
  excerpt: string;
}

/** Thrown instead of running a statement that would change the live database from the shadow. */
export class ReachesLiveError extends Error {}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a statement qualifies a name with `schema` (`public.orders`, `"public".orders`, `` `shop`.orders ``)
 * or moves into it (`USE shop`): read in the statement's skeleton, so a string or a comment never counts.
 */
export function namesSchema(sql: string, schema: string, rules: SqlLexRules): boolean {
  const e = escape(schema);
  const qualifier = new RegExp(`(?:^|[^\\w$."\`\\]])(?:"${e}"|\`${e}\`|\\[${e}\\]|${/^[a-z_][\w$]*$/i.test(schema) ? `(?<![\\w$])${e}` : '(?!)'})\\s*\\.\\s*["\`\\[\\w]`, 'i');
  // `USE shop` (MySQL/MariaDB) moves the session itself into that database.
  const use = new RegExp(`^use\\s+(?:\`${e}\`|${e})\\s*;?$`, 'i');
  return splitStatements(sql, rules).some((st) => qualifier.test(st.skeleton) || use.test(st.skeleton));
}

/**
 * The shadow's adapter for a run of the migrations, watching for statements that name the live schema by
 * name. Where such a statement would reach the live database itself (`reaches: 'live'`: MySQL/MariaDB, whose
 * shadow is another database on the same server) it is not run: it fails, saying why. Elsewhere (PostgreSQL:
 * it lands beside the shadow, in the shadow database's schema of that name) it runs and is noted.
 */
export function watchLiveSchema(adapter: MigrationAdapter, o: { liveSchema: string; shadowSchema: string; rules: SqlLexRules; reaches: 'live' | 'outside'; noted: OutsideStatement[] }): MigrationAdapter {
  if (o.liveSchema === o.shadowSchema) return adapter;
  const check = (sql: string) => {
    if (!namesSchema(sql, o.liveSchema, o.rules)) return;
    const excerpt = sql.split('\n')[0]!.slice(0, 120);
    if (o.reaches === 'live') {
      throw new ReachesLiveError(
        `This statement names the live database ${o.liveSchema} (${excerpt}). In the shadow (${o.shadowSchema}) it would change the live database itself, so the rehearsal did not run it, and its result says nothing about it. Name tables without the database: a migration runs in the database it is applied to.`,
      );
    }
    if (!o.noted.some((n) => n.excerpt === excerpt)) o.noted.push({ schema: o.liveSchema, excerpt });
  };
  const watched = Object.create(adapter) as MigrationAdapter;
  watched.openConnection = async () => {
    const conn = await adapter.openConnection();
    const wrapped = Object.create(conn) as MigrationConnection;
    wrapped.executeRaw = async (sql: string) => {
      check(sql);
      return conn.executeRaw(sql);
    };
    return wrapped;
  };
  return watched;
}

/** The note of a drift check or rehearsal for statements that ran beside the shadow instead of in it. */
export function outsideWarning(noted: OutsideStatement[], shadowDescription: string, configured: boolean): string | null {
  if (noted.length === 0) return null;
  const schema = noted[0]!.schema;
  const it = noted.length === 1 ? 'it' : 'they';
  return [
    `${noted.length === 1 ? 'A statement names' : `${noted.length} statements name`} the schema ${schema} outright (${noted.map((n) => n.excerpt).join('; ')}).`,
    `The shadow is the ${shadowDescription}, so ${it} worked on the schema ${schema} of that database, outside the shadow: what the result says about ${noted.length === 1 ? 'it' : 'them'} does not hold (a failure, or drift, may be false), and what ${it} made there stays until dropped by hand.`,
    `Leave the schema out of the migration (the search_path names it)${configured ? `, or check without a shadow database URL (a temporary database of its own, where ${schema} is the shadow's)` : ''}.`,
  ].join(' ');
}
