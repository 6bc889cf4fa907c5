import { defaultPorts, type EngineKind } from '../../../shared/model/engine';

/** The fields that say whom a password is for. */
export interface CredentialTarget {
  engine: EngineKind;
  host: string;
  port: string;
  user: string;
}

/**
 * Whom a password is for: the engine, the server (host and port, defaults filled in) and the user.
 * A password belongs to one of these; it never silently follows a change of any of them.
 */
export function credentialOwner(t: CredentialTarget): string {
  const host = t.host.trim().toLowerCase() || 'localhost';
  const port = t.port.trim() || String(defaultPorts[t.engine] ?? '');
  return `${t.engine}|${t.user.trim()}@${host}:${port}`;
}

/** The editor's password as it stands: typed (or from a pasted URL), the saved one, or none. */
export interface PasswordState {
  /** What was typed or pasted; meaningful when `typed`. */
  password: string;
  typed: boolean;
  /** Whom the typed password — or, untyped, the saved one — is for (credentialOwner); null: no password at all. */
  owner: string | null;
  /** The user ticked "Forget the saved password". */
  forget: boolean;
}

/**
 * The password is for another server or user than the fields now name (a second URL pasted, the
 * host or the user edited): it is not used, and the editor says so. Editing the fields back to
 * what the password is for makes it usable again.
 */
export function passwordIsStale(state: PasswordState, now: CredentialTarget): boolean {
  if (state.forget || state.owner === null) return false;
  if (state.typed && state.password === '') return false;
  return state.owner !== credentialOwner(now);
}

/**
 * What Test, Save and Diagnose send: a string to set the password, null for none (or to forget
 * the saved one), undefined to keep the saved one. A stale password is never sent, and a saved
 * password is forgotten when the profile is saved for another server or user.
 */
export function passwordToSend(state: PasswordState, now: CredentialTarget): string | null | undefined {
  if (state.forget || passwordIsStale(state, now)) return null;
  return state.typed ? state.password : undefined;
}
