/** A failure at start-up that comes with what the user should do about it. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly remedy: string,
  ) {
    super(message);
  }
}
