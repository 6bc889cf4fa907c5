import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { TableRef } from '../../../../shared/model/schema';
import type { ImportValue } from '../../../../features/import/core/convert';
import type { FieldProfile } from '../../../../features/import/core/infer';
import { LoadFailure, type LoadColumn, type ServerCsv, type TableImporter, type TableLoad } from '../../../../features/import/core/table-importer';
import { checkoutClient } from './postgres-checkout';
import { backendPid } from './pg-internals';
import { quotePgIdent } from './postgres-types';

const QUERY_CANCELED = '57014';

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** One value as a COPY … CSV field: NULL empty, '' as "", quoted when it holds a delimiter, quote, line break or is `\.`. */
function csvField(v: ImportValue): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Uint8Array) return `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (v === '') return '""';
  return /[",\r\n]/.test(v) || v === '\\.' ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The line and column of a COPY error (`COPY t, line 3, column amount: "x"`). */
function copyPlace(err: unknown): { line: number | null; column: string | null } {
  const where = (err as { where?: string }).where ?? '';
  const m = /COPY [^\n]*?, line (\d+)(?:, column ([^:\n]+))?/.exec(where);
  return { line: m ? Number(m[1]) : null, column: m?.[2] ?? (err as { column?: string }).column ?? null };
}

class PostgresLoad implements TableLoad {
  private client: pg.PoolClient | null = null;
  private copySql = '';
  private insertSql = '';
  private readonly onAbort: () => void;
  private pid = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly table: TableRef,
    private readonly signal: AbortSignal,
  ) {
    // COPY may be busy on the server for a while: cancel it there, the transaction then rolls back.
    this.onAbort = () => {
      if (this.pid) void this.pool.query('SELECT pg_cancel_backend($1)', [this.pid]).catch(() => undefined);
    };
  }

  private get name(): string {
    return `${quotePgIdent(this.table.schema)}.${quotePgIdent(this.table.name)}`;
  }

  async execute(statements: readonly string[]): Promise<void> {
    for (const s of statements) await this.pool.query(s);
  }

  async begin(columns: readonly LoadColumn[]): Promise<void> {
    const list = columns.map((c) => quotePgIdent(c.name)).join(', ');
    this.copySql = `COPY ${this.name} (${list}) FROM STDIN WITH (FORMAT csv)`;
    this.insertSql = `INSERT INTO ${this.name} (${list}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
    this.client = await checkoutClient(this.pool);
    this.pid = await backendPid(this.client);
    this.signal.addEventListener('abort', this.onAbort, { once: true });
    await this.client.query('BEGIN');
  }

  async loadBatch(rows: readonly ImportValue[][]): Promise<void> {
    const client = this.client!;
    // Where each row starts in the COPY text: a value with line breaks spans lines, and COPY's errors count lines.
    const lineOfRow = new Int32Array(rows.length);
    let line = 1;
    const pieces: string[] = [];
    let piece = '';
    for (let r = 0; r < rows.length; r++) {
      lineOfRow[r] = line;
      const row = rows[r]!;
      let text = csvField(row[0]!);
      for (let c = 1; c < row.length; c++) text += ',' + csvField(row[c]!);
      text += '\n';
      for (let i = text.indexOf('\n'); i !== -1 && i < text.length - 1; i = text.indexOf('\n', i + 1)) line++;
      line++;
      piece += text;
      if (piece.length > 65536) {
        pieces.push(piece);
        piece = '';
      }
    }
    pieces.push(piece);
    await client.query('SAVEPOINT dbdesk_import');
    try {
      await pipeline(Readable.from(pieces.map((p) => Buffer.from(p, 'utf8'))), client.query(copyFrom(this.copySql)));
      await client.query('RELEASE SAVEPOINT dbdesk_import');
    } catch (err) {
      await client.query('ROLLBACK TO SAVEPOINT dbdesk_import');
      if ((err as { code?: string }).code === QUERY_CANCELED && this.signal.aborted) throw err;
      const place = copyPlace(err);
      let rowIndex: number | null = null;
      if (place.line !== null) {
        // The last row starting at or before the line COPY names.
        let lo = 0;
        let hi = rows.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (lineOfRow[mid]! <= place.line) lo = mid;
          else hi = mid - 1;
        }
        rowIndex = lo;
      }
      throw new LoadFailure((err as Error).message, rowIndex, place.column, err);
    }
  }

  async loadRow(row: readonly ImportValue[]): Promise<void> {
    const client = this.client!;
    await client.query('SAVEPOINT dbdesk_import');
    try {
      await client.query(
        this.insertSql,
        row.map((v) => (v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v)),
      );
      await client.query('RELEASE SAVEPOINT dbdesk_import');
    } catch (err) {
      await client.query('ROLLBACK TO SAVEPOINT dbdesk_import');
      throw new LoadFailure((err as Error).message, 0, (err as { column?: string }).column ?? null, err);
    }
  }

  /** The file's CSV straight to COPY: the server parses, converts and checks; its errors name the file's line. */
  async copyCsv(chunks: AsyncIterable<Buffer>, csv: ServerCsv): Promise<number> {
    const options = [
      'FORMAT csv',
      `HEADER ${csv.header ? 'true' : 'false'}`,
      `DELIMITER ${literal(csv.delimiter)}`,
      `QUOTE ${literal(csv.quote)}`,
      `ENCODING ${csv.encoding === 'latin1' ? "'LATIN1'" : "'UTF8'"}`,
    ];
    const sql = `COPY ${this.name} (${csv.columns.map(quotePgIdent).join(', ')}) FROM STDIN WITH (${options.join(', ')})`;
    const stream = this.client!.query(copyFrom(sql));
    try {
      await pipeline(Readable.from(chunks), stream);
    } catch (err) {
      if ((err as { code?: string }).code === QUERY_CANCELED && this.signal.aborted) throw err;
      if (!(err as { code?: string }).code) throw err;
      const place = copyPlace(err);
      throw new LoadFailure((err as Error).message, place.line, place.column, err);
    }
    return Number((stream as unknown as { rowCount?: number }).rowCount ?? 0);
  }

  async commit(): Promise<void> {
    await this.client!.query('COMMIT');
    this.release(false);
  }

  async rollback(): Promise<void> {
    if (!this.client) return;
    let broken = false;
    await this.client.query('ROLLBACK').catch(() => (broken = true));
    this.release(broken || this.signal.aborted);
  }

  private release(destroy: boolean): void {
    this.signal.removeEventListener('abort', this.onAbort);
    const client = this.client;
    this.client = null;
    // A cancel request may still be on its way to this backend: never hand it to the next query.
    client?.release(destroy);
  }
}

/** PostgreSQL's import: COPY … FROM STDIN, of the file itself when it can be, else of converted rows. */
export class PostgresImporter implements TableImporter {
  constructor(private readonly pool: pg.Pool) {}

  typeFor(field: FieldProfile): string {
    switch (field.kind) {
      case 'integer':
        return 'integer';
      case 'bigint':
        return 'bigint';
      case 'decimal':
        return 'numeric';
      case 'float':
        return 'double precision';
      case 'boolean':
        return 'boolean';
      case 'date':
        return 'date';
      case 'timestamp':
        return 'timestamp';
      case 'bytes':
        return 'bytea';
      case 'json':
        return 'jsonb';
      default:
        return 'text';
    }
  }

  async open(table: TableRef, signal: AbortSignal): Promise<TableLoad> {
    return new PostgresLoad(this.pool, table, signal);
  }
}
