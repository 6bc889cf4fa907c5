import type { TableRef } from '../../../../shared/model/schema';
import type { ExportFormat, ExportOptions } from '../../../../shared/model/table-query';
import type { ColumnMeta, ValueKind } from '../../../../shared/model/values';
import type { SqlText } from '../../../../electron/core/engines/engine';

/** Turns batches of raw driver rows into text for one export format. */
export interface RowWriter {
  start(): string;
  rows(rows: readonly unknown[][]): string;
  end(): string;
}

function hex(v: Uint8Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
}

/** A driver value as plain text: exact digits, the server's date text, bytes as \x-hex (as PostgreSQL writes them). */
function plainText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Uint8Array) return `\\x${hex(v)}`;
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

/**
 * CSV as PostgreSQL's COPY … CSV writes it (so a file reads the same whichever way it was made):
 * NULL is an empty field and the empty string is `""`, so the two stay apart; fields with the
 * delimiter, quotes or line breaks are quoted; lines end with \n.
 */
export class CsvWriter implements RowWriter {
  private readonly needsQuotes: RegExp;
  constructor(
    private readonly columns: ColumnMeta[],
    private readonly options: Pick<ExportOptions, 'header' | 'delimiter'>,
  ) {
    this.needsQuotes = new RegExp(`["\\r\\n${options.delimiter === '\t' ? '\\t' : options.delimiter === '|' ? '\\|' : options.delimiter}]`);
  }

  private field(v: unknown): string {
    if (v === null || v === undefined) return '';
    const s = plainText(v);
    if (s === '') return '""';
    return this.needsQuotes.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  start(): string {
    return this.options.header ? this.columns.map((c) => this.field(c.name)).join(this.options.delimiter) + '\n' : '';
  }

  rows(rows: readonly unknown[][]): string {
    const d = this.options.delimiter;
    const n = this.columns.length;
    let out = '';
    for (const row of rows) {
      let line = this.field(row[0]);
      for (let i = 1; i < n; i++) line += d + this.field(row[i]);
      out += line + '\n';
    }
    return out;
  }

  end(): string {
    return '';
  }
}

/**
 * JSON lines: one object per row. bigint and decimal values are strings so no digit is lost in
 * a reader that parses numbers as doubles; bytes are `\x`-hex strings; JSON columns are embedded
 * as JSON when the stored text is valid JSON.
 */
export class JsonLinesWriter implements RowWriter {
  private readonly keys: string[];
  constructor(private readonly columns: ColumnMeta[]) {
    this.keys = columns.map((c) => JSON.stringify(c.name));
  }

  private value(v: unknown, kind: ValueKind): string {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
    if (typeof v === 'bigint') return kind === 'integer' || Number.isSafeInteger(Number(v)) ? v.toString() : JSON.stringify(v.toString());
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (v instanceof Uint8Array) return JSON.stringify(`\\x${hex(v)}`);
    if (kind === 'json' && typeof v === 'string') {
      try {
        JSON.parse(v);
        return v.replace(/[\r\n]+/g, ' ');
      } catch {
        return JSON.stringify(v);
      }
    }
    return JSON.stringify(plainText(v));
  }

  start(): string {
    return '';
  }

  rows(rows: readonly unknown[][]): string {
    let out = '';
    const n = this.columns.length;
    for (const row of rows) {
      let line = '{';
      for (let i = 0; i < n; i++) line += (i ? ',' : '') + this.keys[i] + ':' + this.value(row[i], this.columns[i]!.kind);
      out += line + '}\n';
    }
    return out;
  }

  end(): string {
    return '';
  }
}

/**
 * INSERT statements in the source engine's dialect, `rowsPerInsert` rows each whatever batches the rows
 * arrive in (a slow server hands the stream short batches; each must not start a statement of its own).
 */
export class SqlInsertWriter implements RowWriter {
  private readonly prefix: string;
  /** Rows in the statement being written (0: none open). */
  private open = 0;
  constructor(
    private readonly columns: ColumnMeta[],
    table: TableRef,
    private readonly text: SqlText,
    private readonly rowsPerInsert: number,
  ) {
    this.prefix = `INSERT INTO ${text.qualifiedName(table)} (${columns.map((c) => text.quoteIdentifier(c.name)).join(', ')}) VALUES\n`;
  }

  start(): string {
    return '';
  }

  rows(rows: readonly unknown[][]): string {
    let out = '';
    const n = this.columns.length;
    for (const row of rows) {
      out += this.open === 0 ? this.prefix : ',\n';
      out += `(${Array.from({ length: n }, (_, i) => this.text.literal(row[i], this.columns[i]!.kind)).join(', ')})`;
      if (++this.open === this.rowsPerInsert) {
        out += ';\n';
        this.open = 0;
      }
    }
    return out;
  }

  end(): string {
    if (this.open === 0) return '';
    this.open = 0;
    return ';\n';
  }
}

export function writerFor(format: ExportFormat, columns: ColumnMeta[], table: TableRef, text: SqlText, options: ExportOptions): RowWriter {
  switch (format) {
    case 'csv':
      return new CsvWriter(columns, options);
    case 'jsonl':
      return new JsonLinesWriter(columns);
    case 'sql':
      return new SqlInsertWriter(columns, table, text, options.rowsPerInsert);
  }
}
