// A child process that runs `PRAGMA quick_check` on one SQLite file and reports back over IPC. It
// exists so a check of a big file can be killed at its deadline (a native call cannot be stopped).
import Database from 'better-sqlite3';

const file = process.argv[2];
try {
  if (!file) throw new Error('No file given.');
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
  const result = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
  db.close();
  process.send?.({ ok: true, result }, () => process.exit(0));
} catch (err) {
  process.send?.({ ok: false, error: { message: (err as Error).message, code: (err as { code?: string }).code } }, () => process.exit(0));
}
