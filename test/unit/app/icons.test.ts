import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The app icons electron-builder packs (assets/build, made by scripts/make-icons.mjs from icon.svg) are real images of the sizes their names say. */
const dir = join(process.cwd(), 'assets', 'build');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('app icons', () => {
  it('Linux: icon.png is 1024 px and icons/NxN.png are N px', () => {
    expect(pngSize(readFileSync(join(dir, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
    const files = readdirSync(join(dir, 'icons'));
    expect(files).toEqual(expect.arrayContaining(['16x16.png', '32x32.png', '48x48.png', '128x128.png', '256x256.png', '512x512.png']));
    for (const f of files) {
      const n = Number(/^(\d+)x\1\.png$/.exec(f)![1]);
      expect(pngSize(readFileSync(join(dir, 'icons', f))), f).toEqual({ width: n, height: n });
    }
  });

  it('macOS: icon.icns holds PNGs of the sizes its entry types stand for, up to 1024 px', () => {
    const icns = readFileSync(join(dir, 'icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const sizeOf: Record<string, number> = { icp4: 16, icp5: 32, icp6: 64, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512 };
    const seen: string[] = [];
    for (let at = 8; at < icns.length; ) {
      const type = icns.toString('latin1', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      const { width } = pngSize(icns.subarray(at + 8, at + length));
      expect(width, type).toBe(sizeOf[type]);
      seen.push(type);
      at += length;
    }
    expect(seen).toEqual(expect.arrayContaining(['ic07', 'ic08', 'ic09', 'ic10']));
  });

  it('Windows: icon.ico holds PNGs from 16 to 256 px, each where its directory entry says', () => {
    const ico = readFileSync(join(dir, 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i;
      const size = ico.readUInt8(e) || 256;
      const length = ico.readUInt32LE(e + 8);
      const offset = ico.readUInt32LE(e + 12);
      expect(pngSize(ico.subarray(offset, offset + length))).toEqual({ width: size, height: size });
      sizes.push(size);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });
});
