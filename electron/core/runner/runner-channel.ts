/**
 * A process that runs work DB Desk must be able to stop at any moment (SQLite statements: the
 * driver has no interrupt, so cancel ends the process). Under Node it is a forked child; in
 * Electron, whose release build disables running as Node, a utilityProcess started by the main
 * process and relayed to the worker.
 */
export interface RunnerChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  /** Ends the process at once (SIGKILL); resolves when it is gone. */
  kill(): Promise<void>;
}

export type LaunchRunner = () => RunnerChannel;
