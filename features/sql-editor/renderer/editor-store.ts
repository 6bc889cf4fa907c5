import { IpcCallError, type IpcError } from '../../../shared/ipc/errors';
import { engineFamily } from '../../../shared/model/engine';
import type { EditorTab, ExplainPlan, SessionState } from '../../../shared/model/query';
import { lexRulesFor } from '../../../shared/sql/lex-rules';
import { mayWrite } from '../../../shared/sql/statement-kind';
import { statementsToRun, type PickedStatement } from '../../../shared/sql/statement-at';
import { appStore } from '../../../renderer/src/app/app-state';
import { createStore } from '../../../renderer/src/app/store';
import { client } from '../../../renderer/src/ipc/client';
import { toast } from '../../../renderer/src/ui/toasts';
import { loadCompletionSchema } from './completion';
import { QueryRun } from './query-run';

/** The app tab of a connection's SQL editor (its messages show over that tab only). */
export function sqlTabId(profileId: string): string {
  return `sql:${profileId}`;
}

export type PlanState = { status: 'running'; analyze: boolean; sql: string } | { status: 'ready'; plan: ExplainPlan; sql: string } | { status: 'failed'; error: IpcError; sql: string };

/** A session state with the moment this window received it (performance.now()): the transaction's age counts on from there. */
export type ReceivedSession = SessionState & { receivedAt: number };

const received = (s: SessionState): ReceivedSession => ({ ...s, receivedAt: performance.now() });

/** What an editor tab has besides its text: its query session, its last run, its plan. */
export interface TabRuntime {
  session: ReceivedSession | null;
  run: QueryRun | null;
  /** The result tab shown: a statement index, or the plan. */
  selected: number | 'plan';
  plan: PlanState | null;
  /** Statements waiting for the production confirmation. */
  confirm: { statements: PickedStatement[]; writes: number[] } | null;
}

export type SidePanel = 'history' | 'saved' | 'processes' | null;

export interface ProfileEditors {
  status: 'loading' | 'ready' | 'failed';
  tabs: EditorTab[];
  activeId: string | null;
  runtime: Record<string, TabRuntime>;
  panel: SidePanel;
}

export const sqlStore = createStore<Record<string, ProfileEditors>>({});

const emptyRuntime = (): TabRuntime => ({ session: null, run: null, selected: 0, plan: null, confirm: null });

function patch(profileId: string, f: (p: ProfileEditors) => ProfileEditors): void {
  sqlStore.set((all) => ({ ...all, [profileId]: f(all[profileId] ?? { status: 'loading', tabs: [], activeId: null, runtime: {}, panel: null }) }));
}

export function patchRuntime(profileId: string, tabId: string, f: (r: TabRuntime) => TabRuntime): void {
  patch(profileId, (p) => ({ ...p, runtime: { ...p.runtime, [tabId]: f(p.runtime[tabId] ?? emptyRuntime()) } }));
}

export function runtimeOf(profileId: string, tabId: string): TabRuntime {
  return sqlStore.get()[profileId]?.runtime[tabId] ?? emptyRuntime();
}

