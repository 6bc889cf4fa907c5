import type { EngineType } from '../../../../features/designer/shared/model';
import { atLeast } from '../../../../features/designer/core/design-dialect';

type Cat = EngineType['category'];
const t = (name: string, category: Cat, params: EngineType['params'] = 'none', example = name): EngineType => ({ name, category, params, example, source: 'builtin' });

/** MySQL's and MariaDB's data types (MySQL has no catalog of types to ask; this is the manual's list). */
export function mysqlBuiltinTypes(flavour: 'mysql' | 'mariadb', version: string | null): EngineType[] {
  const types = [
    t('int', 'number'),
    t('bigint', 'number'),
    t('smallint', 'number'),
    t('tinyint', 'number'),
    t('mediumint', 'number'),
    t('int unsigned', 'number'),
    t('bigint unsigned', 'number'),
    t('decimal', 'number', 'precision', 'decimal(12,2)'),
    t('double', 'number'),
    t('float', 'number'),
    t('tinyint(1)', 'boolean'),
    t('bit', 'binary', 'length', 'bit(1)'),
    t('varchar', 'text', 'length', 'varchar(255)'),
    t('char', 'text', 'length', 'char(1)'),
    t('text', 'text'),
    t('tinytext', 'text'),
    t('mediumtext', 'text'),
    t('longtext', 'text'),
    t('enum', 'enum', 'values', "enum('a','b')"),
    t('set', 'enum', 'values', "set('a','b')"),
    t('date', 'date-time'),
    t('datetime', 'date-time', 'optional-length', 'datetime'),
    t('timestamp', 'date-time', 'optional-length', 'timestamp'),
    t('time', 'date-time', 'optional-length', 'time'),
    t('year', 'date-time'),
    t('json', 'json'),
    t('binary', 'binary', 'length', 'binary(16)'),
    t('varbinary', 'binary', 'length', 'varbinary(255)'),
    t('blob', 'binary'),
    t('tinyblob', 'binary'),
    t('mediumblob', 'binary'),
    t('longblob', 'binary'),
    t('geometry', 'geometry'),
    t('point', 'geometry'),
  ];
  if (flavour === 'mariadb' && atLeast(version, [10, 7])) types.push(t('uuid', 'uuid'));
  if (flavour === 'mariadb' && atLeast(version, [10, 5])) types.push(t('inet6', 'network'));
  if (flavour === 'mariadb' && atLeast(version, [11, 3])) types.push(t('inet4', 'network'));
  return types;
}

const aliases: Record<string, string> = {
  integer: 'int',
  int4: 'int',
  int8: 'bigint',
  int2: 'smallint',
  int1: 'tinyint',
  middleint: 'mediumint',
  int3: 'mediumint',
  dec: 'decimal',
  numeric: 'decimal',
  fixed: 'decimal',
  'double precision': 'double',
  real: 'double',
  float8: 'double',
  float4: 'float',
  'character varying': 'varchar',
  character: 'char',
  'long varbinary': 'mediumblob',
  long: 'mediumtext',
  'long varchar': 'mediumtext',
};

const INTEGER_TYPES = /^(tinyint|smallint|mediumint|int|bigint)$/;

/**
 * `int(11)` → `int`, `integer unsigned` → `int unsigned`, `boolean` → `tinyint(1)`,
 * `numeric` → `decimal(10,0)`: the form COLUMN_TYPE reads back on both MySQL and MariaDB.
 */
export function normalizeMysqlType(type: string): string {
  const s = type.trim().replace(/\s+/g, ' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')');
  const m = /^([a-z ]+?)(?:\((.*)\))?((?: (?:unsigned|signed|zerofill))*)$/i.exec(s);
  if (!m) return s.toLowerCase();
  let base = m[1]!.toLowerCase().trim();
  let args = m[2];
  const mods = m[3]!.toLowerCase().replace(/ signed/g, '').trim();
  if (base === 'bool' || base === 'boolean') return 'tinyint(1)';
  if (base === 'serial') return 'bigint unsigned';
  base = aliases[base] ?? base;
  const isEnum = base === 'enum' || base === 'set';
  if (INTEGER_TYPES.test(base) && args !== undefined && !(base === 'tinyint' && args === '1' && !mods)) args = undefined;
  if (base === 'decimal') args = args === undefined ? '10,0' : args.includes(',') ? args : `${args},0`;
  if (base === 'char' || base === 'binary') args ??= '1';
  if (base === 'bit') args ??= '1';
  if ((base === 'datetime' || base === 'timestamp' || base === 'time') && args === '0') args = undefined;
  const head = isEnum ? `${base}(${args ?? ''})` : args !== undefined ? `${base}(${args})` : base;
  return mods ? `${head} ${mods}` : head;
}
