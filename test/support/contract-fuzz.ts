import type { z } from 'zod';
import { CancelFrame } from '../../shared/ipc/call-frames';
import { commands } from '../../shared/ipc/contract';

/**
 * Payloads for every field of every command, generated from the zod contract itself (so a command
 * or field added later is fuzzed too): for each command a baseline the contract accepts, then that
 * baseline with one field at a time replaced by a wrong type or a hostile value.
 *
 * The walk reads zod's own definitions (`schema._zod.def`, the documented way for tools to look
 * inside a schema) and checks every candidate value against the very node it is for, refinements
 * included, so baselines are valid and the fuzz reaches the handlers, not only the validator.
 */

type Path = (string | number)[];
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  items?: z.ZodType[];
  values?: unknown[];
  entries?: Record<string, unknown>;
}
const defOf = (node: z.ZodType) => (node as unknown as { _zod: { def: Def } })._zod.def;
const accepts = (node: z.ZodType, value: unknown) => node.safeParse(value).success;

const NONE = Symbol('no sample');
type Sample = unknown;

const MAX_DEPTH = 12;

/** The first candidate that passes (null and undefined are candidates too), or NONE. */
function pick(candidates: unknown[], ok: (c: unknown) => boolean): unknown {
  const i = candidates.findIndex(ok);
  return i < 0 ? NONE : candidates[i];
}

export interface FuzzCase {
  command: string;
  /** Where in the input the hostile value sits, e.g. `fields.tls.caFile`. */
  field: string;
  input: unknown;
}

/** Values that are the wrong type for most fields, or the right type with a hostile content. */
export function hostileValues(): unknown[] {
  return [
    null,
    true,
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    2 ** 53 + 2,
    '',
    ' ',
    [],
    {},
    [[[[[[[[[[]]]]]]]]]],
    JSON.parse('{"__proto__":{"polluted":1}}'),
    { toString: 1, valueOf: 1 },
    '\u0000',
    'a\u0000b',
    '/tmp/\u0000/x',
    '../../../../../../../../etc/passwd',
    'relative/folder',
    '/dev/null',
    '\ud800',
    '\u202e\uffff',
    "'; DROP TABLE x; --",
    '"; DROP TABLE x; --',
    '`; DROP TABLE x; --',
    '%s%n%x%d',
    '__proto__',
    'constructor',
    'x'.repeat(5_000),
  ];
}

/**
 * A value the node accepts, preferring one that reaches deep (a non-empty array, a present
 * nullable): the first of a few candidates that passes the node's own parse.
 */
export function sample(node: z.ZodType, folder: string, depth = 0): Sample | typeof NONE {
  if (depth > MAX_DEPTH) return NONE;
  const def = defOf(node);
  const first = (candidates: unknown[]) => pick(candidates, (c) => accepts(node, c));
  switch (def.type) {
    case 'string':
      return first(['a', 'abcdefgh', 'a'.repeat(16), '1', `${folder}/out`, `${folder}/out.bin`, '2024-01-01T00:00:00.000Z', 'aa', ...patternSamples(node)]);
    case 'number':
      return first([1, 0, 100, 250, 1000, 10_000, 120_000, 0.5]);
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'literal':
      return def.values![0];
    case 'enum':
      return Object.values(def.entries!)[0];
    case 'optional':
    case 'default':
    case 'nullable': {
      const inner = sample(def.innerType!, folder, depth + 1);
      return inner !== NONE && accepts(node, inner) ? inner : first([undefined, null]);
    }
    case 'lazy':
      return sample(def.getter!(), folder, depth + 1);
    case 'pipe':
      return sample(def.in!, folder, depth + 1);
    case 'array': {
      const item = sample(def.element!, folder, depth + 1);
      return item === NONE ? first([[]]) : first([[item], [item, item], []]);
    }
    case 'record':
      return {};
    case 'tuple': {
      const items = def.items!.map((i) => sample(i, folder, depth + 1));
      return items.includes(NONE) ? NONE : items;
    }
    case 'union': {
      const options = def.options!.map((o) => sample(o, folder, depth + 1)).filter((s) => s !== NONE);
      const valid = pick(options, (s) => accepts(node, s));
      return valid !== NONE || options.length === 0 ? valid : options[0];
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(def.shape!)) {
        const t = defOf(child).type;
        if (t === 'optional' || t === 'default') continue;
        const v = sample(child, folder, depth + 1);
        if (v === NONE) return NONE;
        out[key] = v;
      }
      return out;
    }
    default:
      return NONE;
  }
}

