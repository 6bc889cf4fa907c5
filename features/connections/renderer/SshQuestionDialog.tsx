import { useState, useSyncExternalStore, type FormEvent } from 'react';
import type { SshQuestion } from '../../../shared/model/ssh';
import { appStore } from '../../../renderer/src/app/app-state';
import { useStore } from '../../../renderer/src/app/store';
import { client } from '../../../renderer/src/ipc/client';
import { Dialog } from '../../../renderer/src/ui/Dialog';

interface Asked {
  questionId: string;
  profileId?: string;
  question: SshQuestion;
}

/** Questions waiting, oldest first (one dialog at a time; a chain of hops may ask one after another). */
let queue: Asked[] = [];
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

/** Listens for the core's SSH questions (a passphrase, the password, a one-time code); returns the unsubscribe. */
export function subscribeSshQuestions(): () => void {
  const offs = [
    client.on('ssh.question', (q) => {
      queue = [...queue, q];
      emit();
    }),
    client.on('ssh.questionClosed', ({ questionId }) => {
      queue = queue.filter((q) => q.questionId !== questionId);
      emit();
    }),
  ];
  return () => offs.forEach((off) => off());
}

const titles: Record<SshQuestion['kind'], string> = {
  passphrase: 'SSH key passphrase',
  password: 'SSH password',
  prompts: 'SSH login',
};

const wrongText: Record<SshQuestion['kind'], string> = {
  passphrase: 'Wrong passphrase: it does not unlock the key. Try again.',
  password: 'The SSH server refused the password. Try again.',
  prompts: 'The SSH server refused the answer. Try again.',
};

/**
 * Asks what an SSH login needs while a connection opens: a key's passphrase, the SSH password, or
 * the server's own keyboard-interactive prompts (a one-time code), typed hidden unless the server
 * asks to show it. A passphrase or password may be remembered (in the core's secret store, once it
 * worked). Cancel cancels the connection.
 */
export function SshQuestionDialog() {
  const asked = useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => queue[0] ?? null,
  );
  if (!asked) return null;
  return <QuestionForm key={asked.questionId} asked={asked} />;
}

function QuestionForm({ asked }: { asked: Asked }) {
  const { question } = asked;
  const [answers, setAnswers] = useState<string[]>(() => question.prompts.map(() => ''));
  const [remember, setRemember] = useState(false);
  const profile = useStore(appStore, (s) => s.profiles.find((p) => p.id === asked.profileId)?.name);
  const reply = (value: string[] | null) => {
    queue = queue.filter((q) => q.questionId !== asked.questionId);
    emit();
    void client.call('connections.answerSsh', { questionId: asked.questionId, answers: value, remember: value !== null && remember }).catch(() => undefined);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reply(answers);
  };
  const formId = `ssh-question-${asked.questionId}`;
  const who = `${question.user}@${question.server}`;
  return (
    <Dialog
      title={titles[question.kind]}
      onClose={() => reply(null)}
      footer={
        <>
          <button className="btn" type="button" onClick={() => reply(null)}>
            Cancel
          </button>
          <button className="btn btn-primary" type="submit" form={formId}>
            Continue
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="ssh-question">
        <p>
          {profile ? <>Connecting to {profile}: </> : null}
          {question.kind === 'passphrase' && (
            <>
              the key <span className="mono">{question.keyFile}</span> is protected by a passphrase (for {who}).
            </>
          )}
          {question.kind === 'password' && <>the SSH server asks for the password of {who}.</>}
          {question.kind === 'prompts' && <>the SSH server {who} asks:</>}
        </p>
        {question.name && <p className="ssh-question-name">{question.name}</p>}
        {question.instructions && <p className="ssh-question-instructions">{question.instructions}</p>}
        {question.previousWrong && (
          <div className="notice notice-error" role="alert">
            {wrongText[question.kind]}
          </div>
        )}
        {question.prompts.map((p, i) => (
          <div className="field field-wide" key={i}>
            <label htmlFor={`${formId}-${i}`}>{p.prompt}</label>
            <input
              id={`${formId}-${i}`}
              type={p.echo ? 'text' : 'password'}
              value={answers[i]}
              autoComplete={question.kind === 'prompts' ? 'one-time-code' : 'off'}
              spellCheck={false}
              {...(i === 0 ? { 'data-autofocus': true } : {})}
              onChange={(e) => setAnswers(answers.map((a, j) => (j === i ? e.target.value : a)))}
            />
          </div>
        ))}
        {question.canRemember && (
          <label className="check">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Remember the {question.kind === 'passphrase' ? 'passphrase' : 'password'} (in the secret store)
          </label>
        )}
      </form>
    </Dialog>
  );
}
