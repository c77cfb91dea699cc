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
    if (stopping) process.exit(130);
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
