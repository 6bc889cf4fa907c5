import { createHash } from 'node:crypto';

/**
 * The text a checksum is taken over: no byte-order mark, LF line ends, no trailing spaces on a
 * line, no blank lines at the end. Saving a file on Windows or trimming whitespace in an editor
 * therefore does not count as an edit; changing any SQL does.
 */
export function normaliseSql(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n+$/, '')
    .replace(/^\n+/, '');
}

/** SHA-256 (hex) of the normalised text: what dbdesk_migrations.checksum holds. */
export function sqlChecksum(text: string): string {
  return createHash('sha256').update(normaliseSql(text), 'utf8').digest('hex');
}

/** SHA-256 of one statement, for the per-statement hashes that guard a resume. */
export function statementHash(sql: string): string {
  return createHash('sha256').update(normaliseSql(sql), 'utf8').digest('hex').slice(0, 16);
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

function crc32Update(crc: number, bytes: Uint8Array): number {
  let c = crc ^ -1;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return c ^ -1;
}

/**
 * Flyway's checksum (ChecksumCalculator): CRC32 over the UTF-8 bytes of each line as Java's
 * BufferedReader.readLine() returns them (no terminators, BOM dropped), as a signed 32-bit int.
 * Lets DB Desk notice a Flyway-applied file that was edited, and write rows Flyway accepts.
 */
export function flywayChecksum(text: string): number {
  const body = text.replace(/^\uFEFF/, '');
  const lines = body.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '' && /(\r\n|\r|\n)$/.test(body)) lines.pop();
  const encoder = new TextEncoder();
  let crc = 0;
  for (const line of lines) crc = crc32Update(crc, encoder.encode(line));
  return crc | 0;
}

/**
 * Prisma Migrate's checksum: SHA-256 (hex) of migration.sql as it is on disk. Prisma accepts the
 * file with its line ends turned either way (a checkout on Windows), so this gives every form it accepts.
 */
export function prismaChecksums(text: string): string[] {
  const lf = text.replace(/\r\n/g, '\n');
  const digests = [text, lf, lf.replace(/\n/g, '\r\n')].map((t) => createHash('sha256').update(t, 'utf8').digest());
  // Early Prisma versions wrote each byte without its leading zero; it still accepts those.
  return [...new Set(digests.flatMap((d) => [d.toString('hex'), [...d].map((b) => b.toString(16)).join('')]))];
}
