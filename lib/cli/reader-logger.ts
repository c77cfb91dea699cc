import type { Logger } from '../logger.js';

/**
 * The logger the command gives the readers: the command's own, except that the readers'
 * error lines go to debug. A reader logs one as a kind stops for good, and also sends a
 * `failed` event, which the command logs itself ({@link recordReaderEvents}) at error level
 * with the kind, resource, verb, namespace, user, cause and fix: one line instead of two.
 * Every other reader line keeps its level.
 *
 * @param logger - the command's logger.
 * @returns the logger to put in the readers' options.
 */
export function readerLogger(logger: Logger): Logger {
  return {
    debug: (fields, message) => logger.debug(fields, message),
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.debug(fields, message),
  };
}
