import type { SqlLexRules } from './dialect-rules';

/** One statement of a migration, as it will be sent to the server. */
export interface SqlStatement {
  /** 1-based position in its section. */
  index: number;
  /** The statement as written, without its delimiter, trimmed. */
  sql: string;
  /**
   * The statement for analysis: comments dropped, string literals and dollar-quoted bodies
   * replaced by placeholders, whitespace collapsed. Lint and the transaction rules read this,
   * so a `DROP TABLE` inside a string or a comment never counts.
   */
  skeleton: string;
  /** 1-based lines in the section's text. */
  startLine: number;
  endLine: number;
  /** Comments directly before the statement (for `-- dbdesk:nolint` directives). */
  leadingComments: string[];
}

export class SqlSplitError extends Error {
  override name = 'SqlSplitError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
  }
}

const ROUTINE_KINDS = new Set(['PROCEDURE', 'FUNCTION', 'TRIGGER', 'EVENT', 'PACKAGE']);
/** MariaDB control statements that close with `END IF`, `END LOOP`… */
const CONTROL_OPENERS = new Set(['IF', 'WHILE', 'LOOP', 'REPEAT']);
/** Tokens after which a control keyword starts a statement (and so opens a block). */
const STATEMENT_STARTERS = new Set([';', ':', 'BEGIN', 'THEN', 'ELSE', 'DO', 'LOOP', 'REPEAT']);

// Character tests by code: the splitter looks at every character of every migration.
const isIdentStart = (c: string | undefined) => {
  if (c === undefined) return false;
  const x = c.charCodeAt(0);
  return (x >= 97 && x <= 122) || (x >= 65 && x <= 90) || x === 95 || x > 127;
};
const isIdentChar = (c: string | undefined) => {
  if (c === undefined) return false;
  const x = c.charCodeAt(0);
  return (x >= 97 && x <= 122) || (x >= 65 && x <= 90) || (x >= 48 && x <= 57) || x === 95 || x === 36 || x > 127;
};
const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff';

interface Pending {
  start: number | null;
  skeleton: string[];
  words: string[];
  depth: number;
  lastSig: string | null;
  leading: string[];
  /** Line where the outermost open block began, for the error when it never closes. */
  blockLine: number;
}

/**
 * Splits a migration into statements by the rules of one dialect: comments of every kind,
 * strings with the dialect's escapes, quoted identifiers, dollar quotes, the DELIMITER command,
 * and compound bodies (BEGIN … END, BEGIN ATOMIC) whose inner `;` do not end the statement.
 * Throws SqlSplitError with a line number for text that never closes.
 */
export function splitStatements(text: string, rules: SqlLexRules): SqlStatement[] {
  return new Splitter(text, rules).run();
}

class Splitter {
  private pos = 0;
  private delimiter = ';';
  private readonly out: SqlStatement[] = [];
  private readonly lineStarts: number[] = [0];
  private cur: Pending = Splitter.fresh();

