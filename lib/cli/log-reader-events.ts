import type { Logger } from '../logger.js';
import { ApiStatusError } from '../readers/api-error.js';
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
