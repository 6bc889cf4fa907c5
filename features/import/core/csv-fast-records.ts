import type { CsvOptions } from '../shared/import-model';
import { CsvParseRecords } from './csv-records';
import type { SourceRecord } from './record-source';

const LF = 10;

/**
 * CSV/TSV records, the common lines read here and the rest by csv-parse (CsvParseRecords), with the same
 * records, lines and errors. csv-parse costs ~2 µs a line — more than SQLite's insert of it — so a line with
 * no quote character (and, in a `\r\n` file, no other `\r`; in a `\n` file no `\r`) is split on the delimiter
 * directly, and a one-line record whose quoted fields are well formed is read here too. Any other line goes
 * to csv-parse as one segment up to the record's end (a quoted field may span lines), which also judges
 * every malformed record. The line ending is the one csv-parse would discover on the first line; a first
 * line that is not simple, an exotic delimiter or quote, or a file without a newline: csv-parse reads it all.
 */
export class CsvRecords {
  private parse: CsvParseRecords;
  private whole: CsvParseRecords | null = null;
  private carry: Buffer = Buffer.alloc(0);
  private crlf: boolean | null = null;
  private line = 1;
  /** The line the last record ended on. */
  private lastEnd = 0;
  private readonly encoding: BufferEncoding;
  private readonly unquoted: string | null;
  private readonly quotedEmpty: string | null;
  private readonly simpleOptions: boolean;

  constructor(
    private readonly options: CsvOptions,
    private readonly delimiter: string,
  ) {
    this.encoding = options.encoding === 'latin1' ? 'latin1' : 'utf8';
    this.unquoted = options.unquotedEmpty === 'null' ? null : '';
    this.quotedEmpty = options.quotedEmpty === 'null' ? null : '';
    const ascii = (c: string) => c.length === 1 && c.charCodeAt(0) < 128 && c !== '\r' && c !== '\n';
    this.simpleOptions = ascii(delimiter) && ascii(options.quote) && delimiter !== options.quote;
    this.parse = new CsvParseRecords(options, delimiter);
  }

  /** Parses a chunk (null: the end) and returns the records it completed. */
  feed(chunk: Buffer | null): SourceRecord[] {
    if (this.whole) return this.whole.feed(chunk);
    const data = chunk === null ? this.carry : this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    if (this.crlf === null && !this.discover(data, chunk === null)) {
      if (this.whole) return this.handOver(data, chunk === null);
      this.carry = Buffer.from(data);
      return [];
    }
    const end = chunk === null ? data.length : data.lastIndexOf(LF) + 1;
    const out: SourceRecord[] = [];
    const text = data.toString(this.encoding, 0, end);
    const done = this.lines(text, chunk === null, out);
    const doneBytes = done === text.length ? end : Buffer.byteLength(text.slice(0, done), this.encoding);
    this.carry = Buffer.from(data.subarray(doneBytes));
    return out;
  }

  /** The line ending csv-parse would find on the first line; false: not known yet, or csv-parse reads it all. */
  private discover(data: Buffer, atEnd: boolean): boolean {
    const nl = data.indexOf(LF);
    if (nl < 0) {
      if (atEnd || !this.simpleOptions) this.whole = new CsvParseRecords(this.options, this.delimiter);
      return false;
    }
    const first = data.toString(this.encoding, 0, nl);
    const cr = first.indexOf('\r');
    if (!this.simpleOptions || first.includes(this.options.quote) || (cr >= 0 && cr !== first.length - 1)) {
      this.whole = new CsvParseRecords(this.options, this.delimiter);
      return false;
    }
    this.crlf = cr >= 0;
    this.parse = new CsvParseRecords(this.options, this.delimiter, this.crlf ? '\r\n' : '\n');
    return true;
  }

  private handOver(data: Buffer, atEnd: boolean): SourceRecord[] {
    const records = this.whole!.feed(data);
    return atEnd ? records.concat(this.whole!.feed(null)) : records;
  }

