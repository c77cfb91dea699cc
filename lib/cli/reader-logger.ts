import type { Logger } from '../logger.js';

/**
 * The logger the command gives the readers: the command's own, except for the lines that
 * the readers also report as events, which go to debug, because the command logs those
 * events itself ({@link recordReaderEvents}), once and at the level they deserve:
 *
 * - every error line: a reader logs one as a kind stops for good, and sends a `failed`
 *   event, which the command logs at error level with the kind, resource, verb, namespace,
 *   user, cause and fix;
 * - the warnings about a retry (they carry `attempt` and `delayMs`), which come with a
 *   `retry` event: the command logs a quiet watch watched again at info, other retries at
 *   warn.
 *
 * Every other reader line (bookmark store trouble, a relist instead of a resumed watch)
 * keeps its level.
 *
 * @param logger - the command's logger.
 * @returns the logger to put in the readers' options.
 */
export function readerLogger(logger: Logger): Logger {
  return {
    debug: (fields, message) => logger.debug(fields, message),
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) =>
      isRetry(fields) ? logger.debug(fields, message) : logger.warn(fields, message),
    error: (fields, message) => logger.debug(fields, message),
  };
}

function isRetry(fields: object): boolean {
  const { attempt, delayMs } = fields as { attempt?: unknown; delayMs?: unknown };
  return typeof attempt === 'number' && typeof delayMs === 'number';
}
