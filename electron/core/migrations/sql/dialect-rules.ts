/**
 * The lexical rules of one SQL dialect, as the statement splitter needs them. Each engine family
 * describes its own (engines/<family>/<family>-migrations.ts); the splitter itself knows no dialect.
 */
export interface SqlLexRules {
  /** Shown in messages: "PostgreSQL", "MySQL/MariaDB", "SQLite". */
  name: string;
  /** `# comment` to the end of the line (MySQL). */
  hashComments: boolean;
  /** `--` starts a comment only when a space, a control character or the end follows (MySQL). */
  dashCommentNeedsSpace: boolean;
  /** `/* /* nested *\/ *\/` (PostgreSQL). */
  nestedBlockComments: boolean;
  /** `/*! … *\/` and `/*M! … *\/` carry SQL the server runs (MySQL/MariaDB): they make a statement. */
  executableComments: boolean;
  /**
   * Backslashes in '…' strings: `always` escapes (MySQL without NO_BACKSLASH_ESCAPES), `e-prefix`
   * only in E'…' strings (PostgreSQL with standard_conforming_strings), `never` (SQLite).
   */
  backslashEscapes: 'always' | 'e-prefix' | 'never';
  /** "…" is a string (MySQL without ANSI_QUOTES) or an identifier (PostgreSQL, SQLite). */
  doubleQuotes: 'string' | 'identifier';
  backtickIdentifiers: boolean;
  /** `[name]` identifiers (SQLite, for SQL Server compatibility). */
  bracketIdentifiers: boolean;
  /** `$$ … $$` and `$tag$ … $tag$` (PostgreSQL). */
  dollarQuotes: boolean;
  /** The `DELIMITER xx` client command (mysql client, MySQL Workbench, Flyway, Atlas). */
  delimiterCommand: boolean;
  /**
   * Statements whose bodies hold `;` without ending:
   * - `begin-atomic`: SQL-standard function bodies `BEGIN ATOMIC … END` (PostgreSQL 14+);
   * - `routines`: CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT with `BEGIN … END`, and MariaDB's
   *   compound statements outside routines (`BEGIN NOT ATOMIC`, `IF … END IF`, loops);
   * - `triggers`: CREATE TRIGGER … BEGIN … END (SQLite).
   */
  compoundBodies: 'begin-atomic' | 'routines' | 'triggers';
}
