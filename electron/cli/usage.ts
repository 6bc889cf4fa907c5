/** Thrown for bad arguments: the CLI prints the message and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Resolves with the process exit code. */
  run(argv: string[], globals: { dataDir: string | undefined }): Promise<number>;
}
