import { TattlerError } from '../entry/tattler-error.js';
import type { Logger } from '../logger.js';
import type { ProcessorFailedDiagnostic } from '../pipeline/diagnostics.js';

/**
 * Makes a function that logs a processor's failed batch as one warning line, with its cause
 * (`ENOENT: no such file or directory ...`, an HTTP status), the first time each processor
 * fails for each reason; later failures for the same reason are only counted (in the
 * metrics and the summary), so a broken destination does not flood the log.
 *
 * @param logger - where the warnings go.
 * @returns a function to call with every `ProcessorFailed` diagnostic of a pipeline's
 *   `diagnostics$`.
 *
 * Gotchas: the reason is the innermost cause under the `TattlerError` wrappers (a processor's
 * `ProcessorError` wrapping its last HTTP failure gives that failure): its error code when it
 * has one, its message otherwise, so a message that holds a changing detail (a byte count) is
 * logged each time it changes.
 */
export function processorFailureLogger(
  logger: Logger,
): (diagnostic: ProcessorFailedDiagnostic) => void {
  const seen = new Set<string>();
  return (diagnostic) => {
    const cause = rootCause(diagnostic.error);
    const code = (cause as { code?: unknown } | undefined)?.code;
    const reason =
      typeof code === 'string' || typeof code === 'number'
        ? String(code)
        : cause instanceof Error
          ? cause.message
          : String(cause);
    const key = `${diagnostic.processor}\u0000${diagnostic.phase}\u0000${reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    logger.warn(
      { processor: diagnostic.processor, phase: diagnostic.phase, reason },
      `${diagnostic.error.message} Further failures for this reason are only counted.`,
    );
  };
}

/** What the processor failed on, under the `TattlerError`s that name the batch around it. */
function rootCause(error: TattlerError): unknown {
  let cause: unknown = error.cause;
  while (cause instanceof TattlerError && cause.cause !== undefined) cause = cause.cause;
  return cause;
}
