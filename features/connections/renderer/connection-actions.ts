import { askAboutHostKey, hostKeyProblemOf } from './HostKeyDialog';
import { subscribeSshQuestions } from './SshQuestionDialog';
import type { ConnectionFieldsInput } from '../../../shared/model/connection';
import { IpcCallError, type IpcError } from '../../../shared/ipc/errors';
import { appStore, connectionState, updateConnection } from '../../../renderer/src/app/app-state';
import { closeTabsOf, openTab } from '../../../renderer/src/app/tabs';
import { applyTheme } from '../../../renderer/src/app/theme';
import { client } from '../../../renderer/src/ipc/client';
import { toast } from '../../../renderer/src/ui/toasts';

export function errorOf(err: unknown): IpcError {
  if (err instanceof IpcCallError) return err.toIpcError();
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/** Opens the diagnostics view for a profile (a failed connection's "Diagnose" action). */
export function openDiagnostics(profileId: string): void {
  const profile = appStore.get().profiles.find((p) => p.id === profileId);
  openTab({ id: `diagnostics:${profileId}`, kind: 'diagnostics', title: `Diagnose ${profile?.name ?? ''}`.trim(), profileId, params: { run: Date.now() } });
}

/** A connection being edited (maybe never saved), diagnosed from the editor's failed Test. */
export interface DiagnosticDraft {
  fields: ConnectionFieldsInput;
  /** As the editor would send it: a string sets it, null means none, absent uses the saved one. */
  password?: string | null;
  sshPassword?: string | null;
  sshPassphrase?: string | null;
  /** The saved profile being edited, if any. */
  id?: string;
}

/** Drafts by tab key. Kept in memory only (a typed password must not land in any store). */
const drafts = new Map<string, DiagnosticDraft>();
let nextDraft = 1;

export function diagnosticDraft(key: string): DiagnosticDraft | undefined {
  return drafts.get(key);
}

/** Closes the editor and diagnoses its draft; the tab offers the way back to the editor with the same fields. */
export function openDraftDiagnostics(draft: DiagnosticDraft): void {
  const key = `draft-${nextDraft++}`;
  drafts.set(key, draft);
  appStore.set({ editor: null });
  openTab({ id: `diagnostics:${key}`, kind: 'diagnostics', title: `Diagnose ${draft.fields.name || 'draft'}`, ...(draft.id ? { profileId: draft.id } : {}), params: { draftKey: key } });
}

/** Back from a draft's diagnosis to the editor, everything as it was. */
export function reopenEditor(draft: DiagnosticDraft): void {
  appStore.set({ editor: { profileId: draft.id ?? null, initial: { fields: draft.fields, ...(draft.password !== undefined ? { password: draft.password } : {}) } } });
}

export async function loadStartup(): Promise<void> {
  try {
    const s = await client.call('app.startup', {});
    appStore.set({ ready: true, info: s.info, settings: s.settings, profiles: s.profiles, selectedProfileId: s.selectedId });
    applyTheme(s.settings.theme);
    if (s.environmentError) toast({ level: 'warning', title: 'DB_* environment ignored', message: s.environmentError });
    if (s.openAtStart && s.selectedId) void openConnection(s.selectedId);
  } catch (err) {
    appStore.set({ ready: true, startupError: errorOf(err).message });
  }
}

export async function refreshProfiles(): Promise<void> {
  const profiles = await client.call('connections.list', {});
  appStore.set((s) => ({ ...s, profiles, selectedProfileId: profiles.some((p) => p.id === s.selectedProfileId) ? s.selectedProfileId : (profiles[0]?.id ?? null) }));
}

export function selectProfile(id: string): void {
  appStore.set({ selectedProfileId: id });
}

/**
 * The connections.open call in flight for each profile, by profile id: a connect started anywhere
 * (the list, the palette, the start-up) is cancelled from the connection panel by aborting the call
 * itself (cancelOpen). Only this window's connects: each window opens its own connections.
 */
const opening = new Map<string, AbortController>();

/** `sshPassphrase`: typed in the editor for this connect, used once and kept only if the profile remembers it. */
export async function openConnection(profileId: string, options: { sshPassphrase?: string } = {}): Promise<boolean> {
  if (connectionState(appStore.get(), profileId).status === 'opening') return false;
  appStore.set({ selectedProfileId: profileId });
  updateConnection(profileId, { status: 'opening', attempts: [], error: undefined, open: undefined, failovers: [], preparing: undefined, capped: undefined });
  const controller = new AbortController();
  opening.set(profileId, controller);
  try {
    const open = await client.call('connections.open', { id: profileId, ...options }, { signal: controller.signal });
    updateConnection(profileId, { status: 'open', open, error: undefined, preparing: undefined });
    // A passphrase or password typed in the SSH question dialog may have been remembered: the list shows it saved.
    if (appStore.get().profiles.find((p) => p.id === profileId)?.ssh?.enabled) void refreshProfiles().catch(() => undefined);
    return true;
  } catch (err) {
    const error = errorOf(err);
    updateConnection(profileId, { status: 'failed', error });
    const hostKey = hostKeyProblemOf(profileId, error.detail);
    if (hostKey) {
      // A new key: the dialog shows its fingerprint and connects again once trusted. A changed key: a hard stop.
      if (await askAboutHostKey(hostKey)) return openConnection(profileId, options);
      return false;
    }
    if (error.code !== 'cancelled') {
      const name = appStore.get().profiles.find((p) => p.id === profileId)?.name ?? 'the database';
      toast({
        level: 'error',
        title: `Cannot connect to ${name}`,
        message: error.message,
        actions: [{ label: 'Diagnose', run: () => openDiagnostics(profileId) }],
      });
    }
    return false;
  } finally {
    if (opening.get(profileId) === controller) opening.delete(profileId);
  }
}

/** Stops waiting for a connection being opened: its call is cancelled (the retries stop, a late connection is closed). */
export async function cancelOpen(profileId: string): Promise<void> {
  opening.get(profileId)?.abort();
}

export async function closeConnection(profileId: string): Promise<void> {
  closeTabsOf(profileId);
  await client.call('connections.close', { id: profileId }).catch(() => undefined);
  updateConnection(profileId, { status: 'idle', attempts: [], open: undefined, error: undefined });
}

export async function saveProfile(id: string | null, fields: ConnectionFieldsInput, password: string | null | undefined, ssh: { sshPassword?: string; sshPassphrase?: string } = {}) {
  const saved = await client.call('connections.save', { ...(id ? { id } : {}), fields: fields as never, password, ...ssh });
  await refreshProfiles();
  appStore.set({ selectedProfileId: saved.id });
  return saved;
}

export async function duplicateProfile(id: string): Promise<void> {
  try {
    const copy = await client.call('connections.duplicate', { id });
    await refreshProfiles();
    appStore.set({ selectedProfileId: copy.id });
    toast({ level: 'success', title: `Duplicated as “${copy.name}”` });
  } catch (err) {
    toast({ level: 'error', title: 'Could not duplicate the connection', message: errorOf(err).message });
  }
}

export async function deleteProfile(id: string): Promise<void> {
  try {
    closeTabsOf(id);
    await client.call('connections.delete', { id });
    appStore.set((s) => {
      const { [id]: _gone, ...connections } = s.connections;
      return { ...s, connections };
    });
    await refreshProfiles();
  } catch (err) {
    toast({ level: 'error', title: 'Could not delete the connection', message: errorOf(err).message });
  }
}

export async function importEnvFile(text: string, fileName: string): Promise<void> {
  try {
    const profile = await client.call('connections.importEnv', { text });
    await refreshProfiles();
    appStore.set({ selectedProfileId: profile.id });
    toast({ level: 'success', title: `Imported ${fileName}`, message: `Created “${profile.name}”.` });
  } catch (err) {
    toast({ level: 'error', title: `Cannot import ${fileName}`, message: errorOf(err).message });
  }
}

/** Events the core pushes about connections and the session. */
export function subscribeConnectionEvents(): () => void {
  const offs = [
    subscribeSshQuestions(),
    client.on('connection.preparing', ({ profileId, step, done, total }) => updateConnection(profileId, { preparing: { step, done, total } })),
    client.on('connection.attempt', (e) => {
      const current = connectionState(appStore.get(), e.profileId);
      updateConnection(e.profileId, { preparing: undefined, attempts: [...current.attempts.filter((a) => !(a.attempt === e.attempt && a.status === 'trying')), e] });
    }),
    client.on('connection.lost', ({ connectionId, error, reconnects }) => {
      const name = appStore.get().profiles.find((p) => p.id === connectionId)?.name ?? 'a database';
      if (reconnects) {
        // The core opens it again on the next use (a dropped SSH tunnel): the connection and its tabs stay open.
        toast({ level: 'warning', title: `The SSH tunnel of ${name} dropped`, message: error.message, actions: [{ label: 'Diagnose', run: () => openDiagnostics(connectionId) }] });
        return;
      }
      updateConnection(connectionId, { status: 'failed', error, open: undefined });
      toast({ level: 'error', title: `Lost the connection to ${name}`, message: error.message, actions: [{ label: 'Reconnect', run: () => void openConnection(connectionId) }, { label: 'Diagnose', run: () => openDiagnostics(connectionId) }] });
    }),
    client.on('connection.capped', (e) => updateConnection(e.connectionId, { capped: e })),
    client.on('connection.failover', (e) => {
      const current = connectionState(appStore.get(), e.connectionId);
      if (current.status !== 'open' || !current.open) return;
      updateConnection(e.connectionId, { open: { ...current.open, endpoint: e.to ?? 'no usable node' }, failovers: [...(current.failovers ?? []).slice(-19), e] });
      const name = appStore.get().profiles.find((p) => p.id === e.connectionId)?.name ?? 'A cluster connection';
      if (e.from && e.to) toast({ level: 'warning', title: `${name} moved to ${e.to}`, message: `It left ${e.from}: ${e.reason}. Statements that were running there were reported as failed, not run again.` });
      else if (e.from) toast({ level: 'error', title: `${name}: no usable node`, message: `It left ${e.from}: ${e.reason}.`, actions: [{ label: 'Diagnose', run: () => openDiagnostics(e.connectionId) }] });
      else if (e.to) toast({ level: 'success', title: `${name} is connected again`, message: `Now on ${e.to}.` });
    }),
    client.on('session.crashed', ({ reason, restarted }) => {
      appStore.set({ connections: {} });
      toast({
        level: 'error',
        title: restarted ? 'The connection worker crashed and was restarted' : 'The connection worker stopped',
        message: `${reason}. Open connections of this window were closed; reconnect to continue.`,
      });
    }),
    client.on('session.notice', ({ level, message }) => toast({ level, title: message })),
  ];
  return () => offs.forEach((off) => off());
}
