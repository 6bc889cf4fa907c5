import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** @electron/fuses' sentinel: the fuse wire follows it (version byte, length byte, one byte per fuse). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse order of wire version 1 (@electron/fuses FuseV1Options). */
export const FUSES_V1 = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;

/**
 * A stand-in for an unpacked Electron distribution, for electron-builder's `electronDist`: an
 * `electron` executable that is a shell script carrying a fuse wire (every fuse on, as Electron ships
 * them, so electron-builder's fuse flipping really writes it), Electron's LICENSE, version, an empty
 * resources/ and locales/. It cannot run an app; it lets the packager lay one out.
 */
export function makeStandinElectronDist(dir: string, version: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  mkdirSync(join(dir, 'locales'), { recursive: true });
  const wire = Buffer.concat([Buffer.from('#!/bin/sh\necho "stand-in Electron: cannot run an app" >&2\nexit 1\n# '), Buffer.from(FUSE_SENTINEL), Buffer.from([1, FUSES_V1.length]), Buffer.from('1'.repeat(FUSES_V1.length)), Buffer.from('\n')]);
  writeFileSync(join(dir, 'electron'), wire);
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(join(dir, 'version'), version);
  writeFileSync(join(dir, 'locales', 'en-US.pak'), '');
  return dir;
}

/** The fuse wire of an Electron binary: each fuse on (true) or off (false). */
export function readFuses(executable: string): Record<(typeof FUSES_V1)[number], boolean> {
  const bytes = readFileSync(executable);
  const at = bytes.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  if (at < FUSE_SENTINEL.length) throw new Error(`${executable} has no fuse wire.`);
  const length = bytes[at + 1]!;
  return Object.fromEntries(FUSES_V1.slice(0, length).map((name, i) => [name, bytes[at + 2 + i] === 0x31])) as Record<(typeof FUSES_V1)[number], boolean>;
}
