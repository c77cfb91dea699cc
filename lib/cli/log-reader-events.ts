import type { Logger } from '../logger.js';
import { ApiStatusError, WatchIdleError } from '../readers/api-error.js';
import type { ReaderEvent } from '../readers/reader-event.js';

type EventOf<T extends ReaderEvent['type']> = Extract<ReaderEvent, { readonly type: T }>;

/**
 * Logs a kind that stopped for good as the one error line about it (the readers' own goes to
 * debug, see `readerLogger`): the kind, resource, namespace and error tag as fields, and,
 * for an API answer, its verb, status and the user the server authenticated; the message
 * names the cause and the fix.
 *
 * @param logger - where the line goes.
 * @param event - the reader's `failed` event.
 */
export function logReaderFailure(logger: Logger, event: EventOf<'failed'>): void {
  const { kind, resource, namespace } = event.target;
  const cause = event.error.cause;
  const verb = (cause as { verb?: unknown } | undefined)?.verb;
  logger.error(
    {
      kind,
      resource,
      namespace,
      tag: event.error._tag,
      ...(typeof verb === 'string' ? { verb } : {}),
      ...(cause instanceof ApiStatusError ? { status: cause.status } : {}),
      ...(cause instanceof ApiStatusError && cause.user !== undefined ? { user: cause.user } : {}),
    },
    `stopped reading ${kind} for good: ${event.error.message}`,
  );
}

/**
 * Logs a reader's retry. A watch that received nothing for the idle limit and is watched
 * again, the first retry in a row, is routine on a quiet cluster (a kind whose objects do
 * not change, on a server that then sends no bookmarks either): info. Any other retry, and
 * a retry after retries, is worth a look: warn.
 *
 * @param logger - where the line goes.
 * @param event - the reader's `retry` event.
 */
export function logReaderRetry(logger: Logger, event: EventOf<'retry'>): void {
  const { kind, resource, namespace } = event.target;
  const fields = {
    kind,
    resource,
    namespace,
    attempt: event.attempt,
    delayMs: event.delayMs,
    tag: event.error._tag,
  };
  const cause = event.error.cause;
  if (event.attempt === 1 && cause instanceof WatchIdleError && cause.verb === 'watch') {
    logger.info(fields, `reader watches again after a quiet watch: ${event.error.message}`);
    return;
  }
  logger.warn(fields, `reader retries after an error: ${event.error.message}`);
}
