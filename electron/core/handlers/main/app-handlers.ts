import type { HandlerMap } from '../../router';

export const appHandlers: HandlerMap<'app.startup' | 'settings.update'> = {
  async 'app.startup'(_input, { core }) {
    const profiles = core.profiles.list();
    const settings = core.store.settings.get();
    const env = core.profiles.environmentProfile;
    let selectedId: string | null = null;
    let openAtStart = false;
    if (env) {
      selectedId = env.id;
      openAtStart = true;
    } else if (settings.lastConnectionId && profiles.some((p) => p.id === settings.lastConnectionId)) {
      selectedId = settings.lastConnectionId;
    } else if (profiles.length === 1 && profiles[0]!.demo) {
      // A first start with nothing configured: open the demo database.
      selectedId = profiles[0]!.id;
      openAtStart = true;
    }
    return { info: core.info, settings, profiles, selectedId, openAtStart, environmentError: core.profiles.environmentError };
  },

  async 'settings.update'(patch, { core }) {
    return core.store.settings.update(patch);
  },
};
