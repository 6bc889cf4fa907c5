import type { WorkerCommandHandlers } from '../../worker/worker-context';
import { windowHostKeys } from '../../ssh/host-key-trust';

export const sshWorkerHandlers: WorkerCommandHandlers = {
  /** The host-key dialog's answer: the key this window was just shown, trusted once or always. */
  async 'connections.trustHostKey'({ host, port, fingerprint, always }) {
    return windowHostKeys.trust(host, port, fingerprint, always);
  },
};
