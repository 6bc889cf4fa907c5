/**
 * Canonical text of an SQL expression for comparing a design with what a server reads back:
 * the server rewrites expressions (`0` becomes `(0)::numeric` on PostgreSQL, `now()` becomes
 * `current_timestamp()` on MariaDB). Comparison only — generated DDL always uses the text as written.
 * Strings keep their case and content; everything outside strings is lower-cased and spaced one way.
 */
export interface NormalizeOptions {
  /** Remove `::type` casts (PostgreSQL adds them to literals). */
  stripCasts: boolean;
  /** Backslash escapes inside strings (MySQL/MariaDB). */
  backslashEscapes: boolean;
  /** Equivalent spellings, applied after lower-casing: [pattern, replacement]. */
  synonyms: [RegExp, string][];
}

interface Token {
  kind: 'string' | 'ident' | 'word' | 'number' | 'punct';
  text: string;
}

function tokenize(text: string, backslashEscapes: boolean): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      for (; j < text.length; j++) {
        if (backslashEscapes && ch === "'" && text[j] === '\\') {
          j++;
          continue;
        }
        if (text[j] === ch) {
          if (text[j + 1] === ch) {
            j++;
            continue;
          }
          break;
        }
      }
      const raw = text.slice(i, j + 1);
      if (ch === "'") out.push({ kind: 'string', text: raw });
      else out.push({ kind: 'ident', text: raw.slice(1, -1).replace(ch === '"' ? /""/g : /``/g, ch).toLowerCase() });
      i = j + 1;
      continue;
    }
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i));
    if (num) {
      out.push({ kind: 'number', text: canonicalNumber(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/.exec(text.slice(i));
    if (word) {
      out.push({ kind: 'word', text: word[0].toLowerCase() });
      i += word[0].length;
      continue;
    }
    const op = /^(::|<>|!=|<=|>=|\|\||->>|->|[^\s])/.exec(text.slice(i))!;
    out.push({ kind: 'punct', text: op[0] });
    i += op[0].length;
  }
  return out;
}

/** `007.50` → `7.5`, exactly (no float rounding: a default of 9007199254740993 stays itself). */
export function canonicalNumber(text: string): string {
  let s = text.trim().toLowerCase();
  let sign = '';
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s[0] === '-' ? '-' : '';
    s = s.slice(1);
  }
  if (s.includes('e')) return sign + s;
  let [int = '', frac = ''] = s.split('.');
  int = int.replace(/^0+(?=\d)/, '') || '0';
  frac = frac.replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return out === '0' ? '0' : sign + out;
}

const TYPE_WORDS = new Set(['character', 'varying', 'double', 'precision', 'with', 'without', 'time', 'zone']);

function stripCasts(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '::') {
      // Skip the type name: words (multi-word types), an optional (n[,m]) and [] suffixes.
      let j = i + 1;
      if (tokens[j]?.kind === 'word' || tokens[j]?.kind === 'ident') j++;
      while (tokens[j]?.kind === 'punct' && tokens[j]!.text === '.' && (tokens[j + 1]?.kind === 'word' || tokens[j + 1]?.kind === 'ident')) j += 2;
      while (tokens[j]?.kind === 'word' && TYPE_WORDS.has(tokens[j]!.text)) j++;
      if (tokens[j]?.text === '(') {
        let k = j + 1;
        while (k < tokens.length && tokens[k]!.text !== ')') k++;
        j = k + 1;
      }
      while (tokens[j]?.text === '[' && tokens[j + 1]?.text === ']') j += 2;
      i = j - 1;
      continue;
    }
    out.push(t);
  }
  return out;
}

/** `(x)` around a single token, and parentheses around the whole expression, add nothing. */
function dropRedundantParens(tokens: Token[]): Token[] {
  let ts = tokens;
  let changed = true;
  while (changed) {
    changed = false;
    const out: Token[] = [];
    for (let i = 0; i < ts.length; i++) {
      const prev = out[out.length - 1];
      const callLike = prev && (prev.kind === 'word' || prev.kind === 'ident');
      if (ts[i]!.text === '(' && ts[i + 2]?.text === ')' && ts[i + 1]!.kind !== 'punct' && !callLike) {
        out.push(ts[i + 1]!);
        i += 2;
        changed = true;
        continue;
      }
      out.push(ts[i]!);
    }
    ts = out;
  }
  while (ts.length >= 2 && ts[0]!.text === '(' && ts[ts.length - 1]!.text === ')' && wrapsAll(ts)) ts = ts.slice(1, -1);
  // A unary minus applied to a number is that negative number: PostgreSQL stores `'-1'::integer` or `(-1)`.
  const out: Token[] = [];
  for (let i = 0; i < ts.length; i++) {
    const prev = out[out.length - 1];
    if (ts[i]!.text === '-' && ts[i + 1]?.kind === 'number' && (!prev || (prev.kind === 'punct' && prev.text !== ')'))) {
      out.push({ kind: 'number', text: `-${ts[i + 1]!.text}` });
      i++;
      continue;
    }
    out.push(ts[i]!);
  }
  return out;
}

function wrapsAll(ts: Token[]): boolean {
  let depth = 0;
  for (let i = 0; i < ts.length; i++) {
    if (ts[i]!.text === '(') depth++;
    if (ts[i]!.text === ')') depth--;
    if (depth === 0 && i < ts.length - 1) return false;
  }
  return true;
}

export function normalizeExpression(text: string, options: NormalizeOptions): string {
  let tokens = tokenize(text, options.backslashEscapes);
  if (options.stripCasts) tokens = stripCasts(tokens);
  // A quoted number is the number (`'5'::integer` and `5` are the same default).
  tokens = tokens.map((t) => (t.kind === 'string' && /^'[-+]?\d+(\.\d+)?'$/.test(t.text) ? { kind: 'number', text: canonicalNumber(t.text.slice(1, -1)) } : t));
  tokens = dropRedundantParens(tokens);
  let s = tokens.map((t) => (t.kind === 'ident' ? t.text : t.text)).join(' ');
  for (const [re, rep] of options.synonyms) s = s.replace(re, rep);
  return s;
}

/**
 * A text function that remembers its answers (bounded): a schema repeats the same defaults and
 * expressions thousands of times, and the compare normalizes each in both directions.
 */
export function memoizeText(fn: (text: string) => string, limit = 20_000): (text: string) => string {
  const seen = new Map<string, string>();
  return (text) => {
    const known = seen.get(text);
    if (known !== undefined) return known;
    const out = fn(text);
    if (seen.size >= limit) seen.clear();
    seen.set(text, out);
    return out;
  };
}
