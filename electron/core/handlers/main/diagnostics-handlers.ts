import type { DiagnosticSubject } from '../../../../shared/ipc/commands/diagnostics';
import type { ConnectionFields } from '../../../../shared/model/connection';
import type { AppCore } from '../../app-core';
import type { HandlerMap } from '../../router';

/**
 * The run itself happens in the window's worker (it owns the window's network activity and emits
 * the live steps); this side only turns the subject into an engine config, because the password
 * store lives here and the worker must receive the password from the core, never from the renderer's
 * hands alone.
 */
export const diagnosticsHandlers: HandlerMap<'diagnostics.run'> = {
  /** The caller's signal goes on to the worker: its abort fails the running step as cancelled and skips the rest. */
  async 'diagnostics.run'({ runId, subject, stepTimeoutMs }, { core, session, signal }) {
    const { fields, password, ssh } = resolveSubject(core, subject);
    const config = core.profiles.engineConfig(fields, password, ssh);
    return session.call('worker.diagnose', { runId, config, name: fields.name, ...(stepTimeoutMs !== undefined ? { stepTimeoutMs } : {}) }, signal);
  },
};

type SshSecrets = { password?: string | undefined; passphrase?: string | undefined };

function resolveSubject(core: AppCore, subject: DiagnosticSubject): { fields: ConnectionFields; password: string | undefined; ssh: SshSecrets } {
  if (subject.kind === 'profile') {
    const { id: _id, hasPassword: _h, hasSshPassword: _hs, hasSshPassphrase: _hp, source: _s, ...fields } = core.profiles.get(subject.profileId);
    return { fields, password: core.profiles.passwordOf(subject.profileId), ssh: core.profiles.sshSecretsOf(subject.profileId) };
  }
  // A draft from the editor: a typed password wins, null means none, absent means the saved one.
  const stored = subject.id ? core.profiles.passwordOf(subject.id) : undefined;
  const storedSsh = subject.id ? core.profiles.sshSecretsOf(subject.id) : {};
  const pick = (typed: string | null | undefined, saved: string | undefined) => (typed === undefined ? saved : (typed ?? undefined));
  return {
    fields: subject.fields,
    password: pick(subject.password, stored),
    ssh: { password: pick(subject.sshPassword, storedSsh.password), passphrase: pick(subject.sshPassphrase, storedSsh.passphrase) },
  };
}
