import { connectionFromEnvironment, parseDotEnv } from '../../../../shared/model/environment';
import { ConnectionFields } from '../../../../shared/model/connection';
import { CoreError } from '../../errors';
import type { HandlerMap } from '../../router';

type ConnectionCommand =
  | 'connections.list'
  | 'connections.save'
  | 'connections.duplicate'
  | 'connections.delete'
  | 'connections.importEnv'
  | 'connections.test'
  | 'connections.open'
  | 'connections.close';

export const connectionHandlers: HandlerMap<ConnectionCommand> = {
  async 'connections.list'(_input, { core }) {
    return core.profiles.list();
  },

  async 'connections.save'({ id, fields, password, sshPassword, sshPassphrase }, { core }) {
    const ssh = { password: sshPassword, passphrase: sshPassphrase };
    if (id && core.profiles.environmentProfile?.id === id) {
      // The environment profile is not stored: saving it makes a regular profile from it.
      const envPassword = password === undefined ? core.profiles.environmentPassword : password;
      return core.store.profiles.save(fields, envPassword ?? undefined, undefined, ssh);
    }
    if (id && !core.store.profiles.find(id)) throw new CoreError('not-found', 'That connection no longer exists.');
    return core.store.profiles.save(fields, password, id, ssh);
  },

  async 'connections.duplicate'({ id }, { core }) {
    if (core.profiles.environmentProfile?.id === id) {
      const { id: _id, hasPassword: _h, source: _s, ...fields } = core.profiles.environmentProfile;
      return core.store.profiles.save({ ...fields, name: `${fields.name} (copy)` }, core.profiles.environmentPassword);
    }
    return core.store.profiles.duplicate(id);
  },

  async 'connections.delete'({ id }, { core, session }) {
    if (core.profiles.environmentProfile?.id === id) {
      throw new CoreError('forbidden', 'This connection comes from the DB_* environment variables; unset them to remove it.');
    }
    await session.call('worker.close', { connectionId: id }).catch(() => undefined);
    const deleted = core.store.profiles.delete(id);
    if (deleted) core.store.queries.forgetProfile(id);
    return { deleted };
  },

  async 'connections.importEnv'({ text, name }, { core }) {
    let parsed;
    try {
      parsed = connectionFromEnvironment(parseDotEnv(text));
    } catch (err) {
      throw new CoreError('invalid-input', (err as Error).message);
    }
    if (!parsed) throw new CoreError('invalid-input', 'The .env file does not set DB_TYPE, so it describes no database.');
    const fields = ConnectionFields.parse({ ...parsed.fields, name: name ?? parsed.fields.name.replace(' (environment)', ' (.env)') });
    return core.store.profiles.save(fields, parsed.password);
  },

  async 'connections.test'({ fields, password, sshPassword, sshPassphrase, id }, { core, session }) {
    const stored = id ? core.profiles.passwordOf(id) : undefined;
    const secret = password === undefined ? stored : (password ?? undefined);
    const storedSsh = id ? core.profiles.sshSecretsOf(id) : {};
    const config = core.profiles.engineConfig(fields, secret, {
      password: sshPassword === undefined ? storedSsh.password : (sshPassword ?? undefined),
      passphrase: sshPassphrase === undefined ? storedSsh.passphrase : (sshPassphrase ?? undefined),
    });
    return session.call('worker.test', { config: { ...config, retry: { maxAttempts: 1, delaySeconds: 0 } } });
  },

  async 'connections.open'({ id, sshPassphrase }, { core, session, signal }) {
    const profile = core.profiles.get(id);
    const { id: _id, hasPassword: _h, hasSshPassword: _hs, hasSshPassphrase: _hp, source: _s, ...fields } = profile;
    // A passphrase typed for this connection is used once and never stored (unless the profile remembers it).
    const ssh = core.profiles.sshSecretsOf(id);
    const config = core.profiles.engineConfig(fields, core.profiles.passwordOf(id), { ...ssh, ...(sshPassphrase !== undefined ? { passphrase: sshPassphrase } : {}) });
    const { sshRemember, ...opened } = await session.call('worker.open', {
      profileId: id,
      config,
      ...(profile.demo && profile.file ? { demoFile: profile.file } : {}),
    }, signal);
    // What the person typed in the SSH question dialog and asked to keep, now that it worked.
    if (sshRemember && profile.source === 'saved') core.store.profiles.rememberSshSecrets(id, sshRemember);
    core.store.settings.update({ lastConnectionId: id });
    return opened;
  },

  async 'connections.close'({ id }, { session }) {
    return session.call('worker.close', { connectionId: id });
  },
};
