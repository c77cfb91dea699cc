/**
 * Calls `stop` on the first SIGTERM or SIGINT. A second signal exits at once with code 130,
 * for a user who does not want to wait for the processors to finish.
 *
 * @param stop - called once, with the signal's name.
 * @returns a function that removes the handlers.
 */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => void): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.exit(130);
      return;
    }
    stopping = true;
    stop(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}

/**
 * A stop asked for by a signal or a closed standard output, which may come before there is
 * anything to stop: the command records it during start-up and acts on it once running.
 */
export class ShutdownRequest {
  private reason: string | undefined;
  private stop: ((reason: string) => void) | undefined;

  /** Why a stop was asked for; `undefined` while none was. */
  get requested(): string | undefined {
    return this.reason;
  }

  /** Asks to stop; only the first request counts. */
  request(reason: string): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.stop?.(reason);
  }

  /** Calls `stop` on the first request, or now if one came already. */
  onRequest(stop: (reason: string) => void): void {
    this.stop = stop;
    if (this.reason !== undefined) stop(this.reason);
  }
}