let tabCounter = 0;
const newTabId = () => `t${Date.now().toString(36)}${(++tabCounter).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** The editor tabs of a connection, as they were left (or one empty tab). */
export async function loadTabs(profileId: string): Promise<void> {
  const current = sqlStore.get()[profileId];
  if (current && current.status !== 'failed') return;
  patch(profileId, (p) => ({ ...p, status: 'loading' }));
  try {
    let tabs = await client.call('editorTabs.list', { profileId });
    if (tabs.length === 0) tabs = [await client.call('editorTabs.save', { tab: { id: newTabId(), profileId, title: 'Query 1', text: '', anchor: 0, head: 0, position: 0 } })];
    patch(profileId, (p) => ({ ...p, status: 'ready', tabs, activeId: p.activeId && tabs.some((t) => t.id === p.activeId) ? p.activeId : tabs[0]!.id }));
  } catch (err) {
    patch(profileId, (p) => ({ ...p, status: 'failed' }));
    toast({ tabId: sqlTabId(profileId), level: 'error', title: 'Could not load the editor tabs', message: (err as Error).message });
  }
}

export async function newTab(profileId: string, text = ''): Promise<void> {
  const tabs = sqlStore.get()[profileId]?.tabs ?? [];
  const used = new Set(tabs.map((t) => t.title));
  let n = tabs.length + 1;
  while (used.has(`Query ${n}`)) n++;
  const tab = await client.call('editorTabs.save', { tab: { id: newTabId(), profileId, title: `Query ${n}`, text, anchor: text.length, head: text.length, position: tabs.length } });
  patch(profileId, (p) => ({ ...p, tabs: [...p.tabs, tab], activeId: tab.id }));
}

export async function closeEditorTab(profileId: string, tabId: string): Promise<void> {
  const rt = runtimeOf(profileId, tabId);
  if (rt.session?.transactionOpen && !window.confirm('This tab has an open transaction. Closing it rolls the transaction back. Close it?')) return;
  pendingSaves.get(tabId)?.flush();
  await client.call('query.closeSession', { sessionId: tabId }).catch(() => undefined);
  await client.call('editorTabs.delete', { id: tabId });
  patch(profileId, (p) => {
    const index = p.tabs.findIndex((t) => t.id === tabId);
    const tabs = p.tabs.filter((t) => t.id !== tabId);
    const { [tabId]: _gone, ...runtime } = p.runtime;
    const activeId = p.activeId === tabId ? (tabs[Math.min(index, tabs.length - 1)]?.id ?? null) : p.activeId;
    return { ...p, tabs, runtime, activeId };
  });
  if ((sqlStore.get()[profileId]?.tabs.length ?? 0) === 0) await newTab(profileId);
}

export function activateEditorTab(profileId: string, tabId: string): void {
  patch(profileId, (p) => ({ ...p, activeId: tabId }));
}

export function setPanel(profileId: string, panel: SidePanel): void {
  patch(profileId, (p) => ({ ...p, panel: p.panel === panel ? null : panel }));
}

const pendingSaves = new Map<string, { timer: ReturnType<typeof setTimeout>; flush(): void }>();

/** Keeps a tab's text and cursor; written to the app store half a second after the last change. */
export function updateTab(profileId: string, tabId: string, change: Partial<Pick<EditorTab, 'text' | 'anchor' | 'head' | 'title'>>): void {
  patch(profileId, (p) => ({ ...p, tabs: p.tabs.map((t) => (t.id === tabId ? { ...t, ...change } : t)) }));
  const pending = pendingSaves.get(tabId);
  if (pending) clearTimeout(pending.timer);
  const flush = () => {
    pendingSaves.delete(tabId);
    const tab = sqlStore.get()[profileId]?.tabs.find((t) => t.id === tabId);
    if (tab) void client.call('editorTabs.save', { tab }).catch((err: unknown) => toast({ tabId: sqlTabId(profileId), level: 'error', title: 'Could not keep the editor tab', message: (err as Error).message }));
  };
  pendingSaves.set(tabId, { timer: setTimeout(flush, change.title !== undefined ? 0 : 500), flush });
}

window.addEventListener('beforeunload', () => {
  for (const p of [...pendingSaves.values()]) {
    clearTimeout(p.timer);
    p.flush();
  }
});

/** The tab's query session, opened (or reopened after the connection came back) on demand. */
export async function ensureSession(profileId: string, tabId: string): Promise<SessionState> {
  const state = await client.call('query.openSession', { connectionId: profileId, sessionId: tabId });
  patchRuntime(profileId, tabId, (r) => ({ ...r, session: received(state) }));
  return state;
}

let eventsAttached = false;
/** Session changes (transaction opened or ended, reset after a cancel) reach the indicator. */
export function attachSessionEvents(): void {
  if (eventsAttached) return;
  eventsAttached = true;
  client.on('query.session', (s) => {
    if (sqlStore.get()[s.connectionId]?.runtime[s.sessionId]) patchRuntime(s.connectionId, s.sessionId, (r) => ({ ...r, session: received(s) }));
  });
  // A closed or lost connection takes its sessions with it.
  client.on('connection.lost', ({ connectionId }) => forgetSessions(connectionId));
}

export function forgetSessions(profileId: string): void {
  patch(profileId, (p) => ({ ...p, runtime: Object.fromEntries(Object.entries(p.runtime).map(([k, r]) => [k, { ...r, session: null }])) }));
}

function familyOf(profileId: string) {
  const profile = appStore.get().profiles.find((p) => p.id === profileId);
  return engineFamily(profile?.engine ?? 'postgresql');
}

/** Ctrl/Cmd+Enter (cursor or selection) and Ctrl/Cmd+Shift+Enter (all). */
export async function runFromEditor(profileId: string, tabId: string, text: string, selection: { from: number; to: number }, mode: 'cursor' | 'all'): Promise<void> {
  let picked: PickedStatement[];
  try {
    picked = statementsToRun(text, selection, mode, lexRulesFor(familyOf(profileId)));
  } catch (err) {
    toast({ tabId: sqlTabId(profileId), level: 'error', title: 'The SQL cannot be split into statements', message: (err as Error).message });
    return;
  }
  if (picked.length === 0) {
    toast({ tabId: sqlTabId(profileId), level: 'info', title: 'Nothing to run', message: 'Type a statement, or put the cursor in one.' });
    return;
  }
  await runStatements(profileId, tabId, picked, false);
}

export async function runStatements(profileId: string, tabId: string, picked: PickedStatement[], confirmWrites: boolean, retried = false): Promise<void> {
  const rt = runtimeOf(profileId, tabId);
  if (rt.run?.status === 'running') return;
  let session: SessionState | null = rt.session;
  try {
    session ??= await ensureSession(profileId, tabId);
  } catch (err) {
    toast({ tabId: sqlTabId(profileId), level: 'error', title: 'Could not open a query session', message: (err as Error).message });
    return;
  }
  if (session.production && !confirmWrites) {
    const rules = lexRulesFor(familyOf(profileId));
    const writes = picked.map((p, i) => (mayWrite(p.sql, rules) ? i : -1)).filter((i) => i >= 0);
    if (writes.length > 0) {
      patchRuntime(profileId, tabId, (r) => ({ ...r, confirm: { statements: picked, writes } }));
      return;
    }
  }
  const run = new QueryRun(client, tabId, picked, { confirmWrites });
  patchRuntime(profileId, tabId, (r) => ({ ...r, run, selected: 0, confirm: null }));
  const output = await run.start();
  if (!output && run.error?.code === 'not-found' && !retried) {
    // The session went away with its connection (closed, lost, reopened): open a new one and run again, once.
    patchRuntime(profileId, tabId, (r) => ({ ...r, session: null }));
    await runStatements(profileId, tabId, picked, confirmWrites, true);
    return;
  }
  if (output) {
    // Schema changed: completion learns the new tables and columns.
    if (output.results.some((r) => r.status === 'ok' && /^(CREATE|ALTER|DROP|RENAME)\b/i.test(r.command ?? ''))) void loadCompletionSchema(profileId).catch(() => undefined);
    const firstProblem = output.results.findIndex((r) => r.status === 'error');
    const lastWithRows = output.results.map((r) => r.columns !== null).lastIndexOf(true);
    patchRuntime(profileId, tabId, (r) => ({ ...r, session: received(output.session), selected: firstProblem >= 0 ? firstProblem : lastWithRows >= 0 ? lastWithRows : output.results.length - 1 }));
  } else patchRuntime(profileId, tabId, (r) => ({ ...r }));
}

/**
 * Cancel in a tab: aborts the signal of the call that runs there (query.run or query.explain); the
 * core cancels the statement on the server and the call answers as cancelled.
 */
export async function cancelRun(profileId: string, tabId: string): Promise<void> {
  const rt = runtimeOf(profileId, tabId);
  if (rt.run?.status === 'running') rt.run.cancel();
  if (rt.plan?.status === 'running') planCalls.get(tabId)?.abort();
}

/** The query.explain call running in each tab, by tab id, so that Cancel can abort it. */
const planCalls = new Map<string, AbortController>();

async function sessionCall(profileId: string, tabId: string, call: () => Promise<SessionState>, what: string): Promise<void> {
  try {
    const s = await call();
    patchRuntime(profileId, tabId, (r) => ({ ...r, session: received(s) }));
  } catch (err) {
    toast({ tabId: sqlTabId(profileId), level: 'error', title: what, message: err instanceof IpcCallError || err instanceof Error ? err.message : String(err) });
  }
}

export async function setAutoCommit(profileId: string, tabId: string, autoCommit: boolean): Promise<void> {
  await ensureSession(profileId, tabId).catch(() => undefined);
  await sessionCall(profileId, tabId, () => client.call('query.setAutoCommit', { sessionId: tabId, autoCommit }), 'Could not change the commit mode');
}

export async function endTransaction(profileId: string, tabId: string, how: 'commit' | 'rollback'): Promise<void> {
  await sessionCall(profileId, tabId, () => client.call(how === 'commit' ? 'query.commit' : 'query.rollback', { sessionId: tabId }), how === 'commit' ? 'Could not commit' : 'Could not roll back');
}

export async function explain(profileId: string, tabId: string, text: string, selection: { from: number; to: number }, analyze: boolean): Promise<void> {
  let picked: PickedStatement[];
  try {
    picked = statementsToRun(text, selection, 'cursor', lexRulesFor(familyOf(profileId)));
  } catch (err) {
    toast({ tabId: sqlTabId(profileId), level: 'error', title: 'The SQL cannot be split into statements', message: (err as Error).message });
    return;
  }
  const target = picked[0];
  if (!target) {
    toast({ tabId: sqlTabId(profileId), level: 'info', title: 'Nothing to explain', message: 'Put the cursor in a statement.' });
    return;
  }
  if (!runtimeOf(profileId, tabId).session) await ensureSession(profileId, tabId).catch(() => undefined);
  patchRuntime(profileId, tabId, (r) => ({ ...r, selected: 'plan', plan: { status: 'running', analyze, sql: target.sql } }));
  const controller = new AbortController();
  planCalls.set(tabId, controller);
  try {
    const plan = await client.call('query.explain', { sessionId: tabId, runId: `p${Date.now().toString(36)}`, sql: target.sql, analyze }, { signal: controller.signal });
    patchRuntime(profileId, tabId, (r) => ({ ...r, plan: { status: 'ready', plan, sql: target.sql } }));
  } catch (err) {
    const error = err instanceof IpcCallError ? err.toIpcError() : { code: 'internal' as const, message: (err as Error).message };
    patchRuntime(profileId, tabId, (r) => ({ ...r, plan: { status: 'failed', error, sql: target.sql } }));
  } finally {
    if (planCalls.get(tabId) === controller) planCalls.delete(tabId);
  }
}
