import { either as E } from 'fp-ts';
import { defer, mergeMap, type Observable, of, throwError, type SchedulerLike } from 'rxjs';
import { TattlerError } from '../entry/tattler-error.js';
import { retryWithBackoff, type BackoffPolicy } from './backoff.js';
import type { ResourceDiscovery } from './resources-discovery.js';
import type { ResourceSpec } from './resources.js';

/** Options of {@link discoverWithRetry}. */
export interface DiscoverWithRetryOptions {
  readonly policy: BackoffPolicy;
  readonly scheduler: SchedulerLike;
  /** Called before each wait, with the failure that is retried. */
  readonly onRetry: (error: TattlerError, attempt: number, delayMs: number) => void;
}

/**
 * Asks the API server for a resource's kind and scope ({@link ResourceDiscovery.resolve}),
 * retrying with backoff while the answer is a `ReaderError`: the server cannot be reached,
 * times out or answers 5xx, as during an API server restart.
 *
 * Emits one value and completes: the spec, or the `ConfigError` (a name or group the server
 * does not serve) or `AccessDeniedError` that retrying cannot fix. Never errors.
 * Unsubscribing cancels the wait; a request in flight, which other kinds of the reader may
 * share, goes on until the discovery is closed.
 */
export function discoverWithRetry(
  discovery: ResourceDiscovery,
  name: string,
  options: DiscoverWithRetryOptions,
): Observable<E.Either<TattlerError, ResourceSpec>> {
  return defer(() => discovery.resolve(name)).pipe(
    mergeMap((result) =>
      E.isLeft(result) && result.left._tag === 'ReaderError'
        ? throwError(() => result.left)
        : of(result),
    ),
    retryWithBackoff({
      classify: () => ({}),
      policy: options.policy,
      scheduler: options.scheduler,
      onRetry: (error, attempt, delayMs) =>
        options.onRetry(error as TattlerError, attempt, delayMs),
    }),
  );
}
