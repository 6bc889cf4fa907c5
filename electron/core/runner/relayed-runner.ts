import type { FromWorker, ToWorker } from '../worker/protocol';
import type { LaunchRunner, RunnerChannel } from './runner-channel';

/**
 * The worker's side of runners started by the main thread: in Electron only the main process can
 * start a utilityProcess, so the worker asks its Session and the messages are relayed both ways.
 */
export function relayedRunners(post: (msg: FromWorker) => void): { launch: LaunchRunner; receive(msg: ToWorker): void } {
  const runners = new Map<number, { message: Set<(m: unknown) => void>; exit: Set<(c: number | null) => void>; exited: Promise<void>; markExited(): void }>();
  let nextId = 1;
  return {
    launch(): RunnerChannel {
      const runnerId = nextId++;
      let markExited!: () => void;
      const entry = { message: new Set<(m: unknown) => void>(), exit: new Set<(c: number | null) => void>(), exited: new Promise<void>((r) => (markExited = r)), markExited: () => markExited() };
      runners.set(runnerId, entry);
      post({ type: 'runner-launch', runnerId });
      return {
        send: (message) => post({ type: 'runner-send', runnerId, message }),
        onMessage: (l) => entry.message.add(l),
        onExit: (l) => entry.exit.add(l),
        kill: async () => {
          if (!runners.has(runnerId)) return;
          post({ type: 'runner-kill', runnerId });
          await entry.exited;
        },
      };
    },
    receive(msg) {
      if (msg.type === 'runner-message') for (const l of runners.get(msg.runnerId)?.message ?? []) l(msg.message);
      else if (msg.type === 'runner-exit') {
        const entry = runners.get(msg.runnerId);
        if (!entry) return;
        runners.delete(msg.runnerId);
        entry.markExited();
        for (const l of entry.exit) l(msg.code);
      }
    },
  };
}
