import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rules of DESIGN.md, checked on every import of every source file:
 * renderer → shared; electron/{app,web,cli} → electron/core → shared; the renderer never imports
 * Node; electron/core never imports 'electron'; shared imports neither.
 */
const root = join(__dirname, '..', '..', '..');

/** A layer is its foundation root plus the same runtime folder of every feature (features/<f>/<runtime>). */
function layer(foundation: string, runtime: 'shared' | 'core' | 'renderer'): string[] {
  const features = readdirSync(join(root, 'features')).filter((f) => statSync(join(root, 'features', f, runtime), { throwIfNoEntry: false })?.isDirectory());
  return [foundation, ...features.map((f) => `features/${f}/${runtime}`)];
}
const isCore = (target: string) => /^(electron\/|features\/[^/]+\/core\/)/.test(target);
const isRenderer = (target: string) => /^(renderer\/|features\/[^/]+\/renderer\/)/.test(target);

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) return files(rel);
    return /\.(ts|tsx)$/.test(name) ? [rel] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3]!,
  );
}

function resolveTarget(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(root, join(root, file, '..', spec));
}

const nodeBuiltin = (spec: string) => spec.startsWith('node:') || ['fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'net', 'tls', 'dns', 'http', 'https'].includes(spec);
const nodeOnlyPackages = ['pg', 'pg-cursor', 'mysql2', 'mysql2/promise', 'better-sqlite3', 'ws', 'kysely'];

describe('layering (DESIGN.md › Layout)', () => {
  it('shared/ imports nothing from Node, the DOM side, electron or the other layers', () => {
    for (const f of layer('shared', 'shared').flatMap(files)) {
      for (const spec of imports(f)) {
        const target = resolveTarget(f, spec);
        expect(nodeBuiltin(spec) || spec === 'electron' || nodeOnlyPackages.includes(spec), `${f} imports ${spec}`).toBe(false);
        expect(isCore(target) || isRenderer(target), `${f} imports ${target}`).toBe(false);
      }
    }
  });

  it('the renderer imports only shared/ and browser packages — never Node, drivers or electron', () => {
    for (const f of layer('renderer/src', 'renderer').flatMap(files)) {
      for (const spec of imports(f)) {
        const target = resolveTarget(f, spec);
        expect(nodeBuiltin(spec) || spec === 'electron' || nodeOnlyPackages.includes(spec), `${f} imports ${spec}`).toBe(false);
        expect(isCore(target), `${f} imports ${target}`).toBe(false);
      }
    }
  });

  it("electron/core never imports 'electron' nor the shells above it", () => {
    for (const f of layer('electron/core', 'core').flatMap(files)) {
      for (const spec of imports(f)) {
        const target = resolveTarget(f, spec);
        expect(spec === 'electron' || spec.startsWith('electron/'), `${f} imports ${spec}`).toBe(false);
        expect(/^electron\/(app|web|cli|preload)\//.test(target) || isRenderer(target), `${f} imports ${target}`).toBe(false);
      }
    }
  });

  it("only electron/app and electron/preload import 'electron'", () => {
    for (const dir of ['electron/web', 'electron/cli', ...layer('electron/core', 'core'), ...layer('shared', 'shared'), ...layer('renderer/src', 'renderer')]) {
      for (const f of files(dir)) expect(imports(f).filter((s) => s === 'electron'), f).toEqual([]);
    }
  });

  it('engine-specific SQL stays inside electron/core/engines', () => {
    const suspicious = /\b(pg_catalog\.|information_schema\.|sqlite_schema\b|pg_try_advisory_lock\(|pg_advisory_lock\(|GET_LOCK\()/i;
    for (const f of layer('electron/core', 'core').flatMap(files).filter((x) => !x.startsWith('electron/core/engines/'))) {
      const text = readFileSync(join(root, f), 'utf8');
      expect(suspicious.test(text), `${f} contains engine-specific SQL`).toBe(false);
    }
  });
});
