/** What an engine tells the worker about on its own, outside any command. */
export interface EngineHooks {
  /** A pooled connection broke while idle (server restarted, network dropped). */
  onConnectionLost?(error: unknown): void;
}
