import { randomUUID } from 'node:crypto';
import type { SshQuestion } from '../../../shared/model/ssh';

/** What the person answered: one string per prompt; `remember` asks to keep a passphrase or password that worked. */
export interface SshAnswer {
  answers: string[];
  remember: boolean;
}

/**
 * Asks the person something an SSH login needs (a passphrase, the password, a one-time code) and
 * waits for the answer; null when they cancel. `signal` aborts when the login no longer waits
 * (it failed, timed out or was cancelled): the question is then withdrawn.
 */
export type SshAsk = (question: SshQuestion, signal: AbortSignal) => Promise<SshAnswer | null>;

/**
 * What the person typed while one connection opened (worker-side only): every secret answer, so
 * errors are scrubbed of them, and the passphrase or password they asked to remember once it
 * worked (the core then keeps it in the secret store).
 */
export class SshTyped {
  readonly secrets: string[] = [];
  readonly remember: { password?: string; passphrase?: string } = {};
}

interface Pending {
  resolve(answer: SshAnswer | null): void;
  expected: number;
}

/**
 * The questions a window's worker has asked and not yet had answered. A question goes out as the
 * `ssh.question` event; `connections.answerSsh` (a command of the same window) settles it; a login
 * that stops waiting withdraws it with `ssh.questionClosed`.
 */
export class SshQuestionBroker {
  private readonly pending = new Map<string, Pending>();

  asker(send: { question(id: string, question: SshQuestion): void; closed(id: string): void }): SshAsk {
    return (question, signal) =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve(null);
        const id = randomUUID();
        const onAbort = () => {
          if (!this.pending.delete(id)) return;
          send.closed(id);
          resolve(null);
        };
        this.pending.set(id, {
          expected: question.prompts.length,
          resolve: (answer) => {
            signal.removeEventListener('abort', onAbort);
            this.pending.delete(id);
            resolve(answer);
          },
        });
        signal.addEventListener('abort', onAbort, { once: true });
        send.question(id, question);
      });
  }

  /** False when no such question waits (answered already, withdrawn) or the number of answers is wrong. */
  answer(questionId: string, answers: string[] | null, remember: boolean): boolean {
    const pending = this.pending.get(questionId);
    if (!pending) return false;
    if (answers !== null && answers.length !== pending.expected) return false;
    pending.resolve(answers === null ? null : { answers, remember });
    return true;
  }
}

/** This worker's (this window's) questions. */
export const windowSshQuestions = new SshQuestionBroker();
