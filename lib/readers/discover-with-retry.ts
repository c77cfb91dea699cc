import type { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { defer, mergeMap, Observable, of, throwError, type SchedulerLike } from 'rxjs';
import { TattlerError } from '../entry/tattler-error.js';
import { retryWithBackoff, type BackoffPolicy } from './backoff.js';
import { discoverResource } from './discover-resource.js';
import type { ResourceSpec } from './resources.js';

/** Options of {@link discoverWithRetry}. */
export interface DiscoverWithRetryOptions {
  readonly policy: BackoffPolicy;
  readonly scheduler: SchedulerLike;
  /** Called before each wait, with the failure that is retried. */
  readonly onRetry: (error: TattlerError, attempt: number, delayMs: number) => void;
}

/**
 * Asks the API server for a resource's kind and scope ({@link discoverResource}), retrying
 * with backoff while the answer is a `ReaderError`: the server cannot be reached, times out
 * or answers 5xx, as during an API server restart.
 *
 * Emits one value and completes: the spec, or the `ConfigError` (a name or group the server
 * does not serve) or `AccessDeniedError` that retrying cannot fix. Never errors.
 * Unsubscribing aborts the request in flight and cancels the wait.
 */
export function discoverWithRetry(
  kubeConfig: KubeConfig,
  name: string,
  options: DiscoverWithRetryOptions,
): Observable<E.Either<TattlerError, ResourceSpec>> {
  return defer(() => discoverOnce(kubeConfig, name)).pipe(
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

/** One discovery request; unsubscribing aborts it. */
function discoverOnce(
  kubeConfig: KubeConfig,
  name: string,
): Observable<E.Either<TattlerError, ResourceSpec>> {
  return new Observable((subscriber) => {
    const controller = new AbortController();
    discoverResource(kubeConfig, name, { signal: controller.signal }).then(
      (result) => {
        subscriber.next(result);
        subscriber.complete();
      },
      (cause: unknown) => {
        const message = `cannot look up ${name} on the API server: ${String(cause)}`;
        subscriber.next(E.left(new TattlerError('ReaderError', message, { cause })));
        subscriber.complete();
      },
    );
    return () => controller.abort();
  });
}
