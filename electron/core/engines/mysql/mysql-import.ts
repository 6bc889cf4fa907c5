import type mysql from 'mysql2/promise';
import type { TableRef } from '../../../../shared/model/schema';
import type { ImportValue } from '../../../../features/import/core/convert';
import type { FieldProfile } from '../../../../features/import/core/infer';
import { LoadFailure, type LoadColumn, type TableImporter, type TableLoad } from '../../../../features/import/core/table-importer';
import { quoteMysqlIdent } from './mysql-types';

/** Rows per INSERT, and the bytes of values after which one is sent anyway (well under max_allowed_packet's 16 MB default). */
const ROWS_PER_INSERT = 1000;
const BYTES_PER_INSERT = 4 * 1024 * 1024;

function bound(v: ImportValue): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

/** "Out of range value for column 'x' at row 3", "Data too long for column 'x' at row 3", "Incorrect integer value: … for column `t`.`x` at row 3". */
function placeOf(err: unknown): { row: number | null; column: string | null } {
  const message = (err as Error).message ?? '';
  const row = /at row (\d+)/.exec(message);
  const column = /for column [`'"]?(?:[^`'"]*[`'"]\.[`'"])*([^`'"]+)[`'"]?/.exec(message);
  return { row: row ? Number(row[1]) - 1 : null, column: column?.[1] ?? null };
}

class MysqlLoad implements TableLoad {
  private conn: mysql.PoolConnection | null = null;
  private prefix = '';
  private rowSql = '';
  private width = 0;
  private sqlMode: string | null = null;
  private readonly onAbort: () => void;

  constructor(
    private readonly pool: mysql.Pool,
    private readonly table: TableRef,
    private readonly signal: AbortSignal,
  ) {
    this.onAbort = () => {
      const id = this.conn?.threadId;
      if (id) void this.pool.query(`KILL QUERY ${Number(id)}`).catch(() => undefined);
    };
  }

  private get name(): string {
    return `${quoteMysqlIdent(this.table.schema)}.${quoteMysqlIdent(this.table.name)}`;
  }

  async execute(statements: readonly string[]): Promise<void> {
    for (const s of statements) await this.pool.query(s);
  }

  async begin(columns: readonly LoadColumn[]): Promise<void> {
    this.width = columns.length;
    const row = `(${columns.map(() => '?').join(', ')})`;
    this.prefix = `INSERT INTO ${this.name} (${columns.map((c) => quoteMysqlIdent(c.name)).join(', ')}) VALUES `;
    this.rowSql = this.prefix + row;
    this.conn = await this.pool.getConnection();
    this.signal.addEventListener('abort', this.onAbort, { once: true });
    // A value that does not fit is an error, never a silent truncation or zero (strict mode for this session only).
    const [modeRows] = await this.conn.query('SELECT @@SESSION.sql_mode AS m');
    this.sqlMode = String((modeRows as { m: string }[])[0]?.m ?? '');
    await this.conn.query("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')");
    await this.conn.query('START TRANSACTION');
  }

  /** Multi-row INSERTs with bound values; a refused statement changes nothing (InnoDB rolls the statement back). */
  async loadBatch(rows: readonly ImportValue[][]): Promise<void> {
    const conn = this.conn!;
    // A batch takes several INSERTs: the savepoint undoes the earlier ones when a later one is refused.
    await conn.query('SAVEPOINT dbdesk_import');
    let start = 0;
    while (start < rows.length) {
      let end = start;
      let bytes = 0;
      const values: unknown[] = [];
      while (end < rows.length && end - start < ROWS_PER_INSERT && bytes < BYTES_PER_INSERT) {
        for (const v of rows[end]!) {
          values.push(bound(v));
          bytes += v === null ? 4 : typeof v === 'string' ? v.length : v instanceof Uint8Array ? v.length * 2 : 1;
        }
        end++;
      }
      const sql = this.prefix + Array.from({ length: end - start }, () => `(${new Array(this.width).fill('?').join(', ')})`).join(', ');
      try {
        await conn.query(sql, values);
      } catch (err) {
        if (this.signal.aborted) throw err;
        await conn.query('ROLLBACK TO SAVEPOINT dbdesk_import');
        const place = placeOf(err);
        throw new LoadFailure((err as Error).message, place.row === null ? null : start + place.row, place.column, err);
      }
      start = end;
    }
  }

  async loadRow(row: readonly ImportValue[]): Promise<void> {
    try {
      await this.conn!.query(this.rowSql, row.map(bound));
    } catch (err) {
      throw new LoadFailure((err as Error).message, 0, placeOf(err).column, err);
    }
  }

  async commit(): Promise<void> {
    await this.conn!.query('COMMIT');
    await this.release(false);
  }

  async rollback(): Promise<void> {
    if (!this.conn) return;
    let broken = false;
    await this.conn.query('ROLLBACK').catch(() => (broken = true));
    await this.release(broken);
  }

  private async release(broken: boolean): Promise<void> {
    this.signal.removeEventListener('abort', this.onAbort);
    const conn = this.conn;
    this.conn = null;
    if (!conn) return;
    if (!broken && this.sqlMode !== null) await conn.query('SET SESSION sql_mode = ?', [this.sqlMode]).catch(() => (broken = true));
    if (broken || this.signal.aborted) conn.destroy();
    else conn.release();
  }
}

/** MySQL/MariaDB's import: multi-row INSERTs with bound values in one transaction, strict mode on. */
export class MysqlImporter implements TableImporter {
  constructor(private readonly pool: mysql.Pool) {}

  typeFor(field: FieldProfile): string {
    switch (field.kind) {
      case 'integer':
        return 'int';
      case 'bigint':
        return 'bigint';
      case 'decimal': {
        const scale = Math.min(30, field.scale);
        return `decimal(${Math.min(65, Math.max(field.integerDigits + scale + 4, 10))},${scale})`;
      }
      case 'float':
        return 'double';
      case 'boolean':
        return 'boolean';
      case 'date':
        return 'date';
      case 'timestamp':
        return 'datetime(6)';
      case 'bytes':
        return 'longblob';
      case 'json':
        return 'json';
      default:
        return field.maxLength <= 16_000 ? 'text' : 'longtext';
    }
  }

  async open(table: TableRef, signal: AbortSignal): Promise<TableLoad> {
    return new MysqlLoad(this.pool, table, signal);
  }
}
