/** Classic hex dump lines: offset, 16 bytes in hex, the printable ASCII beside. */
export function hexDump(hex: string, maxBytes = 4096): { lines: string[]; shown: number } {
  const bytes = Math.min(hex.length / 2, maxBytes);
  const lines: string[] = [];
  for (let off = 0; off < bytes; off += 16) {
    const n = Math.min(16, bytes - off);
    let h = '';
    let a = '';
    for (let k = 0; k < 16; k++) {
      if (k < n) {
        const pair = hex.slice((off + k) * 2, (off + k) * 2 + 2);
        const code = parseInt(pair, 16);
        h += pair + ' ';
        a += code >= 32 && code < 127 ? String.fromCharCode(code) : '·';
      } else h += '   ';
      if (k === 7) h += ' ';
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${h} ${a}`);
  }
  return { lines, shown: bytes };
}
