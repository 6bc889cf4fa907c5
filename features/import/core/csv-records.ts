import { Parser } from 'csv-parse';
import type { CsvOptions } from '../shared/import-model';
import { ImportRecordError } from './import-error';
import type { SourceRecord } from './record-source';

/** The part of csv-parse's parser state the field hook reads (csv-parse 7.0.3; pinned, and tested in csv-records.test.ts). */
interface ParserApi {
  info: { lines: number; empty_lines: number };
  state: { field: { length: number }; wasQuoting: boolean; enabled: boolean; record: unknown[] };
  parse(chunk: Buffer | undefined, end: boolean, push: (record: unknown) => void, close: () => void): Error | undefined;
  __onField(): Error | undefined;
  __resetField(): void;
}

/**
 * CSV/TSV records from csv-parse with the two things COPY … CSV needs and csv-parse does not say cheaply:
 * whether an empty field was quoted (`""` is the empty string, an unquoted empty field NULL — or as
 * configured), and the line each record starts on. csv-parse's `cast` option tells the quoting, but builds
 * an info object per field (12× slower on a million rows); its own field hook is wrapped instead.
 */
export class CsvParseRecords {
  private readonly api: ParserApi;
  private out: SourceRecord[] = [];
  private previousEnd = 0;
  private previousEmpty = 0;

  /** recordDelimiter: as csv-parse discovered it on the file's first line (the fast reader passes it on). */
  constructor(options: CsvOptions, delimiter: string, recordDelimiter?: string) {
    const parser = new Parser({
      delimiter,
      ...(recordDelimiter ? { record_delimiter: recordDelimiter } : {}),
      quote: options.quote,
      escape: options.quote,
      encoding: options.encoding === 'latin1' ? 'latin1' : 'utf8',
      relax_column_count: true,
      skip_empty_lines: true,
    });
    this.api = (parser as unknown as { api: ParserApi }).api;
    const unquoted = options.unquotedEmpty === 'null' ? null : '';
    const quoted = options.quotedEmpty === 'null' ? null : '';
    const original = this.api.__onField;
    this.api.__onField = function (this: ParserApi) {
      const s = this.state;
      if (s.field.length === 0 && s.enabled !== false) {
        s.record.push(s.wasQuoting ? quoted : unquoted);
        this.__resetField();
        return undefined;
      }
      return original.call(this);
    };
  }

  private readonly push = (record: unknown) => {
    const { lines, empty_lines: empty } = this.api.info;
    // A record starts on the line after the previous one ended, past any empty lines skipped between.
    const line = this.previousEnd + 1 + (empty - this.previousEmpty);
    this.previousEnd = lines;
    this.previousEmpty = empty;
    this.out.push({ line, fields: record as (string | null)[] });
  };

  /** Parses a chunk (null: the end) and returns the records it completed. */
  feed(chunk: Buffer | null): SourceRecord[] {
    const error = this.api.parse(chunk ?? undefined, chunk === null, this.push, () => undefined);
    if (error) throw this.explain(error as Error & { code?: string; lines?: number });
    const records = this.out;
    this.out = [];
    return records;
  }

  /**
   * Parses one whole record (or a malformed rest) that starts on `line`, as the same parser would have
   * met it in the file: its line count is set to where the record starts and read back after it.
   * `lastEnd`: the line the last record ended on (the lines since were empty: an unclosed quote is named
   * from there, as csv-parse alone does). Returns the records, the line after the segment and where its
   * last record ended.
   */
  segment(bytes: Buffer, line: number, lastEnd: number): { records: SourceRecord[]; next: number; lastEnd: number } {
    this.api.info.lines = line;
    this.previousEnd = lastEnd;
    this.previousEmpty = this.api.info.empty_lines - (line - 1 - lastEnd);
    const error = this.api.parse(bytes, true, this.push, () => undefined);
    if (error) throw this.explain(error as Error & { code?: string; lines?: number });
    const records = this.out;
    this.out = [];
    return { records, next: this.api.info.lines, lastEnd: this.previousEnd };
  }

  private explain(error: Error & { code?: string; lines?: number }): ImportRecordError {
    const startLine = this.previousEnd + 1;
    switch (error.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new ImportRecordError('a quoted field is never closed (the quote opened in the record starting here).', startLine, null);
      case 'CSV_INVALID_CLOSING_QUOTE':
      case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
        return new ImportRecordError('a closing quote is followed by text; double a quote inside a quoted field.', error.lines ?? startLine, null);
      default:
        return new ImportRecordError(error.message, error.lines ?? startLine, null);
    }
  }
}