/** Strings written from the node's own regular expressions (`^SHA256:[A-Za-z0-9+/]{43}$` → `SHA256:AAA…`). */
function patternSamples(node: z.ZodType): string[] {
  const checks = (node as unknown as { _zod: { def: { checks?: { _zod: { def: { pattern?: unknown } } }[] } } })._zod.def.checks ?? [];
  const patterns = checks.map((c) => c._zod.def.pattern).filter((p): p is RegExp => p instanceof RegExp);
  return patterns.flatMap((re) => {
    const body = re.source.replace(/^\^/, '').replace(/\$$/, '');
    const text = shortestMatch(body);
    return text === null ? [] : [text];
  });
}

/**
 * The shortest text a simple pattern matches (literals, classes, \d \w ., groups, ? * + {n,m});
 * null for anything else. Enough for the contract's id and fingerprint patterns.
 */
function shortestMatch(pattern: string): string | null {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    let unit: string;
    const c = pattern[i]!;
    if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return null;
      const cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^')) return null;
      unit = cls[0] === '\\' ? (cls[1] === 'd' ? '1' : cls[1]!) : cls[0]!;
      i = end + 1;
    } else if (c === '(') {
      let depth = 1;
      let end = i + 1;
      for (; end < pattern.length && depth > 0; end++) depth += pattern[end] === '(' ? 1 : pattern[end] === ')' ? -1 : 0;
      const inner = shortestMatch(pattern.slice(i + 1, end - 1).replace(/^\?:/, ''));
      if (inner === null || inner.includes('|')) return null;
      unit = inner;
      i = end;
    } else if (c === '\\') {
      const e = pattern[i + 1]!;
      unit = e === 'd' ? '1' : e === 'w' ? 'a' : /[A-Za-z]/.test(e) ? '' : e;
      if (unit === '') return null;
      i += 2;
    } else if ('|^$'.includes(c)) {
      return null;
    } else {
      unit = c === '.' ? 'a' : c;
      i += 1;
    }
    const q = /^(\{(\d+)(,\d*)?\}|[?*+])/.exec(pattern.slice(i));
    let times = 1;
    if (q) {
      times = q[1] === '?' || q[1] === '*' ? 0 : q[1] === '+' ? 1 : Number(q[2]);
      i += q[1]!.length;
    }
    out += unit.repeat(times);
  }
  return out;
}

/** Every place in a value of this node where a field sits, with the node for that field and a valid value for it. */
function fields(node: z.ZodType, value: unknown, folder: string, path: Path, depth: number, out: { path: Path; value: unknown }[], seen: Set<z.ZodType>): void {
  if (depth > MAX_DEPTH) return;
  const def = defOf(node);
  // An object type met again in the same command (a design's `base` and `design`) has had its fields fuzzed.
  if (def.type === 'object') {
    if (seen.has(node)) return;
    seen.add(node);
  }
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
      return fields(def.innerType!, value, folder, path, depth + 1, out, seen);
    case 'lazy':
      return fields(def.getter!(), value, folder, path, depth + 1, out, seen);
    case 'pipe':
      return fields(def.in!, value, folder, path, depth + 1, out, seen);
    case 'union': {
      const option = def.options!.find((o) => accepts(o, value));
      if (option) fields(option, value, folder, path, depth + 1, out, seen);
      return;
    }
    case 'array': {
      const item = Array.isArray(value) && value.length > 0 ? value[0] : sample(def.element!, folder, depth + 1);
      out.push({ path: [...path, 0], value: item });
      if (item !== NONE) fields(def.element!, item, folder, [...path, 0], depth + 1, out, seen);
      return;
    }
    case 'record': {
      const item = sample(def.valueType!, folder, depth + 1);
      out.push({ path: [...path, 'key'], value: item });
      if (item !== NONE) fields(def.valueType!, item, folder, [...path, 'key'], depth + 1, out, seen);
      return;
    }
    case 'object': {
      const obj = (value ?? {}) as Record<string, unknown>;
      for (const [key, child] of Object.entries(def.shape!)) {
        const v = key in obj ? obj[key] : sample(child, folder, depth + 1);
        out.push({ path: [...path, key], value: v });
        if (v !== NONE && v !== undefined) fields(child, v, folder, [...path, key], depth + 1, out, seen);
      }
      return;
    }
    default:
      return;
  }
}