  /** Reads the lines of `text` (whole lines unless at the end); returns how far it got (a record may continue). */
  private lines(text: string, atEnd: boolean, out: SourceRecord[]): number {
    const { quote } = this.options;
    const crlf = this.crlf!;
    const delimiter = this.delimiter;
    const unquoted = this.unquoted;
    let at = 0;
    let nextQuote = text.indexOf(quote);
    let nextCr = crlf ? -1 : text.indexOf('\r');
    while (at < text.length) {
      const nl = text.indexOf('\n', at);
      const lineEnd = nl < 0 ? text.length : nl;
      if (nextQuote >= 0 && nextQuote < at) nextQuote = text.indexOf(quote, at);
      if (nextCr >= 0 && nextCr < at) nextCr = text.indexOf('\r', at);
      let contentEnd = lineEnd;
      const quoted = nextQuote >= 0 && nextQuote < lineEnd;
      let simple = !(nextCr >= 0 && nextCr < lineEnd);
      if (simple && crlf) {
        if (nl < 0 || text.charCodeAt(lineEnd - 1) !== 13) simple = false;
        else {
          contentEnd = lineEnd - 1;
          const cr = text.indexOf('\r', at);
          if (cr < contentEnd) simple = false;
        }
      }
      if (simple) {
        let fields: (string | null)[] | null = null;
        if (!quoted) {
          if (contentEnd > at) {
            fields = text.slice(at, contentEnd).split(delimiter);
            for (let i = 0; i < fields.length; i++) if (fields[i] === '') fields[i] = unquoted;
          }
        } else fields = this.quotedLine(text, at, contentEnd);
        if (fields !== null || !quoted) {
          if (fields !== null) {
            out.push({ line: this.line, fields });
            this.lastEnd = this.line;
          }
          this.line++;
          at = nl < 0 ? text.length : nl + 1;
          continue;
        }
      }
      const stop = this.recordEnd(text, at, crlf);
      if (stop < 0 && !atEnd) return at;
      const to = stop < 0 ? text.length : stop;
      const { records, next, lastEnd } = this.parse.segment(Buffer.from(text.slice(at, to), this.encoding), this.line, this.lastEnd);
      for (const r of records) out.push(r);
      this.line = next;
      this.lastEnd = lastEnd;
      at = to;
    }
    return at;
  }

  /**
   * The fields of a one-line record with quoted fields, when every field is either free of the quote
   * character or wholly quoted (doubled quotes inside) and followed by the delimiter or the line's end;
   * null for anything else (a quote inside an unquoted field, text after a closing quote, a quoted field
   * that goes on past the line), which csv-parse reads and judges.
   */
  private quotedLine(text: string, at: number, end: number): (string | null)[] | null {
    const quote = this.options.quote;
    const q = quote.charCodeAt(0);
    const delimiter = this.delimiter;
    const d = delimiter.charCodeAt(0);
    const fields: (string | null)[] = [];
    let i = at;
    for (;;) {
      if (i < end && text.charCodeAt(i) === q) {
        let value = '';
        let from = i + 1;
        let j = from;
        for (;;) {
          j = text.indexOf(quote, j);
          if (j < 0 || j >= end) return null;
          if (j + 1 < end && text.charCodeAt(j + 1) === q) {
            value += text.slice(from, j + 1);
            j += 2;
            from = j;
            continue;
          }
          break;
        }
        value += text.slice(from, j);
        fields.push(value === '' ? this.quotedEmpty : value);
        i = j + 1;
        if (i === end) return fields;
        if (text.charCodeAt(i) !== d) return null;
        i++;
        continue;
      }
      let next = text.indexOf(delimiter, i);
      if (next < 0 || next > end) next = end;
      const value = text.slice(i, next);
      if (value.includes(quote)) return null;
      fields.push(value === '' ? this.unquoted : value);
      if (next === end) return fields;
      i = next + 1;
    }
  }

  /** Where the record starting at `at` ends (past its line ending), counting quotes; -1: not in this text. */
  private recordEnd(text: string, at: number, crlf: boolean): number {
    const q = this.options.quote.charCodeAt(0);
    let quoted = false;
    for (let i = at; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === q) quoted = !quoted;
      else if (!quoted && c === LF && (!crlf || (i > at && text.charCodeAt(i - 1) === 13))) return i + 1;
    }
    return -1;
  }
}
