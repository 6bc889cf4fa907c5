import { app, dialog } from 'electron';
import { StartupError } from './startup-error';

/**
 * Any failure before the first window works ends here, never in a silent exit or a hang: one line
 * on stderr, an error dialog that says what to do, exit code 1.
 */
export function failStartup(err: unknown, dataDir: string): void {
  const message = oneLine(err instanceof Error ? err.message : String(err));
  const remedy =
    err instanceof StartupError
      ? err.remedy
      : `Try again. If it fails again, start DB Desk with --data-dir and an empty folder to see whether your data folder (${dataDir}) is the cause, and report this message.`;
  console.error(`DB Desk could not start: ${message} ${remedy}`);
  dialog.showErrorBox('DB Desk could not start', `${message}\n\nWhat to do: ${remedy}`);
  app.exit(1);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
