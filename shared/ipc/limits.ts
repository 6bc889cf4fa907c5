import { z } from 'zod';

/**
 * Limits every command input meets before a handler sees it. The zod contract applies them, so
 * each command that names a path or stores a string gets the same checks and the same words.
 */

/**
 * The largest message the browser shell's WebSocket takes. The biggest input the contract allows
 * is one edited cell (16 M characters, up to 48 MB as UTF-8); a frame above this closes the socket
 * (code 1009), and the window's transport refuses such a call before sending it.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Paths longer than this are not paths anyone typed or chose (PATH_MAX is 4096 on Linux). */
export const MAX_PATH_LENGTH = 4096;

/** True for `/…`, `C:\…` / `C:/…` and `\\server\share`: absolute on POSIX or on Windows. */
export function looksAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

const noNul = (s: string) => !s.includes('\0');
const NUL_MESSAGE = 'A path cannot contain a NUL character.';
const RELATIVE_MESSAGE = 'Must be an absolute path on the machine that runs DB Desk (starting with / or a drive letter): a relative one would depend on where DB Desk was started.';

/** A path that may be relative (a SQLite file given on a command line) but never carries a NUL. */
export const PathText = z.string().max(MAX_PATH_LENGTH).refine(noNul, NUL_MESSAGE);

/** A file or folder on the machine that runs the core, which the core reads or writes. */
export const AbsolutePath = z.string().min(1).max(MAX_PATH_LENGTH).refine(noNul, NUL_MESSAGE).refine(looksAbsolute, RELATIVE_MESSAGE);

/** A folder the user chose (migrations, designer output): trimmed, absolute, no NUL. */
export function absoluteFolder(emptyMessage: string) {
  return z.string().trim().min(1, emptyMessage).max(MAX_PATH_LENGTH).refine(noNul, NUL_MESSAGE).refine(looksAbsolute, RELATIVE_MESSAGE);
}

/** An absolute folder, or nothing (blank): the handler picks a default. */
export const OptionalAbsoluteFolder = z
  .string()
  .max(MAX_PATH_LENGTH)
  .refine(noNul, NUL_MESSAGE)
  .refine((s) => s.trim() === '' || looksAbsolute(s.trim()), RELATIVE_MESSAGE);

/** A time as the core writes it (`new Date().toISOString()`), stored with drafts. */
export const TimestampText = z.string().max(40);

/** A UTF-16 half without its other half: no UTF-8 store or database can keep it (it becomes U+FFFD). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Where a payload holds text that is not Unicode (a lone surrogate, which JSON's `\ud800` escape
 * and a structured clone both carry): its path, e.g. `tab.id`, or null when all text is sound.
 * Such text would be stored or sent to a database silently changed, so it is refused instead.
 */
export function illFormedTextAt(value: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return path || '(payload)';
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: path ? `${path}.${i}` : String(i) }));
    } else if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) {
      for (const [key, item] of Object.entries(v)) {
        const at = path ? `${path}.${key}` : key;
        if (LONE_SURROGATE.test(key)) return at;
        stack.push({ value: item, path: at });
      }
    }
  }
  return null;
}
