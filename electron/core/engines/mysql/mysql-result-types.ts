import type { ColumnMeta, ValueKind } from '../../../../shared/model/values';

/** mysql2's column definition, as much as a result's metadata needs. */
export interface MysqlField {
  name: string;
  columnType: number;
  columnLength: number;
  flags: number;
  decimals: number;
  characterSet: number;
}

const UNSIGNED = 32;
const BINARY_CHARSET = 63;

/** Protocol type codes (include/mysql_com.h `enum_field_types`). */
const TYPES: Record<number, [string, ValueKind]> = {
  0: ['decimal', 'decimal'],
  1: ['tinyint', 'integer'],
  2: ['smallint', 'integer'],
  3: ['int', 'integer'],
  4: ['float', 'float'],
  5: ['double', 'float'],
  6: ['null', 'other'],
  7: ['timestamp', 'timestamp'],
  8: ['bigint', 'bigint'],
  9: ['mediumint', 'integer'],
  10: ['date', 'date'],
  11: ['time', 'time'],
  12: ['datetime', 'timestamp'],
  13: ['year', 'integer'],
  14: ['date', 'date'],
  15: ['varchar', 'text'],
  16: ['bit', 'bigint'],
  245: ['json', 'json'],
  246: ['decimal', 'decimal'],
  247: ['enum', 'text'],
  248: ['set', 'text'],
  249: ['tinyblob', 'bytes'],
  250: ['mediumblob', 'bytes'],
  251: ['longblob', 'bytes'],
  252: ['blob', 'bytes'],
  253: ['varchar', 'text'],
  254: ['char', 'text'],
  255: ['geometry', 'bytes'],
};

/** Column metadata of a result from the protocol's column definitions. */
export function mysqlResultColumns(fields: readonly MysqlField[]): ColumnMeta[] {
  return fields.map((f) => {
    let [name, kind] = TYPES[f.columnType] ?? ['unknown', 'other' as ValueKind];
    const unsigned = (f.flags & UNSIGNED) !== 0;
    if (kind === 'text' || kind === 'bytes') {
      const binary = f.characterSet === BINARY_CHARSET;
      if (f.columnType >= 249 && f.columnType <= 252) name = binary ? 'blob' : 'text';
      else if (binary && (f.columnType === 253 || f.columnType === 15)) name = 'varbinary';
      else if (binary && f.columnType === 254) name = 'binary';
      kind = binary ? 'bytes' : 'text';
    }
    if (name === 'int' && unsigned) kind = 'bigint';
    return { name: f.name, dataType: unsigned && kind !== 'bytes' && kind !== 'text' ? `${name} unsigned` : name, kind };
  });
}
