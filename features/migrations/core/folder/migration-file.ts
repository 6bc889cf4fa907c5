import type { MigrationFormat } from '../../../../shared/model/migrations';

/** One `-- migrate:up` (or down) section; dbmate runs each in its own transaction unless told not to. */
export interface MigrationSection {
  sql: string;
  /** dbmate's `transaction:false`, Flyway's `executeInTransaction=false`. */
  transaction: boolean;
  /** Line of the section's first SQL line in its file, so statement lines point into the file. */
  firstLine: number;
}

/** A migration as read from its folder, before anything is known about the database. */
export interface MigrationFile {
  /** The version as the file name writes it (`20240101120000`, `000003`, `1.2`). */
  version: string;
  /** Canonical version for matching with any history and ordering (`3`, `1.2`, `R:name`). */
  key: string;
  name: string;
  /** Flyway `R__` migrations: re-run whenever their checksum changes. */
  repeatable: boolean;
  /** The file holding the up SQL, relative to the folder. */
  file: string;
  /** The file holding the down SQL when it is a separate one (golang-migrate, Flyway `U`). */
  downFile: string | null;
  up: MigrationSection[];
  down: MigrationSection[] | null;
  /** SHA-256 of the normalised up SQL. */
  checksum: string;
  /** The up file's raw text (Flyway's CRC32 and similar tool checksums are taken over it). */
  upText: string;
  /** What the file's tool reads differently from how it looks (options dbmate ignores), for the plan. */
  notes: string[];
  /** Alembic: the revisions this one follows (`down_revision`, several for a merge). */
  parents?: string[];
}

export interface MigrationFolder {
  dir: string;
  format: MigrationFormat;
  migrations: MigrationFile[];
  /** Problems that make the folder unsafe to run (duplicates, unreadable files, mixed formats). */
  problems: string[];
  /** Files that look like migrations of no format we know (listed so nothing is silently skipped). */
  ignored: string[];
}