  constructor(
    private readonly text: string,
    private readonly rules: SqlLexRules,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  private static fresh(): Pending {
    return { start: null, skeleton: [], words: [], depth: 0, lastSig: null, leading: [], blockLine: 0 };
  }

  run(): SqlStatement[] {
    const { text } = this;
    while (this.pos < text.length) {
      if (this.cur.start === null && this.rules.delimiterCommand && this.tryDelimiterCommand()) continue;
      const customDelimiter = this.delimiter !== ';';
      if ((customDelimiter || this.cur.depth === 0) && text.startsWith(this.delimiter, this.pos)) {
        this.finish(this.pos);
        this.pos += this.delimiter.length;
        continue;
      }
      this.step();
    }
    if (this.cur.depth > 0 && this.delimiter === ';') {
      throw new SqlSplitError('A BEGIN … END block is never closed: its END is missing', this.cur.blockLine);
    }
    this.finish(text.length);
    return this.out;
  }

  private lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private finish(end: number): void {
    const cur = this.cur;
    if (cur.start !== null) {
      const sql = this.text.slice(cur.start, end).trim();
      if (sql !== '') {
        const trimmedEnd = cur.start + this.text.slice(cur.start, end).trimEnd().length;
        this.out.push({
          index: this.out.length + 1,
          sql,
          skeleton: cur.skeleton.join('').replace(/\s+/g, ' ').trim(),
          startLine: this.lineOf(cur.start),
          endLine: this.lineOf(Math.max(cur.start, trimmedEnd - 1)),
          leadingComments: cur.leading,
        });
      }
    }
    this.cur = Splitter.fresh();
  }

  private begin(): void {
    if (this.cur.start === null) this.cur.start = this.pos;
  }

  /** `DELIMITER xx` at the start of a statement: the rest of the line names the new delimiter. */
  private tryDelimiterCommand(): boolean {
    const { text } = this;
    const lineStart = text.lastIndexOf('\n', this.pos - 1) + 1;
    if (text.slice(lineStart, this.pos).trim() !== '') return false;
    const m = /^delimiter[ \t]+([^\s]*)[^\n]*/i.exec(text.slice(this.pos, this.pos + 200));
    if (!m) {
      if (/^delimiter[ \t]*(\r?\n|$)/i.test(text.slice(this.pos, this.pos + 20))) {
        throw new SqlSplitError('DELIMITER needs the new delimiter after it, e.g. DELIMITER //', this.lineOf(this.pos));
      }
      return false;
    }
    const next = m[1]!;
    if (next === '' || next.includes('\\')) {
      throw new SqlSplitError(`"${next}" cannot be a delimiter`, this.lineOf(this.pos));
    }
    this.delimiter = next;
    this.pos += m[0].length;
    return true;
  }

  private step(): void {
    const { text, rules } = this;
    const c = text[this.pos]!;
    const next = text[this.pos + 1];

    if (isSpace(c)) {
      this.pos++;
      while (this.pos < text.length && isSpace(text[this.pos]!)) this.pos++;
      this.cur.skeleton.push(' ');
      return;
    }
    if (c === '-' && next === '-') {
      const after = text[this.pos + 2];
      if (!rules.dashCommentNeedsSpace || after === undefined || /[\s\u0000-\u001f]/.test(after)) return this.lineComment();
    }
    if (c === '#' && rules.hashComments) return this.lineComment();
    if (c === '/' && next === '*') return this.blockComment();
    if (c === "'") return this.quoted("'", this.stringEscapes(), true);
    if (c === '"') return rules.doubleQuotes === 'string' ? this.quoted('"', rules.backslashEscapes === 'always', true) : this.quoted('"', false, false);
    if (c === '`' && rules.backtickIdentifiers) return this.quoted('`', false, false);
    if (c === '[' && rules.bracketIdentifiers) return this.bracketIdentifier();
    if (c === '$' && rules.dollarQuotes && !isIdentChar(text[this.pos - 1]) && this.dollarQuote()) return;
    if (isIdentStart(c)) return this.word();

    this.begin();
    this.cur.skeleton.push(c);
    this.cur.lastSig = c;
    this.pos++;
  }

  /** Whether the '…' string at pos takes backslash escapes: always, never, or after an adjacent E prefix. */
  private stringEscapes(): boolean {
    const mode = this.rules.backslashEscapes;
    if (mode !== 'e-prefix') return mode === 'always';
    const prev = this.text[this.pos - 1];
    return (prev === 'E' || prev === 'e') && !isIdentChar(this.text[this.pos - 2]);
  }

  private lineComment(): void {
    const end = this.text.indexOf('\n', this.pos);
    const stop = end < 0 ? this.text.length : end;
    this.comment(this.text.slice(this.pos, stop));
    this.pos = stop;
  }

  private comment(body: string): void {
    if (this.cur.start === null) this.cur.leading.push(body);
    this.cur.skeleton.push(' ');
  }

  private blockComment(): void {
    const { text, rules } = this;
    const start = this.pos;
    const executable = rules.executableComments && (text[start + 2] === '!' || text.startsWith('M!', start + 2));
    let depth = 1;
    let i = start + 2;
    while (i < text.length && depth > 0) {
      if (text[i] === '*' && text[i + 1] === '/') {
        depth--;
        i += 2;
      } else if (rules.nestedBlockComments && text[i] === '/' && text[i + 1] === '*') {
        depth++;
        i += 2;
      } else i++;
    }
    if (depth > 0) throw new SqlSplitError('A /* comment is never closed', this.lineOf(start));
    if (executable) {
      // SQL the server runs: part of the statement, and visible to analysis.
      this.begin();
      this.cur.skeleton.push(' ', text.slice(start + 2, i - 2).replace(/^M?!\d*/, ''), ' ');
      this.cur.lastSig = '*/';
    } else {
      this.comment(text.slice(start, i));
    }
    this.pos = i;
  }

  private quoted(q: string, backslash: boolean, isString: boolean): void {
    const { text } = this;
    const start = this.pos;
    let i = start + 1;
    for (;;) {
      if (i >= text.length) {
        const what = isString ? 'string' : 'quoted name';
        throw new SqlSplitError(`A ${what} opened with ${q} is never closed`, this.lineOf(start));
      }
      const ch = text[i]!;
      if (backslash && ch === '\\') {
        i += 2;
        continue;
      }
      if (ch === q) {
        if (text[i + 1] === q) {
          i += 2;
          continue;
        }
        break;
      }
      i++;
    }
    this.begin();
    this.cur.skeleton.push(isString ? "'?'" : text.slice(start, i + 1));
    this.cur.lastSig = isString ? "'" : 'IDENT';
    this.pos = i + 1;
  }

  private bracketIdentifier(): void {
    const end = this.text.indexOf(']', this.pos);
    if (end < 0) throw new SqlSplitError('A [name] is never closed', this.lineOf(this.pos));
    this.begin();
    this.cur.skeleton.push(this.text.slice(this.pos, end + 1));
    this.cur.lastSig = 'IDENT';
    this.pos = end + 1;
  }

  private dollarQuote(): boolean {
    const m = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(this.text.slice(this.pos, this.pos + 100));
    if (!m) return false;
    const tag = m[0];
    const close = this.text.indexOf(tag, this.pos + tag.length);
    if (close < 0) throw new SqlSplitError(`The dollar-quoted text opened with ${tag} is never closed`, this.lineOf(this.pos));
    this.begin();
    this.cur.skeleton.push('$$?$$');
    this.cur.lastSig = '$';
    this.pos = close + tag.length;
    return true;
  }

  /** The next word after pos, skipping whitespace and comments; with where it ends. */
  private peekWord(from: number): { word: string; end: number; nextChar: string | undefined } | null {
    const { text } = this;
    let i = from;
    for (;;) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (text.startsWith('--', i) || (this.rules.hashComments && text[i] === '#')) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl;
        continue;
      }
      if (text.startsWith('/*', i) && !(this.rules.executableComments && text[i + 2] === '!')) {
        const close = text.indexOf('*/', i + 2);
        i = close < 0 ? text.length : close + 2;
        continue;
      }
      break;
    }
    if (!isIdentStart(text[i])) return null;
    let j = i;
    while (j < text.length && isIdentChar(text[j])) j++;
    let k = j;
    while (k < text.length && /\s/.test(text[k]!)) k++;
    return { word: text.slice(i, j).toUpperCase(), end: j, nextChar: text[k] };
  }

  private word(): void {
    const { text } = this;
    const start = this.pos;
    const custom = this.delimiter !== ';';
    let i = start;
    // MySQL names may hold `$`, yet `END$$` with DELIMITER $$ ends at the delimiter.
    while (i < text.length && isIdentChar(text[i]) && !(custom && text.startsWith(this.delimiter, i))) i++;
    const raw = text.slice(start, i);
    const word = raw.toUpperCase();
    this.begin();
    const cur = this.cur;
    const isFirst = cur.words.length === 0;
    cur.words.push(word);
    cur.skeleton.push(raw);
    this.pos = i;
    if (this.delimiter === ';') this.trackBlocks(word, isFirst);
    cur.lastSig = word;
  }

  private open(): void {
    if (this.cur.depth === 0) this.cur.blockLine = this.lineOf(this.pos);
    this.cur.depth++;
  }

  private close(): void {
    if (this.cur.depth > 0) this.cur.depth--;
  }

  /** Counts the blocks of compound statements so the `;` inside them do not end the statement. */
  private trackBlocks(word: string, isFirst: boolean): void {
    const cur = this.cur;
    const kind = this.rules.compoundBodies;
    if (kind === 'begin-atomic') {
      if (word === 'BEGIN' && cur.words[0] === 'CREATE') {
        const next = this.peekWord(this.pos);
        if (next?.word === 'ATOMIC') this.open();
      } else if (cur.depth > 0 && word === 'CASE') this.open();
      else if (cur.depth > 0 && word === 'END') this.close();
      return;
    }
    if (kind === 'triggers') {
      if (cur.words[0] !== 'CREATE' || !cur.words.slice(1, 4).includes('TRIGGER')) return;
      if (word === 'BEGIN' || word === 'CASE') this.open();
      else if (word === 'END') this.close();
      return;
    }
    // routines (MySQL/MariaDB)
    if (!this.compoundCapable(isFirst, word)) return;
    if (word === 'BEGIN' || word === 'CASE') return this.open();
    if (word === 'END') {
      const next = this.peekWord(this.pos);
      if (next && (CONTROL_OPENERS.has(next.word) || next.word === 'CASE')) {
        // END IF, END LOOP, END CASE…: one closer, and the keyword after END opens nothing.
        cur.skeleton.push(this.text.slice(this.pos, next.end));
        cur.words.push(next.word);
        this.pos = next.end;
      }
      return this.close();
    }
    // IF/WHILE/LOOP/REPEAT open a block only where a statement starts (not IF(a, b, c) or IF EXISTS).
    const atStatementStart = cur.lastSig === null || STATEMENT_STARTERS.has(cur.lastSig);
    if (CONTROL_OPENERS.has(word) && atStatementStart) this.open();
  }

  /** Whether the current statement may hold a compound body (MySQL/MariaDB). */
  private compoundCapable(isFirst: boolean, word: string): boolean {
    const words = this.cur.words;
    if (words[0] === 'CREATE') return words.slice(1, 10).some((w) => ROUTINE_KINDS.has(w));
    if (words[0] === 'BEGIN') {
      // `BEGIN;` / `BEGIN WORK` start a transaction; `BEGIN NOT ATOMIC` is a compound statement.
      if (isFirst && word === 'BEGIN') return this.peekWord(this.pos)?.word === 'NOT';
      return this.cur.depth > 0;
    }
    if (CONTROL_OPENERS.has(words[0]!) || words[0] === 'CASE') return true;
    // A labelled compound statement: `lbl: BEGIN NOT ATOMIC … END lbl`.
    return words.length >= 2 && this.cur.skeleton.join('').trimStart().match(/^[A-Za-z_][\w$]*\s*:/) !== null;
  }
}
