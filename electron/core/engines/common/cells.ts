import { bytesToCell, type CellValue } from '../../../../shared/model/values';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** Bytes shown in a grid cell; the whole value is fetched on demand. */
export const BYTES_PREVIEW_LIMIT = 64;

/** Turns whatever a driver returned into the JSON-safe cell shape, keeping values exact. */
export function toCell(value: unknown, bytesLimit = BYTES_PREVIEW_LIMIT): CellValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value <= MAX_SAFE && value >= MIN_SAFE ? Number(value) : value.toString();
    default:
      break;
  }
  if (value instanceof Uint8Array) return bytesToCell(value, bytesLimit);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}
