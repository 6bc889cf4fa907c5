import { StringDecoder } from 'node:string_decoder';
import { ImportRecordError } from './import-error';
import type { SourceRecord } from './record-source';

const INCOMPLETE = -1;

/**
 * JSON lines (one object a line) or one array of objects, read as it streams in. Values keep their
 * text: a number is its digits as written (JSON.parse would round 9223372036854775807), a nested object
 * or array its JSON text (for a JSON column), true/false their words, null NULL. Keys become the
 * fields, in the order they first appear.
 */
export class JsonRecords {
  readonly sources: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly decoder: StringDecoder;
  private text = '';
  private pos = 0;
  /** The line of `pos` in the file. */
  private line = 1;
  private state: 'before-array' | 'in-array' | 'after-element' | 'done' = 'before-array';

  constructor(
    private readonly lines: boolean,
    encoding: 'utf-8' | 'latin1',
  ) {
    this.decoder = new StringDecoder(encoding === 'latin1' ? 'latin1' : 'utf8');
  }

  feed(chunk: Buffer | null): SourceRecord[] {
    this.text = this.text.slice(this.pos) + (chunk ? this.decoder.write(chunk) : this.decoder.end());
    this.pos = 0;
    const end = chunk === null;
    const out: SourceRecord[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) break;
      if (this.lines) {
        const record = this.object(end);
        if (record === null) break;
        out.push(record);
        continue;
      }
      const c = this.text[this.pos];
      if (this.state === 'before-array') {
        if (c !== '[') throw this.fail('a JSON file must hold one array of objects (or choose JSON lines).');
        this.pos++;
        this.state = 'in-array';
        this.skipSpace();
        if (this.text[this.pos] === ']') {
          this.pos++;
          this.state = 'done';
        }
      } else if (this.state === 'after-element') {
        if (c === ',') {
          this.pos++;
          this.state = 'in-array';
        } else if (c === ']') {
          this.pos++;
          this.state = 'done';
        } else throw this.fail(`expected "," or "]" after an element, found ${JSON.stringify(c)}.`);
      } else if (this.state === 'in-array') {
        const record = this.object(end);
        if (record === null) break;
        out.push(record);
        this.state = 'after-element';
      } else throw this.fail('text after the end of the array.');
    }
    if (end && (this.pos < this.text.length || (!this.lines && this.state !== 'done'))) {
      throw this.fail(this.state === 'before-array' && !this.lines ? 'the file is empty: expected a JSON array.' : 'the JSON ends in the middle of a value.');
    }
    return out;
  }

  private fail(reason: string): ImportRecordError {
    return new ImportRecordError(reason, this.line, null);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 10) this.line++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
      this.pos++;
    }
  }

  /** One object at `pos` as a record; null when the text ends before it does (more is coming). */
  private object(end: boolean): SourceRecord | null {
    const t = this.text;
    const start = this.pos;
    const line = this.line;
    if (t[start] !== '{') throw this.fail(`expected an object ({…}), found ${JSON.stringify(t.slice(start, start + 10))}.`);
    const fields: (string | null)[] = [];
    let raw: (string | undefined)[] | undefined;
    let i = start + 1;
    const space = () => {
      while (i < t.length && (t[i] === ' ' || t[i] === '\t' || t[i] === '\r' || t[i] === '\n')) i++;
    };
    space();
    if (t[i] === '}') i++;
    else {
      for (;;) {
        space();
        if (i >= t.length) return this.incomplete(end, line);
        if (t[i] !== '"') throw this.failAt(line, start, i, 'expected a key in double quotes.');
        const keyEnd = stringEnd(t, i);
        if (keyEnd === INCOMPLETE) return this.incomplete(end, line);
        const key = JSON.parse(t.slice(i, keyEnd)) as string;
        i = keyEnd;
        space();
        if (i >= t.length) return this.incomplete(end, line);
        if (t[i] !== ':') throw this.failAt(line, start, i, `expected ":" after the key "${key}".`);
        i++;
        space();
        const valueEnd = valueEndAt(t, i);
        if (valueEnd === INCOMPLETE) return this.incomplete(end, line);
        if (valueEnd === i) throw this.failAt(line, start, i, `the value of "${key}" is not JSON.`);
        const slot = this.slot(key);
        fields[slot] = fieldOf(t.slice(i, valueEnd));
        if (t[i] === '"') (raw ??= [])[slot] = t.slice(i, valueEnd);
        i = valueEnd;
        space();
        if (i >= t.length) return this.incomplete(end, line);
        if (t[i] === ',') {
          i++;
          continue;
        }
        if (t[i] === '}') {
          i++;
          break;
        }
        throw this.failAt(line, start, i, `expected "," or "}" after the value of "${key}".`);
      }
    }
    for (let k = start; k < i; k++) if (t.charCodeAt(k) === 10) this.line++;
    this.pos = i;
    // Keys an object leaves out are NULL; fill the holes so every record has every slot.
    for (let k = 0; k < this.sources.length; k++) if (fields[k] === undefined) fields[k] = null;
    return raw ? { line, fields, raw } : { line, fields };
  }

  private incomplete(end: boolean, line: number): null {
    if (end) throw new ImportRecordError('the JSON ends in the middle of an object.', line, null);
    return null;
  }

  private failAt(line: number, start: number, at: number, reason: string): ImportRecordError {
    let l = line;
    for (let k = start; k < at; k++) if (this.text.charCodeAt(k) === 10) l++;
    return new ImportRecordError(reason, l, null);
  }

  private slot(key: string): number {
    let at = this.index.get(key);
    if (at === undefined) {
      at = this.sources.length;
      this.sources.push(key);
      this.index.set(key, at);
    }
    return at;
  }
}

/** A JSON value's text as a field: strings unescaped, numbers as written, objects/arrays as JSON text. */
function fieldOf(raw: string): string | null {
  const c = raw[0];
  if (c === '"') return JSON.parse(raw) as string;
  if (raw === 'null') return null;
  return raw;
}

function stringEnd(t: string, i: number): number {
  let k = i + 1;
  for (;;) {
    const q = t.indexOf('"', k);
    if (q === -1) return INCOMPLETE;
    let backslashes = 0;
    for (let b = q - 1; b > i && t[b] === '\\'; b--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    k = q + 1;
  }
}

/** Where the JSON value starting at i ends (i itself when none starts there). */
function valueEndAt(t: string, i: number): number {
  const c = t[i];
  if (c === undefined) return INCOMPLETE;
  if (c === '"') return stringEnd(t, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    let k = i;
    while (k < t.length) {
      const ch = t[k];
      if (ch === '"') {
        const e = stringEnd(t, k);
        if (e === INCOMPLETE) return INCOMPLETE;
        k = e;
        continue;
      }
      if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return k + 1;
      }
      k++;
    }
    return INCOMPLETE;
  }
  // A number or a literal runs to the next delimiter; one that reaches the end of the text may go on in the next chunk.
  let k = i;
  while (k < t.length && !',}] \t\r\n'.includes(t[k]!)) k++;
  if (k === t.length) return INCOMPLETE;
  return /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/.test(t.slice(i, k)) ? k : i;
}
