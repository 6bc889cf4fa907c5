import { CoreError } from '../../errors';
import type { HandlerMap } from '../../router';

/** The shell's own dialogs, when it has them (the desktop app); the browser shell's paths are typed. */
export const hostHandlers: HandlerMap<'host.pickPath'> = {
  async 'host.pickPath'(request, { core, session }) {
    if (!core.host) throw new CoreError('unsupported', 'This shell has no file dialog: type the path (it is on the machine that runs DB Desk).');
    return { path: await core.host.pickPath(request, session) };
  },
};
