import { createHash } from 'node:crypto';

/**
 * A fingerprint of a row's values exactly as the driver returned them. Read again before an
 * edit writes, a different fingerprint means someone changed the row since the grid read it.
 * Values are tagged by type and strings by length, so no two different rows hash alike by
 * concatenation.
 */
export function rowFingerprint(row: readonly unknown[], columnCount: number): string {
  const h = createHash('sha1');
  for (let i = 0; i < columnCount; i++) {
    const v = row[i];
    if (v === null || v === undefined) h.update('\u0000n');
    else if (typeof v === 'string') {
      h.update(`\u0000s${v.length}:`);
      h.update(v);
    } else if (v instanceof Uint8Array) {
      h.update(`\u0000b${v.length}:`);
      h.update(v);
    } else if (v instanceof Date) h.update(`\u0000d${v.getTime()}`);
    else if (typeof v === 'object') h.update(`\u0000j${JSON.stringify(v)}`);
    else h.update(`\u0000${typeof v}${String(v)}`);
  }
  return h.digest('base64url').slice(0, 27);
}
