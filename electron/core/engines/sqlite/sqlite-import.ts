import type Database from 'better-sqlite3';
import type { TableRef } from '../../../../shared/model/schema';
import type { ValueKind } from '../../../../shared/model/values';
import type { ImportValue } from '../../../../features/import/core/convert';
import type { FieldProfile } from '../../../../features/import/core/infer';
import { LoadFailure, type LoadColumn, type TableImporter, type TableLoad } from '../../../../features/import/core/table-importer';
import { quoteSqliteIdent } from './sqlite-quote';

/** A converted value as better-sqlite3 binds it: integers as BigInt (every digit), floats as numbers, booleans 1/0, bytes as a Buffer. */
function binder(kind: ValueKind): (v: ImportValue) => unknown {
  switch (kind) {
    case 'integer':
    case 'bigint':
      // Integers of up to 15 digits are exact as numbers (cheaper to bind); longer ones go as BigInt.
      return (v) => (typeof v === 'string' ? (v.length <= 15 ? Number(v) : BigInt(v)) : v);
    case 'float':
      return (v) => (typeof v === 'string' ? Number(v) : v);
    default:
      return (v) => (typeof v === 'boolean' ? (v ? 1n : 0n) : v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
  }
}

/** Rows per multi-row INSERT, and SQLite's lowest bound-parameter limit (SQLITE_MAX_VARIABLE_NUMBER before 3.32). */
const ROWS_PER_STATEMENT = 32;
const MAX_PARAMETERS = 999;

/** "NOT NULL constraint failed: t.x", "UNIQUE constraint failed: t.id". */
function columnOf(err: unknown): string | null {
  const m = /constraint failed: [^.]+\.([^,\s]+)/.exec((err as Error).message ?? '');
  return m?.[1] ?? null;
}

class SqliteLoad implements TableLoad {
  /** No round trip to amortise: a thousand rows a batch (32 statements) keeps them young garbage. */
  readonly batchRows = 1024;
  private insert: Database.Statement | null = null;
  /** The same INSERT with `perStatement` rows: a third less time per row than one statement run per row (measured). */
  private insertMany: Database.Statement | null = null;
  private perStatement = 1;
  private binders: ((v: ImportValue) => unknown)[] = [];
  private open = false;

  constructor(
    private readonly db: Database.Database,
    private readonly table: TableRef,
  ) {}

  async execute(statements: readonly string[]): Promise<void> {
    for (const s of statements) this.db.exec(s);
  }

  async begin(columns: readonly LoadColumn[]): Promise<void> {
    const name = `${quoteSqliteIdent(this.table.schema)}.${quoteSqliteIdent(this.table.name)}`;
    const head = `INSERT INTO ${name} (${columns.map((c) => quoteSqliteIdent(c.name)).join(', ')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    this.insert = this.db.prepare(head + tuple);
    this.perStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length))));
    this.insertMany = this.perStatement > 1 ? this.db.prepare(head + Array.from({ length: this.perStatement }, () => tuple).join(', ')) : null;
    this.binders = columns.map((c) => binder(c.kind));
    this.db.exec('BEGIN IMMEDIATE');
    this.open = true;
  }

  /** Prepared INSERTs in the one large transaction; a savepoint makes a refused batch change nothing. */
  async loadBatch(rows: readonly ImportValue[][]): Promise<void> {
    const insert = this.insert!;
    const binders = this.binders;
    const n = binders.length;
    const args = new Array<unknown>(n);
    this.db.exec('SAVEPOINT dbdesk_import');
    let r = 0;
    try {
      const many = this.insertMany;
      const per = this.perStatement;
      if (many) {
        const manyArgs = new Array<unknown>(n * per);
        try {
          for (; r + per <= rows.length; r += per) {
            for (let k = 0; k < per; k++) {
              const row = rows[r + k]!;
              for (let c = 0; c < n; c++) manyArgs[k * n + c] = binders[c]!(row[c]!);
            }
            many.run(manyArgs);
          }
        } catch {
          // Which row was refused: the batch again from its start, one row at a time (its error and index).
          this.db.exec('ROLLBACK TO dbdesk_import');
          r = 0;
        }
      }
      for (; r < rows.length; r++) {
        const row = rows[r]!;
        for (let c = 0; c < n; c++) args[c] = binders[c]!(row[c]!);
        insert.run(args);
      }
      this.db.exec('RELEASE dbdesk_import');
    } catch (err) {
      this.db.exec('ROLLBACK TO dbdesk_import; RELEASE dbdesk_import');
      throw new LoadFailure((err as Error).message, r, columnOf(err), err);
    }
  }

  async loadRow(row: readonly ImportValue[]): Promise<void> {
    try {
      this.insert!.run(row.map((v, c) => this.binders[c]!(v)));
    } catch (err) {
      throw new LoadFailure((err as Error).message, 0, columnOf(err), err);
    }
  }

  async commit(): Promise<void> {
    this.db.exec('COMMIT');
    this.open = false;
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }
}

/** SQLite's import: prepared multi-row INSERTs (32 rows each) in one large transaction. */
export class SqliteImporter implements TableImporter {
  constructor(private readonly db: Database.Database) {}

  typeFor(field: FieldProfile): string {
    switch (field.kind) {
      case 'integer':
      case 'bigint':
        return 'INTEGER';
      // NUMERIC would turn a long decimal into a double: text keeps every digit.
      case 'decimal':
        return field.integerDigits + field.scale <= 15 ? 'NUMERIC' : 'TEXT';
      case 'float':
        return 'REAL';
      case 'boolean':
        return 'BOOLEAN';
      case 'date':
        return 'DATE';
      case 'timestamp':
        return 'TIMESTAMP';
      case 'bytes':
        return 'BLOB';
      case 'json':
        return 'JSON';
      default:
        return 'TEXT';
    }
  }

  async open(table: TableRef, _signal: AbortSignal): Promise<TableLoad> {
    return new SqliteLoad(this.db, table);
  }
}
