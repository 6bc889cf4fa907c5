import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, sep } from 'node:path';
import SSHConfig from 'ssh-config';
import { SshError } from './ssh-failure';

/**
 * ~/.ssh/config (and the system's ssh_config) as one parsed config, with `Include` expanded the
 * way ssh does it: relative paths from ~/.ssh (or /etc/ssh), wildcards expanded in sorted order,
 * at most 16 levels deep. The `ssh-config` package parses and computes; it has no Include.
 */
export interface LoadedSshConfig {
  config: SSHConfig;
  /** Every file read, in the order read (includes too). */
  files: string[];
  /** Each Host/Match line with the file it came from, to say which entries applied. */
  headers: { text: string; patterns: string[]; file: string }[];
}

const MAX_INCLUDE_DEPTH = 16;

/** The files ssh reads, first value wins: the user's, then the system's. */
export function defaultSshConfigFiles(home = homedir()): string[] {
  return [join(home, '.ssh', 'config'), '/etc/ssh/ssh_config'];
}

export function loadSshConfig(files: readonly string[], home = homedir()): LoadedSshConfig {
  const read: string[] = [];
  const headers: LoadedSshConfig['headers'] = [];
  const parts: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    // A file's leading lines apply to every host, whatever block the previous file ended in.
    parts.push('Match all', expand(file, home, baseDirFor(file, home), 0, read, headers));
  }
  const text = parts.join('\n');
  try {
    return { config: SSHConfig.parse(text), files: read, headers };
  } catch (err) {
    throw new SshError(null, 'config', null, `Cannot parse the SSH config (${read.join(', ')}): ${(err as Error).message}`, { files: read });
  }
}

function baseDirFor(file: string, home: string): string {
  return file.startsWith(join(home, '.ssh') + sep) ? join(home, '.ssh') : '/etc/ssh';
}

function expand(file: string, home: string, base: string, depth: number, read: string[], headers: LoadedSshConfig['headers']): string {
  if (depth > MAX_INCLUDE_DEPTH) throw new SshError(null, 'config', null, `SSH config: Include nested more than ${MAX_INCLUDE_DEPTH} levels deep at ${file}.`, { file });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SshError(null, 'config', null, `Cannot read the SSH config file ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { file });
  }
  read.push(file);
  const out: string[] = [];
  let header: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const directive = /^\s*(\w+)(?:\s*=\s*|\s+)(.*?)\s*$/.exec(line);
    const keyword = directive?.[1]?.toLowerCase();
    if (keyword === 'host' || keyword === 'match') {
      header = line.trim();
      headers.push({ text: header, patterns: keyword === 'host' ? splitArgs(directive![2]!) : [], file });
      out.push(line);
    } else if (keyword === 'include') {
      for (const pattern of splitArgs(directive![2]!)) {
        const path = expandTilde(pattern, home);
        for (const included of globPath(isAbsolute(path) ? path : join(base, path))) out.push(expand(included, home, base, depth + 1, read, headers));
      }
      // What follows the Include belongs to the block it was in, not to the included file's last block.
      out.push(header ?? 'Match all');
    } else out.push(line);
  }
  return out.join('\n');
}

function splitArgs(text: string): string[] {
  const args: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) args.push(m[1] ?? m[2]!);
  return args;
}

export function expandTilde(path: string, home: string): string {
  if (path === '~') return home;
  return path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

/** glob(3) for config paths: `*`, `?` and `[…]` in any component, matches sorted, files only. */
function globPath(pattern: string): string[] {
  const components = pattern.split('/').filter((c, i) => c !== '' || i === 0);
  let found = [pattern.startsWith('/') ? '/' : '.'];
  for (const component of components.slice(pattern.startsWith('/') ? 1 : 0)) {
    const next: string[] = [];
    for (const dir of found) {
      if (!/[*?[]/.test(component)) {
        const p = join(dir, component);
        if (existsSync(p)) next.push(p);
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        continue;
      }
      const re = new RegExp(`^${component.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
      for (const name of names) if (!name.startsWith('.') && re.test(name)) next.push(join(dir, name));
    }
    found = next;
  }
  return found.filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

