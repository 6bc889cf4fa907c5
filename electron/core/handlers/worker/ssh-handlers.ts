import type { WorkerCommandHandlers } from '../../worker/worker-context';
import { windowHostKeys } from '../../ssh/host-key-trust';
import { windowSshQuestions } from '../../ssh/ssh-questions';

export const sshWorkerHandlers: WorkerCommandHandlers = {
  /** The host-key dialog's answer: the key this window was just shown, trusted once or always. */
  async 'connections.trustHostKey'({ host, port, fingerprint, always }) {
    return windowHostKeys.trust(host, port, fingerprint, always);
  },

  /** The SSH question dialog's answer (null: the person cancelled the login). */
  async 'connections.answerSsh'({ questionId, answers, remember }) {
    return { accepted: windowSshQuestions.answer(questionId, answers, remember) };
  },
};
