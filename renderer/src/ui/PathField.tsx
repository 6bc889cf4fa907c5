import { useState, type ReactNode } from 'react';
import type { PickPathFilter, PickPathKind } from '../../../shared/ipc/commands/host';
import { IpcCallError } from '../../../shared/ipc/errors';
import { appStore } from '../app/app-state';
import { useStore } from '../app/store';
import { client } from '../ipc/client';

export interface BrowseOptions {
  /** A file to read, a file to write, or a folder. */
  kind: PickPathKind;
  /** The OS dialog's title; the field's label by default. */
  title?: string;
  filters?: PickPathFilter[];
}

/** The shell offers native file dialogs (the desktop app); the browser shell does not. */
export function useCanPickPaths(): boolean {
  return useStore(appStore, (s) => s.info?.host.pickPath ?? false);
}

/** Asks the shell's native dialog for a path: the chosen one, or null when it was dismissed. */
export async function pickPath(options: BrowseOptions & { title: string; defaultPath: string }): Promise<string | null> {
  const { path } = await client.call('host.pickPath', {
    kind: options.kind,
    title: options.title,
    ...(options.defaultPath.trim() ? { defaultPath: options.defaultPath.trim() } : {}),
    ...(options.filters ? { filters: options.filters } : {}),
  });
  return path;
}

/**
 * A Browse… button for a path field: the OS's own dialog, opening at the field's value, the chosen
 * path put into the field. Shown only where the shell has such dialogs (the desktop app).
 */
export function BrowseButton({ browse, value, onPick, disabled, title, describedBy, className }: { browse: BrowseOptions; value: string; onPick(path: string): void; disabled?: boolean; title: string; describedBy?: string; className?: string }) {
  const can = useCanPickPaths();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!can) return null;
  return (
    <>
      <button
        type="button"
        className={`btn ${className ?? ''}`.trim()}
        disabled={disabled || busy}
        aria-describedby={describedBy}
        onClick={() => {
          setBusy(true);
          setError(null);
          pickPath({ ...browse, title: browse.title ?? title, defaultPath: value })
            .then((path) => {
              if (path !== null) onPick(path);
            })
            .catch((err: unknown) => setError(err instanceof IpcCallError ? err.message : String(err)))
            .finally(() => setBusy(false));
        }}
      >
        Browse…
      </button>
      {error && (
        <span className="field-error path-field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

export interface PathFieldProps {
  id: string;
  /** The field's label (also the native dialog's title). */
  label: string;
  value: string;
  onChange(value: string): void;
  disabled?: boolean;
  help?: ReactNode;
  placeholder?: string;
  /** Offer the native dialog (desktop app only): what it chooses. Without it, the path is typed. */
  browse?: BrowseOptions;
  /** Extra classes of the field (`field-wide` by default). */
  className?: string;
  autoFocus?: boolean;
}

/**
 * A path on the machine that runs DB Desk's core: typed (always), or chosen with Browse… where the
 * shell has native dialogs. Used by the import, backup, export and connection dialogs.
 */
export function PathField({ id, label, value, onChange, disabled, help, placeholder, browse, className, autoFocus }: PathFieldProps) {
  const labelId = `${id}-label`;
  const helpId = help ? `${id}-help` : undefined;
  return (
    <div className={`field path-field ${className ?? 'field-wide'}`}>
      <label id={labelId} htmlFor={id}>
        {label}
      </label>
      <div className="path-field-row">
        <input
          id={id}
          className="mono"
          value={value}
          disabled={disabled}
          spellCheck={false}
          autoComplete="off"
          placeholder={placeholder}
          aria-describedby={helpId}
          {...(autoFocus ? { 'data-autofocus': true } : {})}
          onChange={(e) => onChange(e.target.value)}
        />
        {browse && <BrowseButton browse={browse} value={value} title={label} describedBy={labelId} disabled={disabled} onPick={onChange} />}
      </div>
      {help && (
        <span id={helpId} className="field-help">
          {help}
        </span>
      )}
    </div>
  );
}