function withValue(base: unknown, path: Path, value: unknown): unknown {
  const root = structuredClone(base) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = root;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      at[key] = value;
      break;
    }
    const next = at[key];
    at[key] = typeof next === 'object' && next !== null ? next : typeof path[i + 1] === 'number' ? [] : {};
    at = at[key] as Record<string | number, unknown>;
  }
  return root;
}

/** The value with every path under `folder` moved into a folder of its own (`folder/<n>/…`). */
function ownFolder(value: unknown, folder: string, n: number): unknown {
  if (typeof value === 'string') return value.startsWith(`${folder}/`) ? `${folder}/${n}/${value.slice(folder.length + 1)}` : value;
  if (Array.isArray(value)) return value.map((v) => ownFolder(v, folder, n));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: ownFolder(v, folder, n), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/**
 * The fuzz cases of the whole contract: each command's baseline, the baseline with an unknown
 * (long) key, and every field of it set to every hostile value. `folder` is where the baseline's
 * paths point; each case has a folder of its own under it, so what one writes never slows the next.
 */
export function contractFuzzCases(folder: string): { cases: FuzzCase[]; baselines: Record<string, unknown> } {
  const cases: FuzzCase[] = [];
  const baselines: Record<string, unknown> = {};
  const hostile = hostileValues();
  for (const [command, spec] of Object.entries(commands)) {
    const input = spec.input as z.ZodType;
    const base = sample(input, folder);
    if (base === NONE || !accepts(input, base)) throw new Error(`No valid baseline for ${command}: the generator needs a candidate for one of its fields.`);
    baselines[command] = base;
    cases.push({ command, field: '(baseline)', input: base });
    cases.push({ command, field: '(unknown key)', input: { ...(base as object), ['k'.repeat(100_000)]: 1 } });
    const found: { path: Path; value: unknown }[] = [];
    fields(input, base, folder, [], 0, found, new Set());
    for (const f of found) {
      const field = f.path.join('.');
      // The field set to a valid value (an optional one present) reaches the handler as well.
      if (f.value !== NONE && f.value !== undefined) cases.push({ command, field, input: withValue(base, f.path, f.value) });
      for (const h of hostile) cases.push({ command, field, input: withValue(base, f.path, h) });
    }
  }
  return { cases: cases.map((c, n) => ({ ...c, input: ownFolder(c.input, folder, n) })), baselines };
}

/**
 * Cancel frames (`{type:'cancel', id}`, shared/ipc/call-frames.ts), generated from their schema like
 * the commands: `valid` ones (the baseline, and every valid id) name no call in flight and must be
 * taken silently; `invalid` ones (each field set to every hostile value, an unknown key, a missing
 * id) must each get one protocol error, and neither kind may disturb anything else.
 */
export function cancelFrameFuzzCases(): { valid: unknown[]; invalid: { field: string; frame: unknown }[] } {
  const schema = CancelFrame as z.ZodType;
  const base = sample(schema, '/');
  if (base === NONE || !accepts(schema, base)) throw new Error('No valid baseline for the cancel frame.');
  const valid: unknown[] = [base, { type: 'cancel', id: Number.MAX_SAFE_INTEGER }, { type: 'cancel', id: 987_654_321 }];
  const invalid: { field: string; frame: unknown }[] = [
    { field: '(unknown key)', frame: { ...(base as object), ['k'.repeat(100_000)]: 1 } },
    { field: '(no id)', frame: { type: 'cancel' } },
  ];
  for (const h of hostileValues()) {
    const frame = withValue(base, ['id'], h);
    if (accepts(schema, frame)) valid.push(frame);
    else invalid.push({ field: 'id', frame });
  }
  for (const id of [0, -1, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, '1', [1], { id: 1 }]) invalid.push({ field: 'id', frame: { type: 'cancel', id } });
  return { valid, invalid };
}
