/**
 * How long after the first signal the same signal again counts as the same request: on a
 * Ctrl-C the process gets SIGINT from the terminal and forwarded copies from the tools that
 * started it (npm, tsx), within milliseconds; a person pressing twice takes longer.
 */
export const DUPLICATE_SIGNAL_MS = 500;

/**
 * Calls `stop` on the first SIGTERM or SIGINT. A second signal exits at once with code 130,
 * for a user who does not want to wait for the processors to finish; the same signal again
 * within {@link DUPLICATE_SIGNAL_MS} is taken as a forwarded copy of the first and ignored.
 *
 * **Gotchas**
 * - After the first signal, the process stays alive until that window has passed, even when
 *   its work ends sooner: a forwarded copy that found the handlers removed, or the process
 *   tearing down, would get the signal's default action and kill it.
 * - Removing the handlers within the window takes effect when the window closes, for the
 *   same reason.
 *
 * @param stop - called once, with the signal's name.
 * @param onExit - called just before the exit on a second signal (to log what is abandoned).
 * @returns a function that removes the handlers.
 */
export function onShutdownSignal(
  stop: (signal: NodeJS.Signals) => void,
  onExit: () => void = () => undefined,
): () => void {
  let first: NodeJS.Signals | undefined;
  let copyWindow: NodeJS.Timeout | undefined;
  let removed = false;
  const detach = (): void => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
  const handler = (signal: NodeJS.Signals): void => {
    if (first === undefined) {
      first = signal;
      copyWindow = setTimeout(() => {
        copyWindow = undefined;
        if (removed) detach();
      }, DUPLICATE_SIGNAL_MS);
      stop(signal);
      return;
    }
    if (signal === first && copyWindow !== undefined) return;
    onExit();
    process.exit(130);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    removed = true;
    if (copyWindow === undefined) detach();
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

  /** Sets what to do (log what is abandoned) when a second signal exits at once. */
  onAbandon(abandon: () => void): void {
    this.abandonWith = abandon;
  }

  /** Called by the second signal, just before the exit. */
  abandon(): void {
    this.abandonWith?.();
  }

  private abandonWith: (() => void) | undefined;
}
