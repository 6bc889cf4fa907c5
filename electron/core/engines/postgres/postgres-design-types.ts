import type { EngineType } from '../../../../features/designer/shared/model';

type Cat = EngineType['category'];
const t = (name: string, category: Cat, params: EngineType['params'] = 'none', example = name): EngineType => ({ name, category, params, example, source: 'builtin' });

/** PostgreSQL's built-in types, spelled as `format_type()` spells them (what introspection reads back). */
export const postgresBuiltinTypes: EngineType[] = [
  t('integer', 'number'),
  t('bigint', 'number'),
  t('smallint', 'number'),
  t('numeric', 'number', 'precision', 'numeric(12,2)'),
  t('real', 'number'),
  t('double precision', 'number'),
  t('text', 'text'),
  t('character varying', 'text', 'optional-length', 'character varying(255)'),
  t('character', 'text', 'length', 'character(1)'),
  t('boolean', 'boolean'),
  t('date', 'date-time'),
  t('timestamp with time zone', 'date-time'),
  t('timestamp without time zone', 'date-time'),
  t('time without time zone', 'date-time'),
  t('time with time zone', 'date-time'),
  t('interval', 'date-time'),
  t('uuid', 'uuid'),
  t('jsonb', 'json'),
  t('json', 'json'),
  t('bytea', 'binary'),
  t('inet', 'network'),
  t('cidr', 'network'),
  t('macaddr', 'network'),
  t('money', 'number'),
  t('bit', 'binary', 'length', 'bit(8)'),
  t('bit varying', 'binary', 'optional-length', 'bit varying(64)'),
  t('xml', 'text'),
  t('tsvector', 'text'),
  t('point', 'geometry'),
  t('polygon', 'geometry'),
  t('integer[]', 'array'),
  t('text[]', 'array'),
];

const aliases: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  serial: 'integer',
  serial4: 'integer',
  int8: 'bigint',
  bigint: 'bigint',
  bigserial: 'bigint',
  serial8: 'bigint',
  int2: 'smallint',
  smallint: 'smallint',
  smallserial: 'smallint',
  serial2: 'smallint',
  float8: 'double precision',
  'double precision': 'double precision',
  float: 'double precision',
  float4: 'real',
  real: 'real',
  bool: 'boolean',
  boolean: 'boolean',
  varchar: 'character varying',
  'character varying': 'character varying',
  char: 'character',
  character: 'character',
  bpchar: 'character',
  decimal: 'numeric',
  numeric: 'numeric',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  time: 'time without time zone',
  'time without time zone': 'time without time zone',
  timetz: 'time with time zone',
  'time with time zone': 'time with time zone',
  varbit: 'bit varying',
  bit: 'bit',
  'bit varying': 'bit varying',
};

/**
 * `varchar(40)` → `character varying(40)`, `timestamptz(3)` → `timestamp(3) with time zone`,
 * `int[]` → `integer[]`: the spelling `format_type()` gives, so a design and the database it
 * was applied to compare equal.
 */
/** Types repeat across a schema's columns: each distinct text is normalized once (bounded). */
const normalized = new Map<string, string>();

export function normalizePostgresType(type: string): string {
  const known = normalized.get(type);
  if (known !== undefined) return known;
  const out = normalizeType(type);
  if (normalized.size > 20_000) normalized.clear();
  normalized.set(type, out);
  return out;
}

function normalizeType(type: string): string {
  let s = type.trim().replace(/\s+/g, ' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')');
  if (/^"[^"]*"$/.test(s)) return s.slice(1, -1);
  s = s.replace(/^pg_catalog\./i, '');
  let arrays = '';
  const arr = /((?:\[\d*\])+)$/.exec(s);
  if (arr) {
    arrays = '[]'.repeat((arr[1]!.match(/\[/g) ?? []).length);
    s = s.slice(0, -arr[1]!.length).trim();
  }
  const lower = s.toLowerCase();
  // name [ (args) ] [ with[out] time zone ] — or — name with[out] time zone(args) is not valid; keep the shape.
  const m = /^([a-z_][a-z0-9_ ]*?)(?:\(([^)]*)\))?( with(?:out)? time zone)?$/.exec(lower);
  if (!m) return s + arrays;
  let base = m[1]!.trim();
  const args = m[2];
  const zone = m[3]?.trim();
  if (zone && (base === 'timestamp' || base === 'time')) base = `${base} ${zone}`;
  const canon = aliases[base];
  if (!canon) return (args !== undefined ? `${base}(${args})` : base) + (zone && !base.includes('zone') ? ` ${zone}` : '') + arrays;
  let out: string;
  if (canon.startsWith('timestamp') || canon.startsWith('time')) {
    const [word, ...rest] = canon.split(' ');
    out = args !== undefined ? `${word}(${args}) ${rest.join(' ')}` : canon;
  } else if (canon === 'double precision' && args !== undefined) {
    out = Number(args) <= 24 ? 'real' : 'double precision';
  } else if (canon === 'character' && args === undefined) {
    out = 'character(1)';
  } else if (base === 'bit' && args === undefined) {
    out = 'bit(1)';
  } else if (canon === 'bit' || canon === 'bit varying' || canon === 'character varying' || canon === 'numeric' || canon === 'character') {
    out = args !== undefined ? `${canon}(${args})` : canon;
  } else {
    out = canon;
  }
  return out + arrays;
}
