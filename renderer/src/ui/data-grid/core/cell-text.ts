import { isBytes, type BytesValue, type CellValue, type ValueKind } from '../../../../../shared/model/values';

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** Bytes as the grid shows them: a hex preview and the size. */
export function bytesPreview(v: BytesValue, maxHexBytes = 16): string {
  const hex = v.bytes.slice(0, maxHexBytes * 2);
  const more = v.truncated || v.bytes.length > hex.length;
  return `\\x${hex}${more ? '…' : ''} (${formatBytes(v.size)})`;
}

/**
 * One line of text for a cell. NULL is not text (the view draws it apart); line breaks and
 * tabs become visible marks so a value never looks like something it is not.
 */
export function cellText(v: CellValue, _kind: ValueKind): string {
  if (v === null) return 'NULL';
  if (isBytes(v)) return bytesPreview(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  const firstChunk = v.length > 300 ? v.slice(0, 300) : v;
  return firstChunk.replace(/\r\n|\n|\r/g, '↵').replace(/\t/g, '⇥');
}

/** Numbers read right-aligned. */
export function alignsRight(kind: ValueKind): boolean {
  return kind === 'integer' || kind === 'bigint' || kind === 'decimal' || kind === 'float';
}
