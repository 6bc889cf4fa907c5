// `npm run icons`: renders assets/build/icon.svg with Chromium (playwright-core, /usr/bin/chromium or
// CHROMIUM_PATH) into what electron-builder takes from assets/build: icon.png (1024 px), icons/NxN.png
// (Linux), icon.icns (macOS) and icon.ico (Windows). The .icns and .ico hold PNG images, which both
// formats accept (macOS 10.7+, Windows Vista+). The outputs are committed; run this after changing the SVG.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'assets', 'build');
const svg = readFileSync(join(out, 'icon.svg'), 'utf8');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const png = {};
try {
  const page = await browser.newPage();
  for (const size of SIZES) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`);
    png[size] = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  }
} finally {
  await browser.close();
}

/** icns: 'icns' + total length, then (type, length incl. 8-byte header, PNG) per image. */
function icns(entries) {
  const chunks = entries.map(([type, data]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

/** ico: ICONDIR, one ICONDIRENTRY per image (0 means 256), then the PNGs. */
function ico(sizes) {
  const dir = Buffer.alloc(6);
  dir.writeUInt16LE(1, 2);
  dir.writeUInt16LE(sizes.length, 4);
  let offset = 6 + 16 * sizes.length;
  const entries = sizes.map((size) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(png[size].length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png[size].length;
    return e;
  });
  return Buffer.concat([dir, ...entries, ...sizes.map((s) => png[s])]);
}

rmSync(join(out, 'icons'), { recursive: true, force: true });
mkdirSync(join(out, 'icons'), { recursive: true });
for (const size of SIZES.filter((s) => s <= 512)) writeFileSync(join(out, 'icons', `${size}x${size}.png`), png[size]);
writeFileSync(join(out, 'icon.png'), png[1024]);
writeFileSync(
  join(out, 'icon.icns'),
  icns([
    ['icp4', png[16]],
    ['icp5', png[32]],
    ['icp6', png[64]],
    ['ic07', png[128]],
    ['ic08', png[256]],
    ['ic09', png[512]],
    ['ic10', png[1024]],
    ['ic11', png[32]],
    ['ic12', png[64]],
    ['ic13', png[256]],
    ['ic14', png[512]],
  ]),
);
writeFileSync(join(out, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256]));
console.log(`icons written to ${out}`);
